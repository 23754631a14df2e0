import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { AssertionRefused, AssertionSigner, AssertionVerifier, ASSERTION_ISSUER, bodyHash, JWKS_PATH, loadAssertionKey } from '../src/assertion';

/*
 * The gateway's assertion (platform/src/assertion.ts) on its own: real Ed25519 keys on disk, a
 * real HTTP server publishing the JWK set as the gateway does, the subgraph's verifier fetching it.
 */

let dir: string;
let server: http.Server;
let jwksUrl: string;
/** What the stand-in gateway publishes now, and how often it was asked. */
let published: AssertionSigner[] = [];
let fetches = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'anmulong-assertion-'));
  server = http.createServer((req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: published.flatMap((s) => s.jwks().keys) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${JWKS_PATH}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const signerAt = (name: string) => new AssertionSigner(loadAssertionKey(path.join(dir, name), true));
const BODY = '{"query":"{ resident(id: \\"1\\") { name { zh } } }"}';
const claims = (over: Partial<{ audience: string; subject: string; body: string }> = {}) => ({ audience: 'registry', subject: 'user-1', requestId: 'req-1', body: BODY, ...over });
const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: Error) => (e instanceof AssertionRefused ? e.message : `unexpected: ${e.message}`));

describe('the gateway key', () => {
  it('is generated once (Ed25519, mode 0600) and the same key is loaded again, with a stable key id', () => {
    const file = path.join(dir, 'gen', 'key.pem');
    const a = loadAssertionKey(file, true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const b = loadAssertionKey(file, true);
    expect(b.kid).toBe(a.kid);
    expect(a.jwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: a.kid, alg: 'EdDSA', use: 'sig' });
    expect(readFileSync(file, 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
  });

  it('is never generated where creating is not allowed (production), and must be Ed25519', () => {
    expect(() => loadAssertionKey(path.join(dir, 'absent.pem'), false)).toThrow(/cannot read the gateway assertion key/);
    const rsa = path.join(dir, 'rsa.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadAssertionKey(rsa, false)).toThrow(/must be an Ed25519 key/);
  });
});

describe('verifying an assertion', () => {
  const gateway = () => signerAt('gateway.pem');
  const verifier = (audience = 'registry') => new AssertionVerifier({ audience, jwksUrl });
  beforeEach(() => {
    published = [gateway()];
  });

  it('accepts the gateway’s assertion for this subgraph, this user and this exact body, once', async () => {
    const v = verifier();
    const token = await gateway().sign(claims());
    await expect(v.verify(token, { subject: 'user-1', body: BODY })).resolves.toBeUndefined();
    expect(await refusal(v.verify(token, { subject: 'user-1', body: BODY }))).toBe('the gateway assertion has been used before');
  });

  it('carries issuer, audience, subject, request id, body hash, a unique id and seconds of validity', async () => {
    const token = await gateway().sign(claims());
    const [h, p] = token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url').toString()));
    expect(h).toEqual({ alg: 'EdDSA', kid: gateway().key.kid });
    expect(p).toMatchObject({ iss: ASSERTION_ISSUER, aud: 'registry', sub: 'user-1', rid: 'req-1', body_sha256: bodyHash(BODY), jti: expect.any(String) });
    expect(p.exp - p.iat).toBe(15);
  });

  it('refuses one meant for another subgraph (replayed there)', async () => {
    const token = await gateway().sign(claims({ audience: 'police' }));
    expect(await refusal(verifier().verify(token, { subject: 'user-1', body: BODY }))).toBe('the gateway assertion is meant for another subgraph, not registry');
  });

  it('refuses one for another body, or another user', async () => {
    const token = await gateway().sign(claims());
    expect(await refusal(verifier().verify(token, { subject: 'user-1', body: BODY.replace('1', '2') }))).toBe('the gateway assertion does not match the request body');
    const other = await gateway().sign(claims());
    expect(await refusal(verifier().verify(other, { subject: 'user-2', body: BODY }))).toBe('the gateway assertion was issued for another user');
  });

  it('refuses an expired one, and one issued long ago whatever its exp says', async () => {
    const key = gateway().key;
    const now = Math.floor(Date.now() / 1000);
    const make = (iat: number, exp: number) =>
      new SignJWT({ body_sha256: bodyHash(BODY) }).setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).setIssuer(ASSERTION_ISSUER).setAudience('registry')
        .setSubject('user-1').setIssuedAt(iat).setExpirationTime(exp).setJti(`j-${iat}-${exp}`).sign(key.privateKey);
    expect(await refusal(verifier().verify(await make(now - 30, now - 10), { subject: 'user-1', body: BODY }))).toBe('the gateway assertion has expired');
    expect(await refusal(verifier().verify(await make(now - 600, now + 600), { subject: 'user-1', body: BODY }))).toBe('the gateway assertion has expired');
    // Within the clock skew: accepted.
    await expect(verifier().verify(await make(now - 17, now - 2), { subject: 'user-1', body: BODY })).resolves.toBeUndefined();
  });

  it('refuses a forged one: another key under the gateway’s key id, a tampered payload, alg none', async () => {
    const real = gateway();
    const forger = new AssertionSigner({ ...signerAt('forger.pem').key, kid: real.key.kid });
    expect(await refusal(verifier().verify(await forger.sign(claims()), { subject: 'user-1', body: BODY }))).toBe('the gateway assertion has an invalid signature');

    const [h, p, s] = (await real.sign(claims())).split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'user-2' })).toString('base64url')}.${s}`;
    expect(await refusal(verifier().verify(tampered, { subject: 'user-2', body: BODY }))).toBe('the gateway assertion has an invalid signature');

    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: real.key.kid })).toString('base64url')}.${p}.`;
    expect(await refusal(verifier().verify(none, { subject: 'user-1', body: BODY }))).not.toBe('accepted');
    expect(await refusal(verifier().verify('not-a-jwt', { subject: 'user-1', body: BODY }))).toBe('the gateway assertion is malformed');
  });

  it('refuses one signed with a key the gateway does not publish', async () => {
    const stranger = signerAt('stranger.pem');
    expect(await refusal(verifier().verify(await stranger.sign(claims()), { subject: 'user-1', body: BODY }))).toBe('the gateway assertion is signed with an unknown key');
  });

  it('says so when the gateway’s keys cannot be fetched', async () => {
    const v = new AssertionVerifier({ audience: 'registry', jwksUrl: 'http://127.0.0.1:1/.well-known/jwks.json' });
    expect(await refusal(v.verify(await gateway().sign(claims()), { subject: 'user-1', body: BODY }))).toMatch(/^the gateway's keys could not be fetched/);
  });
});

