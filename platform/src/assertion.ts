/**
 * The gateway's assertion: the proof a subgraph asks for, beside the user's token, that a request
 * came through the gateway (which records every read of personal data in the access log).
 *
 * Per subgraph call the gateway signs a short-lived Ed25519 JWT (`EdDSA`): `iss`
 * `anmulong-gateway`, `aud` the subgraph's name, `sub` the user's subject, `iat`/`exp` seconds
 * apart, `jti` unique, `rid` the request id and `body_sha256` the sha256 (base64url) of the exact
 * body sent. It travels in `X-Gateway-Assertion`. Each subgraph verifies it (`jose`) with the gateway's
 * public key, fetched from the gateway's JWKS (`/.well-known/jwks.json`) on first use and again
 * when an assertion names a key it does not know: rotation is a new key file and a gateway
 * restart, with nothing to do on the subgraphs.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { importJWK, jwtVerify, errors as joseErrors, type JWK, type JWTHeaderParameters, type KeyLike } from 'jose';
import { SERVICE_PORTS } from './config';

export const ASSERTION_HEADER = 'x-gateway-assertion';
export const ASSERTION_ISSUER = 'anmulong-gateway';
/** Where the gateway publishes its public keys (JWK set), beside `/graphql`. */
export const JWKS_PATH = '/.well-known/jwks.json';
/** Seconds an assertion is valid: long enough for the call to arrive, too short to be worth stealing. */
export const ASSERTION_LIFETIME_S = 15;
/** Clock difference tolerated between the gateway and a subgraph. */
export const CLOCK_SKEW_S = 5;

/** The development key: generated at the first start, kept under `.data/gateway/`. */
export const DEV_ASSERTION_KEY_FILE = path.join('.data', 'gateway', 'assertion-ed25519.pem');

export interface AssertionKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public half as published in the JWKS. */
  jwk: JWK;
  file: string;
}

/**
 * Loads the gateway's signing key (PKCS#8 PEM, Ed25519) from `file`; with `create`, generates and
 * stores one (mode 0600) when there is none yet, as the identity provider does with its own.
 */
