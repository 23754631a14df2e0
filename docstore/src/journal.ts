/**
 * Durability for a dbpath: an append-only journal plus periodic snapshots.
 *
 * Files in the dbpath:
 *   docstore.lock           pid, start time and boot id of the owning process (a second process refuses to open)
 *   snapshot-<g>.dsnap      full state; valid only with its end record (written to .tmp,
 *                           fsynced, then renamed)
 *   journal-<g>.dsj         records appended after snapshot <g> was captured
 *
 * Record framing (both files): u32 length | u32 crc32(payload) | payload. A torn or
 * corrupt record (bad length or checksum) ends replay; the journal is truncated there, so
 * a crash at any moment leaves a readable store. Journal records are absolute
 * (put whole document / delete by id / create / drop / index), so replaying a record
 * that is already reflected in a snapshot is harmless.
 *
 * Journal payloads are either a BSON document ({ o: 'del' | 'create' | ..., ... }; its
 * first int32 is its own length) or a binary put batch:
 *   00 00 00 00 'P' db \0 coll \0 doc-BSON doc-BSON ...
 * (consecutive puts to one collection share a record; the documents are the bytes the
 * client sent when an insert stored them unchanged, so inserts are never re-serialized).
 * Snapshots: 'DSNAP001', a meta record per collection (type 1 + BSON), its documents in
 * chunk records (type 3 + concatenated doc BSON; type 2 = one document, older files),
 * and an end record (type 9). Loading is a bulk load: documents first, then each index
 * is built in one pass (see Collection.bulk).
 *
 * Document locations (the bounded cache, cache.ts): every put's BSON is written verbatim
 * into a journal batch, and every snapshot chunk holds documents' BSON verbatim, so a document
 * can be dropped from memory and read back from (file, offset, length). Each file stays open
 * for reading (`Segment`) while any location points into it; compaction copies cold documents'
 * bytes into the new snapshot, moves every location there, and only then closes the old files
 * (already unlinked: the open fd keeps them readable until that moment).
 *
 * Group commit: writes are applied in memory and appended to a pending buffer; the reply
 * waits on `sync()`, which resolves after the next write + fdatasync that covers it. All
 * writes that arrive while an fsync is in flight share the following one.
 */
import { acquireDirLock, fsyncDir, releaseDirLock } from '@anmulong/base';
import * as fs from 'fs';
import * as path from 'path';
import { crc32 } from 'zlib';
import { BSON } from 'bson';
import { Persistence, Store } from './store';
import { Collection } from './collection';
import { DocCache, type Entry, type Loc, type Segment } from './cache';
import { Doc } from './values';
import { deserialize } from './wire';

const SNAP_MAGIC = Buffer.from('DSNAP001');
const REC_META = 1;
const REC_DOC = 2;
const REC_DOCS = 3;
const REC_END = 9;
/** Journal payload tag of a binary put batch (after four zero bytes). */
const PUT_BATCH = 0x50; // 'P'
/** A put batch or snapshot chunk is closed once it holds this many bytes. */
const BATCH_BYTES = 1024 * 1024;

/** Compact when the journal grows past this many bytes (keeps replay at open short). */
const COMPACT_BYTES = 48 * 1024 * 1024;
/**
 * Periodic compaction check: compacts if the journal holds at least MIN bytes and a quarter of
 * the last snapshot's size. A snapshot rewrites the whole store, so a small journal on a large
 * store is not worth one (a steady trickle of writes would otherwise cost a full rewrite every
 * interval); COMPACT_BYTES still bounds the replay at open.
 */
const COMPACT_INTERVAL_MS = 5 * 60 * 1000;
const COMPACT_MIN_BYTES = 1024 * 1024;
const COMPACT_SNAPSHOT_FRACTION = 0.25;

const SER = { checkKeys: false, ignoreUndefined: true } as const;

function frame(payload: Buffer): Buffer {
  const h = Buffer.allocUnsafe(8);
  h.writeUInt32LE(payload.length, 0);
  h.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([h, payload]);
}

/** Read window when scanning a file at open: records are read from disk a window at a time. */
const READ_WINDOW = 4 * 1024 * 1024;

function readFully(fd: number, buf: Buffer, at: number): void {
  let got = 0;
  while (got < buf.length) {
    const n = fs.readSync(fd, buf, got, buf.length - got, at + got);
    if (n === 0) throw new Error('docstore: file shorter than expected');
    got += n;
  }
}

