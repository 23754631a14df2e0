/** @anmulong/identity: the development identity provider (a Keycloak-compatible realm `otog`). */
export * from './keys';
export * from './realm';
export * from './server';
export * from './tokens';