describe('key rotation', () => {
  it('a new gateway key is learnt from the JWKS the first time an assertion names it; the old one stays trusted for the retention time, then is forgotten', async () => {
    const old = signerAt('rotation-old.pem');
    const next = signerAt('rotation-new.pem');
    published = [old];
    const v = new AssertionVerifier({ audience: 'registry', jwksUrl, refetchCooldownMs: 0, keyRetentionMs: 300 });
    await v.verify(await old.sign(claims()), { subject: 'user-1', body: BODY });

    // Rotated: the gateway now publishes (and signs with) the new key only.
    published = [next];
    const before = fetches;
    await v.verify(await next.sign(claims()), { subject: 'user-1', body: BODY });
    expect(fetches).toBe(before + 1);
    // A gateway replica not yet restarted still signs with the old key: accepted meanwhile.
    await v.verify(await old.sign(claims()), { subject: 'user-1', body: BODY });

    await new Promise((r) => setTimeout(r, 400));
    // The next fetch (any unknown kid triggers one) drops keys unlisted for longer than the retention.
    await refusal(v.verify(await signerAt('rotation-other.pem').sign(claims()), { subject: 'user-1', body: BODY }));
    expect(await refusal(v.verify(await old.sign(claims()), { subject: 'user-1', body: BODY }))).toBe('the gateway assertion is signed with an unknown key');
    await v.verify(await next.sign(claims()), { subject: 'user-1', body: BODY });
  });

  it('unknown key ids cost at most one JWKS fetch per cooldown, however many arrive', async () => {
    published = [signerAt('cooldown.pem')];
    const v = new AssertionVerifier({ audience: 'registry', jwksUrl, refetchCooldownMs: 60_000 });
    const stranger = signerAt('cooldown-stranger.pem');
    const before = fetches;
    const results = await Promise.all(Array.from({ length: 20 }, async () => refusal(v.verify(await stranger.sign(claims()), { subject: 'user-1', body: BODY }))));
    expect(new Set(results)).toEqual(new Set(['the gateway assertion is signed with an unknown key']));
    expect(fetches - before).toBe(1);
  });
});
