import { spawn } from 'node:child_process';

/*
 * runStandalone (platform/src/service.ts): how a service process ends on SIGTERM. A real child
 * process each time; its service's close() resolves, hangs or fails as the test says.
 */
/** Runs `script` in a child process; `ready` when it prints "<name> ready", `exited` with its code and stderr. */
function spawnService(name: string, script: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => String(c).includes(`${name} ready`) && resolve());
    child.once('exit', (code) => reject(new Error(`exited early (${code}): ${stderr}`)));
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  return { child, ready, exited };
}

/** runStandalone over a stand-in service whose close() resolves, is slow, hangs or fails. */
function runService(close: 'resolves' | 'slow' | 'hangs' | 'fails', env: Record<string, string> = {}) {
  const closeBody = {
    resolves: 'Promise.resolve()',
    slow: 'new Promise((r) => setTimeout(r, 400))', // still closing when the SIGTERM comes 100 ms after
    hangs: 'new Promise(() => undefined)',
    fails: 'Promise.reject(new Error("store gone"))',
  }[close];
  return spawnService('demo-service', `
    const { runStandalone } = require('./platform/src/service');
    setInterval(() => undefined, 1000); // something that would keep the process alive
    runStandalone(async () => ({ name: 'demo-service', url: 'http://127.0.0.1:1/graphql', port: 1, close: () => ${closeBody} }));
  `, env);
}

/** A real GraphQL service (serveGraphQL) in a child process, outside NODE_ENV=test as deployed. */
function runGraphQLService() {
  return spawnService('demo-graphql', `
    const { serveGraphQL } = require('./platform/src/http');
    const { createLogger } = require('./platform/src/logger');
    const { runStandalone } = require('./platform/src/service');
    runStandalone(() => serveGraphQL({
      name: 'demo-graphql', log: createLogger('demo-graphql', 'silent'),
      apollo: { typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } },
      context: async () => ({}), health: async () => ({ ok: true }),
    }));
  `, { NODE_ENV: 'development' });
}

// Concurrent: each test has its own child process and nothing else in common, so one's wait (a
// close that hangs, the second Ctrl-C a second later) need not hold the others back.
describe('a service process on SIGTERM', () => {
  it.concurrent('a real GraphQL service stops at once and exits 0 (Apollo does not handle the signal behind the platform’s back)', async () => {
    const s = runGraphQLService();
    await s.ready;
    s.child.kill('SIGTERM');
    const { code, stderr } = await s.exited;
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 30_000);

  it.concurrent('exits 0 once its service has closed', async () => {
    const s = runService('resolves');
    await s.ready;
    s.child.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
  }, 30_000);

  it.concurrent('exits 1 after SHUTDOWN_TIMEOUT_S when closing hangs, saying so', async () => {
    // A fraction of a second: what is checked is that the bound is kept and said, not its 15 s default.
    const s = runService('hangs', { SHUTDOWN_TIMEOUT_S: '0.2' });
    await s.ready;
    s.child.kill('SIGTERM');
    const { code, stderr } = await s.exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/shutdown did not finish within 0.2 s/);
  }, 30_000);

  it.concurrent('exits 1 when the same signal comes again while closing hangs (a second Ctrl-C)', async () => {
    const s = runService('hangs', { SHUTDOWN_TIMEOUT_S: '60' });
    await s.ready;
    s.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 1200));
    s.child.kill('SIGINT');
    const { code, stderr } = await s.exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/SIGINT again/);
  }, 30_000);

  it.concurrent('finishes its shutdown when Ctrl-C arrives twice at once (relayed) and the launcher’s SIGTERM after', async () => {
    const s = runService('slow');
    await s.ready;
    s.child.kill('SIGINT');
    s.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    s.child.kill('SIGTERM');
    const { code, stderr } = await s.exited;
    expect(code).toBe(0);
    expect(stderr).toBe('');
  }, 30_000);

  it.concurrent('exits 1 when closing fails', async () => {
    const s = runService('fails');
    await s.ready;
    s.child.kill('SIGTERM');
    const { code, stderr } = await s.exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/shutdown failed: store gone/);
  }, 30_000);
});
