/**
 * `npm start`: the whole platform on one machine with embedded defaults. Starts the docstore
 * (data in ./.data/docstore), the development identity provider, every subgraph and the gateway,
 * each as its own process on the CONTRACT's ports; loads the demo data on first start; waits for
 * every /health; prints the ready line. Ctrl-C stops everything cleanly (the docstore snapshots).
 *
 * Supervised (platform/src/supervisor.ts): a service that exits unexpectedly is restarted with
 * backoff and shown as `restarting` in the gateway's /health meanwhile; the others keep serving.
 * When the docstore dies it is restarted like any other service and nothing else is: the
 * subgraphs reconnect to it by themselves.
 *
 * With MONGODB_URI set, no docstore is started; with KEYCLOAK_URL set, no identity provider.
 * For running a second platform beside the first (the soak benchmark): ANMULONG_DATA_DIR
 * (default ./.data), ANMULONG_PORT_OFFSET (added to every port), DEMO_SCALE (first start only).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { envPrefix, JWKS_PATH, SERVICE_PORTS, type ServiceName, type ServiceSpec, SUBGRAPHS, Supervisor } from '@anmulong/platform';

const root = path.resolve(__dirname, '..');
const dataDir = path.resolve(process.env.ANMULONG_DATA_DIR ?? path.join(root, '.data'));
const offset = Number(process.env.ANMULONG_PORT_OFFSET ?? 0);
const port = (s: ServiceName) => SERVICE_PORTS[s] + offset;
const health = (s: ServiceName) => `http://localhost:${port(s)}/health`;

const supervisor = new Supervisor({
  cwd: root,
  statusFile: path.join(dataDir, 'services.json'),
  log: (line) => console.log(`[launcher] ${line}`),
  // Services log JSON; keep the console readable by prefixing each line with its service.
  output: process.env.QUIET === '1' ? undefined : (name, line) => process.stdout.write(`[${name}] ${line}\n`),
});
let stopping = false;

async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  await supervisor.stop();
  process.exit(code);
}

function run(spec: Omit<ServiceSpec, 'script'> & { script: string }): void {
  supervisor.start({ ...spec, script: path.join(root, spec.script) });
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  // `on`, not `once`: a signal repeated (Ctrl-C reaches this process directly and through tsx)
  // must not kill the launcher halfway through stopping the services in order.
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const env: Record<string, string> = {};
  if (!process.env.MONGODB_URI) {
    run({ name: 'docstore', script: 'docstore/src/cli.ts', args: ['--port', String(port('docstore')), '--dbpath', path.join(dataDir, 'docstore')], healthUrl: health('docstore') });
    env.MONGODB_URI = `mongodb://127.0.0.1:${port('docstore')}`;
    await supervisor.waitUp('docstore');
  }
  if (!process.env.KEYCLOAK_URL) {
    run({ name: 'identity', script: 'identity/src/cli.ts', env: { PORT: String(port('identity')), IDENTITY_DATA_DIR: path.join(dataDir, 'identity') }, healthUrl: health('identity') });
    env.KEYCLOAK_URL = `http://localhost:${port('identity')}`;
    await supervisor.waitUp('identity');
  }
  // Every service finds the others at their (offset) ports, and the gateway's keys at its own.
  for (const name of SUBGRAPHS) env[`${envPrefix(name)}_URL`] = `http://localhost:${port(name)}/graphql`;
  if (!process.env.GATEWAY_JWKS_URL) env.GATEWAY_JWKS_URL = `http://localhost:${port('gateway')}${JWKS_PATH}`;
  const mongoUri = process.env.MONGODB_URI ?? env.MONGODB_URI;
  const { isDemoLoaded, loadDemo } = await import('@anmulong/demo');
  if (!(await isDemoLoaded(mongoUri))) {
    console.log('Loading the Otog Banner demo data (first start)...');
    const started = Date.now();
    const scale = process.env.DEMO_SCALE ? Number(process.env.DEMO_SCALE) : undefined;
    await loadDemo({ mongoUri, scale, log: (m: string) => console.log(m) });
    console.log(`Demo data loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  for (const name of SUBGRAPHS) {
    run({ name, script: `subgraphs/${name}/src/index.ts`, env: { ...env, PORT: String(port(name)) }, healthUrl: health(name) });
  }
  await Promise.all(SUBGRAPHS.map((n) => supervisor.waitUp(n)));
  run({
    name: 'gateway',
    script: 'gateway/src/index.ts',
    env: {
      ...env,
      PORT: String(port('gateway')),
      AUDIT_OUTBOX_DIR: path.join(dataDir, 'gateway', 'access-log-outbox'),
      SUPERVISOR_STATUS_FILE: path.join(dataDir, 'services.json'),
    },
    healthUrl: health('gateway'),
  });
  await supervisor.waitUp('gateway');
  console.log(`Anmulong gateway ready at http://localhost:${port('gateway')}/graphql`);
}

main().catch((err) => {
  if (stopping) return;
  console.error(err);
  void stop(1);
});
