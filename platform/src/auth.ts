/**
 * Authentication: bearer token → Principal.
 *
 * The only file that imports `keycloak-connect` (deprecated upstream; replacing it, e.g. with
 * `jose`, touches this file only). Bearer-only and offline: the signature is checked against
 * the realm's JWKS (fetched from `<keycloakUrl>/realms/<realm>/protocol/openid-connect/certs`
 * and kept) or a configured realm public key; `iss` must equal `<keycloakUrl>/realms/<realm>`;
 * the audience must include the resource (`anmulong-gateway`); RS256 only; expired tokens are
 * refused. Verified tokens are cached until their `exp` so the gateway and every subgraph do
 * the RSA work once per token, not once per request.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import Keycloak from 'keycloak-connect';
import { unauthenticated } from './errors';

export interface Principal {
  /** `sub`: the user's id in the realm. */
  subject: string;
  /** `preferred_username`. */
  username: string;
  /** `realm_access.roles`. */
  roles: string[];
  /** The `department` claim; null for users outside any department (admin, analyst, auditor). */
  department: string | null;
  /** The `jurisdiction` claim: a division code; the principal's scope covers codes starting with it. */
  jurisdiction: string;
  /** `exp`, epoch seconds. */
  expiresAt: number;
  /** The raw access token, to forward to subgraphs. */
  token: string;
}

export interface Authenticator {
  /** Resolves the principal of an `Authorization` header value; throws `unauthenticated()` otherwise. */
  authenticate(authorization: string | undefined): Promise<Principal>;
}

export interface AuthenticatorOptions {
  /** Keycloak base URL (without `/realms/...`), e.g. `http://localhost:8080`. */
  keycloakUrl: string;
  /** Default `otog`. */
  realm?: string;
  /** The audience tokens must carry; default `anmulong-gateway`. */
  resource?: string;
  /**
   * The realm's public key (base64 SubjectPublicKeyInfo, as in Keycloak's realm `public_key`),
   * to verify without fetching the JWKS. Optional.
   */
  realmPublicKey?: string;
  /** Verified tokens kept in memory; default 10,000. */
  cacheSize?: number;
  /** Give up fetching signing keys after this long; default 5,000 ms. */
  keyFetchTimeoutMs?: number;
}

export interface CachingAuthenticator extends Authenticator {
  /** Tokens currently cached. */
  readonly cacheSize: number;
  clearCache(): void;
}

