/**
 * The bounded document cache (src/cache.ts): with a dbpath and a cache far smaller than the
 * data, documents are dropped from memory and read back from the journal or a snapshot. Every
 * answer must be the one an unlimited store gives (an in-memory docstore fed the same writes
 * is the reference), through updates and deletes of cold documents, unique checks, cursors,
 * compaction and restart; serverStatus reports the cache; memory stops growing with the data.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DocCache } from '../src/cache';
import { Journal } from '../src/journal';
import { Store } from '../src/store';
import { keyOf } from '../src/values';
import { DocstoreHandle, DriverClient, MongoClient, describeDocstore, rejection, rmDir, tmpDir } from './helpers';
import { startDocstore } from '@anmulong/docstore';

const ACTORS = 40;
const KINDS = ['read', 'write', 'grant', 'revoke', 'login'];

function auditEntry(seq: number) {
  return {
    _id: `e${String(seq).padStart(6, '0')}`,
    seq,
    actor: `a${seq % ACTORS}`,
    kind: KINDS[seq % KINDS.length],
    at: new Date(Date.UTC(2026, 0, 1) + seq * 60_000),
    tags: [`t${seq % 7}`, `t${seq % 11}`],
    detail: { path: `/county/${seq % 13}/household/${seq % 97}`, note: 'x'.repeat(1500 + (seq % 300)) },
  };
}

/** Every query shape the store serves, answered as plain data for comparison. */
async function answers(c: MongoClient) {
  const db = c.db('cachetest');
  const audit = db.collection<any>('audit');
  const residents = db.collection<any>('residents');
  return {
    byId: await audit.find({ _id: { $in: ['e000007', 'e001234', 'e002999', 'nope'] } }).toArray(),
    oneById: await audit.findOne({ _id: 'e000500' }),
    byActor: await audit.find({ actor: 'a7' }).sort({ seq: -1 }).limit(20).toArray(),
    // (unsorted index answers come in index-bucket order, which differs after a restart
    // rebuilt the index: MongoDB promises no order there either)
    compound: await audit.find({ kind: 'grant', actor: { $in: ['a2', 'a12', 'a22'] } }).sort({ _id: 1 }).toArray(),
    range: await audit.find({ seq: { $gte: 100, $lt: 140 } }).project({ detail: 0 }).toArray(),
    multikey: await audit.find({ tags: 't3', kind: 'read' }).project({ seq: 1 }).sort({ _id: 1 }).toArray(),
    page: await audit.find({}).sort({ _id: 1 }).skip(100).limit(50).toArray(),
    keyset: await audit.find({ _id: { $gt: 'e002000' } }).sort({ _id: 1 }).limit(10).toArray(),
    keysetDown: await audit.find({ _id: { $lt: 'e001000' } }).sort({ _id: -1 }).limit(10).toArray(),
    sortedScan: await audit.find({ 'detail.path': { $regex: '/household/5$' } }).sort({ at: -1 }).toArray(),
    natural: (await audit.find({}).project({ seq: 1 }).toArray()).map((d) => d.seq),
    counts: [await audit.countDocuments({ actor: 'a3' }), await audit.countDocuments({ 'detail.note': { $regex: '^x{1700}' } }), await audit.estimatedDocumentCount()],
    distinct: await audit.distinct('kind', { actor: 'a1' }),
    unsortedIndexed: (await audit.find({ actor: 'a9' }).toArray()).sort((a, b) => a.seq - b.seq),
    grouped: await audit.aggregate([{ $match: { kind: 'write' } }, { $group: { _id: '$actor', n: { $sum: 1 }, last: { $max: '$seq' } } }, { $sort: { _id: 1 } }]).toArray(),
    lookup: await residents
      .aggregate([{ $match: { household: 3 } }, { $lookup: { from: 'audit', localField: 'lastEntry', foreignField: '_id', as: 'entry' } }, { $project: { 'entry.detail': 0 } }])
      .toArray(),
    residents: await residents.find({ household: { $in: [1, 2, 50] } }).sort({ _id: 1 }).toArray(),
  };
}

async function writeData(c: MongoClient, from: number, to: number) {
  const db = c.db('cachetest');
  for (let s = from; s < to; s += 250) {
    const batch = [];
    for (let i = s; i < Math.min(to, s + 250); i++) batch.push(auditEntry(i));
    await db.collection<any>('audit').insertMany(batch);
  }
}

