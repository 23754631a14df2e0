export { startIdentityProvider } from './server';
export type { IdentityProvider, IdentityProviderOptions } from './server';
export { DEFAULT_REALM_FILE, loadRealm } from './realm';
export type { Realm, RealmUser, RealmClient } from './realm';