/** The `keycloak-connect` internals we rely on (its typings do not declare them). */
interface KeycloakToken {
  content: Record<string, unknown>;
}
interface KeycloakRotation {
  jwks: Array<{ kid?: string }>;
  lastTimeRequesTime: number;
  minTimeBetweenJwksRequests: number;
  /** Resolves the PEM of a key, fetching the JWKS when the kid is unknown; may return undefined. */
  getJWK(kid: string): Promise<string | KeyObject> | undefined;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
const JURISDICTION = /^[0-9]{6}(?:[0-9]{3}){0,3}$/;
const MAX_TOKEN_LENGTH = 16 * 1024;

class Rejected extends Error {}

function decodeSegment(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new Rejected('Malformed bearer token');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Rejected('Malformed bearer token');
  return value as Record<string, unknown>;
}

const isExpired = (exp: number) => exp * 1000 <= Date.now();

export function createAuthenticator(opts: AuthenticatorOptions): CachingAuthenticator {
  const realm = opts.realm ?? 'otog';
  const resource = opts.resource ?? 'anmulong-gateway';
  const serverUrl = opts.keycloakUrl.replace(/\/+$/, '');
  const issuer = `${serverUrl}/realms/${realm}`;
  const maxEntries = Math.max(1, opts.cacheSize ?? 10_000);
  const keyFetchTimeoutMs = opts.keyFetchTimeoutMs ?? 5_000;

  const keycloakConfig: Record<string, unknown> = {
    realm,
    'auth-server-url': serverUrl,
    resource,
    'bearer-only': true,
    'verify-token-audience': true,
    'ssl-required': 'external',
    'confidential-port': 0,
    'min-time-between-jwks-requests': 10,
  };
  if (opts.realmPublicKey) keycloakConfig['realm-public-key'] = opts.realmPublicKey.replace(/-----[^-]+-----|\s+/g, '');
  const keycloak = new Keycloak({}, keycloakConfig as unknown as Keycloak.KeycloakConfig);
  const grantManager = keycloak.grantManager;
  const rotation = (grantManager as unknown as { rotation: KeycloakRotation }).rotation;

  // keycloak-connect converts the JWK to PEM (pure-JS ASN.1) and Node re-parses that PEM on
  // every verification, each costing several times the RSA check itself. Hand it a parsed
  // KeyObject per key id instead, kept while the JWKS still lists that key.
  const keyByKid = new Map<string, Promise<KeyObject>>();
  const getJWK = rotation.getJWK.bind(rotation);
  rotation.getJWK = (kid: string) => {
    const cached = keyByKid.get(kid);
    if (cached && rotation.jwks.some((k) => k.kid === kid)) return cached;
    keyByKid.delete(kid);
    const pem = getJWK(kid);
    if (!pem || typeof pem.then !== 'function') return pem;
    const parsed = pem.then((value) => (typeof value === 'string' ? createPublicKey(value) : value));
    parsed.catch(() => keyByKid.delete(kid));
    keyByKid.set(kid, parsed);
    return parsed;
  };
  if (opts.realmPublicKey) {
    const internals = grantManager as unknown as { publicKey: string | KeyObject };
    internals.publicKey = createPublicKey(internals.publicKey);
  }

  const cache = new Map<string, Principal>();
  const inFlight = new Map<string, Promise<Principal>>();
  /** While no signing key is known, one verification at a time fetches the JWKS. */
  let firstFetch: Promise<unknown> | null = null;

  /** Cheap checks first, so garbage never costs a key fetch or RSA work. */
  function precheck(token: string): { kid: unknown } {
    if (token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token)) throw new Rejected('Malformed bearer token');
    const [h, p] = token.split('.');
    const header = decodeSegment(h);
    if (header.alg !== 'RS256') throw new Rejected('Bearer token must be signed with RS256');
    const claims = decodeSegment(p);
    if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) throw new Rejected('Bearer token has no expiry');
    if (isExpired(claims.exp)) throw new Rejected('Bearer token has expired');
    if (typeof claims.nbf === 'number' && claims.nbf * 1000 > Date.now()) throw new Rejected('Bearer token is not valid yet');
    if (claims.typ !== 'Bearer') throw new Rejected('Not an access token');
    if (claims.iss !== issuer) throw new Rejected('Bearer token was issued by an unexpected issuer');
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(resource)) throw new Rejected('Bearer token is not meant for this service');
    if (!opts.realmPublicKey) {
      const kid = header.kid;
      if (typeof kid !== 'string' || kid === '') throw new Rejected('Bearer token names no signing key');
      // keycloak-connect refetches the JWKS for an unknown key at most every 10 s and logs
      // otherwise; refuse such tokens here instead.
      const known = rotation.jwks.some((k) => k.kid === kid);
      const mayFetch = Date.now() / 1000 > rotation.lastTimeRequesTime + rotation.minTimeBetweenJwksRequests;
      if (!known && !mayFetch) throw new Rejected('Bearer token is signed with an unknown key');
    }
    return { kid: header.kid };
  }

  function withTimeout<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Rejected('Could not verify the bearer token: signing keys unavailable')), keyFetchTimeoutMs);
      timer.unref();
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** keycloak-connect checks expiry, type, issuer, audience and the RS256 signature. */
  async function verifyWithKeycloak(token: string): Promise<Record<string, unknown>> {
    const validate = async () => {
      const grant = await grantManager.createGrant(JSON.stringify({ access_token: token }));
      return (grant.access_token as unknown as KeycloakToken).content;
    };
    if (!opts.realmPublicKey && rotation.jwks.length === 0) {
      if (firstFetch) {
        await firstFetch.catch(() => undefined);
      } else {
        const attempt = withTimeout(validate());
        firstFetch = attempt;
        try {
          return await attempt;
        } finally {
          firstFetch = null;
        }
      }
    }
    return withTimeout(validate());
  }

  function toPrincipal(token: string, claims: Record<string, unknown>): Principal {
    const { sub, preferred_username: username, department, jurisdiction, exp } = claims;
    if (typeof sub !== 'string' || sub === '') throw new Rejected('Bearer token has no subject');
    if (typeof username !== 'string' || username === '') throw new Rejected('Bearer token has no username');
    if (typeof jurisdiction !== 'string' || !JURISDICTION.test(jurisdiction)) throw new Rejected('Bearer token carries no valid jurisdiction');
    if (department !== undefined && department !== null && typeof department !== 'string') throw new Rejected('Bearer token has an invalid department');
    const realmAccess = claims.realm_access as { roles?: unknown } | undefined;
    const roles = Array.isArray(realmAccess?.roles) ? realmAccess.roles.filter((r): r is string => typeof r === 'string') : [];
    return Object.freeze({
      subject: sub,
      username,
      roles: Object.freeze(roles) as string[],
      department: typeof department === 'string' && department !== '' ? department : null,
      jurisdiction,
      expiresAt: exp as number,
      token,
    });
  }

  let lastSweep = 0;
  function remember(token: string, principal: Principal): void {
    if (cache.size >= maxEntries) {
      // Drop expired entries (at most once a second), then the least recently used.
      if (Date.now() - lastSweep > 1000) {
        lastSweep = Date.now();
        for (const [t, p] of cache) if (isExpired(p.expiresAt)) cache.delete(t);
      }
      while (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    }
    cache.set(token, principal);
  }

  async function verify(token: string): Promise<Principal> {
    const { kid } = precheck(token);
    let claims: Record<string, unknown>;
    try {
      claims = await verifyWithKeycloak(token);
    } catch (e) {
      if (e instanceof Rejected) throw e;
      const reason = e instanceof Error ? e.message : '';
      if (/expired/.test(reason)) throw new Rejected('Bearer token has expired');
      if (!opts.realmPublicKey && rotation.jwks.length > 0 && !rotation.jwks.some((k) => k.kid === kid)) {
        throw new Rejected('Bearer token is signed with an unknown key');
      }
      if (/public key|failed to load|JWK/i.test(reason) && !/signature/.test(reason)) {
        throw new Rejected('Could not verify the bearer token: signing keys unavailable');
      }
      throw new Rejected('Invalid bearer token');
    }
    const principal = toPrincipal(token, claims);
    if (isExpired(principal.expiresAt)) throw new Rejected('Bearer token has expired');
    remember(token, principal);
    return principal;
  }

  return {
    async authenticate(authorization: string | undefined): Promise<Principal> {
      if (authorization === undefined || authorization.trim() === '') throw unauthenticated();
      const match = BEARER.exec(authorization);
      if (!match) throw unauthenticated('Authorization must be a bearer token');
      const token = match[1];

      const cached = cache.get(token);
      if (cached) {
        if (!isExpired(cached.expiresAt)) {
          // Keep recently used tokens at the young end of the map.
          cache.delete(token);
          cache.set(token, cached);
          return cached;
        }
        cache.delete(token);
        throw unauthenticated('Bearer token has expired');
      }

      let pending = inFlight.get(token);
      if (!pending) {
        pending = verify(token).finally(() => inFlight.delete(token));
        inFlight.set(token, pending);
      }
      try {
        return await pending;
      } catch (e) {
        throw unauthenticated(e instanceof Rejected ? e.message : 'Invalid bearer token');
      }
    },
    get cacheSize() {
      return cache.size;
    },
    clearCache() {
      cache.clear();
    },
  };
}
