/**
 * The bounded document cache (the docstore's WiredTiger cache, in spirit).
 *
 * With a dbpath every stored document is also on disk: in a journal put batch or a snapshot
 * chunk, as its exact BSON. A collection keeps, per `_id`, an `Entry` holding the decoded
 * document (hot) and/or its on-disk location (cold once the document is dropped). Hot
 * entries sit in one segmented LRU shared by every collection (DocCache); once their charge
 * passes the budget the least recently used are made cold (their decoded object is dropped, the
 * location stays). Reads of a cold document (by `_id`, through an index, or by a scan) decode it
 * with one `readSync` and cache it on probation; a document read again by id is protected. So one
 * pass over a large collection churns only probation and does not flush the residents, while a
 * collection that queries scan again and again stays cached.
 *
 * Budget accounting: the budget covers everything the store keeps in memory per document, like
 * WiredTiger's cache holds both data and index pages, so the store's memory stays put while its
 * data grows (fewer documents stay decoded instead):
 * - a hot document is charged the heap its decoded form takes (`heapBytesOf`: V8's sizes for
 *   objects, strings, arrays, dates; measured per document shape, it differs by shape from 2.3 to
 *   4.4 heap bytes per byte of BSON, so a single factor let evictions free less than they were
 *   charged and the heap grew while the charge stood still);
 * - every document, hot or cold, costs its bookkeeping (`overhead`): its `_id` key and entry, its
 *   index keys and bucket slots, its place in the `_id` order (see `Bookkeeping`), measured at
 *   about 160 bytes plus 30–90 per index key on a 64-bit Node without pointer compression.
 * Hot documents get what the bookkeeping leaves, but never less than MIN_HOT_SHARE of the budget
 * (a store whose keys alone outgrow its budget grows with its data; `serverStatus` shows it).
 *
 * Without a dbpath there is no disk copy, so nothing can be evicted: the table has no cache
 * and every document stays decoded (memory grows with the data, as before).
 *
 * Documents are immutable: a write makes a new entry and the old one leaves the list. An
 * entry's bytes are only evictable once the journal write that holds them has completed (the
 * journal fills in the entry's `seg`); until then the document stays hot even over budget.
 */
import * as fs from 'fs';
import { deserialize } from './wire';
import type { Doc } from './values';

/**
 * Heap bytes per byte of BSON of a decoded document, on average over the platform's data (778 MiB
 * of heap for 235 MiB of BSON on a 394k-document store): only to decide, before decoding, whether
 * a document loaded at open still fits. A cached document is charged `heapBytesOf` it.
 */
export const HEAP_BYTES_PER_BSON_BYTE = 3.3;

const ONE_BYTE = /^[\x00-\xff]*$/;
const SMI_MIN = -(2 ** 31);
const SMI_MAX = 2 ** 31 - 1;

/**
 * The heap a decoded value takes, by V8's layouts on 64-bit without pointer compression (each
 * checked against the measured heap of 50,000 copies): an object 40 + 8 bytes per property up to
 * 19 properties, past that a dictionary of 24 bytes per slot at 1.5× the properties rounded up to
 * a power of two (a 21-field access-log entry: 848 bytes of object alone); a string 16 + its
 * characters (two bytes each beyond Latin-1), 8-aligned; an array 40 + 8 per element; a Date 96;
 * a non-integer number 16; an ObjectId 96. Property names are shared and not counted.
 */
export function heapBytesOf(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return (16 + (ONE_BYTE.test(v) ? v.length : 2 * v.length) + 7) & ~7;
    case 'number':
      return Number.isInteger(v) && v >= SMI_MIN && v <= SMI_MAX ? 0 : 16;
    case 'object':
      break;
    default:
      return 0;
  }
  if (v === null) return 0;
  if (Array.isArray(v)) {
    let n = v.length ? 40 + 8 * v.length : 24;
    for (const x of v) n += heapBytesOf(x);
    return n;
  }
  if (v instanceof Date) return 96;
  const bsonType = (v as { _bsontype?: string })._bsontype;
  if (bsonType) return bsonType === 'Binary' ? 96 + (v as { position: number }).position : 96;
  let props = 0;
  let n = 0;
  for (const k in v as Doc) {
    props++;
    n += heapBytesOf((v as Doc)[k]);
  }
  if (props < 20) return n + 40 + 8 * props;
  let slots = 32;
  while (slots < props * 1.5) slots *= 2;
  return n + 80 + 24 * slots;
}
/** Like WiredTiger's minimum cache (its default is 50 % of RAM − 1 GB, at least 256 MB). */
export const DEFAULT_CACHE_MB = 256;

