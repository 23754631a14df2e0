/**
 * The realm and its tokens, claim by claim, on our identity provider and (with
 * KEYCLOAK_TEST_URL) on a real Keycloak that imported the same `keycloak/realm-otog.json`:
 * every demo user's access token, the gateway's service token, refresh, a wrong password and a
 * disabled user. Both must meet the same expectations, and where both run, their tokens and
 * token responses must carry the same claims and fields. Keycloak is the reference: a
 * difference is fixed in our provider or in the realm file, never by loosening this test.
 * It disables a demo user in Keycloak for a moment: run it alone (.ci/run uses --runInBand).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_REALM_FILE, type RealmRepresentation } from '../src/realm';
import { startIdentityProvider, type IdentityProvider } from '../src/server';
import {
  authorizationUrl, Browserless, codeFor, decodeJwt, DEMO_USERS, exchangeCode, getJson, KEYCLOAK_TEST_URL, keycloakAdmin, loginFormAction,
  passwordGrant, pkcePair, postForm, reportKeycloakSkipped, setKeycloakUserEnabled, submitLogin, tempDir, tokenUrl, WEB_REDIRECT_URI,
} from '@anmulong/testkit';

type Json = Record<string, unknown>;

const realmFile = JSON.parse(readFileSync(DEFAULT_REALM_FILE, 'utf8')) as RealmRepresentation;
const userId = (username: string) => realmFile.users!.find((u) => u.username === username)!.id!;
const gatewayBasic = 'Basic ' + Buffer.from('anmulong-gateway:anmulong-gateway-secret').toString('base64');
/** The user the disabled-user case disables (and enables again). */
const DISABLED = 'analyst';

interface Provider {
  name: string;
  url: () => string;
  /** Runs `use` with `username` disabled, at a URL serving the realm. */
  withDisabledUser<T>(username: string, use: (url: string) => Promise<T>): Promise<T>;
}

const data = tempDir('contract');
let ours: IdentityProvider;

beforeAll(async () => {
  ours = await startIdentityProvider({ port: 0, dataDir: data.dir });
});
afterAll(async () => {
  await ours.close();
  data.remove();
});

const oursProvider: Provider = {
  name: 'our identity provider',
  url: () => ours.url,
  async withDisabledUser(username, use) {
    // The same realm file with the user switched off, as an admin would in Keycloak.
    const rep = JSON.parse(readFileSync(DEFAULT_REALM_FILE, 'utf8')) as RealmRepresentation;
    rep.users!.find((u) => u.username === username)!.enabled = false;
    const file = path.join(data.dir, 'realm-disabled.json');
    writeFileSync(file, JSON.stringify(rep));
    const other = await startIdentityProvider({ port: 0, dataDir: data.dir, realmFile: file });
    try {
      return await use(other.url);
    } finally {
      await other.close();
    }
  },
};

const keycloakProvider: Provider = {
  name: `Keycloak at ${KEYCLOAK_TEST_URL}`,
  url: () => KEYCLOAK_TEST_URL!,
  async withDisabledUser(username, use) {
    await setKeycloakUserEnabled(KEYCLOAK_TEST_URL!, username, false);
    try {
      return await use(KEYCLOAK_TEST_URL!);
    } finally {
      await setKeycloakUserEnabled(KEYCLOAK_TEST_URL!, username, true);
    }
  },
};

reportKeycloakSkipped('identity/test/keycloak-contract.test.ts');
const providers: Provider[] = KEYCLOAK_TEST_URL ? [oursProvider, keycloakProvider] : [oursProvider];

/** What the platform relies on in a token, with the issuer's base URL taken out. */
function profile(base: string, token: string) {
  const { header, claims } = decodeJwt(token);
  const roles = (claims.realm_access as { roles?: string[] } | undefined)?.roles;
  return {
    alg: header.alg,
    kid: typeof header.kid === 'string' && header.kid.length > 0,
    iss: String(claims.iss).replace(base, '<base>'),
    sub: claims.sub,
    aud: claims.aud,
    azp: claims.azp,
    typ: claims.typ,
    roles: roles ? [...roles].sort() : roles,
    department: claims.department,
    jurisdiction: claims.jurisdiction,
    preferred_username: claims.preferred_username,
    lifetime: Number(claims.exp) - Number(claims.iat),
    scope: String(claims.scope).split(' ').sort(),
  };
}

