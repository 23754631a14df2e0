/**
 * The docstore's bounded document cache: `npm run bench:docstore-cache -- [--cache-mb 32] [--data-mb 96] [--clients 4] [--runs bounded,v8-heap,unbounded]`
 * (not part of `npm test`).
 *
 * A journaled docstore (the CLI, in a child process) grows to several times its cache with the
 * platform's mix: 20,000 residents (≈ 1 KB each) read by `_id` (a skewed hot set: 80 % of reads
 * go to 20 % of them) and by household (indexed find), while access-log entries (≈ 1.3 KB, shaped
 * and indexed as the access service's: unique seq, username, residentIds, unique sparse entryId)
 * are appended until the data reaches --data-mb of BSON. Runs: `bounded` (the cache at --cache-mb,
 * the server as `npm start` runs it), `v8-heap` (the same with V8's own heap growth instead of the
 * docstore's `--heapGrowingPercent`) and `unbounded` (the cache as large as the data: what the store
 * did before it had one). Every 8 MB of data it prints RSS, heap used and total, heap after the
 * last full GC, and the cache's figures; at the end, median read latencies of hot and cold
 * documents (findOne by `_id` over TCP, one at a time and 100 per query) as a ratio.
 * Output: a markdown report, also written to bench/results/docstore-cache-<date>.md.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { median, readFlags } from './measure';

const { MongoClient } = mongoose.mongo;
type Client = mongoose.mongo.MongoClient;
const ROOT = path.resolve(__dirname, '..');
const MIB = 1024 * 1024;

const RUNS = ['bounded', 'v8-heap', 'unbounded'] as const;
type RunName = (typeof RUNS)[number];
const flags = { cacheMb: 32, dataMb: 96, clients: 4, runs: [...RUNS] as RunName[] };
readFlags(process.argv.slice(2), 'bench/docstore-cache.ts', ({ flag, num, value }) => {
  if (flag === '--cache-mb') flags.cacheMb = num();
  else if (flag === '--data-mb') flags.dataMb = num();
  else if (flag === '--clients') flags.clients = Math.round(num());
  else if (flag === '--runs') {
    flags.runs = value().split(',') as RunName[];
    for (const r of flags.runs) if (!RUNS.includes(r)) throw new Error(`--runs: unknown run ${r} (one of ${RUNS.join(', ')})`);
  } else return false;
  return true;
});

const RESIDENTS = 20_000;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const log = (s: string) => process.stderr.write(`[bench:docstore-cache] ${s}\n`);

function resident(i: number) {
  return { _id: `r${i}`, code: `R${String(i).padStart(7, '0')}`, householdId: `h${Math.floor(i / 4)}`, name: `Resident ${i}`, born: new Date(1950 + (i % 60), i % 12, 1), divisionPath: ['150624', `1506241${i % 40}`], notes: 'n'.repeat(800) };
}
let auditSeq = 0;
/** An access-log entry as the access service stores one (a household view read by a role). */
function auditEntry() {
  const i = auditSeq++;
  const residentIds = [0, 1, 2].map((k) => `r${(i * 3 + k) % RESIDENTS}`);
  return {
    seq: i, at: new Date(), kind: 'READ', subject: `sub-${i % 300}`, username: `u${i % 300}`, roles: ['police-officer'], department: 'police', jurisdiction: '150624',
    operationName: 'HouseholdView', documentHash: 'd'.repeat(64), purpose: null, requestId: `req-${i}`, residentIds, householdIds: [`h${Math.floor(((i * 3) % RESIDENTS) / 4)}`],
    fields: ['Resident.name', 'Resident.idNumber (masked)', 'Resident.phone (masked)', 'Household.address', 'Resident.helpRequests', 'Resident.disputes', 'Resident.aidGrants'],
    withheld: ['Resident.petitions'], detail: null, entryId: `${i.toString(16).padStart(8, '0')}-4a1b-4c2d-8e3f-${'0'.repeat(12)}`, recordedAt: new Date(), prevHash: 'p'.repeat(64), hash: 'h'.repeat(64),
    note: 'n'.repeat(500),
  };
}
/** 80 % of reads to the first 20 % of residents. */
const pickResident = () => (Math.random() < 0.8 ? Math.floor(Math.random() * RESIDENTS * 0.2) : Math.floor(Math.random() * RESIDENTS));