async function setupData(c: MongoClient) {
  const db = c.db('cachetest');
  await db.collection('audit').createIndex({ actor: 1 });
  await db.collection('audit').createIndex({ seq: 1 }, { unique: true });
  await db.collection('audit').createIndex({ kind: 1, actor: 1 });
  await db.collection('audit').createIndex({ tags: 1 });
  await db.collection('residents').createIndex({ household: 1 });
  await writeData(c, 0, 3000); // ≈ 5.3 MB of BSON: ≈ 17 MB of charge against a 1 MiB cache
  await db.collection<any>('residents').insertMany(Array.from({ length: 400 }, (_, i) => ({ _id: i, household: i % 100, name: `resident ${i}`, lastEntry: `e${String(i * 7).padStart(6, '0')}` })));
}

/** The same writes to a cold document and its neighbours, on both stores. */
async function mutate(c: MongoClient) {
  const audit = c.db('cachetest').collection<any>('audit');
  await audit.updateMany({ actor: 'a5' }, { $set: { reviewed: true }, $inc: { seq: 100_000 } });
  await audit.updateOne({ _id: 'e000010' }, { $set: { 'detail.note': 'short' } });
  await audit.replaceOne({ _id: 'e000011' }, { seq: -11, actor: 'a11', kind: 'write', tags: [] });
  await audit.deleteMany({ kind: 'login', actor: { $in: ['a4', 'a14'] } });
  await audit.deleteOne({ _id: 'e000012' });
  const before = await audit.findOneAndUpdate({ _id: 'e000013' }, { $push: { tags: 'late' } } as any, { returnDocument: 'before' });
  const dup = await rejection(audit.insertOne({ _id: 'fresh', seq: 20 })); // seq 20 belongs to a cold document
  const dupUpdate = await rejection(audit.updateOne({ _id: 'e000021' }, { $set: { seq: 22 } }));
  await audit.insertOne({ _id: 'e000012', seq: 12, actor: 'a12', kind: 'read', tags: ['again'] }); // a deleted _id again
  return { before, dup: [dup.code, dup.message], dupUpdate: [dupUpdate.code, dupUpdate.message] };
}

async function cacheStatus(c: MongoClient) {
  return (await c.db('admin').command({ serverStatus: 1 })).docstore.cache;
}

