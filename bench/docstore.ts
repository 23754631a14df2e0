/**
 * docstore benchmark: `npm run bench:docstore` (not part of `npm test`).
 *
 * Measures, through the official driver over TCP (what mongoose does):
 *   - insertMany and single-insert throughput (in memory, and journaled with a dbpath)
 *   - findOne by _id and by an indexed field at 1,000 and at 160,000 documents (+ ratio)
 *   - an unindexed query for contrast, and a sorted page (find().sort({_id:1}).limit(51)
 *     + countDocuments) as the platform's list resolvers issue it
 *   - memory per 100,000 small documents (server in a child process, after GC)
 *   - restart time with 160,000 journaled documents (after a clean close, and after a
 *     SIGKILL, i.e. a pure journal replay)
 * and prints a markdown table, also written to bench/results/docstore-<date>.md.
 *
 * Options: --quick (smaller sizes, for a smoke run; targets are then not meaningful).
 * Internal: --child-server [dbpath] runs only a server (used for memory and crash restart).
 */
import { ChildProcess, execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import mongoose from 'mongoose';
import { startDocstore } from '@anmulong/docstore';

const { MongoClient, ObjectId } = mongoose.mongo;
type Client = mongoose.mongo.MongoClient;
type AnyColl = mongoose.mongo.Collection<any>;

const QUICK = process.argv.includes('--quick');
const BIG = QUICK ? 20_000 : 160_000;
const SMALL = 1_000;
const MEM_DOCS = QUICK ? 20_000 : 100_000;
const LOOKUPS = QUICK ? 500 : 2_000;
const SINGLE_INSERTS = QUICK ? 1_000 : 5_000;
const SINGLE_INSERTS_JOURNALED = QUICK ? 500 : 2_000;
const BATCH = 1_000;

// ---------------------------------------------------------------- child server mode
if (process.argv.includes('--child-server')) {
  const i = process.argv.indexOf('--child-server');
  const dbpath = process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[i + 1] : undefined;
  void (async () => {
    const server = await startDocstore({ port: 0, dbpath, quiet: true });
    const gc = (globalThis as { gc?: () => void }).gc;
    const mem = () => {
      if (gc) {
        gc();
        gc();
      }
      return process.memoryUsage();
    };
    process.stdout.write(JSON.stringify({ ready: server.uri }) + '\n');
    const rl = readline.createInterface({ input: process.stdin });
    rl.on('line', (line) => {
      if (line === 'mem') process.stdout.write(JSON.stringify({ mem: mem() }) + '\n');
      if (line === 'cpu') process.stdout.write(JSON.stringify({ cpu: cpuMs() }) + '\n');
      if (line === 'close') void server.close().then(() => process.exit(0));
    });
    // the parent went away (finished or crashed): do not linger as an orphan server
    rl.on('close', () => process.exit(0));
  })();
} else {
  void main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

// ---------------------------------------------------------------- helpers
const VILLAGES = Array.from({ length: 40 }, (_, i) => `1506241${String(i).padStart(2, '0')}`);

function resident(i: number): Record<string, unknown> {
  const village = VILLAGES[i % VILLAGES.length];
  return {
    _id: new ObjectId(),
    code: `R${String(i).padStart(7, '0')}`,
    name: `Resident ${i}`,
    gender: i % 2 ? 'F' : 'M',
    born: new Date(1950 + (i % 60), i % 12, 1 + (i % 28)),
    divisionPath: ['150624', village],
    householdId: `H${Math.floor(i / 4)}`,
    age: i % 97,
  };
}

function now(): bigint {
  return process.hrtime.bigint();
}
/** CPU time (user + system) of this process, in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
function msSince(t: bigint): number {
  return Number(now() - t) / 1e6;
}

async function fill(coll: AnyColl, n: number, offset = 0): Promise<number> {
  const t = now();
  for (let i = 0; i < n; i += BATCH) {
    const docs = Array.from({ length: Math.min(BATCH, n - i) }, (_, j) => resident(offset + i + j));
    await coll.insertMany(docs, { ordered: true });
  }
  return msSince(t);
}

/** Median of `rounds` measurements of the mean latency (µs) of `n` calls. */
async function latency(n: number, rounds: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(300, n); i++) await fn(i); // warm-up
  const means: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = now();
    for (let i = 0; i < n; i++) await fn(i + r * n);
    means.push((msSince(t) * 1000) / n);
  }
  means.sort((a, b) => a - b);
  return means[Math.floor(means.length / 2)];
}

