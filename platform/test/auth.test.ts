/**
 * The authentication module against the development identity provider over real HTTP
 * (ephemeral port, temporary data directory). Forged tokens are signed with the provider's
 * own key, read from its data directory, so each test breaks exactly one property.
 */
import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { GraphQLError } from 'graphql';
import { type IdentityProvider, loadOrCreateSigningKey, type SigningKey, startIdentityProvider } from '@anmulong/identity';
import { DEMO_USERS, decodeJwt, passwordGrant, postForm, tempDir, tokenUrl } from '@anmulong/testkit';
import { createAuthenticator, type CachingAuthenticator, type Principal } from '../src/auth';
import { fetchToken } from '../src/tokens';

let idp: IdentityProvider;
let key: SigningKey;
let auth: CachingAuthenticator;
const data = tempDir('auth');

beforeAll(async () => {
  idp = await startIdentityProvider({ port: 0, dataDir: data.dir });
  key = await loadOrCreateSigningKey(data.dir);
  auth = createAuthenticator({ keycloakUrl: idp.url });
});
afterAll(async () => {
  await idp.close();
  data.remove();
});
afterEach(() => {
  jest.restoreAllMocks();
});

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    exp: now() + 300,
    iat: now(),
    jti: randomUUID(),
    iss: `${idp.url}/realms/otog`,
    aud: 'anmulong-gateway',
    sub: randomUUID(),
    typ: 'Bearer',
    azp: 'anmulong-web',
    preferred_username: 'forged',
    realm_access: { roles: ['platform-admin'] },
    jurisdiction: '150624',
    ...overrides,
  };
}