describeDocstore('bounded document cache (dbpath, cache far smaller than the data)', () => {
  let dir: string;
  let tiny: DocstoreHandle;
  let ref: DocstoreHandle;
  let tc: MongoClient;
  let rc: MongoClient;

  beforeAll(async () => {
    dir = tmpDir('cache');
    tiny = await startDocstore({ port: 0, dbpath: dir, cacheSizeMB: 2, quiet: true });
    ref = await startDocstore({ port: 0, quiet: true });
    tc = await new DriverClient(tiny.uri).connect();
    rc = await new DriverClient(ref.uri).connect();
    await setupData(tc);
    await setupData(rc);
  });

  afterAll(async () => {
    await tc?.close();
    await rc?.close();
    await tiny?.close();
    await ref?.close();
    rmDir(dir);
  });

  it('answers every query shape as an unlimited store does, with most documents cold', async () => {
    const st = await cacheStatus(tc);
    expect(st.evictable).toBe(true);
    expect(st.maxBytes).toBe(2 * 1024 * 1024);
    // the budget holds the hot documents and every document's bookkeeping together
    expect(st.overheadBytes).toBeGreaterThan(500_000);
    expect(st.bytes + st.overheadBytes).toBeLessThanOrEqual(st.maxBytes);
    expect(st.coldDocuments).toBeGreaterThan(2500);
    expect(st.evictions).toBeGreaterThan(2500);
    expect(await answers(tc)).toEqual(await answers(rc));
    const after = await cacheStatus(tc);
    expect(after.coldReads).toBeGreaterThan(st.coldReads + 3000);
    expect(after.bytes).toBeLessThanOrEqual(after.maxBytes);
  });

  it('updates, deletes and unique checks on cold documents; a cursor keeps the versions it saw', async () => {
    // a cursor opened before the writes, positioned over cold documents
    const cur = tc.db('cachetest').collection<any>('audit').find({ actor: 'a5' }).sort({ _id: 1 }).batchSize(2);
    const refCur = rc.db('cachetest').collection<any>('audit').find({ actor: 'a5' }).sort({ _id: 1 }).batchSize(2);
    const first = [await cur.next(), await refCur.next()];
    expect(first[0]).toEqual(first[1]);
    const results = await mutate(tc);
    expect(results).toEqual(await mutate(rc));
    expect(results.dup[0]).toBe(11000);
    expect(results.dupUpdate[0]).toBe(11000);
    const rest = await cur.toArray();
    expect(rest.length).toBe(3000 / ACTORS - 1);
    expect(rest.every((d) => d.reviewed === undefined && d.seq < 100_000)).toBe(true);
    await refCur.close();
    expect(await answers(tc)).toEqual(await answers(rc));
  });

  it('point reads bring a document back; a scan far larger than the cache keeps what is read by id; a collection scanned again stays cached', async () => {
    const db = tc.db('cachetest');
    const audit = db.collection<any>('audit');
    await audit.findOne({ _id: 'e002500' });
    await audit.findOne({ _id: 'e002500' }); // read again by id: protected
    const s1 = await cacheStatus(tc);
    expect(s1.protectedBytes).toBeGreaterThan(0);
    await audit.findOne({ _id: 'e002500' }); // hot: no disk read
    const s2 = await cacheStatus(tc);
    expect(s2.coldReads).toBe(s1.coldReads);
    for (let pass = 0; pass < 2; pass++) {
      const all = await audit.find({ 'detail.note': { $regex: 'never' } }).toArray(); // a scan over every document, many times the cache
      expect(all).toEqual([]);
    }
    const s3 = await cacheStatus(tc);
    expect(s3.coldReads).toBeGreaterThan(s2.coldReads + 5000);
    expect(s3.bytes + s3.overheadBytes).toBeLessThanOrEqual(s3.maxBytes);
    await audit.findOne({ _id: 'e002500' }); // still cached after both scans
    expect((await cacheStatus(tc)).coldReads).toBe(s3.coldReads);

    // A small collection that queries scan again and again is read from disk once, then from the cache.
    const small = db.collection<any>('scanned');
    await small.insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: `s${String(i).padStart(4, '0')}`, grid: `g${i % 7}`, note: 'x'.repeat(200) })));
    await audit.find({ 'detail.note': { $regex: 'never' } }).toArray(); // pushes the new documents out
    const before = await cacheStatus(tc);
    expect(await small.find({ grid: 'g3' }).toArray()).toHaveLength(29);
    const first = await cacheStatus(tc);
    expect(first.coldReads - before.coldReads).toBe(200);
    expect(await small.find({ grid: 'g3' }).toArray()).toHaveLength(29);
    expect((await cacheStatus(tc)).coldReads).toBe(first.coldReads);
  });

  it('bookkeeping counts against the budget: more documents leave fewer hot, and dropping them gives the room back', async () => {
    const db = tc.db('cachetest');
    const before = await cacheStatus(tc);
    const grown = db.collection<any>('grown');
    await grown.createIndex({ owner: 1 });
    await grown.createIndex({ ref: 1 }, { unique: true });
    for (let i = 0; i < 1500; i += 500) {
      await grown.insertMany(Array.from({ length: 500 }, (_, k) => ({ owner: `o${(i + k) % 50}`, ref: `ref-${i + k}`, tags: [`t${k % 3}`, `t${k % 5}`], note: 'y'.repeat(100) })));
    }
    await grown.find({}).sort({ _id: -1 }).limit(1).toArray(); // builds the _id order, counted too
    const full = await cacheStatus(tc);
    // 1,500 documents with two indexes and the _id order: roughly 160 + 2 × 60 + 80 bytes each
    expect(full.overheadBytes - before.overheadBytes).toBeGreaterThan(1500 * 200);
    expect(full.overheadBytes - before.overheadBytes).toBeLessThan(1500 * 600);
    expect(full.bytes + full.overheadBytes).toBeLessThanOrEqual(full.maxBytes);
    expect(full.bytes).toBeLessThan(before.bytes);
    // an update moves index keys, a delete removes them: what is counted follows exactly
    await grown.updateMany({ owner: 'o7' }, { $set: { owner: 'o8', ref: 'x' } }).catch(() => undefined); // refused: ref is unique
    await grown.updateMany({ owner: 'o7' }, { $set: { owner: 'o9' } });
    await grown.deleteMany({ owner: 'o9' });
    const fewer = await cacheStatus(tc);
    expect(fewer.overheadBytes).toBeLessThan(full.overheadBytes);
    await grown.drop();
    expect((await cacheStatus(tc)).overheadBytes).toBe(before.overheadBytes);
  });

  it('a restart on the dbpath (snapshot written from cold documents) loads within budget and answers the same', async () => {
    await tc.close();
    await tiny.close();
    tiny = await startDocstore({ port: 0, dbpath: dir, cacheSizeMB: 2, quiet: true });
    tc = await new DriverClient(tiny.uri).connect();
    const st = await cacheStatus(tc);
    expect(st.bytes + st.overheadBytes).toBeLessThanOrEqual(st.maxBytes);
    expect(st.coldDocuments).toBeGreaterThan(2500);
    expect(await answers(tc)).toEqual(await answers(rc));
    // and the store keeps taking writes after the restart
    await writeData(tc, 3000, 3500);
    await writeData(rc, 3000, 3500);
    expect(await answers(tc)).toEqual(await answers(rc));
  });

  it('without a dbpath nothing can be evicted, and serverStatus says so', async () => {
    const st = await cacheStatus(rc);
    expect(st).toMatchObject({ evictable: false, maxBytes: null, coldDocuments: 0, evictions: 0 });
    expect(st.hotDocuments).toBeGreaterThan(3000);
  });
});

