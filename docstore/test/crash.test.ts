/**
 * Crash test (docstore only; skipped with MONGODB_URI).
 *
 * A child process (fixtures/crash-child.ts) opens a docstore on a dbpath and does
 * acknowledged writes from several writers, reporting each acknowledged id on stdout.
 * The parent SIGKILLs it at 20+ random moments (some while the store is still opening /
 * replaying, some while a clean close is compacting or the store is reopening). After
 * every restart — and after every clean close + reopen inside a cycle-mode child — it
 * checks, over the wire and while the writers are paused, that every acknowledged
 * document is present, every acknowledged delete stayed deleted, the counter never went
 * back, and the unique index is still there. At the end it also appends a torn record to
 * the journal and reopens the store in-process.
 *
 * Children are spawned one round ahead and wait (modules loaded) for OPEN, so process
 * start-up is off the critical path; the child and the docstore sources are bundled once
 * with esbuild (tsx's own compiler) so each child starts in a fraction of the time
 * `--import tsx` takes. Together this keeps the test within about a minute on a busy machine.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DriverClient, describeDocstore, rejection, rmDir, sleep, startServer, tmpDir } from './helpers';

const ROUNDS = 22;
const ROOT = path.resolve(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'fixtures', 'crash-child.ts');

interface Ledger {
  acked: Set<string>;
  deleteSent: Set<string>;
  deleted: Set<string>;
  counter: number;
  /** clean close + reopen cycles completed by cycle-mode children (REOPENED seen) */
  cycles: number;
}

/** How long a child may take to reach a milestone before the test fails with its stderr. */
const MILESTONE_MS = 45_000;
/** Inserts a writing child must have acknowledged before its random kill moment. */
const MIN_ACKS_PER_ROUND = 80;

/**
 * Node arguments that run the child: a one-file bundle of the fixture, the docstore sources
 * and the driver (only the driver's optional peers stay external, resolved through NODE_PATH),
 * or tsx as a fallback. One file is quicker to load than the driver's hundreds of modules, and
 * every round loads it again.
 */
let childArgs: string[] = ['--import', 'tsx', CHILD];

function bundleChild(outDir: string): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildSync } = require('esbuild') as { buildSync(opts: Record<string, unknown>): unknown };
    const outfile = path.join(outDir, 'crash-child.js');
    buildSync({
      entryPoints: [CHILD],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      external: [...Object.keys((require('mongodb/package.json') as { peerDependenciesMeta?: object }).peerDependenciesMeta ?? {}), 'mongoose'],
      logLevel: 'silent',
    });
    childArgs = [outfile];
  } catch {
    childArgs = ['--import', 'tsx', CHILD];
  }
}

class Child {
  readonly proc: ChildProcess;
  readonly loaded: Promise<void>;
  readonly opening: Promise<void>;
  readonly ready: Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = '';
  /** inserts this child has had acknowledged */
  acks = 0;
  private readonly waiters = new Map<string, ((arg: string) => void)[]>();