interface Sample {
  data: number;
  docs: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  heapAfterGc: number | null;
  overhead: number | null;
  cacheBytes: number | null;
  hot: number;
  cold: number;
  evictions: number;
  coldReads: number;
}

async function sample(c: Client): Promise<Sample> {
  const st = await c.db('admin').command({ serverStatus: 1 });
  const stats = await c.db('bench').command({ dbStats: 1 });
  const d = st.docstore;
  return {
    data: stats.dataSize,
    docs: stats.objects,
    rss: d.memory.rss,
    heapUsed: d.memory.heapUsed,
    heapTotal: d.memory.heapTotal,
    heapAfterGc: d.memory.heapUsedAfterGc,
    overhead: d.cache.overheadBytes ?? null,
    cacheBytes: d.cache.bytes ?? null,
    hot: d.cache.hotDocuments,
    cold: d.cache.coldDocuments,
    evictions: d.cache.evictions,
    coldReads: d.cache.coldReads,
  };
}

async function startChild(dbpath: string, cacheMb: number, extraArgs: string[]): Promise<{ uri: string; stop(): Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'docstore/src/cli.ts'), '--port', '0', '--dbpath', dbpath, '--cacheSizeMB', String(cacheMb), '--quiet', ...extraArgs], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  // the server must not outlive the benchmark (killed or crashed)
  const orphan = () => proc.kill('SIGKILL');
  process.once('exit', orphan);
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /mongodb:\/\/\S+/.exec(out);
      if (m) resolve(m[0]);
    });
    proc.once('exit', (code) => reject(new Error(`docstore exited (${code})`)));
  });
  return {
    uri,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
      process.removeListener('exit', orphan);
    },
  };
}

/**
 * Hot vs cold reads by `_id` over TCP: cold = audit entries from the start of the run (long
 * evicted), hot = the same documents read again right after. One document per findOne (what a
 * resolver does; the round trip dominates), and 100 per find({_id: {$in}}) (the server's cost
 * per document shows).
 */