/** Files of `dir` this process still holds open although they were deleted. */
function openDeletedFiles(dir: string): string[] {
  const out: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir) && target.endsWith('(deleted)')) out.push(target);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

describeDocstore('compaction with cold documents', () => {
  it('copies cold documents into the snapshot, moves their locations, then lets the old files go', async () => {
    const dir = tmpDir('cache-compact');
    const store = new Store(new DocCache(256 * 1024));
    const journal = await Journal.open(dir, store);
    store.persistence = journal;
    try {
      const coll = store.ensure('db', 'log');
      store.createIndex(coll, { v: 2, key: { n: 1 }, name: 'n_1', unique: true });
      const expected = new Map<number, string>();
      const put = async (from: number, to: number, tag: string) => {
        for (let i = from; i < to; i++) {
          const doc = { _id: i, n: i, tag, pad: `${tag}${i}`.repeat(200) };
          const old = coll.docs.peek(keyOf(i)) ? coll.docs.get(keyOf(i)) : undefined;
          if (old) coll.replace(old, doc);
          else coll.insert(doc);
          expected.set(i, tag);
        }
        await journal.sync();
      };
      const check = () => {
        const seen = new Map<number, string>();
        for (const d of coll.docs.values()) seen.set(d._id as number, d.tag as string);
        expect(seen).toEqual(expected);
        for (const i of [0, 500, 1999]) expect(coll.docs.get(keyOf(i))).toMatchObject({ _id: i, tag: expected.get(i) });
      };
      await put(0, 2000, 'a'); // ≈ 2 MB: most documents cold, in journal 1
      expect(store.cache!.status().hotDocuments).toBeLessThan(1000);
      await journal.compact(); // cold documents copied from the journal into snapshot 1
      expect(openDeletedFiles(dir)).toEqual([]);
      check();
      await put(1500, 2500, 'b'); // newer versions of some, in journal 2
      const compacting = journal.compact(); // cold ones copied from snapshot 1 and journal 2
      await put(0, 100, 'c'); // written while the snapshot is being written
      await compacting;
      expect(openDeletedFiles(dir)).toEqual([]);
      check();
      for (const f of fs.readdirSync(dir)) expect(f).toMatch(/^(docstore\.lock|snapshot-2\.dsnap|journal-2\.dsj)$/);
    } finally {
      await journal.close();
    }
    // reopened with a cache smaller than the data: the same documents, loaded mostly cold
    const again = new Store(new DocCache(256 * 1024));
    const j2 = await Journal.open(dir, again);
    try {
      const coll = again.get('db', 'log')!;
      expect(coll.docs.size).toBe(2500);
      expect(again.cache!.status().bytes).toBeLessThanOrEqual(256 * 1024);
      expect(coll.docs.get(keyOf(50))).toMatchObject({ tag: 'c' });
      expect(coll.docs.get(keyOf(1600))).toMatchObject({ tag: 'b' });
      expect(coll.docs.get(keyOf(700))).toMatchObject({ tag: 'a' });
      expect(coll.fetch(coll.plan({ n: 2400 })!)).toMatchObject([{ _id: 2400, tag: 'b' }]);
    } finally {
      await j2.close();
      rmDir(dir);
    }
  });
});

