import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { Supervisor, supervisedState } from '../src/supervisor';

/*
 * The launcher's supervision (what `npm start` runs) over real processes: a small HTTP service
 * with a /health, killed and crashed; restarted with doubling delays, its state written for the
 * gateway's /health; stopped cleanly with nothing restarted.
 */
const ROOT = path.resolve(__dirname, '..', '..');
let tmp: string;
let script: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anmulong-supervisor-'));
  script = path.join(tmp, 'service.js');
  // `/crash` exits with code 3; anything else answers 200.
  fs.writeFileSync(
    script,
    `require('node:http').createServer((req, res) => {
       if (req.url === '/crash') process.exit(3);
       res.end('{"ok":true}');
     }).listen(Number(process.env.PORT), '127.0.0.1');
     process.on('SIGTERM', () => { require('node:fs').writeFileSync(process.env.STOPPED_FILE, 'clean'); process.exit(0); });`,
  );
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port free now, for the toy to keep across restarts (not the test kit's: loading the whole kit costs this file ~1.5 s). */
const portFreeNow = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
async function until(check: () => boolean, ms = 30_000): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await sleep(20);
  }
  return Date.now() - started;
}

it('restarts a service that dies, with doubling delays, shows it restarting, and stops everything cleanly', async () => {
  const port = await portFreeNow();
  const statusFile = path.join(tmp, 'services.json');
  const log: string[] = [];
  // Short delays: what is checked is that they double, not the production 0.5 s (start.ts's default).
  const sup = new Supervisor({ cwd: ROOT, statusFile, log: (l) => log.push(l), initialDelayMs: 100 });
  sup.start({ name: 'toy', script, env: { PORT: String(port), STOPPED_FILE: path.join(tmp, 'stopped') }, healthUrl: `http://127.0.0.1:${port}/health` });
  try {
    await sup.waitUp('toy');
    expect(supervisedState(statusFile, 'toy')).toBe('up');
    const first = sup.pid('toy')!;

    process.kill(first, 'SIGKILL');
    await until(() => supervisedState(statusFile, 'toy') === 'restarting');
    expect(log).toContain('toy exited unexpectedly (signal SIGKILL); restarting in 0.1 s (restart 1)');
    await sup.waitUp('toy');
    expect(sup.pid('toy')).not.toBe(first);

    // A crash right after: the delay has doubled; the exit code is reported.
    await fetch(`http://127.0.0.1:${port}/crash`).catch(() => undefined);
    await until(() => sup.states().toy.restarts === 2);
    expect(sup.states().toy).toMatchObject({ state: 'restarting', lastExit: 'code 3' });
    expect(log).toContain('toy exited unexpectedly (code 3); restarting in 0.2 s (restart 2)');
    await sup.waitUp('toy');
    expect(sup.summary()).toBe('toy up (2 restarts)');
  } finally {
    await sup.stop();
  }
  const last = sup.pid('toy');
  // SIGTERM, not a kill: the service closed itself; and nothing brought it back, not even after
  // the next restart delay (0.4 s) had run out: no new process was spawned.
  expect(fs.readFileSync(path.join(tmp, 'stopped'), 'utf8')).toBe('clean');
  expect(supervisedState(statusFile, 'toy')).toBe('stopped');
  await sleep(500);
  expect(sup.pid('toy')).toBe(last);
  expect(supervisedState(statusFile, 'toy')).toBe('stopped');
  expect(await fetch(`http://127.0.0.1:${port}/health`).then(() => 'answered', () => 'refused')).toBe('refused');
}, 60_000);

it('starts the delay afresh once a service has run long enough to count as healthy', async () => {
  const port = await portFreeNow();
  const log: string[] = [];
  // Short periods: what is checked is the reset, not the production minute.
  const sup = new Supervisor({ cwd: ROOT, log: (l) => log.push(l), initialDelayMs: 100, healthyResetMs: 600 });
  sup.start({ name: 'toy', script, env: { PORT: String(port), STOPPED_FILE: path.join(tmp, 'stopped2') }, healthUrl: `http://127.0.0.1:${port}/health` });
  try {
    await sup.waitUp('toy');
    process.kill(sup.pid('toy')!, 'SIGKILL');
    await until(() => sup.states().toy.restarts === 1);
    await sup.waitUp('toy');
    await sleep(700); // healthy for longer than healthyResetMs
    process.kill(sup.pid('toy')!, 'SIGKILL');
    await until(() => sup.states().toy.restarts === 2);
    expect(log.filter((l) => l.includes('exited unexpectedly'))).toEqual([
      'toy exited unexpectedly (signal SIGKILL); restarting in 0.1 s (restart 1)',
      'toy exited unexpectedly (signal SIGKILL); restarting in 0.1 s (restart 2)',
    ]);
  } finally {
    await sup.stop();
  }
}, 60_000);