/**
 * Alternates rounds of `n` calls to `a` and to `b` (order flipped every round, so load
 * drift hits both) and returns the median per-call latency (µs) of each and the median of
 * the per-round ratios b/a.
 */
async function compare(
  n: number,
  rounds: number,
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
): Promise<{ small: number; big: number; ratio: number; smallCpu: number; bigCpu: number; cpuRatio: number }> {
  for (let i = 0; i < 300; i++) {
    await a(i);
    await b(i);
  }
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  const aCpu: number[] = [];
  const bCpu: number[] = [];
  const cpuRatios: number[] = [];
  const run = async (fn: (i: number) => Promise<unknown>, r: number) => {
    const t = now();
    const c = cpuMs();
    for (let i = 0; i < n; i++) await fn(i + r * n);
    return { wall: (msSince(t) * 1000) / n, cpu: ((cpuMs() - c) * 1000) / n };
  };
  for (let r = 0; r < rounds; r++) {
    let ta: { wall: number; cpu: number };
    let tb: { wall: number; cpu: number };
    if (r % 2 === 0) {
      ta = await run(a, r);
      tb = await run(b, r);
    } else {
      tb = await run(b, r);
      ta = await run(a, r);
    }
    as.push(ta.wall);
    bs.push(tb.wall);
    ratios.push(tb.wall / ta.wall);
    aCpu.push(ta.cpu);
    bCpu.push(tb.cpu);
    cpuRatios.push(tb.cpu / ta.cpu);
  }
  const med = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];
  return { small: med(as), big: med(bs), ratio: med(ratios), smallCpu: med(aCpu), bigCpu: med(bCpu), cpuRatio: med(cpuRatios) };
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

interface Row {
  metric: string;
  value: string;
  target?: string;
  ok?: boolean;
}

function spawnServer(dbpath?: string): Promise<{ proc: ChildProcess; uri: string; request(cmd: string): Promise<any> }> {
  const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--child-server', ...(dbpath ? [dbpath] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: proc.stdout! });
  const waiting: ((v: any) => void)[] = [];
  let onReady!: (uri: string) => void;
  const ready = new Promise<string>((r) => (onReady = r));
  lines.on('line', (line) => {
    const msg = JSON.parse(line);
    if (msg.ready) onReady(msg.ready);
    else waiting.shift()?.(msg);
  });
  return ready.then((uri) => ({
    proc,
    uri,
    request(cmd: string) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        proc.stdin!.write(cmd + '\n');
      });
    },
  }));
}

async function connect(uri: string): Promise<Client> {
  const c = new MongoClient(uri, { maxPoolSize: 10 });
  await c.connect();
  return c;
}

