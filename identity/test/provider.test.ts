/**
 * The development identity provider over real HTTP on an ephemeral port, with a temporary
 * data directory: Keycloak's paths, grants, error bodies and token shapes.
 */
import { createPublicKey, verify } from 'node:crypto';
import { statSync } from 'node:fs';
import { keyFile } from '../src/keys';
import { startIdentityProvider, type IdentityProvider } from '../src/server';
import { DEMO_USERS, decodeJwt, getJson, passwordGrant, postForm, tempDir, tokenUrl } from '@anmulong/testkit';

type Json = Record<string, unknown>;

let idp: IdentityProvider;
const data = tempDir('identity');

beforeAll(async () => {
  idp = await startIdentityProvider({ port: 0, dataDir: data.dir });
});
afterAll(async () => {
  await idp.close();
  data.remove();
});

const realmUrl = () => `${idp.url}/realms/otog`;
const gatewayBasic = 'Basic ' + Buffer.from('anmulong-gateway:anmulong-gateway-secret').toString('base64');

describe('discovery, keys and health', () => {
  it('listens on an ephemeral port on 127.0.0.1 and reports its Keycloak base URL', () => {
    expect(idp.port).toBeGreaterThan(0);
    expect(idp.url).toBe(`http://127.0.0.1:${idp.port}`);
    expect(idp.issuer).toBe(`${idp.url}/realms/otog`);
  });

  it('serves the OpenID discovery document at Keycloak\'s path', async () => {
    const { status, body } = await getJson(`${realmUrl()}/.well-known/openid-configuration`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      issuer: realmUrl(),
      token_endpoint: `${realmUrl()}/protocol/openid-connect/token`,
      userinfo_endpoint: `${realmUrl()}/protocol/openid-connect/userinfo`,
      jwks_uri: `${realmUrl()}/protocol/openid-connect/certs`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(body.grant_types_supported).toEqual(expect.arrayContaining(['password', 'client_credentials', 'refresh_token']));
  });

  it('serves a JWKS with one RS256 signing key, and the realm info with the same public key', async () => {
    const jwks = await getJson<{ keys: Json[] }>(`${realmUrl()}/protocol/openid-connect/certs`);
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toHaveLength(1);
    const [jwk] = jwks.body.keys;
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String), n: expect.any(String), e: 'AQAB' });
    expect(jwk).not.toHaveProperty('d');

    const info = await getJson(realmUrl());
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ realm: 'otog', 'token-service': `${realmUrl()}/protocol/openid-connect`, 'tokens-not-before': 0 });
    const fromRealm = createPublicKey({ key: Buffer.from(String(info.body.public_key), 'base64'), format: 'der', type: 'spki' });
    const fromJwks = createPublicKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
    expect(fromRealm.equals(fromJwks)).toBe(true);
  });

  it('keeps the private key under the data directory, readable by the owner only', () => {
    const mode = statSync(keyFile(data.dir)).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('answers /health with 200 JSON', async () => {
    const { status, body } = await getJson(`${idp.url}/health`);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
  });

  it('answers an unknown realm with 404 as Keycloak does', async () => {
    const { status, body } = await getJson(`${idp.url}/realms/master/.well-known/openid-configuration`);
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'Realm does not exist' });
  });
});