/**
 * Iterates the valid framed records of a file from `start`, reading it a window at a time (so
 * opening a store never holds a whole snapshot or journal in memory); `at` is the payload's
 * offset in the file. Returns the offset just past the last valid record.
 */
function readRecords(seg: Segment, start: number, onRecord: (payload: Buffer, at: number) => void): number {
  const size = fs.fstatSync(seg.fd).size;
  let buf = Buffer.alloc(0);
  let bufAt = 0;
  const window = (at: number, need: number) => {
    if (at >= bufAt && at + need <= bufAt + buf.length) return;
    buf = Buffer.allocUnsafe(Math.min(size - at, Math.max(READ_WINDOW, need)));
    bufAt = at;
    readFully(seg.fd, buf, at);
  };
  let pos = start;
  while (pos + 8 <= size) {
    window(pos, 8);
    const len = buf.readUInt32LE(pos - bufAt);
    const crc = buf.readUInt32LE(pos - bufAt + 4);
    if (len === 0 || pos + 8 + len > size) break;
    window(pos, 8 + len);
    const payload = buf.subarray(pos - bufAt + 8, pos - bufAt + 8 + len);
    if (crc32(payload) !== crc) break;
    onRecord(payload, pos + 8);
    pos += 8 + len;
  }
  return pos;
}

/** Opens a dbpath file for reading documents back from it. */
function openSegment(file: string): Segment {
  const fd = fs.openSync(file, 'r');
  return { file, fd, size: fs.fstatSync(fd).size };
}

function closeSegment(seg: Segment): void {
  if (seg.fd < 0) return;
  fs.closeSync(seg.fd);
  seg.fd = -1;
}

/** Applies one journal payload (binary put batch or BSON record) to the store; `at` = its place in `seg`. */
function replayPayload(payload: Buffer, store: Store, seg: Segment, at: number): void {
  if (payload.length > 5 && payload.readInt32LE(0) === 0 && payload[4] === PUT_BATCH) {
    let p = 5;
    let end = payload.indexOf(0, p);
    const db = payload.toString('utf8', p, end);
    p = end + 1;
    end = payload.indexOf(0, p);
    const c = payload.toString('utf8', p, end);
    p = end + 1;
    const coll = store.get(db, c) ?? store.create(db, c, {}, false);
    while (p + 5 <= payload.length) {
      const len = payload.readInt32LE(p);
      coll.applyRaw(payload.subarray(p, p + len), { seg, off: at + p, len });
      p += len;
    }
    return;
  }
  store.apply(deserialize(payload));
}

function snapshotSize(dir: string, gen: number): number {
  try {
    return fs.statSync(path.join(dir, `snapshot-${gen}.dsnap`)).size;
  } catch {
    return 0;
  }
}