/** A readable file of the dbpath (journal or snapshot); fd -1 once closed. */
export interface Segment {
  readonly file: string;
  fd: number;
  /** bytes written so far (journals: where the next completed write lands) */
  size: number;
}

/** Where a document's BSON lies. `seg` is null until the write that holds it has completed. */
export interface Loc {
  seg: Segment | null;
  off: number;
  len: number;
}

/**
 * Heap estimates of the bookkeeping every document keeps even when cold (64-bit V8 without
 * pointer compression, as Node ships; measured with `--expose-gc` on 100k cold access-log entries:
 * 157 bytes with `_id` only, +52 for a unique number index, +85 for a unique UUID string index,
 * +27 per id in a shared bucket, 492 with the access log's four indexes, where these constants
 * count 531). Only what grows with the number of documents is counted.
 */
export const Bookkeeping = {
  /** an `Entry` (3 header words + 8 fields) */
  ENTRY: 80,
  /** one key/value in a Map: 3 words + its share of the bucket array, at a typical 3/4 load */
  MAP_SLOT: 37,
  /** one member of a Set bucket */
  SET_SLOT: 27,
  /** a Set bucket itself (object + its smallest table) */
  SET: 64,
  /** one place in a collection's `_id` order: two array slots and the `_id` value kept there */
  ID_ORDER: 80,
  /** a flat one-byte string of `n` characters: 2 header words, length and hash, 8-byte aligned */
  string: (n: number): number => (16 + n + 7) & ~7,
} as const;

/** What counts document bookkeeping against a budget (the DocCache; nothing without a dbpath). */
export interface Meter {
  account(bytes: number): void;
}

/** Where a hot entry sits: not in the cache, probation (admitted once) or protected (read again by id). */
const OUT = 0;
const PROBATION = 1;
const PROTECTED = 2;
type Segment_ = typeof OUT | typeof PROBATION | typeof PROTECTED;

/**
 * One stored version of a document: the decoded document while hot, and where its BSON lies (the
 * entry is its own `Loc`, filled in by the journal, so a cold document costs one object).
 * `len` is 0 in memory mode, where nothing has a place on disk.
 */
export class Entry implements Loc {
  prev: Entry | null = null;
  next: Entry | null = null;
  segment: Segment_ = OUT;
  /** what its decoded document is charged while cached (`heapBytesOf`, set when admitted) */
  weight = 0;
  constructor(
    public doc: Doc | null,
    public seg: Segment | null = null,
    public off = 0,
    public len = 0,
  ) {}
}

export interface CacheStatus {
  /** charged bytes of the hot documents */
  bytes: number;
  maxBytes: number;
  /** bookkeeping of every document (keys, entries, index slots), counted against the same budget */
  overheadBytes: number;
  hotDocuments: number;
  /** charged bytes of documents read again by id since they were cached */
  protectedBytes: number;
  evictions: number;
  coldReads: number;
}

/** One least-recently-used list (most recent at the head). */
class Lru {
  head: Entry | null = null;
  tail: Entry | null = null;
  bytes = 0;
  count = 0;

  push(e: Entry, charge: number, segment: Segment_): void {
    e.prev = null;
    e.next = this.head;
    if (this.head) this.head.prev = e;
    this.head = e;
    if (!this.tail) this.tail = e;
    e.segment = segment;
    this.bytes += charge;
    this.count++;
  }

  unlink(e: Entry, charge: number): void {
    if (e.prev) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = e.next = null;
    e.segment = OUT;
    this.bytes -= charge;
    this.count--;
  }
}

/**
 * A segmented LRU (SLRU): documents enter on probation (written, or read from disk by a scan or
 * a look-up) and move to the protected segment when read again by id. Eviction takes probation's
 * least recently used first. So a scan of a collection far larger than the cache only churns
 * probation (the documents read by id stay), while a collection scanned again and again stays in
 * the cache (each scan moves what it meets to the front of its segment), and appends nobody reads
 * again (the access log) age out of probation.
 */
export class DocCache {
  /** Every cache of this process together (the conformance test checks its suites really read cold documents). */
  static readonly totals = { coldReads: 0, evictions: 0 };
  /** At most this share of the hot documents' room is protected, so new documents always have room on probation. */
  static readonly PROTECTED_SHARE = 0.8;
  /** Hot documents keep at least this share of the budget however much bookkeeping there is. */
  static readonly MIN_HOT_SHARE = 0.125;
  evictions = 0;
  coldReads = 0;
  /** Bookkeeping bytes of every document (see `Bookkeeping`), counted by tables and indexes. */
  overhead = 0;
  private readonly probation = new Lru();
  private readonly protected_ = new Lru();

  constructor(readonly maxBytes: number) {}