  constructor(dbpath: string, round: number, private readonly ledger: Ledger, cycle = false) {
    this.proc = spawn(process.execPath, [...childArgs, dbpath, String(round), ...(cycle ? ['cycle'] : [])], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '', NODE_PATH: path.join(ROOT, 'node_modules') },
    });
    this.proc.stdin!.on('error', () => undefined); // EPIPE after a kill
    this.exited = new Promise((r) => this.proc.once('exit', (code, signal) => r({ code, signal })));
    this.loaded = this.next('LOADED').then(() => undefined);
    this.opening = this.next('OPENING').then(() => undefined);
    this.ready = this.next('READY');
    this.loaded.catch(() => undefined);
    this.opening.catch(() => undefined);
    this.ready.catch(() => undefined);
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    let pending = '';
    this.proc.stdout!.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.onLine(line);
    });
  }

  private onLine(line: string): void {
    const [tag, ...rest] = line.split(' ');
    const ledger = this.ledger;
    switch (tag) {
      case 'ACK':
        rest.forEach((id) => ledger.acked.add(id));
        this.acks += rest.length;
        break;
      case 'DELSENT':
        ledger.deleteSent.add(rest[0]);
        break;
      case 'DEL':
        ledger.deleted.add(rest[0]);
        break;
      case 'REOPENED':
        ledger.cycles++;
        break;
      case 'CTR':
        ledger.counter = Math.max(ledger.counter, Number(rest[0]));
        break;
      default:
        break;
    }
    const ws = this.waiters.get(tag);
    if (ws?.length) ws.shift()!(rest[0] ?? '');
  }

  /**
   * Resolves with the argument of the next `tag` line; rejects (with the child's stderr)
   * if the child exits first or takes longer than MILESTONE_MS.
   */
  next(tag: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const list = this.waiters.get(tag) ?? [];
      this.waiters.set(tag, list);
      const timer = setTimeout(() => reject(new Error(`child: no ${tag} within ${MILESTONE_MS} ms:\n${this.stderr}`)), MILESTONE_MS);
      const done = (arg: string) => {
        clearTimeout(timer);
        resolve(arg);
      };
      list.push(done);
      void this.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`child exited (code ${code}, signal ${signal}) before ${tag}:\n${this.stderr}`));
      });
    });
  }

  /** Resolves once this child has had at least `n` inserts acknowledged (or has exited). */
  async ackedAtLeast(n: number): Promise<void> {
    const until = Date.now() + MILESTONE_MS;
    while (this.acks < n && this.alive() && Date.now() < until) await sleep(5);
  }

  private send(cmd: string): void {
    if (this.alive()) this.proc.stdin!.write(cmd + '\n');
  }

  /** Lets a loaded child open the dbpath. */
  open(): void {
    this.send('OPEN');
  }

  /** Starts (or, after a REOPENED, resumes) the writers. */
  go(): void {
    this.send('GO');
  }

  alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  kill(): void {
    if (this.alive()) this.proc.kill('SIGKILL');
  }
}

/** Checks the ledger against the store at `uri`. */
async function verify(uri: string, ledger: Ledger, label: string): Promise<void> {
  const client = new DriverClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    const db = client.db('crash');
    const docs = db.collection<{ _id: string }>('docs');
    const mustExist = [...ledger.acked].filter((id) => !ledger.deleteSent.has(id));
    const found = new Set<string>();
    for (let i = 0; i < mustExist.length; i += 5000) {
      const chunk = mustExist.slice(i, i + 5000);
      for (const d of await docs.find({ _id: { $in: chunk } }, { projection: { _id: 1 } }).toArray()) found.add(d._id);
    }
    const missing = mustExist.filter((id) => !found.has(id));
    expect({ label, missing: missing.slice(0, 10), missingCount: missing.length }).toEqual({ label, missing: [], missingCount: 0 });

    const resurrected = await docs.countDocuments({ _id: { $in: [...ledger.deleted] } });
    expect({ label, resurrected }).toEqual({ label, resurrected: 0 });

    if (ledger.counter > 0) {
      const c = await db.collection<{ _id: string; n: number }>('counter').findOne({ _id: 'c' });
      expect({ label, counterBehind: (c?.n ?? 0) < ledger.counter }).toEqual({ label, counterBehind: false });
    }
    if (ledger.acked.size > 0) {
      const idx = (await docs.listIndexes().toArray()).find((i) => i.name === 'k_1');
      expect({ label, unique: idx?.unique }).toEqual({ label, unique: true });
    }
  } finally {
    await client.close();
  }
}