async function passwordToken(base: string, username: string): Promise<{ response: Json; claims: Json }> {
  const { status, body } = await passwordGrant(base, username);
  expect({ username, status, error: body.error }).toEqual({ username, status: 200, error: undefined });
  return { response: body, claims: decodeJwt(String(body.access_token)).claims };
}

async function serviceToken(base: string): Promise<{ response: Json; claims: Json }> {
  const { status, body } = await postForm(tokenUrl(base), { grant_type: 'client_credentials' }, { Authorization: gatewayBasic });
  expect(status).toBe(200);
  return { response: body, claims: decodeJwt(String(body.access_token)).claims };
}

describe.each(providers)('the realm on $name', (provider) => {
  it.each(DEMO_USERS)("gives $username the claims the platform relies on", async ({ username, role, department, jurisdiction }) => {
    const base = provider.url();
    const { response } = await passwordToken(base, username);
    expect(profile(base, String(response.access_token))).toEqual({
      alg: 'RS256',
      kid: true,
      iss: '<base>/realms/otog',
      sub: userId(username),
      aud: 'anmulong-gateway',
      azp: 'anmulong-web',
      typ: 'Bearer',
      roles: [role],
      department: department ?? undefined,
      jurisdiction,
      preferred_username: username,
      lifetime: 300,
      scope: ['email', 'profile'],
    });
  });

  it('signs with a key its JWKS publishes for signatures', async () => {
    const base = provider.url();
    const { response } = await passwordToken(base, 'judge');
    const { header } = decodeJwt(String(response.access_token));
    const jwks = await getJson<{ keys: Json[] }>(`${base}/realms/otog/protocol/openid-connect/certs`);
    expect(jwks.body.keys.filter((k) => k.use === 'sig' && k.alg === 'RS256').map((k) => k.kid)).toContain(header.kid);
  });

  it("gives the gateway's service account a token for the platform's own calls, without a refresh token", async () => {
    const base = provider.url();
    const { response } = await serviceToken(base);
    expect(profile(base, String(response.access_token))).toEqual({
      alg: 'RS256',
      kid: true,
      iss: '<base>/realms/otog',
      sub: userId('service-account-anmulong-gateway'),
      aud: 'anmulong-gateway',
      azp: 'anmulong-gateway',
      typ: 'Bearer',
      roles: undefined,
      department: undefined,
      jurisdiction: '150624',
      preferred_username: 'service-account-anmulong-gateway',
      lifetime: 300,
      scope: ['email', 'profile'],
    });
    expect(response.refresh_token).toBeUndefined();
  });

  it('refreshes a session: same user and session, fresh token', async () => {
    const base = provider.url();
    const first = await passwordToken(base, 'police.officer');
    const { status, body } = await postForm(tokenUrl(base), { grant_type: 'refresh_token', client_id: 'anmulong-web', refresh_token: String(first.response.refresh_token) });
    expect(status).toBe(200);
    const refreshed = decodeJwt(String(body.access_token)).claims;
    expect(profile(base, String(body.access_token))).toEqual(profile(base, String(first.response.access_token)));
    expect(refreshed.sid).toBe(first.claims.sid);
    expect(refreshed.jti).not.toBe(first.claims.jti);
    expect(typeof body.refresh_token).toBe('string');
  });

  it("refuses another client's refresh token", async () => {
    const base = provider.url();
    const first = await passwordToken(base, 'judge');
    const { status, body } = await postForm(tokenUrl(base), { grant_type: 'refresh_token', refresh_token: String(first.response.refresh_token) }, { Authorization: gatewayBasic });
    expect({ status, error: body.error }).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('refuses a wrong password (HTTP 400, as Keycloak 26 answers)', async () => {
    const { status, body } = await passwordGrant(provider.url(), 'judge', 'not-the-password');
    expect({ status, body }).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid user credentials' } });
  });

  it.each([
    ['an unknown user', { grant_type: 'password', client_id: 'anmulong-web', username: 'nobody.here', password: 'anmulong' }, 400, 'invalid_grant', 'Invalid user credentials'],
    ['the service account by password', { grant_type: 'password', client_id: 'anmulong-web', username: 'service-account-anmulong-gateway', password: 'x' }, 400, 'invalid_grant', 'Invalid user credentials'],
    ['an unknown client', { grant_type: 'password', client_id: 'nope', username: 'judge', password: 'anmulong' }, 401, 'invalid_client', 'Invalid client or Invalid client credentials'],
    ["a wrong gateway secret", { grant_type: 'client_credentials', client_id: 'anmulong-gateway', client_secret: 'guess' }, 401, 'unauthorized_client', 'Invalid client or Invalid client credentials'],
    ['client credentials for the public client', { grant_type: 'client_credentials', client_id: 'anmulong-web' }, 401, 'unauthorized_client', 'Public client not allowed to retrieve service account'],
    ['no grant type', { client_id: 'anmulong-web' }, 400, 'invalid_request', 'Missing form parameter: grant_type'],
    ['an unsupported grant type', { grant_type: 'implicit', client_id: 'anmulong-web' }, 400, 'unsupported_grant_type', 'Unsupported grant_type'],
    ['a garbage refresh token', { grant_type: 'refresh_token', client_id: 'anmulong-web', refresh_token: 'abc' }, 400, 'invalid_grant', 'Invalid refresh token'],
  ])('refuses %s', async (_what, form, status, error, description) => {
    const res = await postForm(tokenUrl(provider.url()), form as Record<string, string>);
    expect({ status: res.status, body: res.body }).toEqual({ status, body: { error, error_description: description } });
  });

  it('refuses a disabled user with the right password, and her refresh token', async () => {
    const before = await passwordToken(provider.url(), DISABLED);
    await provider.withDisabledUser(DISABLED, async (url) => {
      const login = await passwordGrant(url, DISABLED);
      expect({ status: login.status, body: login.body }).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Account disabled' } });
      if (url === provider.url()) {
        // Same server: the session she had before cannot be refreshed either.
        const refresh = await postForm(tokenUrl(url), { grant_type: 'refresh_token', client_id: 'anmulong-web', refresh_token: String(before.response.refresh_token) });
        expect({ status: refresh.status, error: refresh.body.error }).toEqual({ status: 400, error: 'invalid_grant' });
      }
    });
  });
});

/** A redirect's query or fragment parameters, the issuer's base URL taken out. */
function redirected(base: string, res: Response): { status: number; to: string; params: Record<string, string> } {
  const location = new URL(res.headers.get('location') ?? 'about:blank');
  const params = new URLSearchParams(location.hash ? location.hash.slice(1) : location.search);
  return { status: res.status, to: `${location.origin}${location.pathname}`, params: Object.fromEntries([...params].map(([k, v]) => [k, v.replace(base, '<base>')])) };
}

describe.each(providers)('browser login (authorization code + PKCE) over HTTP on $name', (provider) => {
  it("logs a user in through the form and exchanges the code with the PKCE verifier: the same claims as a direct login, plus auth_time and the nonce", async () => {
    const base = provider.url();
    const { verifier, challenge } = pkcePair();
    const { code, redirect } = await codeFor(base, 'caseworker', challenge, { nonce: 'nonce-1' });
    expect(`${redirect.origin}${redirect.pathname}`).toBe(WEB_REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe('st-1');
    expect(redirect.searchParams.get('iss')).toBe(`${base}/realms/otog`);
    const { status, body } = await exchangeCode(base, code, verifier);
    expect(status).toBe(200);
    const direct = await passwordGrant(base, 'caseworker', 'anmulong', { scope: 'openid' });
    expect(profile(base, String(body.access_token))).toEqual(profile(base, String(direct.body.access_token)));
    const access = decodeJwt(String(body.access_token)).claims;
    expect(Math.abs(Number(access.auth_time) - Date.now() / 1000)).toBeLessThan(60);
    expect(decodeJwt(String(body.id_token)).claims).toMatchObject({ typ: 'ID', aud: 'anmulong-web', nonce: 'nonce-1', sid: access.sid });
  });

  it.each([
    ['a wrong verifier', (v: string) => pkcePair().verifier, 'PKCE verification failed: Code mismatch'],
    ['no verifier', () => undefined, 'PKCE code verifier not specified'],
  ])('refuses a code exchanged with %s', async (_what, verifierFor, description) => {
    const base = provider.url();
    const { verifier, challenge } = pkcePair();
    const { code } = await codeFor(base, 'judge', challenge);
    const { status, body } = await exchangeCode(base, code, verifierFor(verifier));
    expect({ status, body }).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: description } });
  });

  it('refuses a code used twice, and one sent with another redirect URI', async () => {
    const base = provider.url();
    const { verifier, challenge } = pkcePair();
    const first = await codeFor(base, 'judge', challenge);
    expect((await exchangeCode(base, first.code, verifier)).status).toBe(200);
    expect((await exchangeCode(base, first.code, verifier)).body).toEqual({ error: 'invalid_grant', error_description: 'Code not valid' });
    const second = await codeFor(base, 'judge', challenge);
    expect((await exchangeCode(base, second.code, verifier, 'http://localhost:5173/other')).body).toEqual({ error: 'invalid_grant', error_description: 'Incorrect redirect_uri' });
  });

  it.each([
    ['without PKCE', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request', 'Missing parameter: code_challenge_method', false],
    ['with a PKCE method but no challenge', { code_challenge: undefined }, 'invalid_request', 'Missing parameter: code_challenge', false],
    ['with the plain PKCE method', { code_challenge_method: 'plain' }, 'invalid_request', 'Invalid parameter: code challenge method is not matching the configured one', false],
    ['for an implicit-flow token', { response_type: 'token' }, 'unauthorized_client', 'Client is not allowed to initiate browser login with given response_type. Implicit flow is disabled for the client.', true],
  ])('sends a login request %s back to the client with an error', async (_what, params, error, description, inFragment) => {
    const base = provider.url();
    const res = await new Browserless().request(authorizationUrl(base, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256', state: 's', ...params }));
    expect(redirected(base, res)).toEqual({ status: 302, to: WEB_REDIRECT_URI, params: { error, error_description: description, state: 's', iss: '<base>/realms/otog' } });
    expect(res.headers.get('location')!.includes('#')).toBe(inFragment);
  });

  it.each([
    ['an unregistered redirect URI', { redirect_uri: 'https://evil.example/cb' }, 'Invalid parameter: redirect_uri'],
    ['an unknown client', { client_id: 'nope' }, 'Client not found.'],
  ])('never redirects a login request with %s: an error page instead', async (_what, params, message) => {
    const res = await new Browserless().request(authorizationUrl(provider.url(), { code_challenge: pkcePair().challenge, code_challenge_method: 'S256', ...params }));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain(message);
  });

  it('shows the form again after a wrong password, with the error under the username', async () => {
    const browser = new Browserless();
    const page = await browser.request(authorizationUrl(provider.url(), { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }));
    const wrong = await submitLogin(browser, loginFormAction(await page.text()), 'judge', 'not-the-password');
    expect(wrong.status).toBe(200);
    expect(wrong.html).toMatch(/id="input-error-username"[^]*Invalid username or password\./);
    expect(() => loginFormAction(wrong.html)).not.toThrow();
  });

  it('keeps the session (a second login needs no password); logout with id_token_hint ends it and its refresh token', async () => {
    const base = provider.url();
    const { verifier, challenge } = pkcePair();
    const { code, browser } = await codeFor(base, 'organizer', challenge);
    const tokens = (await exchangeCode(base, code, verifier)).body;
    const again = await browser.request(authorizationUrl(base, { code_challenge: challenge, code_challenge_method: 'S256', state: 's2' }));
    expect(redirected(base, again).params.code).toEqual(expect.any(String));

    const logout = await browser.request(`${base}/realms/otog/protocol/openid-connect/logout?${new URLSearchParams({ id_token_hint: String(tokens.id_token), post_logout_redirect_uri: 'http://localhost:5173/bye', state: 'x' })}`);
    expect([logout.status, logout.headers.get('location')]).toEqual([302, 'http://localhost:5173/bye?state=x']);
    const refresh = await postForm(tokenUrl(base), { grant_type: 'refresh_token', client_id: 'anmulong-web', refresh_token: String(tokens.refresh_token) });
    expect({ status: refresh.status, body: refresh.body }).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Session not active' } });
    const form = await browser.request(authorizationUrl(base, { code_challenge: challenge, code_challenge_method: 'S256' }));
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(() => loginFormAction(formHtml)).not.toThrow();
  });

  it('asks before logging out without an id_token_hint, and refuses a post-logout redirect it cannot check', async () => {
    const base = provider.url();
    const confirm = await new Browserless().request(`${base}/realms/otog/protocol/openid-connect/logout`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toMatch(/Do you want to log out[^]*id="kc-logout"/);
    const unchecked = await new Browserless().request(`${base}/realms/otog/protocol/openid-connect/logout?post_logout_redirect_uri=https://evil.example/`);
    expect([unchecked.status, unchecked.headers.get('location')]).toEqual([400, null]);
    expect(await unchecked.text()).toContain('Missing parameters: id_token_hint');
  });
});

/** Claims and response fields both must carry alike (their values differ per login). */
const claimNames = (claims: Json) => Object.keys(claims).sort();
const scopes = (scope: unknown) => String(scope).split(' ').sort();

(KEYCLOAK_TEST_URL ? describe : describe.skip)('our identity provider against Keycloak', () => {
  it("imported the realm as a Keycloak admin sees it: department and jurisdiction declared in the user profile (so they are kept), the basic scope on both clients", async () => {
    const profileConfig = await keycloakAdmin<{ attributes: { name: string; group?: string }[] }>(KEYCLOAK_TEST_URL!, 'GET', '/users/profile');
    expect(profileConfig.attributes.filter((a) => a.group === 'anmulong').map((a) => a.name)).toEqual(['department', 'jurisdiction']);
    for (const clientId of ['anmulong-web', 'anmulong-gateway']) {
      const [client] = await keycloakAdmin<{ id: string }[]>(KEYCLOAK_TEST_URL!, 'GET', `/clients?clientId=${clientId}`);
      const defaults = await keycloakAdmin<{ name: string }[]>(KEYCLOAK_TEST_URL!, 'GET', `/clients/${client.id}/default-client-scopes`);
      expect({ clientId, basic: defaults.some((d) => d.name === 'basic') }).toEqual({ clientId, basic: true });
    }
  });

  it.each([
    ['a jurisdiction that is not a division code', { department: ['police'], jurisdiction: ['12345'] }, 'jurisdiction'],
    ['a department that does not exist', { department: ['fire'], jurisdiction: ['150624'] }, 'department'],
  ])("refuses a user with %s (the user profile's validation, as in the admin console)", async (_what, attributes, field) => {
    const user = { username: `contract.${field}`, enabled: true, email: `contract.${field}@otog.example`, firstName: 'Contract', lastName: 'Check', attributes };
    await expect(keycloakAdmin(KEYCLOAK_TEST_URL!, 'POST', '/users', user)).rejects.toThrow(new RegExp(`HTTP 400 .*"field":"${field}"`));
  });
  it('issues the same claims and fields for a browser login', async () => {
    const logins = await Promise.all(
      [ours.url, KEYCLOAK_TEST_URL!].map(async (base) => {
        const { verifier, challenge } = pkcePair();
        const { code } = await codeFor(base, 'gridworker', challenge, { nonce: 'n' });
        return (await exchangeCode(base, code, verifier)).body;
      }),
    );
    expect(claimNames(logins[0])).toEqual(claimNames(logins[1]));
    for (const token of ['access_token', 'id_token']) {
      const [a, b] = logins.map((l) => decodeJwt(String(l[token])).claims);
      expect({ token, claims: claimNames(a) }).toEqual({ token, claims: claimNames(b) });
    }
    expect(scopes(logins[0].scope)).toEqual(scopes(logins[1].scope));
  });

  it.each(DEMO_USERS)("issues $username's access token, ID token and token response with Keycloak's claims and fields", async ({ username }) => {
    const [a, b] = await Promise.all([ours.url, KEYCLOAK_TEST_URL!].map((base) => passwordGrant(base, username, 'anmulong', { scope: 'openid' })));
    expect(claimNames(a.body)).toEqual(claimNames(b.body));
    const [oursAccess, kcAccess] = [a, b].map((r) => decodeJwt(String(r.body.access_token)));
    expect(claimNames(oursAccess.claims)).toEqual(claimNames(kcAccess.claims));
    expect(claimNames(oursAccess.header)).toEqual(claimNames(kcAccess.header));
    // The same values where they do not depend on the login itself.
    for (const name of ['sub', 'aud', 'azp', 'typ', 'realm_access', 'department', 'jurisdiction', 'preferred_username', 'name', 'given_name', 'family_name', 'email', 'email_verified', 'acr']) {
      expect({ name, value: oursAccess.claims[name] }).toEqual({ name, value: kcAccess.claims[name] });
    }
    // Sets: Keycloak's order is its hash set's, and differs from one import to the next.
    expect(scopes(oursAccess.claims.scope)).toEqual(scopes(kcAccess.claims.scope));
    expect([...(oursAccess.claims['allowed-origins'] as string[])].sort()).toEqual([...(kcAccess.claims['allowed-origins'] as string[])].sort());
    const [oursId, kcId] = [a, b].map((r) => decodeJwt(String(r.body.id_token)).claims);
    expect(claimNames(oursId)).toEqual(claimNames(kcId));
    expect([scopes(a.body.scope), a.body.token_type]).toEqual([scopes(b.body.scope), b.body.token_type]);
    // The same lifetime. Keycloak's expires_in is exp minus the clock when it answers, so it reads
    // one less when the answer crosses a second after the token was signed (CI saw 299 once).
    const lifetime = (t: { claims: Record<string, unknown> }) => Number(t.claims.exp) - Number(t.claims.iat);
    expect(lifetime(oursAccess)).toBe(lifetime(kcAccess));
    expect(a.body.expires_in).toBe(lifetime(oursAccess));
    expect(lifetime(kcAccess) - Number(b.body.expires_in)).toBeGreaterThanOrEqual(0);
    expect(lifetime(kcAccess) - Number(b.body.expires_in)).toBeLessThanOrEqual(1);
  });

  it("issues the gateway's service token with Keycloak's claims and fields", async () => {
    const [a, b] = await Promise.all([ours.url, KEYCLOAK_TEST_URL!].map((base) => serviceToken(base)));
    expect(claimNames(a.response)).toEqual(claimNames(b.response));
    expect(claimNames(a.claims)).toEqual(claimNames(b.claims));
    for (const name of ['sub', 'aud', 'azp', 'typ', 'realm_access', 'jurisdiction', 'preferred_username', 'client_id', 'email_verified']) {
      expect({ name, value: a.claims[name] }).toEqual({ name, value: b.claims[name] });
    }
    expect(scopes(a.claims.scope)).toEqual(scopes(b.claims.scope));
  });

  it('refreshes with the same response fields and access-token claims', async () => {
    const refreshed = await Promise.all(
      [ours.url, KEYCLOAK_TEST_URL!].map(async (base) => {
        const { response } = await passwordToken(base, 'mediator');
        return postForm(tokenUrl(base), { grant_type: 'refresh_token', client_id: 'anmulong-web', refresh_token: String(response.refresh_token) });
      }),
    );
    expect(claimNames(refreshed[0].body)).toEqual(claimNames(refreshed[1].body));
    const [a, b] = refreshed.map((r) => decodeJwt(String(r.body.access_token)).claims);
    expect(claimNames(a)).toEqual(claimNames(b));
    // Refresh tokens are opaque to clients (Keycloak's are HS512 with internal claims); only
    // what identifies the session is compared.
    const [ra, rb] = refreshed.map((r) => decodeJwt(String(r.body.refresh_token)).claims);
    expect([ra.typ, ra.azp, typeof ra.sid]).toEqual([rb.typ, rb.azp, typeof rb.sid]);
  });
});