function listGenerations(dir: string, prefix: string, ext: string): number[] {
  const out: number[] = [];
  for (const f of fs.readdirSync(dir)) {
    const m = new RegExp(`^${prefix}-(\\d+)\\.${ext}$`).exec(f);
    if (m) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}

function acquireLock(dbpath: string): string {
  const lockPath = path.join(dbpath, 'docstore.lock');
  return acquireDirLock(lockPath, (holder) =>
    holder === 'this process'
      ? `docstore: dbpath ${dbpath} is already open in this process (lock ${lockPath}); close the other store first`
      : `docstore: dbpath ${path.resolve(dbpath)} is in use by another process (${holder.replace('process ', 'pid ')}; lock file ${lockPath}). Stop that process or use a different --dbpath.`,
  );
}

interface Waiter {
  resolve(): void;
  reject(e: unknown): void;
}

interface CapturedCollection {
  meta: Doc;
  entries: Entry[];
}

export class Journal implements Persistence {
  private fd: number;
  private gen: number;
  private pending: Buffer[] = [];
  /** bytes in `pending`, and the puts whose place (relative to pending's start until written) is in it */
  private pendingBytes = 0;
  private pendingLocs: Loc[] = [];
  /** Open put batch (not yet framed): consecutive puts to one collection. */
  private batch: { db: string; c: string; docs: Buffer[]; locs: Loc[]; bytes: number } | null = null;
  private waiters: Waiter[] = [];
  private flushing = false;
  private toClose: number[] = [];
  private journalBytes = 0;
  private compacting: Promise<void> | null = null;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private failure: Error | null = null;

  private constructor(
    private readonly dir: string,
    private readonly store: Store,
    private readonly lockPath: string,
    gen: number,
    fd: number,
    bytes: number,
    private readonly quiet: boolean,
    /** the journal being appended to, and every file documents may be read back from */
    private seg: Segment,
    private segments: Segment[],
  ) {
    this.gen = gen;
    this.fd = fd;
    this.journalBytes = bytes;
    this.timer = setInterval(() => {
      if (this.periodicCompactionDue()) void this.compact().catch((e) => this.log(`compaction failed: ${e}`));
    }, COMPACT_INTERVAL_MS);
    this.timer.unref();
  }

  /** Bytes of the newest snapshot (0 before the first). */
  snapshotBytes = 0;
  private compactions = 0;
  private lastCompactionMs: number | null = null;

  status(): Doc {
    return { journalBytes: this.journalBytes, snapshotBytes: this.snapshotBytes, compactions: this.compactions, lastCompactionMs: this.lastCompactionMs, compacting: this.compacting !== null };
  }

  periodicCompactionDue(): boolean {
    return this.journalBytes >= Math.max(COMPACT_MIN_BYTES, this.snapshotBytes * COMPACT_SNAPSHOT_FRACTION);
  }

  /** Opens (or creates) a dbpath: takes the lock, loads the snapshot, replays journals. */
  static async open(dbpath: string, store: Store, opts: { quiet?: boolean } = {}): Promise<Journal> {
    fs.mkdirSync(dbpath, { recursive: true });
    const lockPath = acquireLock(dbpath);
    const segments: Segment[] = [];
    try {
      const quiet = opts.quiet ?? true;
      store.beginLoad();
      for (const f of fs.readdirSync(dbpath)) if (f.endsWith('.tmp')) fs.rmSync(path.join(dbpath, f), { force: true });
      // newest loadable snapshot wins
      let snapGen = 0;
      const snaps = listGenerations(dbpath, 'snapshot', 'dsnap');
      for (let i = snaps.length - 1; i >= 0; i--) {
        const file = path.join(dbpath, `snapshot-${snaps[i]}.dsnap`);
        const seg = openSegment(file);
        if (loadSnapshot(seg, store)) {
          snapGen = snaps[i];
          segments.push(seg);
          break;
        }
        closeSegment(seg);
        if (!quiet) process.stderr.write(`[docstore] ignoring incomplete snapshot ${file}\n`);
        store.dbs.clear();
      }
      const journals = listGenerations(dbpath, 'journal', 'dsj').filter((g) => g >= snapGen);
      let lastBytes = 0;
      for (let i = 0; i < journals.length; i++) {
        const file = path.join(dbpath, `journal-${journals[i]}.dsj`);
        const seg = openSegment(file);
        segments.push(seg);
        const end = readRecords(seg, 0, (payload, at) => {
          try {
            replayPayload(payload, store, seg, at);
          } catch (e) {
            if (!quiet) process.stderr.write(`[docstore] replay: skipped record (${(e as Error).message})\n`);
          }
        });
        if (end < seg.size) {
          // torn or corrupt tail: drop it so new records follow the last valid one
          if (!quiet) process.stderr.write(`[docstore] ${file}: dropped ${seg.size - end} bytes of torn journal tail\n`);
          fs.truncateSync(file, end);
          seg.size = end;
        }
        if (i === journals.length - 1) lastBytes = end;
      }
      // old files below the snapshot generation are garbage from an interrupted compaction
      for (const g of listGenerations(dbpath, 'journal', 'dsj')) {
        if (g < snapGen) fs.rmSync(path.join(dbpath, `journal-${g}.dsj`), { force: true });
      }
      for (const g of snaps) if (g < snapGen) fs.rmSync(path.join(dbpath, `snapshot-${g}.dsnap`), { force: true });
      store.endLoad();
      const gen = journals.length ? journals[journals.length - 1] : snapGen;
      const fd = fs.openSync(path.join(dbpath, `journal-${gen}.dsj`), 'a');
      fsyncDir(dbpath);
      let seg = segments.find((s) => s.file === path.join(dbpath, `journal-${gen}.dsj`));
      if (!seg) segments.push((seg = openSegment(path.join(dbpath, `journal-${gen}.dsj`))));
      seg.size = lastBytes;
      const journal = new Journal(dbpath, store, lockPath, gen, fd, lastBytes, quiet, seg, segments);
      journal.snapshotBytes = snapGen ? snapshotSize(dbpath, snapGen) : 0;
      return journal;
    } catch (e) {
      for (const s of segments) closeSegment(s);
      releaseDirLock(lockPath);
      throw e;
    }
  }

  append(rec: Doc): void {
    if (this.closed) throw new Error('docstore journal is closed');
    this.seal();
    const b = frame(BSON.serialize(rec, SER) as Buffer);
    this.pending.push(b);
    this.pendingBytes += b.length;
    this.grew(b.length);
  }

  put(db: string, c: string, doc: Doc, raw: Buffer | undefined, loc: Loc): void {
    if (this.closed) throw new Error('docstore journal is closed');
    const b = raw ?? (BSON.serialize(doc, SER) as Buffer);
    // `off` is relative to the batch's documents until sealed, then to pending, then absolute
    loc.seg = null;
    loc.off = 0;
    loc.len = b.length;
    const bt = this.batch;
    if (bt && bt.db === db && bt.c === c && bt.bytes < BATCH_BYTES) {
      loc.off = bt.bytes;
      bt.docs.push(b);
      bt.locs.push(loc);
      bt.bytes += b.length;
    } else {
      this.seal();
      this.batch = { db, c, docs: [b], locs: [loc], bytes: b.length };
    }
  }

  /** Frames the open put batch into `pending` (one record, one checksum). */
  private seal(): void {
    const bt = this.batch;
    if (!bt) return;
    this.batch = null;
    const prefix = Buffer.from(`\0\0\0\0P${bt.db}\0${bt.c}\0`, 'utf8');
    let crc = crc32(prefix);
    for (const d of bt.docs) crc = crc32(d, crc);
    const head = Buffer.allocUnsafe(8);
    head.writeUInt32LE(prefix.length + bt.bytes, 0);
    head.writeUInt32LE(crc, 4);
    this.pending.push(head, prefix, ...bt.docs);
    const docsAt = this.pendingBytes + 8 + prefix.length;
    for (const l of bt.locs) {
      l.off += docsAt;
      this.pendingLocs.push(l);
    }
    this.pendingBytes += 8 + prefix.length + bt.bytes;
    this.grew(8 + prefix.length + bt.bytes);
  }

  private grew(n: number): void {
    this.journalBytes += n;
    if (this.journalBytes >= COMPACT_BYTES && !this.compacting) {
      setImmediate(() => void this.compact().catch((e) => this.log(`compaction failed: ${e}`)));
    }
  }

  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.seal();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) void this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length || this.waiters.length) {
        const bufs = this.pending;
        const locs = this.pendingLocs;
        const waiters = this.waiters;
        this.pending = [];
        this.pendingLocs = [];
        this.pendingBytes = 0;
        this.waiters = [];
        const fd = this.fd;
        const seg = this.seg;
        try {
          if (bufs.length) {
            // gathered in one write without copying them together first (see writevAll)
            const bytes = await writevAll(fd, bufs);
            // written (page cache): these documents can now be read back, so evicted
            const base = seg.size;
            seg.size += bytes;
            for (const l of locs) {
              l.off += base;
              l.seg = seg;
            }
            this.store.cache?.evict();
          }
          await new Promise<void>((res, rej) => fs.fdatasync(fd, (e) => (e ? rej(e) : res())));
          for (const w of waiters) w.resolve();
        } catch (e) {
          // A failed fsync means we cannot promise durability any more: fail loudly.
          this.failure = new Error(`docstore journal write failed: ${(e as Error).message}`);
          for (const w of waiters) w.reject(this.failure);
        }
      }
    } finally {
      this.flushing = false;
      for (const fd of this.toClose.splice(0)) fs.closeSync(fd);
    }
  }

  /** Waits until everything appended so far is durable. */
  private async drain(): Promise<void> {
    if (this.batch || this.pending.length || this.flushing) await this.sync();
  }

  /**
   * Writes a snapshot of the current state and drops the journals it covers. The state is
   * captured synchronously (documents are immutable, so holding references is a
   * consistent snapshot) and new appends switch to the next journal in the same tick.
   */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting;
    this.compacting = (async () => {
      const started = Date.now();
      const gen = this.gen + 1;
      const state = capture(this.store);
      this.seal();
      this.rotate(gen);
      // a captured entry still being written learns its journal place when that write completes;
      // the snapshot's place must come after, or the journal's would overwrite it
      const written = this.sync();
      written.catch(() => undefined); // awaited below; a failure meanwhile must not go unhandled
      const places = await writeSnapshot(this.dir, gen, state);
      await written;
      // every captured version now also lies in the snapshot: point it there (a later
      // version, if any, is in the new journal), so nothing refers to the old files any more
      const snap = openSegment(path.join(this.dir, `snapshot-${gen}.dsnap`));
      state.forEach((c, i) => {
        const { offs, lens } = places[i];
        c.entries.forEach((e, j) => {
          e.seg = snap;
          e.off = offs[j];
          e.len = lens[j];
        });
      });
      const old = this.segments.filter((s) => s !== this.seg);
      this.segments = [snap, this.seg];
      for (const s of old) closeSegment(s);
      this.snapshotBytes = snapshotSize(this.dir, gen);
      for (const g of listGenerations(this.dir, 'journal', 'dsj')) {
        if (g < gen) fs.rmSync(path.join(this.dir, `journal-${g}.dsj`), { force: true });
      }
      for (const g of listGenerations(this.dir, 'snapshot', 'dsnap')) {
        if (g < gen) fs.rmSync(path.join(this.dir, `snapshot-${g}.dsnap`), { force: true });
      }
      fsyncDir(this.dir);
      this.compactions++;
      this.lastCompactionMs = Date.now() - started;
    })().finally(() => {
      this.compacting = null;
    });
    return this.compacting;
  }

  private rotate(gen: number) {
    const old = this.fd;
    const file = path.join(this.dir, `journal-${gen}.dsj`);
    this.fd = fs.openSync(file, 'a');
    this.seg = openSegment(file);
    this.segments.push(this.seg);
    this.gen = gen;
    this.journalBytes = this.pending.reduce((n, b) => n + b.length, 0);
    fsyncDir(this.dir);
    if (this.flushing) this.toClose.push(old);
    else fs.closeSync(old);
  }

  /** Clean shutdown: flush, final snapshot, release the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    try {
      await this.drain();
      if (this.compacting) await this.compacting;
      // leave a compact store behind: anything journaled since the last snapshot is folded
      // into a new one, so the next open is a single snapshot read
      if (this.journalBytes > 0) await this.compact();
    } finally {
      this.closed = true;
      await this.drain().catch(() => undefined);
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
      for (const s of this.segments) closeSegment(s);
      releaseDirLock(this.lockPath);
    }
  }

  private log(s: string) {
    if (!this.quiet) process.stderr.write(`[docstore] ${s}\n`);
  }
}

/**
 * Writes `bufs` in order with writev (at most IOV_MAX at a time), through short writes; returns
 * the bytes written. The journal's pending records are many small buffers: concatenating them
 * first allocated a buffer per flush, the size of the flush, which the allocator kept as RSS.
 */