describeDocstore('compaction while a journal write is in flight (slow disk)', () => {
  it('a captured document whose journal write completes after the snapshot is written keeps its snapshot place', async () => {
    const dir = tmpDir('cache-compact-slow');
    const store = new Store(new DocCache(64 * 1024));
    const journal = await Journal.open(dir, store);
    store.persistence = journal;
    // every journal write takes 300 ms to complete: longer than writing this small snapshot
    const writev = fs.writev;
    const slow = jest.spyOn(fs, 'writev').mockImplementation(((fd: number, bufs: NodeJS.ArrayBufferView[], cb: (e: Error | null, n: number) => void) => {
      setTimeout(() => writev(fd, bufs, cb), 300);
    }) as unknown as typeof fs.writev);
    try {
      const coll = store.ensure('db', 'log');
      for (let i = 0; i < 300; i++) coll.insert({ _id: i, pad: `p${i}-`.repeat(300) });
      const acked = journal.sync(); // what a request's acknowledgement does: the write is now in flight
      await journal.compact();
      await acked;
      slow.mockRestore();
      // most are cold now: each is read back from where its entry says it lies
      expect(store.cache!.status().hotDocuments).toBeLessThan(100);
      for (let i = 0; i < 300; i++) expect(coll.docs.get(keyOf(i))).toEqual({ _id: i, pad: `p${i}-`.repeat(300) });
    } finally {
      slow.mockRestore();
      await journal.close();
      rmDir(dir);
    }
  });
});

describeDocstore('memory with a bounded cache', () => {
  it('heap after GC stays bounded while the data grows to many times the cache', async () => {
    const dir = tmpDir('cache-mem');
    const root = path.resolve(__dirname, '..', '..');
    // --gc-global: every collection is a full one, so the heap-after-GC figure is always fresh
    const proc = spawn(process.execPath, ['--gc-global', '--import', 'tsx', 'docstore/src/cli.ts', '--port', '0', '--dbpath', dir, '--cacheSizeMB', '4', '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const uri = await new Promise<string>((resolve, reject) => {
        let out = '';
        proc.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /mongodb:\/\/[^\s]+/.exec(out);
          if (m) resolve(m[0]);
        });
        proc.once('exit', (code) => reject(new Error(`docstore exited (${code})`)));
      });
      const c = await new DriverClient(uri).connect();
      try {
        const db = c.db('cachetest');
        await db.collection('audit').createIndex({ actor: 1 });
        const samples: { data: number; heapAfterGc: number; cacheBytes: number }[] = [];
        const pad = 'y'.repeat(4000);
        let seq = 0;
        for (let round = 0; round < 40; round++) {
          // 1 MB of BSON per round, 40 MB in all (≈ 130 MB of heap if it were all decoded)
          await db.collection<any>('audit').insertMany(Array.from({ length: 250 }, () => ({ seq: seq++, actor: `a${seq % 50}`, pad })));
          await db.collection('audit').findOne({ actor: `a${round % 50}` });
          if (round % 5 === 4) {
            const st = (await c.db('admin').command({ serverStatus: 1 })).docstore;
            samples.push({ data: (round + 1) * 1_000_000, heapAfterGc: st.memory.heapUsedAfterGc, cacheBytes: st.cache.bytes });
          }
        }
        console.log(`heap after GC against data: ${samples.map((s) => `${s.data / 1e6} MB → ${(s.heapAfterGc / 1048576).toFixed(1)} MiB`).join(', ')}`);
        const early = samples[1]; // 10 MB of data
        const late = samples[samples.length - 1]; // 40 MB
        for (const s of samples) expect(s.cacheBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
        // 4 MiB of cache plus ≈ 10k cold entries and their index keys: far below 130 MB
        expect(late.heapAfterGc).toBeLessThan(60 * 1024 * 1024);
        // 30 MB more data (≈ 100 MB decoded) grew the live heap by a small fraction of that
        expect(late.heapAfterGc - early.heapAfterGc).toBeLessThan(20 * 1024 * 1024);
      } finally {
        await c.close();
      }
      // killed: the next open replays 40 MB of journal into a 4 MiB cache (most documents cold)
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
      const again = await startDocstore({ port: 0, dbpath: dir, cacheSizeMB: 2, quiet: true });
      const c2 = await new DriverClient(again.uri).connect();
      try {
        const audit = c2.db('cachetest').collection<any>('audit');
        expect(await audit.countDocuments({})).toBe(10_000);
        expect(await audit.countDocuments({ actor: 'a7' })).toBe(200);
        const d = await audit.findOne({ seq: 1234 });
        expect(d).toMatchObject({ seq: 1234, actor: 'a35' });
        expect(d!.pad.length).toBe(4000);
        const st = (await c2.db('admin').command({ serverStatus: 1 })).docstore.cache;
        expect(st.bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
        expect(st.coldDocuments).toBeGreaterThan(8_000);
      } finally {
        await c2.close();
        await again.close();
      }
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmDir(dir);
    }
  }, 120_000);
});