describeDocstore('crash safety (SIGKILL during acknowledged writes)', () => {
  let dir: string;
  let bundleDir: string;
  const children = new Set<Child>();
  const ledger: Ledger = { acked: new Set(), deleteSent: new Set(), deleted: new Set(), counter: 0, cycles: 0 };
  const spawnChild = (round: number, cycle = false) => {
    const c = new Child(dir, round, ledger, cycle);
    children.add(c);
    void c.exited.then(() => children.delete(c));
    return c;
  };

  beforeAll(() => {
    dir = tmpDir('crash');
    bundleDir = tmpDir('crash-bundle');
    bundleChild(bundleDir);
  });
  afterAll(async () => {
    for (const c of [...children]) {
      c.kill();
      await c.exited;
    }
    rmDir(dir);
    rmDir(bundleDir);
  });

  it(`loses no acknowledged write over ${ROUNDS} random SIGKILLs and always reopens cleanly`, async () => {
    let kills = 0;
    let earlyKills = 0;
    let closeKills = 0;
    // every third child also closes (compacts) and reopens the store while writing
    const isCycle = (round: number) => round % 3 === 1;
    let upcoming = spawnChild(0, isCycle(0));
    for (let round = 0; round < ROUNDS; round++) {
      const roundStart = Date.now();
      const current = upcoming;
      await current.loaded;
      // the next child loads its modules while this one runs
      if (round + 1 < ROUNDS) upcoming = spawnChild(round + 1, isCycle(round + 1));
      current.open();
      try {
        const early = round % 6 === 4; // kill while the store is opening / replaying
        if (early) {
          await current.opening;
          await sleep(Math.floor(Math.random() * 25));
          earlyKills++;
        } else {
          const uri = await current.ready;
          await verify(uri, ledger, `after restart ${round}`);
          current.go();
          if (isCycle(round)) {
            // a complete clean close + reopen, verified while the writers are paused ...
            const reopened = await current.next('REOPENED');
            await verify(reopened, ledger, `after clean close + reopen in round ${round}`);
            // ... then kill during the next close (snapshot compaction) or reopen (replay)
            const closing = current.next('CLOSING');
            current.go();
            await closing;
            await sleep(Math.floor(Math.random() * 80));
            closeKills++;
          } else {
            // some acknowledged writes first (so the ledger grows even on a loaded machine),
            // then a random moment; kept short, as every later round replays and verifies
            // all the data written so far
            await current.ackedAtLeast(MIN_ACKS_PER_ROUND);
            await sleep(Math.floor(Math.random() * 120));
          }
        }
      } finally {
        current.kill();
      }
      const exit = await current.exited;
      if (process.env.CRASH_DEBUG) {
        const files = fs.readdirSync(dir).map((f) => `${f}:${Math.round(fs.statSync(path.join(dir, f)).size / 1024)}k`);
        process.stderr.write(`round ${round}: ${Date.now() - roundStart} ms, acked ${ledger.acked.size}, cycles ${ledger.cycles}, ${files.join(' ')}\n`);
      }
      if (exit.signal !== 'SIGKILL') throw new Error(`child ${round} ended by itself (code ${exit.code}):\n${current.stderr}`);
      kills++;
    }
    expect(closeKills).toBeGreaterThan(0);
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(earlyKills).toBeGreaterThan(0);
    expect(ledger.acked.size).toBeGreaterThan(1000);
    expect(ledger.deleted.size).toBeGreaterThan(0);
    expect(ledger.counter).toBeGreaterThan(0);
    expect(ledger.cycles).toBeGreaterThan(0);

    // final check in-process, then reopen after a clean close
    let server = await startServer(dir);
    try {
      await verify(server.uri, ledger, 'in-process after the last kill');
    } finally {
      await server.close();
    }
    server = await startServer(dir);
    try {
      await verify(server.uri, ledger, 'after a clean close');
      // the unique index still enforces
      const c = new DriverClient(server.uri);
      try {
        const any = [...ledger.acked].find((id) => !ledger.deleteSent.has(id))!;
        const err = await rejection(c.db('crash').collection('docs').insertOne({ k: any }));
        expect(err.code).toBe(11000);
      } finally {
        await c.close();
      }
    } finally {
      await server.close();
    }
  }, 120_000);

  it('a torn record at the end of the journal is dropped and the store opens', async () => {
    // one more crashed child so the journal has a live tail
    const last = spawnChild(99);
    try {
      await last.loaded;
      last.open();
      await last.ready;
      last.go();
      await sleep(300);
    } finally {
      last.kill();
      await last.exited;
    }

    const files = fs.readdirSync(dir).filter((f) => !/lock/i.test(f) && fs.statSync(path.join(dir, f)).isFile());
    const journals = files.filter((f) => /journal|wal|\.dsj$|\.log$/i.test(f));
    expect(journals.length).toBeGreaterThan(0);
    const newest = journals.map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
    const tail = fs.readFileSync(newest).subarray(-64);
    // a plausible-looking but incomplete record: a copy of the last bytes, then garbage
    fs.appendFileSync(newest, Buffer.concat([tail.subarray(0, 24), Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x01])]));

    const server = await startServer(dir);
    try {
      await verify(server.uri, ledger, 'after a torn tail');
      // and the store keeps working
      const c = new DriverClient(server.uri);
      try {
        await c.db('crash').collection('docs').insertOne({ _id: 'after-torn' as any, k: 'after-torn' });
      } finally {
        await c.close();
      }
    } finally {
      await server.close();
    }
    const again = await startServer(dir);
    try {
      const c = new DriverClient(again.uri);
      try {
        expect(await c.db('crash').collection('docs').countDocuments({ _id: 'after-torn' as any })).toBe(1);
      } finally {
        await c.close();
      }
    } finally {
      await again.close();
    }
  }, 60_000);
});