async function writevAll(fd: number, bufs: Buffer[]): Promise<number> {
  let total = 0;
  for (let i = 0; i < bufs.length; i += 1024) {
    let part = bufs.slice(i, i + 1024);
    let want = part.reduce((n, b) => n + b.length, 0);
    total += want;
    while (want > 0) {
      const n = await new Promise<number>((resolve, reject) => fs.writev(fd, part, (err, written) => (err ? reject(err) : resolve(written))));
      want -= n;
      if (want === 0) break;
      // short write (rare on a regular file): go on from where it stopped
      let skip = n;
      while (skip >= part[0].length) skip -= (part.shift() as Buffer).length;
      part = [part[0].subarray(skip), ...part.slice(1)];
    }
  }
  return total;
}

function capture(store: Store): CapturedCollection[] {
  const out: CapturedCollection[] = [];
  for (const [db, colls] of store.dbs) {
    for (const c of colls.values()) {
      out.push({
        meta: { db, c: c.name, options: c.options, indexes: c.indexSpecs().slice(1) },
        entries: Array.from(c.docs.rawEntries(), (x) => x[1]),
      });
    }
  }
  return out;
}

/**
 * Writes snapshot <gen> and returns where each captured document lies in it (per collection,
 * in capture order: offsets and lengths in typed arrays). Documents go straight into one reused
 * chunk buffer: a hot one serialized into it, a cold one read from disk into it as it is, so a
 * compaction of a large store allocates nothing per document (per-document buffers were
 * hundreds of MiB of short-lived garbage, which the allocator kept as RSS).
 */
