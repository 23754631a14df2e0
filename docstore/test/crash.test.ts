/**
 * Crash test (docstore only; skipped with MONGODB_URI).
 *
 * A child process (fixtures/crash-child.ts) opens a docstore on a dbpath and does
 * acknowledged writes from several writers, reporting each acknowledged id on stdout.
 * The parent SIGKILLs it at 20+ random moments (some while the store is still opening /
 * replaying, some while a clean close is compacting). After every restart it checks, over the wire, that every acknowledged
 * document is present, every acknowledged delete stayed deleted, the counter never went
 * back, and the unique index is still there. At the end it also appends a torn record
 * to the journal and reopens the store in-process.
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
  /** clean closes (final compaction) the children started in cycle mode */
  cycles: number;
}

class Child {
  readonly proc: ChildProcess;
  readonly opening: Promise<void>;
  /** resolves when a cycle-mode child starts a clean close (snapshot compaction) */
  readonly closing: Promise<void>;
  readonly ready: Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = '';

  constructor(dbpath: string, round: number, ledger: Ledger, cycle = false) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dbpath, String(round), ...(cycle ? ['cycle'] : [])], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let onOpening!: () => void;
    let onClosing!: () => void;
    this.closing = new Promise((r) => (onClosing = r));
    let onReady!: (uri: string) => void;
    let onFail!: (e: Error) => void;
    this.opening = new Promise((r) => (onOpening = r));
    this.ready = new Promise((res, rej) => {
      onReady = res;
      onFail = rej;
    });
    this.ready.catch(() => undefined);
    this.exited = new Promise((r) => this.proc.once('exit', (code, signal) => r({ code, signal })));
    this.proc.once('exit', (code, signal) => {
      onOpening();
      onFail(new Error(`child exited (code ${code}, signal ${signal}) before READY:\n${this.stderr}`));
    });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    let pending = '';
    this.proc.stdout!.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [tag, ...rest] = line.split(' ');
        switch (tag) {
          case 'OPENING':
            onOpening();
            break;
          case 'READY':
            onReady(rest[0]);
            break;
          case 'ACK':
            rest.forEach((id) => ledger.acked.add(id));
            break;
          case 'DELSENT':
            ledger.deleteSent.add(rest[0]);
            break;
          case 'DEL':
            ledger.deleted.add(rest[0]);
            break;
          case 'CLOSING':
            ledger.cycles++;
            onClosing();
            break;
          case 'CTR':
            ledger.counter = Math.max(ledger.counter, Number(rest[0]));
            break;
          default:
            break;
        }
      }
    });
  }

  /** Lets a cycle-mode child start closing/reopening its store. */
  go(): void {
    this.proc.stdin!.write('GO\n');
  }

  kill(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
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
  let child: Child | undefined;
  const ledger: Ledger = { acked: new Set(), deleteSent: new Set(), deleted: new Set(), counter: 0, cycles: 0 };

  beforeAll(() => {
    dir = tmpDir('crash');
  });
  afterAll(async () => {
    if (child) {
      child.kill();
      await child.exited;
    }
    rmDir(dir);
  });

  it(`loses no acknowledged write over ${ROUNDS} random SIGKILLs and always reopens cleanly`, async () => {
    let kills = 0;
    let earlyKills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // every third child also closes (compacts) and reopens the store while writing
      const roundStart = Date.now();
      const current = new Child(dir, round, ledger, round % 3 === 1);
      child = current;
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
          if (round % 3 === 1) {
            // cycle mode: kill while the store is closing (compacting into a snapshot) or reopening
            await Promise.race([current.closing, current.exited, sleep(10_000)]);
            await sleep(Math.floor(Math.random() * 80));
          } else {
            await sleep(20 + Math.floor(Math.random() * 300));
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
      child = undefined;
    }
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
  }, 180_000);

  it('a torn record at the end of the journal is dropped and the store opens', async () => {
    // one more crashed child so the journal has a live tail
    const last = new Child(dir, 99, ledger);
    child = last;
    try {
      await last.ready;
      await sleep(300);
    } finally {
      last.kill();
      await last.exited;
      child = undefined;
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
