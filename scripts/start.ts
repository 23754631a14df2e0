/**
 * `npm start`: the whole platform on one machine with embedded defaults. Starts the docstore
 * (data in ./.data/docstore), the development identity provider, every subgraph and the gateway,
 * each as its own process on the CONTRACT's ports; loads the demo data on first start; waits for
 * every /health; prints the ready line. Ctrl-C stops everything cleanly (the docstore snapshots).
 *
 * With MONGODB_URI set, no docstore is started; with KEYCLOAK_URL set, no identity provider.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_PORTS, SUBGRAPHS } from '@anmulong/platform/src/config';

const root = path.resolve(__dirname, '..');
const dataDir = path.join(root, '.data');
const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

function run(name: string, script: string, args: string[] = [], env: Record<string, string> = {}): void {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(root, script), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Services log JSON; keep the console readable by prefixing each line with its service.
  const prefix = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim() && process.env.QUIET !== '1') process.stdout.write(`[${name}] ${line}\n`);
  };
  proc.stdout!.on('data', prefix);
  proc.stderr!.on('data', prefix);
  proc.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the platform`);
      void stop(1);
    }
  });
  children.push({ name, proc });
}

async function waitHealthy(name: string, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not become healthy at ${url}`);
}

async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Stop in reverse start order: gateway first, the store last so it can write its snapshot.
  for (const { proc } of [...children].reverse()) {
    if (proc.exitCode !== null) continue;
    proc.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => { proc.kill('SIGKILL'); resolve(); }, 15_000);
      proc.once('exit', () => { clearTimeout(t); resolve(); });
    });
  }
  process.exit(code);
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  // `on`, not `once`: a signal repeated (Ctrl-C reaches this process directly and through tsx)
  // must not kill the launcher halfway through stopping the services in order.
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const env: Record<string, string> = {};
  if (!process.env.MONGODB_URI) {
    run('docstore', 'docstore/src/cli.ts', ['--port', String(SERVICE_PORTS.docstore), '--dbpath', path.join(dataDir, 'docstore')]);
    env.MONGODB_URI = `mongodb://127.0.0.1:${SERVICE_PORTS.docstore}`;
    await waitHealthy('docstore', `http://localhost:${SERVICE_PORTS.docstore}/health`);
  }
  if (!process.env.KEYCLOAK_URL) {
    run('identity', 'identity/src/cli.ts', [], { PORT: String(SERVICE_PORTS.identity), IDENTITY_DATA_DIR: path.join(dataDir, 'identity') });
    env.KEYCLOAK_URL = `http://localhost:${SERVICE_PORTS.identity}`;
    await waitHealthy('identity', `http://localhost:${SERVICE_PORTS.identity}/health`);
  }
  const mongoUri = process.env.MONGODB_URI ?? env.MONGODB_URI;
  const { isDemoLoaded, loadDemo } = await import('@anmulong/demo');
  if (!(await isDemoLoaded(mongoUri))) {
    console.log('Loading the Otog Banner demo data (first start)...');
    const started = Date.now();
    await loadDemo({ mongoUri, log: (m: string) => console.log(m) });
    console.log(`Demo data loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  for (const name of SUBGRAPHS) {
    run(name, `subgraphs/${name}/src/index.ts`, [], { ...env, PORT: String(SERVICE_PORTS[name]) });
  }
  await Promise.all(SUBGRAPHS.map((n) => waitHealthy(n, `http://localhost:${SERVICE_PORTS[n]}/health`)));
  run('gateway', 'gateway/src/index.ts', [], { ...env, PORT: String(SERVICE_PORTS.gateway) });
  await waitHealthy('gateway', `http://localhost:${SERVICE_PORTS.gateway}/health`);
  console.log(`Anmulong gateway ready at http://localhost:${SERVICE_PORTS.gateway}/graphql`);
}


main().catch((err) => {
  console.error(err);
  void stop(1);
});