async function writeSnapshot(dir: string, gen: number, state: CapturedCollection[]): Promise<{ offs: Float64Array; lens: Int32Array }[]> {
  const tmp = path.join(dir, `snapshot-${gen}.dsnap.tmp`);
  const final = path.join(dir, `snapshot-${gen}.dsnap`);
  const fh = await fs.promises.open(tmp, 'w');
  const places: { offs: Float64Array; lens: Int32Array }[] = [];
  /** frame (8) + type (1), then the record's payload */
  const HEAD = 9;
  let buf = Buffer.allocUnsafe(HEAD + BATCH_BYTES + 64 * 1024);
  let used = 0; // payload bytes in buf
  /** file offset of the next record */
  let pos = 0;
  const emit = async (type: number) => {
    buf[8] = type;
    buf.writeUInt32LE(used + 1, 0);
    buf.writeUInt32LE(crc32(buf.subarray(8, HEAD + used)), 4);
    await writevAll(fh.fd, [buf.subarray(0, HEAD + used)]);
    pos += HEAD + used;
    used = 0;
  };
  const room = (n: number) => {
    if (HEAD + used + n > buf.length) {
      const bigger = Buffer.allocUnsafe(HEAD + used + n);
      buf.copy(bigger, 0, 0, HEAD + used);
      buf = bigger;
    }
  };
  /** A record of one BSON document (collection meta, end). */
  const emitDoc = async (type: number, doc: Doc) => {
    const b = BSON.serialize(doc, SER) as Buffer;
    room(b.length);
    b.copy(buf, HEAD);
    used = b.length;
    await emit(type);
  };
  /** Puts one document into the chunk; returns its length. */
  const put = (e: Entry): number => {
    if (!e.doc) {
      room(e.len);
      DocCache.readInto(e, buf, HEAD + used);
      used += e.len;
      return e.len;
    }
    room(e.len > 0 ? e.len + 1024 : 64 * 1024);
    let end: number;
    try {
      end = BSON.serializeWithBufferAndIndex(e.doc, buf, { ...SER, index: HEAD + used });
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      // larger than its journaled size: serialize alone, then copy
      const b = BSON.serialize(e.doc, SER) as Buffer;
      room(b.length);
      b.copy(buf, HEAD + used);
      end = HEAD + used + b.length - 1;
    }
    const len = end + 1 - (HEAD + used);
    used += len;
    return len;
  };
  try {
    await writevAll(fh.fd, [SNAP_MAGIC]);
    pos = SNAP_MAGIC.length;
    let total = 0;
    for (const c of state) {
      await emitDoc(REC_META, c.meta);
      const offs = new Float64Array(c.entries.length);
      const lens = new Int32Array(c.entries.length);
      places.push({ offs, lens });
      for (let i = 0; i < c.entries.length; i++) {
        // the chunk record starts at `pos`: 8 bytes of frame, 1 of type, then the documents
        offs[i] = pos + HEAD + used;
        lens[i] = put(c.entries[i]);
        total++;
        if (used >= BATCH_BYTES) {
          await emit(REC_DOCS);
          await new Promise((r) => setImmediate(r)); // keep serving requests meanwhile
        }
      }
      if (used) await emit(REC_DOCS);
    }
    await emitDoc(REC_END, { collections: state.length, docs: total });
    await fh.sync();
  } finally {
    await fh.close();
  }
  fs.renameSync(tmp, final);
  fsyncDir(dir);
  return places;
}

