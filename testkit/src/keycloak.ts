/*
 * For tests against a real Keycloak (`npm run keycloak`, then `KEYCLOAK_TEST_URL=<its URL>`):
 * where it is, why a test is skipped without it, and the few admin REST calls the tests make
 * (as the bootstrap admin of the master realm).
 */

/** The real Keycloak to test against, or undefined (the Keycloak tests then skip). */
export const KEYCLOAK_TEST_URL = process.env.KEYCLOAK_TEST_URL?.replace(/\/+$/, '') || undefined;

/** Prints once per test file why its Keycloak part does not run. */
export function reportKeycloakSkipped(what: string): void {
  if (KEYCLOAK_TEST_URL) return;
  console.log(`${what}: skipped against a real Keycloak because KEYCLOAK_TEST_URL is not set (start one with \`npm run keycloak\`, then KEYCLOAK_TEST_URL=<printed URL>); .ci/run sets it.`);
}

const REALM = 'otog';

async function adminToken(url: string): Promise<string> {
  const res = await fetch(`${url}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: process.env.KC_BOOTSTRAP_ADMIN_USERNAME || 'admin',
      password: process.env.KC_BOOTSTRAP_ADMIN_PASSWORD || 'admin',
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!res.ok || !body.access_token) throw new Error(`Keycloak admin login failed (HTTP ${res.status})`);
  return body.access_token;
}

/** One call of Keycloak's admin REST API under `/admin/realms/otog`. */
export async function keycloakAdmin<T = unknown>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/admin/realms/${REALM}${path}`, {
    method,
    headers: { authorization: `Bearer ${await adminToken(url)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`Keycloak admin ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Enables or disables a user of the realm (as a department admin would in the console). */
export async function setKeycloakUserEnabled(url: string, username: string, enabled: boolean): Promise<void> {
  const [user] = await keycloakAdmin<{ id: string }[]>(url, 'GET', `/users?exact=true&username=${encodeURIComponent(username)}`);
  if (!user) throw new Error(`no user ${username} in Keycloak`);
  await keycloakAdmin(url, 'PUT', `/users/${user.id}`, { enabled });
}

/** The `kid` tokens are signed with now (the active RS256 key). */
export async function activeKeycloakKid(url: string): Promise<string> {
  const keys = await keycloakAdmin<{ active: Record<string, string> }>(url, 'GET', '/keys');
  return keys.active.RS256;
}

/**
 * Rotates the realm's signing key as an admin does: a new generated RS256 key with a higher
 * priority than every other, which Keycloak signs with from then on. Returns its `kid`.
 */
export async function rotateKeycloakSigningKey(url: string): Promise<string> {
  const before = await activeKeycloakKid(url);
  const realm = await keycloakAdmin<{ id: string }>(url, 'GET', '');
  const { keys } = await keycloakAdmin<{ keys: { providerPriority: number }[] }>(url, 'GET', '/keys');
  const priority = Math.max(100, ...keys.map((k) => k.providerPriority)) + 1;
  await keycloakAdmin(url, 'POST', '/components', {
    name: `rs256-rotated-${priority}`,
    providerId: 'rsa-generated',
    providerType: 'org.keycloak.keys.KeyProvider',
    parentId: realm.id,
    config: { priority: [String(priority)], algorithm: ['RS256'], keySize: ['2048'], active: ['true'], enabled: ['true'] },
  });
  const after = await activeKeycloakKid(url);
  if (after === before) throw new Error('Keycloak still signs with the old key after the rotation');
  return after;
}