describe('password grant', () => {
  it.each(DEMO_USERS)('issues $username a Keycloak-shaped access token with exactly the CONTRACT claims', async (demo) => {
    const { status, body, headers } = await passwordGrant(idp.url, demo.username);
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300, refresh_expires_in: 1800, 'not-before-policy': 0, scope: 'profile email' });
    expect(typeof body.refresh_token).toBe('string');
    expect(body.id_token).toBeUndefined();

    const { header, claims } = decodeJwt(String(body.access_token));
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });
    expect(claims).toMatchObject({
      iss: realmUrl(),
      aud: 'anmulong-gateway',
      azp: 'anmulong-web',
      typ: 'Bearer',
      preferred_username: demo.username,
      realm_access: { roles: [demo.role] },
      jurisdiction: demo.jurisdiction,
      sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      jti: expect.any(String),
      sid: expect.any(String),
    });
    if (demo.department === null) expect(claims).not.toHaveProperty('department');
    else expect(claims.department).toBe(demo.department);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(300);
    expect(Math.abs(Number(claims.iat) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('signs tokens with the key the JWKS publishes', async () => {
    const { body } = await passwordGrant(idp.url, 'judge');
    const token = String(body.access_token);
    const jwks = await getJson<{ keys: Json[] }>(`${realmUrl()}/protocol/openid-connect/certs`);
    const jwk = jwks.body.keys[0];
    expect(decodeJwt(token).header.kid).toBe(jwk.kid);
    const [h, p, s] = token.split('.');
    const key = createPublicKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
    expect(verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).toBe(true);
  });

  it('gives the same subject on every login, and a fresh jti', async () => {
    const a = decodeJwt(String((await passwordGrant(idp.url, 'mediator')).body.access_token)).claims;
    const b = decodeJwt(String((await passwordGrant(idp.url, 'Mediator')).body.access_token)).claims;
    expect(a.sub).toBe(b.sub);
    expect(a.jti).not.toBe(b.jti);
  });

  it('adds an ID token when scope=openid is asked for', async () => {
    const { body } = await passwordGrant(idp.url, 'analyst', 'anmulong', { scope: 'openid' });
    expect(body.scope).toBe('openid profile email');
    const { claims } = decodeJwt(String(body.id_token));
    expect(claims).toMatchObject({ typ: 'ID', aud: 'anmulong-web', preferred_username: 'analyst', jurisdiction: '150624' });
  });

  it('refuses a wrong password with 400 invalid_grant, Keycloak 26\'s answer', async () => {
    const { status, body } = await passwordGrant(idp.url, 'police.officer', 'wrong');
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'invalid_grant', error_description: 'Invalid user credentials' });
  });

  it('refuses an unknown user exactly like a wrong password', async () => {
    const { status, body } = await passwordGrant(idp.url, 'nobody', 'anmulong');
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'invalid_grant', error_description: 'Invalid user credentials' });
  });

  it('refuses a password login as the service account', async () => {
    const { status } = await passwordGrant(idp.url, 'service-account-anmulong-gateway', '');
    expect(status).toBe(400);
  });

  it('refuses an unknown client with 401 invalid_client', async () => {
    const { status, body } = await postForm(tokenUrl(idp.url), { grant_type: 'password', client_id: 'nope', username: 'judge', password: 'anmulong' });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('refuses the password grant to the gateway client (direct access grants off)', async () => {
    const { status, body } = await postForm(
      tokenUrl(idp.url),
      { grant_type: 'password', username: 'judge', password: 'anmulong' },
      { Authorization: gatewayBasic },
    );
    expect(status).toBe(400);
    expect(body.error).toBe('unauthorized_client');
  });

  it('answers a missing or unknown grant type with Keycloak\'s errors', async () => {
    const missing = await postForm(tokenUrl(idp.url), { client_id: 'anmulong-web' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
    const unknown = await postForm(tokenUrl(idp.url), { grant_type: 'implicit', client_id: 'anmulong-web' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('unsupported_grant_type');
  });

  it('honours tokenLifetimeSeconds', async () => {
    const dir = tempDir('identity-lifetime');
    const short = await startIdentityProvider({ port: 0, dataDir: dir.dir, tokenLifetimeSeconds: 60 });
    try {
      const { body } = await passwordGrant(short.url, 'judge');
      expect(body.expires_in).toBe(60);
      const { claims } = decodeJwt(String(body.access_token));
      expect(Number(claims.exp) - Number(claims.iat)).toBe(60);
    } finally {
      await short.close();
      dir.remove();
    }
  });
});

describe('client_credentials grant', () => {
  it('issues the gateway\'s service account a token (HTTP Basic client authentication)', async () => {
    const { status, body } = await postForm(tokenUrl(idp.url), { grant_type: 'client_credentials' }, { Authorization: gatewayBasic });
    expect(status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
    expect(body.refresh_expires_in).toBe(0);
    const { claims } = decodeJwt(String(body.access_token));
    expect(claims).toMatchObject({
      iss: realmUrl(),
      aud: 'anmulong-gateway',
      azp: 'anmulong-gateway',
      typ: 'Bearer',
      preferred_username: 'service-account-anmulong-gateway',
      jurisdiction: '150624',
    });
    // Keycloak 26 keeps no session for this grant, and adds `client_id` only through the
    // `service_account` scope, which the realm's clients do not have.
    expect(claims).not.toHaveProperty('sid');
    expect(claims).not.toHaveProperty('client_id');
    expect(claims).not.toHaveProperty('realm_access');
    expect(claims).not.toHaveProperty('department');
  });

  it('accepts client_secret in the form too', async () => {
    const { status } = await postForm(tokenUrl(idp.url), {
      grant_type: 'client_credentials', client_id: 'anmulong-gateway', client_secret: 'anmulong-gateway-secret',
    });
    expect(status).toBe(200);
  });

  it('refuses a wrong client secret with 401', async () => {
    const { status, body } = await postForm(tokenUrl(idp.url), {
      grant_type: 'client_credentials', client_id: 'anmulong-gateway', client_secret: 'guess',
    });
    expect(status).toBe(401);
    expect(body.error_description).toBe('Invalid client or Invalid client credentials');
  });

  it('refuses it to the public client', async () => {
    const { status, body } = await postForm(tokenUrl(idp.url), { grant_type: 'client_credentials', client_id: 'anmulong-web' });
    expect(status).toBe(401);
    expect(body.error).toBe('unauthorized_client');
  });
});

describe('refresh_token grant', () => {
  it('issues fresh tokens for the same session', async () => {
    const first = await passwordGrant(idp.url, 'caseworker');
    const refreshed = await postForm(tokenUrl(idp.url), {
      grant_type: 'refresh_token', client_id: 'anmulong-web', refresh_token: String(first.body.refresh_token),
    });
    expect(refreshed.status).toBe(200);
    const a = decodeJwt(String(first.body.access_token)).claims;
    const b = decodeJwt(String(refreshed.body.access_token)).claims;
    expect(b).toMatchObject({ sub: a.sub, sid: a.sid, preferred_username: 'caseworker', department: 'civil-affairs', jurisdiction: '150624102' });
    expect(b.jti).not.toBe(a.jti);
    expect(typeof refreshed.body.refresh_token).toBe('string');
  });

  it('refuses a refresh token presented by another client', async () => {
    const first = await passwordGrant(idp.url, 'caseworker');
    const { status, body } = await postForm(
      tokenUrl(idp.url),
      { grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) },
      { Authorization: gatewayBasic },
    );
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });

  it('refuses an access token or garbage as a refresh token', async () => {
    const first = await passwordGrant(idp.url, 'caseworker');
    for (const refresh of [String(first.body.access_token), 'not-a-token', `${String(first.body.refresh_token)}x`]) {
      const { status, body } = await postForm(tokenUrl(idp.url), { grant_type: 'refresh_token', client_id: 'anmulong-web', refresh_token: refresh });
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_grant');
    }
  });
});

describe('userinfo', () => {
  it('returns the user\'s claims for a valid access token', async () => {
    const { body: tokens } = await passwordGrant(idp.url, 'gridworker');
    const { status, body } = await getJson(`${realmUrl()}/protocol/openid-connect/userinfo`, { Authorization: `Bearer ${String(tokens.access_token)}` });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      sub: decodeJwt(String(tokens.access_token)).claims.sub,
      preferred_username: 'gridworker',
      department: 'registry',
      jurisdiction: '150624100001001',
    });
  });

  it('answers a missing or invalid token with 401 invalid_token', async () => {
    const none = await getJson(`${realmUrl()}/protocol/openid-connect/userinfo`);
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('invalid_token');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const bad = await getJson(`${realmUrl()}/protocol/openid-connect/userinfo`, { Authorization: 'Bearer a.b.c' });
    expect(bad.status).toBe(401);
  });
});

describe('restarts and configuration', () => {
  it('keeps its signing key across a restart, so earlier tokens still verify', async () => {
    const dir = tempDir('identity-restart');
    const issuerUrl = 'http://identity.test:8080';
    const first = await startIdentityProvider({ port: 0, dataDir: dir.dir, issuerUrl });
    let refreshToken: string;
    let kid: unknown;
    try {
      const { body } = await passwordGrant(`http://127.0.0.1:${first.port}`, 'judge');
      refreshToken = String(body.refresh_token);
      kid = decodeJwt(String(body.access_token)).header.kid;
      expect(decodeJwt(String(body.access_token)).claims.iss).toBe(`${issuerUrl}/realms/otog`);
    } finally {
      await first.close();
    }
    const second = await startIdentityProvider({ port: 0, dataDir: dir.dir, issuerUrl });
    try {
      expect(second.port).not.toBe(first.port);
      const jwks = await getJson<{ keys: Json[] }>(`http://127.0.0.1:${second.port}/realms/otog/protocol/openid-connect/certs`);
      expect(jwks.body.keys.map((k) => k.kid)).toEqual([kid]);
      const refreshed = await postForm(tokenUrl(`http://127.0.0.1:${second.port}`), {
        grant_type: 'refresh_token', client_id: 'anmulong-web', refresh_token: refreshToken,
      });
      expect(refreshed.status).toBe(200);
    } finally {
      await second.close();
      dir.remove();
    }
  });

  it('generates a different key in a different data directory', async () => {
    const dir = tempDir('identity-other');
    const other = await startIdentityProvider({ port: 0, dataDir: dir.dir });
    try {
      const mine = await getJson<{ keys: Json[] }>(`${realmUrl()}/protocol/openid-connect/certs`);
      const theirs = await getJson<{ keys: Json[] }>(`${other.url}/realms/otog/protocol/openid-connect/certs`);
      expect(theirs.body.keys[0].kid).not.toBe(mine.body.keys[0].kid);
    } finally {
      await other.close();
      dir.remove();
    }
  });

  it('takes the public base URL from IDENTITY_ISSUER_URL', async () => {
    const dir = tempDir('identity-env');
    process.env.IDENTITY_ISSUER_URL = 'http://identity:8080/';
    let proxied: IdentityProvider | undefined;
    try {
      proxied = await startIdentityProvider({ port: 0, dataDir: dir.dir });
      expect(proxied.url).toBe('http://identity:8080');
      const { body } = await getJson(`http://127.0.0.1:${proxied.port}/realms/otog/.well-known/openid-configuration`);
      expect(body.issuer).toBe('http://identity:8080/realms/otog');
      const token = await passwordGrant(`http://127.0.0.1:${proxied.port}`, 'auditor');
      expect(decodeJwt(String(token.body.access_token)).claims.iss).toBe('http://identity:8080/realms/otog');
    } finally {
      delete process.env.IDENTITY_ISSUER_URL;
      await proxied?.close();
      dir.remove();
    }
  });

  it('fails to start on a port already in use', async () => {
    const dir = tempDir('identity-busy');
    try {
      await expect(startIdentityProvider({ port: idp.port, dataDir: dir.dir })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      dir.remove();
    }
  });
});