/** Loads a snapshot into the store (bulk-load mode); false if it is incomplete or corrupt. */
function loadSnapshot(seg: Segment, store: Store): boolean {
  const magic = Buffer.alloc(SNAP_MAGIC.length);
  if (seg.size < magic.length) return false;
  readFully(seg.fd, magic, 0);
  if (!magic.equals(SNAP_MAGIC)) return false;
  // Verify the whole file first (crc only) so a bad snapshot never half-loads; then a second
  // pass applies it (the file is read twice rather than held in memory whole).
  let lastType = -1;
  readRecords(seg, SNAP_MAGIC.length, (p) => (lastType = p[0]));
  if (lastType !== REC_END) return false;
  let current = null as Collection | null;
  let ended = false;
  readRecords(seg, SNAP_MAGIC.length, (p, at) => {
    const type = p[0];
    if (ended || type === REC_END) {
      ended = true;
      return;
    }
    if (type === REC_META) {
      const body = deserialize(p.subarray(1));
      current = store.create(body.db as string, body.c as string, (body.options as Doc) ?? {}, false);
      for (const spec of (body.indexes as Doc[]) ?? []) current.addIndex(spec); // built at endLoad()
    } else if (type === REC_DOCS && current) {
      let pos = 1;
      while (pos + 5 <= p.length) {
        const len = p.readInt32LE(pos);
        current.applyRaw(p.subarray(pos, pos + len), { seg, off: at + pos, len });
        pos += len;
      }
    } else if (type === REC_DOC && current) {
      current.applyRaw(p.subarray(1), { seg, off: at + 1, len: p.length - 1 });
    }
  });
  return true;
}