/** An RS256 token with the given claims, signed by `signer` (default: the realm's own key). */
function forge(claims: Record<string, unknown>, opts: { signer?: KeyObject; header?: Record<string, unknown> } = {}): string {
  const header = { alg: 'RS256', typ: 'JWT', kid: key.kid, ...opts.header };
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), opts.signer ?? key.privateKey).toString('base64url')}`;
}

async function rejection(authorization: string | undefined, authenticator = auth): Promise<GraphQLError> {
  try {
    await authenticator.authenticate(authorization);
  } catch (e) {
    expect(e).toBeInstanceOf(GraphQLError);
    const err = e as GraphQLError;
    expect(err.extensions.code).toBe('UNAUTHENTICATED');
    expect(err.extensions.http).toEqual({ status: 401 });
    return err;
  }
  throw new Error('expected the token to be rejected');
}

describe('valid tokens', () => {
  it.each(DEMO_USERS)('turns $username\'s token into their principal', async (demo) => {
    const token = await fetchToken(idp.url, demo.username);
    const p = await auth.authenticate(`Bearer ${token}`);
    const claims = decodeJwt(token).claims;
    expect(p).toEqual<Principal>({
      subject: String(claims.sub),
      username: demo.username,
      roles: [demo.role],
      department: demo.department,
      jurisdiction: demo.jurisdiction,
      expiresAt: Number(claims.exp),
      token,
    });
  });

  it('accepts the scheme in any case', async () => {
    const token = await fetchToken(idp.url, 'judge');
    await expect(auth.authenticate(`bearer ${token}`)).resolves.toMatchObject({ username: 'judge' });
  });

  it('accepts the gateway service account\'s client_credentials token (no roles)', async () => {
    const basic = 'Basic ' + Buffer.from('anmulong-gateway:anmulong-gateway-secret').toString('base64');
    const { body } = await postForm(tokenUrl(idp.url), { grant_type: 'client_credentials' }, { Authorization: basic });
    const p = await auth.authenticate(`Bearer ${String(body.access_token)}`);
    expect(p).toMatchObject({ username: 'service-account-anmulong-gateway', roles: [], department: null, jurisdiction: '150624' });
  });

  it('returns a frozen principal, so one request cannot change another\'s', async () => {
    const p = await auth.authenticate(`Bearer ${await fetchToken(idp.url, 'mediator')}`);
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.roles)).toBe(true);
  });

  it('verifies with a configured realm public key instead of the JWKS', async () => {
    const info = (await (await fetch(`${idp.url}/realms/otog`)).json()) as { public_key: string };
    const offline = createAuthenticator({ keycloakUrl: idp.url, realmPublicKey: info.public_key });
    const token = await fetchToken(idp.url, 'organizer');
    await expect(offline.authenticate(`Bearer ${token}`)).resolves.toMatchObject({ username: 'organizer', department: 'party-building' });
    const [h, p] = token.split('.');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = `${h}.${p}.${sign('RSA-SHA256', Buffer.from(`${h}.${p}`), other).toString('base64url')}`;
    await rejection(`Bearer ${forged}`, offline);
  });
});

describe('rejected with UNAUTHENTICATED', () => {
  it('a missing or empty Authorization header', async () => {
    await rejection(undefined);
    await rejection('');
    await rejection('   ');
  });

  it('malformed headers and tokens', async () => {
    for (const header of ['Bearer', 'Bearer ', 'Basic YWRtaW46YW5tdWxvbmc=', 'Token abc', 'Bearer abc', 'Bearer a.b', 'Bearer a.b.c', 'Bearer a.b.c.d', 'Bearer two tokens']) {
      await rejection(header);
    }
    const token = await fetchToken(idp.url, 'judge');
    await rejection(`Bearer ${token}!`);
    await rejection(`Bearer ${'x'.repeat(20_000)}.${'y'.repeat(10)}.${'z'.repeat(10)}`);
  });

  it('an expired token', async () => {
    const err = await rejection(`Bearer ${forge(validClaims({ exp: now() - 10, iat: now() - 310 }))}`);
    expect(err.message).toMatch(/expired/);
  });

  it('a token without an expiry', async () => {
    const claims = validClaims();
    delete claims.exp;
    await rejection(`Bearer ${forge(claims)}`);
  });

  it('a token whose payload was changed after signing', async () => {
    const token = await fetchToken(idp.url, 'police.officer');
    const [h, , s] = token.split('.');
    const widened = { ...decodeJwt(token).claims, jurisdiction: '150624', realm_access: { roles: ['platform-admin'] } };
    const err = await rejection(`Bearer ${h}.${b64(widened)}.${s}`);
    expect(err.message).toBe('Invalid bearer token');
  });

  it('a token whose signature was altered', async () => {
    const token = await fetchToken(idp.url, 'police.officer');
    const [h, p, s] = token.split('.');
    const bytes = Buffer.from(s, 'base64url');
    bytes[10] ^= 0xff;
    await rejection(`Bearer ${h}.${p}.${bytes.toString('base64url')}`);
  });

  it('a token signed by another key under the realm key\'s kid', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await rejection(`Bearer ${forge(validClaims(), { signer: other })}`);
  });

  it('a token naming an unknown key', async () => {
    const err = await rejection(`Bearer ${forge(validClaims(), { header: { kid: 'some-other-key' } })}`);
    expect(err.message).toMatch(/unknown key/);
  });

  it('alg: none, with or without a signature', async () => {
    const claims = validClaims();
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}`;
    await rejection(`Bearer ${unsigned}.`);
    await rejection(`Bearer ${unsigned}`);
    await rejection(`Bearer ${unsigned}.AAAA`);
    // A real signature, but the header claims none.
    const real = forge(claims).split('.')[2];
    const err = await rejection(`Bearer ${b64({ alg: 'none', kid: key.kid })}.${b64(claims)}.${real}`);
    expect(err.message).toMatch(/RS256/);
  });

  it('HS256 signed with the public key (algorithm confusion)', async () => {
    const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64(validClaims())}`;
    const mac = createHmac('sha256', key.publicKey.export({ type: 'spki', format: 'pem' })).update(input).digest('base64url');
    await rejection(`Bearer ${input}.${mac}`);
  });

  it('a token from another issuer, even signed by the realm key', async () => {
    const err = await rejection(`Bearer ${forge(validClaims({ iss: 'http://evil.example/realms/otog' }))}`);
    expect(err.message).toMatch(/issuer/);
    await rejection(`Bearer ${forge(validClaims({ iss: `${idp.url}/realms/master` }))}`);
  });

  it('a real token when the service expects another issuer URL', async () => {
    const elsewhere = createAuthenticator({ keycloakUrl: 'http://keycloak.internal:8080' });
    await rejection(`Bearer ${await fetchToken(idp.url, 'judge')}`, elsewhere);
  });

  it('a token for another audience', async () => {
    const err = await rejection(`Bearer ${forge(validClaims({ aud: 'account' }))}`);
    expect(err.message).toMatch(/not meant for this service/);
    await rejection(`Bearer ${forge(validClaims({ aud: ['account', 'anmulong-web'] }))}`);
    const claims = validClaims();
    delete claims.aud;
    await rejection(`Bearer ${forge(claims)}`);
  });

  it('a real token when the service is another resource', async () => {
    const other = createAuthenticator({ keycloakUrl: idp.url, resource: 'some-other-api' });
    await rejection(`Bearer ${await fetchToken(idp.url, 'judge')}`, other);
  });

  it('refresh and ID tokens used as access tokens', async () => {
    const { body } = await passwordGrant(idp.url, 'judge', 'anmulong', { scope: 'openid' });
    await rejection(`Bearer ${String(body.refresh_token)}`);
    await rejection(`Bearer ${String(body.id_token)}`);
    await rejection(`Bearer ${forge(validClaims({ typ: 'ID' }))}`);
  });

  it('a validly signed token without a usable jurisdiction', async () => {
    const claims = validClaims();
    delete claims.jurisdiction;
    await rejection(`Bearer ${forge(claims)}`);
    await rejection(`Bearer ${forge(validClaims({ jurisdiction: '' }))}`);
    await rejection(`Bearer ${forge(validClaims({ jurisdiction: '1506' }))}`);
    await rejection(`Bearer ${forge(validClaims({ jurisdiction: ['150624'] }))}`);
  });

  it('every token when the identity provider cannot be reached for its keys', async () => {
    const down = createAuthenticator({ keycloakUrl: 'http://127.0.0.1:1', keyFetchTimeoutMs: 2000 });
    const claims = validClaims({ iss: 'http://127.0.0.1:1/realms/otog' });
    const started = Date.now();
    const err = await rejection(`Bearer ${forge(claims)}`, down);
    expect(err.message).toMatch(/signing keys unavailable|unknown key/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('every token, after a bounded wait, when the key endpoint hangs', async () => {
    const hanging = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    try {
      const slow = createAuthenticator({ keycloakUrl: url, keyFetchTimeoutMs: 300 });
      const started = Date.now();
      const err = await rejection(`Bearer ${forge(validClaims({ iss: `${url}/realms/otog` }))}`, slow);
      expect(err.message).toMatch(/signing keys unavailable/);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });
});

describe('the verified-token cache', () => {
  it('answers a repeated token from the cache', async () => {
    const fresh = createAuthenticator({ keycloakUrl: idp.url });
    const header = `Bearer ${await fetchToken(idp.url, 'analyst')}`;
    const first = await fresh.authenticate(header);
    expect(fresh.cacheSize).toBe(1);
    const again = await fresh.authenticate(header);
    expect(again).toBe(first);
    expect(fresh.cacheSize).toBe(1);
  });

  it('verifies concurrent first requests with one token once', async () => {
    const fresh = createAuthenticator({ keycloakUrl: idp.url });
    const header = `Bearer ${await fetchToken(idp.url, 'analyst')}`;
    const all = await Promise.all(Array.from({ length: 20 }, () => fresh.authenticate(header)));
    expect(new Set(all).size).toBe(1);
  });

  it('does not accept a cached token once it has expired', async () => {
    const fresh = createAuthenticator({ keycloakUrl: idp.url });
    const token = await fetchToken(idp.url, 'police.officer');
    const header = `Bearer ${token}`;
    const p = await fresh.authenticate(header);
    expect(fresh.cacheSize).toBe(1);

    const realNow = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => p.expiresAt * 1000 + 1);
    const err = await rejection(header, fresh);
    expect(err.message).toMatch(/expired/);
    expect(fresh.cacheSize).toBe(0);
    // And not by the verifier either, once evicted.
    await rejection(header, fresh);
    jest.spyOn(Date, 'now').mockImplementation(realNow);
  });

  it('does not cache rejected tokens', async () => {
    const fresh = createAuthenticator({ keycloakUrl: idp.url });
    await rejection(`Bearer ${forge(validClaims({ aud: 'account' }))}`, fresh);
    expect(fresh.cacheSize).toBe(0);
  });

  it('stays within its bound, dropping the least recently used token', async () => {
    const small = createAuthenticator({ keycloakUrl: idp.url, cacheSize: 3 });
    const headers = await Promise.all(['judge', 'mediator', 'auditor', 'analyst'].map(async (u) => `Bearer ${await fetchToken(idp.url, u)}`));
    const first = await small.authenticate(headers[0]);
    for (const h of headers.slice(1)) await small.authenticate(h);
    expect(small.cacheSize).toBe(3);
    // The first token was evicted; it still verifies, into a new principal.
    const again = await small.authenticate(headers[0]);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    expect(small.cacheSize).toBe(3);
  });

  it('makes cached authentication cheap', async () => {
    const header = `Bearer ${await fetchToken(idp.url, 'judge')}`;
    await auth.authenticate(header);
    const started = process.hrtime.bigint();
    for (let i = 0; i < 10_000; i++) await auth.authenticate(header);
    const perCallMicros = Number(process.hrtime.bigint() - started) / 1000 / 10_000;
    expect(perCallMicros).toBeLessThan(200);
  });
});

describe('signing key rotation', () => {
  it('fetches the JWKS again for a new key id, and then refuses the old key', async () => {
    const first = tempDir('auth-rotate-1');
    const second = tempDir('auth-rotate-2');
    let rotating = await startIdentityProvider({ port: 0, dataDir: first.dir });
    const port = rotating.port;
    try {
      const authenticator = createAuthenticator({ keycloakUrl: rotating.url });
      const before = await fetchToken(rotating.url, 'judge');
      await expect(authenticator.authenticate(`Bearer ${before}`)).resolves.toMatchObject({ username: 'judge' });
      await rotating.close();

      // Same URL, new key (a realm key rotation).
      rotating = await startIdentityProvider({ port, dataDir: second.dir });
      const after = await fetchToken(rotating.url, 'judge');
      expect(decodeJwt(after).header.kid).not.toBe(decodeJwt(before).header.kid);
      // Within keycloak-connect's 10 s between JWKS fetches the new key is not looked up ...
      const soon = await rejection(`Bearer ${after}`, authenticator);
      expect(soon.message).toMatch(/unknown key/);
      // ... after it, it is. Only Date is faked; timers and I/O run normally.
      jest.useFakeTimers({
        now: Date.now() + 11_000,
        doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
      });
      try {
        await expect(authenticator.authenticate(`Bearer ${after}`)).resolves.toMatchObject({ username: 'judge' });
        // The old token was cached while its key was valid; a new authenticator refuses it.
        const fresh = createAuthenticator({ keycloakUrl: rotating.url });
        await rejection(`Bearer ${before}`, fresh);
      } finally {
        jest.useRealTimers();
      }
    } finally {
      await rotating.close();
      first.remove();
      second.remove();
    }
  });
});

describe('fetchToken', () => {
  it('reports a failed login with the server\'s reason', async () => {
    await expect(fetchToken(idp.url, 'judge', 'wrong')).rejects.toThrow(/HTTP 400.*invalid_grant/);
  });

  it('tolerates a trailing slash on the Keycloak URL', async () => {
    await expect(fetchToken(`${idp.url}/`, 'judge')).resolves.toMatch(/^ey/);
  });
});

describe('keycloak-connect stays behind this module', () => {
  it('is imported by platform/src/auth.ts and no other source file', () => {
    const root = path.resolve(__dirname, '..', '..');
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name.startsWith('.') || name === 'dist' || name === 'coverage') continue;
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.(ts|js|mjs|cjs|tsx)$/.test(name) && !name.endsWith('.test.ts')) {
          if (/(from\s+|require\(\s*|import\(\s*)['"]keycloak-connect['"/]/.test(readFileSync(full, 'utf8'))) found.push(path.relative(root, full));
        }
      }
    };
    walk(root);
    expect(found).toEqual([path.join('platform', 'src', 'auth.ts')]);
  });
});