  /** Bookkeeping grew or shrank; when it grew past what the hot documents leave, they give way. */
  account(bytes: number): void {
    this.overhead += bytes;
    if (bytes > 0 && this.bytes > this.hotBudget) this.evict();
  }

  /** Charged bytes of the hot documents. */
  get bytes(): number {
    return this.probation.bytes + this.protected_.bytes;
  }

  /** Room for hot documents: the budget less the bookkeeping, at least MIN_HOT_SHARE of it. */
  get hotBudget(): number {
    return Math.max(this.maxBytes - this.overhead, this.maxBytes * DocCache.MIN_HOT_SHARE);
  }

  get hot(): number {
    return this.probation.count + this.protected_.count;
  }

  charge(e: Entry): number {
    return e.weight;
  }

  /** Room for one more document of `bson` bytes without evicting (bulk load at open). */
  hasRoom(bson: number): boolean {
    return this.bytes + bson * HEAP_BYTES_PER_BSON_BYTE <= this.hotBudget;
  }

  /** Reads a document's exact BSON from disk. */
  raw(loc: Loc): Buffer {
    const b = Buffer.allocUnsafe(loc.len);
    DocCache.readInto(loc, b, 0);
    return b;
  }

  /** Reads a document's exact BSON from disk into `target` at `at` (compaction copies without a buffer per document). */
  static readInto(loc: Loc, target: Buffer, at: number): void {
    const seg = loc.seg;
    if (!seg || seg.fd < 0) throw new Error(`docstore: cold document in a closed or unwritten file (${seg?.file ?? 'pending'})`);
    let got = 0;
    while (got < loc.len) {
      const n = fs.readSync(seg.fd, target, at + got, loc.len - got, loc.off + got);
      if (n === 0) throw new Error(`docstore: short read in ${seg.file} at ${loc.off}`);
      got += n;
    }
  }

  decode(loc: Loc): Doc {
    this.coldReads++;
    DocCache.totals.coldReads++;
    return deserialize(this.raw(loc));
  }

  /** A cold entry read (by id or by a scan): decode it and cache it on probation. */
  load(e: Entry): Doc {
    const doc = this.decode(e);
    e.doc = doc;
    this.admit(e);
    return doc;
  }

  /** A new hot entry (written, or just loaded) goes to the front of probation, then the tails are evicted. */
  admit(e: Entry): void {
    e.weight = heapBytesOf(e.doc);
    this.probation.push(e, e.weight, PROBATION);
    if (this.bytes > this.hotBudget) this.evict();
  }

  /** A hot entry read by id: to the front of the protected segment (overflow goes back on probation). */
  touch(e: Entry): void {
    if (e.segment === PROTECTED && this.protected_.head === e) return;
    if (e.segment === OUT) return;
    const charge = this.charge(e);
    (e.segment === PROTECTED ? this.protected_ : this.probation).unlink(e, charge);
    this.protected_.push(e, charge, PROTECTED);
    const cap = this.hotBudget * DocCache.PROTECTED_SHARE;
    while (this.protected_.bytes > cap && this.protected_.tail !== e) {
      const old = this.protected_.tail as Entry;
      const c = this.charge(old);
      this.protected_.unlink(old, c);
      this.probation.push(old, c, PROBATION);
    }
  }

  /** A hot entry met by a scan: to the front of its own segment (a scan never promotes). */
  scanned(e: Entry): void {
    const segment = e.segment;
    if (segment === OUT) return;
    const list = segment === PROTECTED ? this.protected_ : this.probation;
    if (list.head === e) return;
    const charge = this.charge(e);
    list.unlink(e, charge);
    list.push(e, charge, segment);
  }

  /** The entry was replaced or deleted: it leaves the cache (its document stays valid for holders). */
  forget(e: Entry): void {
    if (e.segment === OUT) return;
    (e.segment === PROTECTED ? this.protected_ : this.probation).unlink(e, this.charge(e));
  }

  /** Drops least-recently-used documents whose bytes are on disk until within budget: probation first. */
  evict(): void {
    const room = this.hotBudget;
    for (const list of [this.probation, this.protected_]) {
      let e = list.tail;
      while (this.bytes > room && e) {
        const prev = e.prev;
        if (e.seg) {
          list.unlink(e, this.charge(e));
          e.doc = null;
          this.evictions++;
          DocCache.totals.evictions++;
        }
        e = prev;
      }
    }
  }

  status(): CacheStatus {
    return { bytes: this.bytes, maxBytes: this.maxBytes, overheadBytes: this.overhead, hotDocuments: this.hot, protectedBytes: this.protected_.bytes, evictions: this.evictions, coldReads: this.coldReads };
  }
}