function sizeOfDir(dir: string): number {
  return fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

// ---------------------------------------------------------------- main
async function main(): Promise<void> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const started = new Date();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-bench-'));
  const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

  try {
    // ---- in-memory server, in this process
    const mem = await startDocstore({ port: 0, quiet: true });
    const client = await connect(mem.uri);
    const db = client.db('bench');
    const big = db.collection<any>('big');
    const small = db.collection<any>('small');
    await big.createIndex({ code: 1 }, { unique: true });
    await big.createIndex({ divisionPath: 1 });
    await small.createIndex({ code: 1 }, { unique: true });

    log(`insertMany ${fmtInt(BIG)} documents (in memory)`);
    const cpu0 = cpuMs();
    const bigMs = await fill(big, BIG);
    const bigCpu = cpuMs() - cpu0;
    const insertManyRate = BIG / (bigMs / 1000);
    rows.push({
      metric: `insertMany, batches of ${BATCH}, in memory (${fmtInt(BIG)} docs); CPU of client + server together`,
      value: `${fmtInt(insertManyRate)} docs/s (CPU ${fmt(bigCpu / 1000, 2)} s → ${fmtInt(BIG / (bigCpu / 1000))} docs/CPU-s)`,
      target: '≥ 20,000 docs/s',
      ok: insertManyRate >= 20_000,
    });
    await fill(small, SMALL);

    log('single inserts (in memory)');
    const single = db.collection<any>('single');
    let t = now();
    for (let i = 0; i < SINGLE_INSERTS; i++) await single.insertOne(resident(i));
    rows.push({ metric: `insertOne, sequential, in memory (${fmtInt(SINGLE_INSERTS)})`, value: `${fmtInt(SINGLE_INSERTS / (msSince(t) / 1000))} ops/s` });

    log('findOne latencies');
    const bigIds = (await big.find({}, { projection: { _id: 1, code: 1 } }).toArray()) as { _id: unknown; code: string }[];
    const smallIds = (await small.find({}, { projection: { _id: 1, code: 1 } }).toArray()) as { _id: unknown; code: string }[];
    const pick = <T>(arr: T[], i: number) => arr[(i * 7919) % arr.length];
    const ROUNDS = 7;
    const lookup = (coll: AnyColl, ids: { _id: unknown; code: string }[], by: '_id' | 'code') => async (i: number) => {
      const d = pick(ids, i);
      const r = await coll.findOne(by === '_id' ? { _id: d._id } : { code: d.code });
      if (!r) throw new Error('lookup missed');
    };
    const byId = await compare(LOOKUPS, ROUNDS, lookup(small, smallIds, '_id'), lookup(big, bigIds, '_id'));
    const byCode = await compare(LOOKUPS, ROUNDS, lookup(small, smallIds, 'code'), lookup(big, bigIds, 'code'));
    const lat = (x: number, cpu: number) => `${fmt(x)} µs (${fmtInt(1e6 / x)}/s; CPU ${fmt(cpu)} µs/op)`;
    const ratio = (r: { ratio: number; cpuRatio: number }) => `${fmt(r.ratio, 2)}× (CPU ${fmt(r.cpuRatio, 2)}×)`;
    rows.push({ metric: `findOne by _id at ${fmtInt(SMALL)} docs`, value: lat(byId.small, byId.smallCpu) });
    rows.push({ metric: `findOne by _id at ${fmtInt(BIG)} docs`, value: lat(byId.big, byId.bigCpu) });
    rows.push({ metric: `  ratio ${fmtInt(BIG)} / ${fmtInt(SMALL)} (by _id)`, value: ratio(byId), target: '≤ 1.5×', ok: byId.ratio <= 1.5 });
    rows.push({ metric: `findOne by indexed field (code) at ${fmtInt(SMALL)} docs`, value: lat(byCode.small, byCode.smallCpu) });
    rows.push({ metric: `findOne by indexed field (code) at ${fmtInt(BIG)} docs`, value: lat(byCode.big, byCode.bigCpu) });
    rows.push({ metric: `  ratio ${fmtInt(BIG)} / ${fmtInt(SMALL)} (indexed field)`, value: ratio(byCode), target: '≤ 1.5×', ok: byCode.ratio <= 1.5 });

    log('unindexed queries');
    const scanSmall = await latency(50, 3, async (i) => small.findOne({ name: `nobody ${i}` }));
    const scanBig = await latency(QUICK ? 5 : 10, 3, async (i) => big.findOne({ name: `nobody ${i}` }));
    rows.push({ metric: `findOne by an unindexed field (full scan, no match) at ${fmtInt(SMALL)} docs`, value: `${fmt(scanSmall / 1000, 2)} ms` });
    rows.push({ metric: `findOne by an unindexed field (full scan, no match) at ${fmtInt(BIG)} docs`, value: `${fmt(scanBig / 1000, 1)} ms` });

    log('sorted page');
    const pageMs =
      (await latency(20, 3, async (i) => {
        const filter = { divisionPath: '150624' };
        const after = pick(bigIds, i)._id;
        await big.find({ ...filter, _id: { $gt: after } }).sort({ _id: 1 }).limit(51).toArray();
        await big.countDocuments(filter);
      })) / 1000;
    rows.push({ metric: `list page at ${fmtInt(BIG)} docs: find({divisionPath}).sort({_id:1}).limit(51) + countDocuments (filter matches all)`, value: `${fmt(pageMs, 1)} ms` });
    const villagePageMs =
      (await latency(50, 3, async (i) => {
        const filter = { divisionPath: VILLAGES[i % VILLAGES.length] };
        await big.find(filter).sort({ _id: 1 }).limit(51).toArray();
        await big.countDocuments(filter);
      })) / 1000;
    rows.push({ metric: `list page at ${fmtInt(BIG)} docs, village filter (1/40 of docs)`, value: `${fmt(villagePageMs, 1)} ms` });

    await client.close();
    await mem.close();

    // ---- journaled single inserts, in process
    log('single inserts (journaled)');
    const jdir = path.join(tmp, 'single');
    fs.mkdirSync(jdir);
    const jsrv = await startDocstore({ port: 0, dbpath: jdir, quiet: true });
    const jclient = await connect(jsrv.uri);
    const jsingle = jclient.db('bench').collection<any>('single');
    t = now();
    for (let i = 0; i < SINGLE_INSERTS_JOURNALED; i++) await jsingle.insertOne(resident(i));
    rows.push({ metric: `insertOne, sequential, journaled + fsync (${fmtInt(SINGLE_INSERTS_JOURNALED)})`, value: `${fmtInt(SINGLE_INSERTS_JOURNALED / (msSince(t) / 1000))} ops/s` });
    t = now();
    const CONC = 16;
    const per = Math.floor(SINGLE_INSERTS_JOURNALED / CONC) * 2;
    await Promise.all(
      Array.from({ length: CONC }, async (_, w) => {
        for (let i = 0; i < per; i++) await jsingle.insertOne(resident(1_000_000 + w * per + i));
      }),
    );
    rows.push({ metric: `insertOne, ${CONC} concurrent writers, journaled (group commit)`, value: `${fmtInt((per * CONC) / (msSince(t) / 1000))} ops/s` });
    await jclient.close();
    await jsrv.close();

    // ---- memory per 100,000 small documents: server alone in a child process
    log(`memory for ${fmtInt(MEM_DOCS)} documents (server in a child process)`);
    {
      const child = await spawnServer();
      const c = await connect(child.uri);
      const coll = c.db('bench').collection<any>('mem');
      await coll.createIndex({ code: 1 }, { unique: true });
      await coll.insertOne(resident(-1));
      const before = (await child.request('mem')).mem as NodeJS.MemoryUsage;
      await fill(coll, MEM_DOCS);
      const after = (await child.request('mem')).mem as NodeJS.MemoryUsage;
      const avgBson = (await c.db('bench').command({ collStats: 'mem' }).catch(() => null))?.avgObjSize as number | undefined;
      const bsonSize = mongoose.mongo.BSON.calculateObjectSize(resident(12345));
      await c.close();
      const exited = new Promise((r) => child.proc.once('exit', r));
      child.proc.stdin!.write('close\n');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      child.proc.kill('SIGKILL');
      const rss = after.rss - before.rss;
      const heap = after.heapUsed - before.heapUsed + (after.external - before.external) + (after.arrayBuffers - before.arrayBuffers);
      rows.push({
        metric: `memory for ${fmtInt(MEM_DOCS)} small docs (${bsonSize} B BSON each, 1 unique index), server process after GC`,
        value: `RSS +${fmt(rss / 1048576)} MiB, heap+external +${fmt(heap / 1048576)} MiB (${fmtInt(rss / MEM_DOCS)} B/doc RSS)`,
      });
      if (avgBson) notes.push(`collStats avgObjSize reported ${avgBson} B.`);
    }

    // ---- journaled insertMany into a child server, SIGKILL, then time the reopen
    log(`journaled insertMany of ${fmtInt(BIG)} (server in a child process), then restart`);
    const rdir = path.join(tmp, 'restart');
    fs.mkdirSync(rdir);
    {
      const child = await spawnServer(rdir);
      const c = await connect(child.uri);
      const coll = c.db('bench').collection<any>('residents');
      await coll.createIndex({ code: 1 }, { unique: true });
      await coll.createIndex({ divisionPath: 1 });
      const serverCpu0 = (await child.request('cpu')).cpu as number;
      const ms = await fill(coll, BIG);
      const serverCpu = ((await child.request('cpu')).cpu as number) - serverCpu0;
      const rate = BIG / (ms / 1000);
      rows.push({
        metric: `insertMany, batches of ${BATCH}, journaled + fsync, server in a child process (${fmtInt(BIG)} docs)`,
        value: `${fmtInt(rate)} docs/s (server CPU ${fmt(serverCpu / 1000, 2)} s)`,
        target: '≥ 20,000 docs/s',
        ok: rate >= 20_000,
      });
      await c.close();
      child.proc.kill('SIGKILL');
      await new Promise((r) => child.proc.once('exit', r));
    }
    const journalBytes = sizeOfDir(rdir);
    const reopen = async () => {
      const t0 = now();
      const c0 = cpuMs();
      const s = await startDocstore({ port: 0, dbpath: rdir, quiet: true });
      const c = await connect(s.uri);
      const n = await c.db('bench').collection('residents').countDocuments({ divisionPath: VILLAGES[3] });
      const d = await c.db('bench').collection('residents').findOne({ code: 'R0000042' });
      const elapsed = msSince(t0);
      const cpu = cpuMs() - c0;
      if (!d || n === 0) throw new Error('reopened store is missing data');
      const total = await c.db('bench').collection('residents').estimatedDocumentCount();
      if (total !== BIG) throw new Error(`reopened store has ${total} documents, expected ${BIG}`);
      await c.close();
      return { s, elapsed, cpu };
    };
    const crashOpen = await reopen();
    rows.push({
      metric: `reopen after SIGKILL: journal replay of ${fmtInt(BIG)} docs (${fmt(journalBytes / 1048576)} MiB on disk) until first query answered`,
      value: `${fmt(crashOpen.elapsed / 1000, 2)} s (CPU ${fmt(crashOpen.cpu / 1000, 2)} s)`,
      target: '< 5 s',
      ok: crashOpen.elapsed < 5000,
    });
    const tClose = now();
    await crashOpen.s.close();
    const closeMs = msSince(tClose);
    const cleanOpen = await reopen();
    rows.push({
      metric: `reopen after a clean close (snapshot, ${fmt(sizeOfDir(rdir) / 1048576)} MiB) until first query answered; close took ${fmt(closeMs / 1000, 2)} s`,
      value: `${fmt(cleanOpen.elapsed / 1000, 2)} s (CPU ${fmt(cleanOpen.cpu / 1000, 2)} s)`,
      target: '< 5 s',
      ok: cleanOpen.elapsed < 5000,
    });
    await cleanOpen.s.close();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  // ---- report
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a git checkout
  }
  const header = [
    `# docstore benchmark ${started.toISOString()}${QUICK ? ' (--quick: reduced sizes)' : ''}`,
    '',
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average at start ${load}, at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; commit ${commit}.`,
    'Client: the official MongoDB driver (as used by mongoose 9) over TCP on 127.0.0.1. Throughput and',
    'latency rows run the docstore in the benchmark process (in memory unless marked journaled);',
    'memory and the journaled insertMany/restart rows run it in a child process. Latencies are the',
    'median over rounds of the mean per call, measured sequentially (one request in flight).',
    'CPU figures are process CPU time (user + system): on a machine whose load average exceeds its',
    'core count, wall-clock figures are inflated by waiting for a CPU and the CPU figures show the',
    'unloaded cost.',
    '',
  ];
  const table = ['| metric | result | target | |', '|---|---|---|---|'];
  for (const r of rows) table.push(`| ${r.metric} | ${r.value} | ${r.target ?? ''} | ${r.ok === undefined ? '' : r.ok ? '✅' : '❌'} |`);
  const text = [...header, ...table, '', ...notes.map((n) => `- ${n}`), ''].join('\n');
  process.stdout.write(text);
  const outDir = path.join(__dirname, 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `docstore-${started.toISOString().slice(0, 10)}${QUICK ? '-quick' : ''}.md`);
  fs.writeFileSync(file, text);
  process.stderr.write(`[bench] written to ${path.relative(process.cwd(), file)}\n`);
}
