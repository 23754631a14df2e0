/**
 * The realm's RS256 signing key: generated at first start and kept under the data directory,
 * so tokens issued before a restart still verify after it. Also the small JWT helpers the
 * provider needs (Node's crypto only).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, KeyObject, sign, verify } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

export const KEY_FILE_NAME = 'realm-otog-rs256.pem';

export interface Jwk {
  kid: string;
  kty: 'RSA';
  alg: 'RS256';
  use: 'sig';
  n: string;
  e: string;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: Jwk;
  /** Base64 DER (SubjectPublicKeyInfo) without PEM armour, as Keycloak's realm `public_key`. */
  publicKeyBase64: string;
  /** Where the private key is kept. */
  file: string;
}

export const keyFile = (dataDir: string) => path.join(dataDir, KEY_FILE_NAME);

/**
 * Loads the realm key from `file` (default: in `dataDir`), or, with `create`, generates and stores
 * one (mode 0600) on first start.
 */
export async function loadOrCreateSigningKey(dataDir: string, file = keyFile(dataDir), create = true): Promise<SigningKey> {
  let pem: string;
  try {
    pem = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw e;
    await fs.mkdir(path.dirname(file), { recursive: true });
    const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
    const fresh = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      // `wx`: if another process created the key meanwhile, use theirs.
      await fs.writeFile(file, fresh, { mode: 0o600, flag: 'wx' });
      pem = fresh;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      pem = await fs.readFile(file, 'utf8');
    }
  }
  return signingKeyFromPem(pem, file);
}

export function signingKeyFromPem(pem: string, file = ''): SigningKey {
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  // RFC 7638 thumbprint as the key id.
  const kid = createHash('sha256').update(JSON.stringify({ e, kty: 'RSA', n })).digest('base64url');
  return {
    kid,
    privateKey,
    publicKey,
    jwk: { kid, kty: 'RSA', alg: 'RS256', use: 'sig', n, e },
    publicKeyBase64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    file,
  };
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Signs a JWT with RS256 and the key's `kid`, header shaped like Keycloak's. */
export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const signingInput = `${b64url({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${b64url(claims)}`;
  const signature = sign('RSA-SHA256', Buffer.from(signingInput), key.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

/**
 * Verifies a JWT this provider issued: RS256 only, our `kid`, a valid signature, not expired.
 * Returns its claims, or null.
 */
export function verifyOwnJwt(key: SigningKey, token: string, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Record<string, unknown>;
    if (header.alg !== 'RS256' || header.kid !== key.kid) return null;
    const ok = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key.publicKey, Buffer.from(parts[2], 'base64url'));
    if (!ok) return null;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return null;
    return claims;
  } catch {
    return null;
  }
}