/**
 * A collection's documents by canonical `_id` key, in insertion ($natural) order. The Map
 * API the rest of the code used (`get`, `values`, ...) is kept, with reads split into point
 * reads (`get`: cache the document) and scans (`values`, `peek`: do not).
 */
/** `_id` of a stored document's BSON without decoding the rest (it is the first field). */
export function idOfRaw(b: Buffer): unknown {
  if (b.length > 9 && b[5] === 0x5f && b[6] === 0x69 && b[7] === 0x64 && b[8] === 0) {
    const t = b[4];
    let n = -1;
    if (t === 0x07) n = 12;
    else if (t === 0x10) n = 4;
    else if (t === 0x01 || t === 0x09 || t === 0x11 || t === 0x12) n = 8;
    else if (t === 0x13) n = 16;
    else if (t === 0x02) n = 4 + b.readInt32LE(9);
    else if (t === 0x03 || t === 0x04) n = b.readInt32LE(9);
    else if (t === 0x05) n = 5 + b.readInt32LE(9);
    if (n >= 0 && 9 + n < b.length) {
      const one = Buffer.allocUnsafe(4 + 5 + n + 1);
      one.writeInt32LE(one.length, 0);
      b.copy(one, 4, 4, 9 + n);
      one[one.length - 1] = 0;
      return deserialize(one)._id;
    }
  }
  return deserialize(b)._id;
}

export class DocTable {
  private readonly m = new Map<string, Entry>();

  constructor(private readonly cache: DocCache | null) {}

  /** Bookkeeping of one document's place in the table (see `Bookkeeping`). */
  private static cost(id: string): number {
    return Bookkeeping.ENTRY + Bookkeeping.MAP_SLOT + Bookkeeping.string(id.length);
  }

  get size(): number {
    return this.m.size;
  }

  has(id: string): boolean {
    return this.m.has(id);
  }

  keys(): IterableIterator<string> {
    return this.m.keys();
  }

  entry(id: string): Entry | undefined {
    return this.m.get(id);
  }

  /** Point read: a cold document is read from disk and cached; a hot one is protected. */
  get(id: string): Doc | undefined {
    const e = this.m.get(id);
    if (!e) return undefined;
    if (e.doc) {
      if (this.cache) this.cache.touch(e);
      return e.doc;
    }
    return (this.cache as DocCache).load(e);
  }

  /** Scan read: a cold document is read from disk and cached on probation (see DocCache). */
  peek(id: string): Doc | undefined {
    const e = this.m.get(id);
    return e && this.scan(e);
  }

  private scan(e: Entry): Doc {
    if (e.doc) {
      this.cache?.scanned(e);
      return e.doc;
    }
    return (this.cache as DocCache).load(e);
  }

  rawOf(e: Entry): Buffer {
    return (this.cache as DocCache).raw(e);
  }

  docOf(e: Entry): Doc {
    return e.doc ?? (this.cache as DocCache).decode(e);
  }

  /** A scan (see `peek`). */
  *values(): Generator<Doc> {
    for (const e of this.m.values()) yield this.scan(e);
  }

  *entries(): Generator<[string, Doc]> {
    for (const [id, e] of this.m) yield [id, e.doc ?? (this.cache as DocCache).decode(e)];
  }

  rawEntries(): IterableIterator<[string, Entry]> {
    return this.m.entries();
  }

  /**
   * Stores a new version: hot when it has its document (written, or loaded while the cache has
   * room), else cold, known only by where it lies (load at open when the cache is full). A
   * written entry's place is filled in by the journal (`seg` stays null until the write is done).
   */
  set(id: string, e: Entry): void {
    const old = this.m.get(id);
    if (old) this.cache?.forget(old);
    else if (this.cache) this.cache.account(DocTable.cost(id));
    this.m.set(id, e);
    if (this.cache && e.doc) this.cache.admit(e);
  }

  delete(id: string): void {
    const e = this.m.get(id);
    if (!e) return;
    if (this.cache) {
      this.cache.forget(e);
      this.cache.account(-DocTable.cost(id));
    }
    this.m.delete(id);
  }

  /** The collection is dropped: its documents leave the cache. */
  clear(): void {
    if (this.cache) {
      for (const [id, e] of this.m) {
        this.cache.forget(e);
        this.cache.account(-DocTable.cost(id));
      }
    }
    this.m.clear();
  }

  /** BSON bytes of the documents (from their locations; decoded size for in-memory ones). */
  bsonBytes(size: (d: Doc) => number): number {
    let n = 0;
    for (const e of this.m.values()) n += e.len > 0 ? e.len : size(e.doc as Doc);
    return n;
  }
}