export function loadAssertionKey(file: string, create: boolean): AssertionKey {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw new Error(`cannot read the gateway assertion key ${file}: ${(e as Error).message}`);
    mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      // `wx`: if another process created the key meanwhile, use theirs.
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    pem = readFileSync(file, 'utf8');
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the gateway assertion key ${file} must be an Ed25519 key (it is ${privateKey.asymmetricKeyType})`);
  const publicKey = createPublicKey(privateKey);
  const { x } = publicKey.export({ format: 'jwk' }) as { x: string };
  // RFC 7638 thumbprint as the key id.
  const kid = createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url');
  return { kid, privateKey, publicKey, jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' }, file };
}

export const bodyHash = (body: string) => createHash('sha256').update(body).digest('base64url');

export interface AssertionClaims {
  /** The subgraph called (its name in SUBGRAPHS). */
  audience: string;
  /** The user's `sub`. */
  subject: string;
  requestId: string;
  /** The exact request body sent. */
  body: string;
}

/**
 * The gateway's side: one signature per subgraph call, on a key parsed once. Signed with
 * node:crypto directly (as the identity provider signs its tokens): the header is fixed and every
 * claim is ours, and jose's SignJWT costs about twice the Ed25519 signature itself (measured by
 * bench/assertion.ts). Subgraphs verify with jose, which parses what arrives from outside.
 */
export class AssertionSigner {
  private readonly header: string;

  constructor(readonly key: AssertionKey, private readonly lifetimeS = ASSERTION_LIFETIME_S) {
    this.header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: key.kid })).toString('base64url');
  }

  sign(c: AssertionClaims): string {
    const iat = Math.floor(Date.now() / 1000);
    const claims = {
      iss: ASSERTION_ISSUER, aud: c.audience, sub: c.subject, iat, exp: iat + this.lifetimeS,
      jti: randomUUID(), rid: c.requestId, body_sha256: bodyHash(c.body),
    };
    const input = `${this.header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${input}.${sign(null, Buffer.from(input), this.key.privateKey).toString('base64url')}`;
  }

  /** What the gateway serves at JWKS_PATH. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.key.jwk] };
  }
}

/** Where subgraphs fetch the gateway's keys: `GATEWAY_JWKS_URL`, else the gateway's CONTRACT port. */
export const defaultJwksUrl = () => process.env.GATEWAY_JWKS_URL || `http://localhost:${SERVICE_PORTS.gateway}${JWKS_PATH}`;

/** Why an assertion was refused; the subgraph answers 401 with this reason. */
export class AssertionRefused extends Error {}

export interface AssertionVerifierOptions {
  /** This subgraph's name: the audience assertions must carry. */
  audience: string;
  /** The gateway's JWKS; a function when it is known only after start (tests). */
  jwksUrl: string | (() => string);
  /** Least time between two JWKS fetches for unknown key ids; default 1 s. */
  refetchCooldownMs?: number;
  /** How long a key stays trusted after the JWKS stopped listing it (rolling restarts); default 10 min. */
  keyRetentionMs?: number;
  fetchTimeoutMs?: number;
}

interface TrustedKey {
  key: KeyLike | Uint8Array;
  /** When the JWKS last listed it. */
  listedAt: number;
}

/**
 * The subgraph's side. Keys are fetched lazily and kept parsed, so a verification is one Ed25519
 * check and a JSON parse; each assertion is accepted once (by `jti`, until it expires).
 */
export class AssertionVerifier {
  private keys = new Map<string, TrustedKey>();
  private fetching: Promise<void> | null = null;
  private lastFetchAt = 0;
  private lastFetchError: string | null = null;
  /** `jti` → `exp` (seconds) of the assertions accepted and not yet expired. */
  private used = new Map<string, number>();
  private lastSweep = 0;
  private readonly cooldownMs: number;
  private readonly retentionMs: number;

  constructor(private readonly opts: AssertionVerifierOptions) {
    this.cooldownMs = opts.refetchCooldownMs ?? 1000;
    this.retentionMs = opts.keyRetentionMs ?? 10 * 60_000;
  }

  /** Accepts the assertion for this user and this exact body, or throws AssertionRefused saying why. */
  async verify(token: string, expected: { subject: string; body: string }): Promise<void> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.keyFor(header), {
        issuer: ASSERTION_ISSUER,
        audience: this.opts.audience,
        algorithms: ['EdDSA'],
        clockTolerance: CLOCK_SKEW_S,
        maxTokenAge: ASSERTION_LIFETIME_S + CLOCK_SKEW_S,
        requiredClaims: ['iat', 'exp', 'sub', 'jti'],
      }));
    } catch (e) {
      throw new AssertionRefused(reasonOf(e, this.opts.audience));
    }
    if (payload.sub !== expected.subject) throw new AssertionRefused('the gateway assertion was issued for another user');
    if (typeof payload.body_sha256 !== 'string' || payload.body_sha256 !== bodyHash(expected.body)) {
      throw new AssertionRefused('the gateway assertion does not match the request body');
    }
    this.useOnce(String(payload.jti), payload.exp as number);
  }

  private useOnce(jti: string, exp: number): void {
    const now = Date.now();
    if (now - this.lastSweep > 1000) {
      this.lastSweep = now;
      const limit = now / 1000 - CLOCK_SKEW_S;
      for (const [id, e] of this.used) if (e < limit) this.used.delete(id);
    }
    if (this.used.has(jti)) throw new AssertionRefused('the gateway assertion has been used before');
    this.used.set(jti, exp);
  }

  private async keyFor(header: JWTHeaderParameters): Promise<KeyLike | Uint8Array> {
    if (header.alg !== 'EdDSA') throw new AssertionRefused('the gateway assertion must be signed with EdDSA');
    const kid = header.kid;
    if (typeof kid !== 'string' || kid === '') throw new AssertionRefused('the gateway assertion names no key');
    let known = this.keys.get(kid);
    if (!known && (Date.now() - this.lastFetchAt >= this.cooldownMs || this.fetching)) {
      await this.refresh();
      known = this.keys.get(kid);
    }
    if (!known) {
      throw new AssertionRefused(this.lastFetchError ? `the gateway's keys could not be fetched: ${this.lastFetchError}` : 'the gateway assertion is signed with an unknown key');
    }
    return known.key;
  }

  /** One JWKS fetch at a time; keys it lists are (re)trusted, keys unlisted for too long forgotten. */
  private refresh(): Promise<void> {
    this.fetching ??= (async () => {
      this.lastFetchAt = Date.now();
      try {
        const url = typeof this.opts.jwksUrl === 'function' ? this.opts.jwksUrl() : this.opts.jwksUrl;
        const res = await fetch(url, { signal: AbortSignal.timeout(this.opts.fetchTimeoutMs ?? 5000) });
        if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
        const body = (await res.json()) as { keys?: JWK[] };
        const now = Date.now();
        for (const jwk of body.keys ?? []) {
          if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.kid !== 'string') continue;
          const existing = this.keys.get(jwk.kid);
          this.keys.set(jwk.kid, { key: existing?.key ?? (await importJWK({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }, 'EdDSA')), listedAt: now });
        }
        for (const [kid, k] of this.keys) if (now - k.listedAt > this.retentionMs) this.keys.delete(kid);
        this.lastFetchError = null;
      } catch (e) {
        this.lastFetchError = (e as Error).message;
      }
    })().finally(() => (this.fetching = null));
    return this.fetching;
  }
}

function reasonOf(e: unknown, audience: string): string {
  if (e instanceof AssertionRefused) return e.message;
  if (e instanceof joseErrors.JWTExpired) return 'the gateway assertion has expired';
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === 'aud') return `the gateway assertion is meant for another subgraph, not ${audience}`;
    if (e.claim === 'iat') return 'the gateway assertion is too old or not valid yet';
    return `the gateway assertion has an invalid ${e.claim} claim`;
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return 'the gateway assertion has an invalid signature';
  return 'the gateway assertion is malformed';
}
