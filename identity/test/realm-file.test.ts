/**
 * `keycloak/realm-otog.json` is what a real Keycloak 26 imports and what the development
 * identity provider serves: it must hold the CONTRACT's users, roles and clients, in
 * Keycloak's realm-export format.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_REALM_FILE, buildRealm, verifyPassword, type RealmRepresentation } from '../src/realm';
import { DEMO_USERS, REALM_ROLES } from '@anmulong/testkit';

interface Mapper {
  name: string;
  protocol: string;
  protocolMapper: string;
  config: Record<string, string>;
}
interface ClientRep {
  clientId: string;
  publicClient: boolean;
  secret?: string;
  directAccessGrantsEnabled: boolean;
  serviceAccountsEnabled: boolean;
  protocolMappers: Mapper[];
}
interface UserRep {
  id: string;
  username: string;
  enabled: boolean;
  email?: string;
  firstName?: string;
  lastName?: string;
  emailVerified?: boolean;
  realmRoles: string[];
  attributes: Record<string, string[]>;
  credentials: Array<{ type: string; secretData?: string; credentialData?: string; value?: string; temporary?: boolean }>;
  serviceAccountClientId?: string;
}

const raw = JSON.parse(readFileSync(DEFAULT_REALM_FILE, 'utf8')) as Omit<RealmRepresentation, 'users' | 'clients' | 'roles'> & {
  users: UserRep[];
  clients: ClientRep[];
  roles: { realm: Array<{ name: string }> };
  components: Record<string, Array<{ providerId: string; config: Record<string, string[]> }>>;
};

describe('keycloak/realm-otog.json', () => {
  it('is the enabled realm otog with every realm role', () => {
    expect(raw.realm).toBe('otog');
    expect(raw.enabled).toBe(true);
    expect(raw.roles.realm.map((r) => r.name).sort()).toEqual([...REALM_ROLES].sort());
  });

  it.each(DEMO_USERS)('has demo user $username with role $role, department $department, jurisdiction $jurisdiction', (demo) => {
    const user = raw.users.find((u) => u.username === demo.username);
    expect(user).toBeDefined();
    expect(user!.enabled).toBe(true);
    expect(user!.realmRoles).toEqual([demo.role]);
    expect(user!.attributes.jurisdiction).toEqual([demo.jurisdiction]);
    if (demo.department === null) expect(user!.attributes.department).toBeUndefined();
    else expect(user!.attributes.department).toEqual([demo.department]);
    // Keycloak 24+ user profile requires these for a login to be "fully set up".
    expect(user!.email).toMatch(/@/);
    expect(user!.firstName).toBeTruthy();
    expect(user!.lastName).toBeTruthy();
    expect(user!.emailVerified).toBe(true);
    expect(user!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('has no users beyond the demo users and the gateway service account', () => {
    const names = raw.users.map((u) => u.username).sort();
    expect(names).toEqual([...DEMO_USERS.map((u) => u.username), 'service-account-anmulong-gateway'].sort());
    const sa = raw.users.find((u) => u.serviceAccountClientId === 'anmulong-gateway');
    expect(sa?.username).toBe('service-account-anmulong-gateway');
    expect(sa?.credentials).toEqual([]);
  });

  it('stores passwords as Keycloak exports them (hashed), and they are "anmulong"', async () => {
    const realm = buildRealm(raw as unknown as RealmRepresentation);
    for (const demo of DEMO_USERS) {
      const rep = raw.users.find((u) => u.username === demo.username)!;
      expect(rep.credentials).toHaveLength(1);
      const [cred] = rep.credentials;
      expect(cred.type).toBe('password');
      expect(cred.value).toBeUndefined();
      const data = JSON.parse(cred.credentialData!) as { algorithm: string; hashIterations: number };
      expect(data.algorithm).toBe('pbkdf2-sha256');
      expect(data.hashIterations).toBeGreaterThanOrEqual(27500);
      expect(JSON.parse(cred.secretData!)).toEqual({ value: expect.any(String), salt: expect.any(String), additionalParameters: {} });
      const user = realm.users.get(demo.username)!;
      await expect(verifyPassword(user, 'anmulong')).resolves.toBe(true);
      await expect(verifyPassword(user, 'Anmulong')).resolves.toBe(false);
    }
  });

  it('has the public client anmulong-web with direct access grants', () => {
    const web = raw.clients.find((c) => c.clientId === 'anmulong-web')!;
    expect(web.publicClient).toBe(true);
    expect(web.directAccessGrantsEnabled).toBe(true);
    expect(web.serviceAccountsEnabled).toBe(false);
  });

  it('has the confidential client anmulong-gateway with a service account', () => {
    const gw = raw.clients.find((c) => c.clientId === 'anmulong-gateway')!;
    expect(gw.publicClient).toBe(false);
    expect(gw.secret).toBe('anmulong-gateway-secret');
    expect(gw.serviceAccountsEnabled).toBe(true);
    expect(gw.directAccessGrantsEnabled).toBe(false);
  });

  it.each(['anmulong-web', 'anmulong-gateway'])('client %s maps department, jurisdiction and the gateway audience into access tokens', (clientId) => {
    const client = raw.clients.find((c) => c.clientId === clientId)!;
    for (const attr of ['department', 'jurisdiction']) {
      const m = client.protocolMappers.find((p) => p.protocolMapper === 'oidc-usermodel-attribute-mapper' && p.config['user.attribute'] === attr);
      expect(m).toBeDefined();
      expect(m!.protocol).toBe('openid-connect');
      expect(m!.config['claim.name']).toBe(attr);
      expect(m!.config['access.token.claim']).toBe('true');
      expect(m!.config['jsonType.label']).toBe('String');
    }
    const aud = client.protocolMappers.find((p) => p.protocolMapper === 'oidc-audience-mapper');
    expect(aud?.config['included.client.audience']).toBe('anmulong-gateway');
    expect(aud?.config['access.token.claim']).toBe('true');
  });

  it('declares department and jurisdiction in the user profile (Keycloak 24+ drops undeclared attributes)', () => {
    const providers = raw.components['org.keycloak.userprofile.UserProfileProvider'];
    expect(providers).toHaveLength(1);
    expect(providers[0].providerId).toBe('declarative-user-profile');
    const profile = JSON.parse(providers[0].config['kc.user.profile.config'][0]) as {
      attributes: Array<{ name: string; permissions: { edit: string[] }; validations?: Record<string, Record<string, unknown>> }>;
    };
    const names = profile.attributes.map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['username', 'email', 'firstName', 'lastName', 'department', 'jurisdiction']));
    for (const name of ['department', 'jurisdiction']) {
      // Only administrators may change them: users cannot widen their own scope.
      expect(profile.attributes.find((a) => a.name === name)!.permissions.edit).toEqual(['admin']);
    }
    const pattern = new RegExp(String(profile.attributes.find((a) => a.name === 'jurisdiction')!.validations!.pattern.pattern));
    for (const demo of DEMO_USERS) expect(demo.jurisdiction).toMatch(pattern);
    const options = profile.attributes.find((a) => a.name === 'department')!.validations!.options.options as string[];
    for (const demo of DEMO_USERS) if (demo.department) expect(options).toContain(demo.department);
  });
});
