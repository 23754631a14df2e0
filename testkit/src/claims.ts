/**
 * A JWT's claims, decoded without verifying it: tests and benchmarks read what a token says
 * (its subject, its jurisdiction); the services under test do the verifying.
 */
export const decodeClaims = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.replace(/^Bearer\s+/i, '').split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
