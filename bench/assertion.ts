/**
 * CPU per gateway assertion: signing (the gateway, once per subgraph call) and verifying (each
 * subgraph, once per request), as platform/src/assertion.ts does them, with a body the size of the
 * household view's largest subgraph call. `npx tsx bench/assertion.ts [--n 20000]`.
 *
 * Prints CPU microseconds per operation (process.cpuUsage, user + system), median of 5 rounds,
 * beside the raw node:crypto Ed25519 sign/verify, and jose's SignJWT for the same claims (why the
 * gateway signs with node:crypto directly).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID, sign, verify } from 'node:crypto';
import { AssertionSigner, AssertionVerifier, JWKS_PATH, loadAssertionKey } from '@anmulong/platform';

const n = Number(process.argv[process.argv.indexOf('--n') + 1]) || 20_000;
const ROUNDS = 5;

async function cpuPerOp(label: string, op: (i: number) => unknown | Promise<unknown>): Promise<number> {
  const results: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) await op(i);
    const used = process.cpuUsage(start);
    results.push((used.user + used.system) / n);
  }
  results.sort((a, b) => a - b);
  const median = results[Math.floor(ROUNDS / 2)];
  console.log(`${label.padEnd(46)} ${median.toFixed(1).padStart(7)} µs CPU/op  (rounds ${results.map((x) => x.toFixed(1)).join(', ')})`);
  return median;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-assertion-'));
  const signer = new AssertionSigner(loadAssertionKey(path.join(dir, 'key.pem'), true));
  const server = http.createServer((_req, res) => res.end(JSON.stringify(signer.jwks())));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const verifier = new AssertionVerifier({ audience: 'registry', jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}${JWKS_PATH}` });

  // About the size of the household view's `_entities` call to the registry (merged).
  const body = JSON.stringify({ query: `query($r:[_Any!]!){_entities(representations:$r){...on Household{id address members{id name{zh mn} relationToHead}}}}`, variables: { r: Array.from({ length: 8 }, (_, i) => ({ __typename: 'Resident', id: `65a1b2c3d4e5f6a7b8c9d0${String(i).padStart(2, '0')}` })) } });
  const claims = { audience: 'registry', subject: randomUUID(), requestId: randomUUID(), body };
  console.log(`gateway assertion, ${n} operations per round, body ${body.length} bytes, Node ${process.version}`);

  const { SignJWT } = await import('jose');
  const joseSign = await cpuPerOp('for comparison: the same with jose SignJWT', () => {
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT({ rid: claims.requestId, body_sha256: 'x'.repeat(43) }).setProtectedHeader({ alg: 'EdDSA', kid: signer.key.kid }).setIssuer('anmulong-gateway')
      .setAudience(claims.audience).setSubject(claims.subject).setIssuedAt(iat).setExpirationTime(iat + 15).setJti(randomUUID()).sign(signer.key.privateKey);
  });
  const sign1 = await cpuPerOp('sign (EdDSA JWT by node:crypto, body sha256)', () => signer.sign(claims));
  // Fresh assertions to verify (each is accepted once), signed outside the measured loop.
  const tokens: string[] = [];
  for (let i = 0; i < n * ROUNDS; i++) tokens.push(await signer.sign(claims));
  let next = 0;
  await verifier.verify(await signer.sign(claims), { subject: claims.subject, body }); // fetches the JWKS once
  const verify1 = await cpuPerOp('verify (jose jwtVerify + body hash + one use)', () => verifier.verify(tokens[next++], { subject: claims.subject, body }));

  const data = Buffer.from(tokens[0].split('.').slice(0, 2).join('.'));
  const sig = sign(null, data, signer.key.privateKey);
  const raw1 = await cpuPerOp('reference: node:crypto Ed25519 sign alone', () => sign(null, data, signer.key.privateKey));
  const raw2 = await cpuPerOp('reference: node:crypto Ed25519 verify alone', () => verify(null, data, signer.key.publicKey, sig));

  console.log(`\nper household view (6 subgraph calls): signing ${((sign1 * 6) / 1000).toFixed(2)} ms CPU at the gateway, verifying ${((verify1 * 6) / 1000).toFixed(2)} ms spread over the subgraphs`);
  console.log(`over raw Ed25519: our sign +${(sign1 - raw1).toFixed(1)} µs (jose's SignJWT +${(joseSign - raw1).toFixed(1)} µs), jose's verify +${(verify1 - raw2).toFixed(1)} µs`);
  server.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
