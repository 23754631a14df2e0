/**
 * `npm run keycloak`: a real Keycloak (the version CI tests) without Docker, for running the
 * platform on it (`KEYCLOAK_URL=<printed URL> npm start`) and for the Keycloak tests.
 *
 * Fetches the server distribution through Maven (cached in ~/.m2), unpacks it once under
 * `.data/keycloak/`, copies `keycloak/realm-otog.json` into its `data/import/` and runs
 * `kc.sh start-dev --import-realm` until stopped (Ctrl-C / SIGTERM stops Keycloak too).
 * Starting again reuses the unpacked, built server and its database (the realm is imported only
 * when absent); `--wipe` deletes the database first, so the realm file is imported afresh.
 *
 * KEYCLOAK_PORT (default: a free port), KEYCLOAK_HOST (interface, default 127.0.0.1),
 * KC_BOOTSTRAP_ADMIN_USERNAME / KC_BOOTSTRAP_ADMIN_PASSWORD (master-realm admin, default
 * admin / admin: development only). `--ready-file FILE` writes the URL there once ready.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';

/** The Keycloak release CI tests against. */
export const KEYCLOAK_VERSION = '26.7.3';

const root = path.resolve(__dirname, '..');
const baseDir = path.join(root, '.data', 'keycloak');
const home = path.join(baseDir, `keycloak-${KEYCLOAK_VERSION}`);
const realmFile = path.join(root, 'keycloak', 'realm-otog.json');

function distributionZip(): string {
  const m2 = process.env.MAVEN_REPO ?? path.join(homedir(), '.m2', 'repository');
  const zip = path.join(m2, 'org', 'keycloak', 'keycloak-quarkus-dist', KEYCLOAK_VERSION, `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.zip`);
  if (!existsSync(zip)) {
    console.log(`Fetching Keycloak ${KEYCLOAK_VERSION} through Maven (once; cached in ~/.m2)...`);
    execFileSync('mvn', ['-B', '-q', 'dependency:get', `-Dartifact=org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:zip`, '-Dtransitive=false'], { stdio: 'inherit' });
  }
  if (!existsSync(zip)) throw new Error(`Maven did not leave ${zip}`);
  return zip;
}

/** Unpacks into a temporary directory and renames it into place, so a half-unpacked server is never used. */
function unpack(): void {
  if (existsSync(path.join(home, 'bin', 'kc.sh'))) return;
  const zip = distributionZip();
  const tmp = path.join(baseDir, `.unpack-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    execFileSync('unzip', ['-q', zip, '-d', tmp], { stdio: 'inherit' });
  } catch {
    // No unzip: the JDK's jar tool unpacks too (without the execute bits, restored below).
    execFileSync('jar', ['xf', zip], { cwd: tmp, stdio: 'inherit' });
  }
  const [top] = readdirSync(tmp);
  for (const script of ['kc.sh', 'kcadm.sh', 'kcreg.sh']) {
    const file = path.join(tmp, top, 'bin', script);
    if (existsSync(file)) chmodSync(file, 0o755);
  }
  renameSync(path.join(tmp, top), home);
  rmSync(tmp, { recursive: true, force: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Keycloak exited (${child.exitCode}) before it was ready`);
    const ok = await fetch(`${url}/realms/otog/.well-known/openid-configuration`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Keycloak was not ready at ${url} within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const readyFileIndex = args.indexOf('--ready-file');
  const readyFile = readyFileIndex >= 0 ? args[readyFileIndex + 1] : undefined;
  const started = Date.now();

  mkdirSync(baseDir, { recursive: true });
  unpack();
  if (args.includes('--wipe')) {
    // Only the server's state (H2 database, caches); the unpacked, built server stays.
    for (const entry of existsSync(path.join(home, 'data')) ? readdirSync(path.join(home, 'data')) : []) {
      if (entry !== 'import') rmSync(path.join(home, 'data', entry), { recursive: true, force: true });
    }
  }
  mkdirSync(path.join(home, 'data', 'import'), { recursive: true });
  copyFileSync(realmFile, path.join(home, 'data', 'import', 'realm-otog.json'));

  const port = Number(process.env.KEYCLOAK_PORT || (await freePort()));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`invalid KEYCLOAK_PORT: ${process.env.KEYCLOAK_PORT}`);
  const host = process.env.KEYCLOAK_HOST || '127.0.0.1';
  // A fixed public URL: in development mode the issuer otherwise follows each request's Host
  // header, and a token fetched from 127.0.0.1 would be refused by services set to localhost.
  const url = `http://localhost:${port}`;
  let managementPort = await freePort();
  while (managementPort === port) managementPort = await freePort();
  const kcArgs = [
    'start-dev',
    '--import-realm',
    `--http-host=${host}`,
    `--http-port=${port}`,
    `--hostname=${url}`,
    // The management interface (health, metrics) would take port 9000; keep it off the way.
    `--http-management-port=${managementPort}`,
  ];
  const child = spawn(path.join(home, 'bin', 'kc.sh'), kcArgs, {
    cwd: home,
    env: {
      ...process.env,
      KC_BOOTSTRAP_ADMIN_USERNAME: process.env.KC_BOOTSTRAP_ADMIN_USERNAME || 'admin',
      KC_BOOTSTRAP_ADMIN_PASSWORD: process.env.KC_BOOTSTRAP_ADMIN_PASSWORD || 'admin',
    },
    stdio: ['ignore', process.env.KEYCLOAK_QUIET === '1' ? 'ignore' : 'inherit', 'inherit'],
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code, signal) => process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0))));

  await waitReady(url, child, Number(process.env.KEYCLOAK_START_TIMEOUT_S || 600) * 1000);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (readyFile) writeFileSync(readyFile, `${url}\n`);
  console.log(`Keycloak ${KEYCLOAK_VERSION} ready at ${url} in ${seconds} s (realm otog; admin console ${url}/admin)`);
  console.log(`Run the platform on it: KEYCLOAK_URL=${url} npm start`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(`keycloak: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