async function latencies(c: Client): Promise<{ hot: number; cold: number; hotBatch: number; coldBatch: number; coldReadsSeen: number }> {
  const audit = c.db('bench').collection<any>('audit');
  const oldest = await audit.find({ seq: { $lt: 2000 } }).project({ _id: 1 }).toArray(); // a scan: leaves the cache as it is
  const before = (await sample(c)).coldReads;
  const cold: number[] = [];
  for (const { _id } of oldest.slice(0, 1000)) {
    const t = process.hrtime.bigint();
    await audit.findOne({ _id });
    cold.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const coldReadsSeen = (await sample(c)).coldReads - before;
  const hot: number[] = [];
  for (const { _id } of oldest.slice(0, 1000)) {
    const t = process.hrtime.bigint();
    await audit.findOne({ _id }); // cached by the cold read above
    hot.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const batch = async (ids: unknown[]) => {
    const t = process.hrtime.bigint();
    const got = await audit.find({ _id: { $in: ids } }).toArray();
    if (got.length !== ids.length) throw new Error('batch read missed documents');
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const coldB: number[] = [];
  const hotB: number[] = [];
  for (let k = 1000; k + 100 <= oldest.length; k += 100) {
    const ids = oldest.slice(k, k + 100).map((d) => d._id);
    coldB.push(await batch(ids));
    hotB.push(await batch(ids));
  }
  return { hot: median(hot), cold: median(cold), hotBatch: median(hotB), coldBatch: median(coldB), coldReadsSeen };
}

async function run(label: string, cacheMb: number, extraArgs: string[]): Promise<{ samples: Sample[]; lat: Awaited<ReturnType<typeof latencies>>; dbpath: string; secs: number }> {
  const dbpath = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-docstore-cache-'));
  const child = await startChild(dbpath, cacheMb, extraArgs);
  const c = await new MongoClient(child.uri, { maxPoolSize: flags.clients + 2 }).connect();
  const t0 = Date.now();
  try {
    const db = c.db('bench');
    await db.collection('residents').createIndex({ householdId: 1 });
    await db.collection('residents').createIndex({ code: 1 }, { unique: true });
    await db.collection('audit').createIndex({ seq: 1 }, { unique: true });
    await db.collection('audit').createIndex({ username: 1 });
    await db.collection('audit').createIndex({ residentIds: 1 });
    await db.collection('audit').createIndex({ entryId: 1 }, { unique: true, sparse: true });
    for (let i = 0; i < RESIDENTS; i += 1000) await db.collection<any>('residents').insertMany(Array.from({ length: 1000 }, (_, k) => resident(i + k)));
    auditSeq = 0;
    const samples: Sample[] = [await sample(c)];
    log(`${label}: residents loaded, ${fmt(samples[0].data / MIB, 1)} MiB of data`);
    let data = samples[0].data;
    let nextSample = data + 8 * MIB;
    let sampledAt = { data, seq: 0 };
    const target = flags.dataMb * MIB;
    let done = false;
    const worker = async () => {
      while (!done) {
        // one request's worth: two audit appends, five point reads, one household find
        await db.collection<any>('audit').insertOne(auditEntry());
        await db.collection<any>('audit').insertOne(auditEntry());
        for (let k = 0; k < 5; k++) await db.collection<any>('residents').findOne({ _id: `r${pickResident()}` });
        await db.collection<any>('residents').find({ householdId: `h${Math.floor(pickResident() / 4)}` }).toArray();
      }
    };
    const workers = Array.from({ length: flags.clients }, worker);
    while (data < target) {
      await new Promise((r) => setTimeout(r, 500));
      data = sampledAt.data + (auditSeq - sampledAt.seq) * 1_300; // ≈ BSON bytes of one entry; the exact figure is sampled below
      if (data >= nextSample || data >= target) {
        const s = await sample(c);
        samples.push(s);
        data = s.data;
        sampledAt = { data, seq: auditSeq };
        nextSample = data + 8 * MIB;
        log(`${label}: data ${fmt(s.data / MIB, 1)} MiB, rss ${fmt(s.rss / MIB)} MiB, heap ${fmt(s.heapUsed / MIB)} of ${fmt(s.heapTotal / MIB)} MiB (after GC ${s.heapAfterGc === null ? '-' : fmt(s.heapAfterGc / MIB)}), cache ${s.cacheBytes === null ? '-' : fmt(s.cacheBytes / MIB, 1)} + ${s.overhead === null ? '-' : fmt(s.overhead / MIB, 1)} MiB, ${s.hot} hot / ${s.cold} cold`);
      }
    }
    done = true;
    await Promise.all(workers);
    const lat = await latencies(c);
    return { samples, lat, dbpath, secs: (Date.now() - t0) / 1000 };
  } finally {
    await c.close();
    await child.stop();
  }
}

async function main() {
  const big = Math.max(4096, flags.dataMb * 8);
  const plan: Record<RunName, { title: string; cacheMb: number; args: string[] }> = {
    bounded: { title: `cache bounded at ${flags.cacheMb} MiB, the server as \`npm start\` runs it`, cacheMb: flags.cacheMb, args: [] },
    'v8-heap': { title: `cache bounded at ${flags.cacheMb} MiB, V8's own heap growth (\`--heapGrowingPercent 0\`)`, cacheMb: flags.cacheMb, args: ['--heapGrowingPercent', '0'] },
    unbounded: { title: 'cache as large as the data (unbounded, the behaviour before the cache)', cacheMb: big, args: [] },
  };
  const results: { name: RunName; r: Awaited<ReturnType<typeof run>> }[] = [];
  for (const name of flags.runs) {
    const r = await run(name, plan[name].cacheMb, plan[name].args);
    fs.rmSync(r.dbpath, { recursive: true, force: true });
    results.push({ name, r });
  }

  const mib = (n: number | null) => (n === null ? '–' : fmt(n / MIB, 1));
  const table = (title: string, xs: Sample[]) => [
    `### ${title}`,
    '',
    '| data (BSON, MiB) | documents | RSS (MiB) | heap used | heap total | heap after last full GC | cache charge (hot + bookkeeping) | hot docs | cold docs | evictions | cold reads |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...xs.map((s) => `| ${mib(s.data)} | ${fmt(s.docs)} | ${mib(s.rss)} | ${mib(s.heapUsed)} | ${mib(s.heapTotal)} | ${mib(s.heapAfterGc)} | ${mib(s.cacheBytes)} + ${mib(s.overhead)} | ${fmt(s.hot)} | ${fmt(s.cold)} | ${fmt(s.evictions)} | ${fmt(s.coldReads)} |`),
    '',
  ];
  /** From the first sample past a third of the data to the last: `pick` of each, and its change. */
  const growth = (xs: Sample[], pick: (s: Sample) => number | null) => {
    const a = xs.find((s) => s.data >= flags.dataMb * MIB * 0.33) ?? xs[0];
    const b = xs[xs.length - 1];
    const pa = pick(a);
    const pb = pick(b);
    return pa && pb ? `${fmt(pa / MIB)} → ${fmt(pb / MIB)} MiB (${pb >= pa ? '+' : ''}${fmt(((pb - pa) / pa) * 100)} %)` : '–';
  };
  const date = new Date().toISOString().slice(0, 10);
  const lat = (name: RunName) => results.find((x) => x.name === name)?.r.lat;
  const lines = [
    `# Docstore bounded cache: memory against data, hot vs cold reads (${date})`,
    '',
    `\`npm run bench:docstore-cache -- --cache-mb ${flags.cacheMb} --data-mb ${flags.dataMb} --clients ${flags.clients} --runs ${flags.runs.join(',')}\`: a journaled docstore (CLI, child process) with ${fmt(RESIDENTS)} residents (≈ 1 KB, read by \`_id\` with 80 % of reads on 20 % of them, and by household), growing by access-log appends (≈ 1.3 KB, the access service's four indexes) to ${flags.dataMb} MiB of BSON; ${flags.clients} clients. Machine shared with other work (2 cores): latencies are indicative. "Heap after last full GC" is read when a full collection happens, so it may be a few seconds old.`,
    '',
    '## Memory against data',
    '',
    ...results.flatMap(({ name, r }) => table(`${plan[name].title} (${fmt(r.secs)} s)`, r.samples)),
    'From a third of the data to the end:',
    '',
    ...results.map(({ name, r }) => `- ${name}: data ${growth(r.samples, (s) => s.data)}; RSS ${growth(r.samples, (s) => s.rss)}; heap total ${growth(r.samples, (s) => s.heapTotal)}; heap after GC ${growth(r.samples, (s) => s.heapAfterGc)}.`),
    '',
    '## Read latency, hot vs cold (medians)',
    '',
    '| read | hot | cold | cold / hot |',
    '|---|--:|--:|--:|',
    ...(['bounded', 'v8-heap'] as const).flatMap((name) => {
      const l = lat(name);
      return l
        ? [
            `| findOne by \`_id\` over TCP (driver round trip), ${name} | ${fmt(l.hot, 3)} ms | ${fmt(l.cold, 3)} ms | ${fmt(l.cold / l.hot, 2)}× |`,
            `| find({_id: {$in: 100 ids}}) over TCP, ${name} | ${fmt(l.hotBatch, 2)} ms | ${fmt(l.coldBatch, 2)} ms | ${fmt(l.coldBatch / l.hotBatch, 2)}× |`,
          ]
        : [];
    }),
    ...(lat('unbounded') ? [`| findOne by \`_id\` over TCP, unbounded store (all hot; the 'cold' column is the same documents' first read) | ${fmt(lat('unbounded')!.hot, 3)} ms | ${fmt(lat('unbounded')!.cold, 3)} ms | ${fmt(lat('unbounded')!.cold / lat('unbounded')!.hot, 2)}× |`] : []),
    '',
    ...(lat('bounded') ? [`The cold TCP reads were of access-log entries from the start of the run: ${fmt(lat('bounded')!.coldReadsSeen)} of 1,000 were read from disk in the bounded run (the others were still cached). Files are in the OS page cache here (just written), so "cold" is a read(2) from page cache plus a decode, not a disk seek.`, ''] : []),
  ];
  const text = lines.join('\n');
  process.stdout.write(text + '\n');
  const file = path.join(__dirname, 'results', `docstore-cache-${date}.md`);
  fs.writeFileSync(file, text);
  log(`written to ${path.relative(ROOT, file)}`);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
