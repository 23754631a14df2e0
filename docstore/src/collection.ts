/**
 * A collection: documents keyed by the canonical key of their `_id` (a Map, so iteration
 * is insertion order = $natural order), plus secondary indexes and the choice of index for a
 * filter (`plan`; planner.ts decides how a find uses it).
 *
 * Documents are immutable once stored. Writers build a new object and swap it in; readers
 * (cursors) hold references. This is the copy-on-write that gives cursors a stable view
 * without cloning every document on every query. With a dbpath, `docs` may hold a document
 * only by its place on disk (cold, see cache.ts): point reads (`docs.get`, index fetches)
 * bring it back into the cache, scans (`docs.values`, `walkById`) decode it for themselves.
 */
import { ObjectId } from 'bson';
import { Bookkeeping, DocCache, DocTable, Entry, Loc, idOfRaw } from './cache';
import { CommandError } from './errors';
import { Index, KeyEntry, compositeKey } from './indexes';
import { Matcher, compileFilter } from './query';
import { Doc, compareValues, isOperatorObject, isPlainObject, keyOf, setPath } from './values';
import { deserialize } from './wire';

export interface WriteLog {
  /**
   * `raw`, when given, is the document's exact BSON (saves serializing it again). Fills in
   * `loc` (the new entry): where the document will be on disk (untouched without a dbpath).
   */
  put(db: string, coll: string, doc: Doc, raw: Buffer | undefined, loc: Loc): void;
  del(db: string, coll: string, id: unknown): void;
}

/** A query plan: `_id` keys, or an index with the composite keys to look up, or a union. */
export interface Plan {
  ids?: string[];
  index?: Index;
  prefix?: number;
  keys?: string[];
  union?: Plan[];
  /** exact number of candidate ids (sum of bucket sizes) */
  estimate: number;
  /** the index answers the filter exactly: no need to re-test documents */
  covered: boolean;
}

export interface CollectionStats {
  indexLookups: number;
  collectionScans: number;
}

const ID_INDEX_SPEC = { v: 2, key: { _id: 1 }, name: '_id_' };
const MAX_LOOKUP_KEYS = 20_000;

export class Collection {
  readonly docs: DocTable;
  readonly indexes: Index[] = [];
  readonly stats: CollectionStats = { indexLookups: 0, collectionScans: 0 };
  /**
   * Bulk load (snapshot load + journal replay at open): puts and deletes skip index
   * maintenance and new indexes are only registered; `endBulkLoad()` then builds every
   * index in one pass over the final documents.
   */
  bulk = false;

  constructor(
    readonly db: string,
    readonly name: string,
    public options: Doc,
    private readonly log: WriteLog | null,
    private readonly cache: DocCache | null = null,
  ) {
    this.docs = new DocTable(cache);
  }

  /** A new version of a document, written through the log (which fills in where it lies). */
  private written(doc: Doc, raw?: Buffer): Entry {
    const e = new Entry(doc);
    this.log?.put(this.db, this.name, doc, raw, e);
    return e;
  }

  /** The collection is dropped: its documents and index keys no longer count against the cache. */
  release(): void {
    this.docs.clear();
    for (const ix of this.indexes) ix.clear();
    this.setIdOrder(null);
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  indexSpecs(): Doc[] {
    return [ID_INDEX_SPEC, ...this.indexes.map((i) => i.spec)];
  }

  // ------------------------------------------------------------ writes

  /** Index entries are recomputed on demand (cheap) rather than cached per document. */
  private entriesOf(doc: Doc): KeyEntry[][] {
    return this.indexes.map((ix) => ix.entries(doc));
  }

  private idDup(id: unknown): CommandError {
    const fake = new Index({ v: 2, key: { _id: 1 }, name: '_id_', unique: true });
    return fake.duplicateError(this.ns, { prefixes: [], values: [id] });
  }

  /** Inserts a new document (already `_id`-first). Throws E11000 on any unique violation. */
  insert(doc: Doc, raw?: Buffer): void {
    if (!('_id' in doc)) throw new CommandError(1, 'document without _id');
    const id = keyOf(doc._id);
    if (this.docs.has(id)) throw this.idDup(doc._id);
    const entries = this.entriesOf(doc);
    for (let i = 0; i < this.indexes.length; i++) {
      const c = this.indexes[i].conflict(id, entries[i]);
      if (c) throw this.indexes[i].duplicateError(this.ns, c);
    }
    const e = this.written(doc, raw);
    for (let i = 0; i < this.indexes.length; i++) this.indexes[i].add(id, entries[i]);
    this.docs.set(id, e);
    this.idOrderInsert(doc._id, id);
  }

  /** Replaces a stored document with a new version (same _id). */
  replace(oldDoc: Doc, newDoc: Doc): void {
    const id = keyOf(oldDoc._id);
    if (keyOf(newDoc._id) !== id) {
      throw new CommandError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    const oldEntries = this.entriesOf(oldDoc);
    const newEntries = this.entriesOf(newDoc);
    for (let i = 0; i < this.indexes.length; i++) {
      const c = this.indexes[i].conflict(id, newEntries[i]);
      if (c) throw this.indexes[i].duplicateError(this.ns, c);
    }
    const e = this.written(newDoc);
    for (let i = 0; i < this.indexes.length; i++) {
      this.indexes[i].remove(id, oldEntries[i]);
      this.indexes[i].add(id, newEntries[i]);
    }
    this.docs.set(id, e);
  }

  remove(doc: Doc): void {
    const id = keyOf(doc._id);
    if (!this.docs.has(id)) return;
    const entries = this.entriesOf(doc);
    for (let i = 0; i < this.indexes.length; i++) this.indexes[i].remove(id, entries[i]);
    this.docs.delete(id);
    this.idOrderRemove(doc._id);
    this.log?.del(this.db, this.name, doc._id);
  }

  /** Journal replay / snapshot load: put without unique checks (the log is trusted). */
  applyPut(doc: Doc, loc: Loc | null = null): void {
    const id = keyOf(doc._id);
    const e = new Entry(doc, loc?.seg ?? null, loc?.off ?? 0, loc?.len ?? 0);
    if (this.bulk) {
      if (this.idOrder && !this.docs.has(id)) this.idOrderInsert(doc._id, id);
      this.docs.set(id, e);
      return;
    }
    const old = this.docs.peek(id);
    if (old) {
      const oe = this.entriesOf(old);
      for (let i = 0; i < this.indexes.length; i++) this.indexes[i].remove(id, oe[i]);
    } else this.idOrderInsert(doc._id, id);
    this.docs.set(id, e);
    if (this.indexes.length) {
      const ne = this.entriesOf(doc);
      for (let i = 0; i < this.indexes.length; i++) this.indexes[i].add(id, ne[i]);
    }
  }

  /**
   * Load at open of a document's BSON found at `loc`: decoded while the cache has room,
   * else kept cold without decoding (a store bigger than the cache never has to be decoded
   * whole; endBulkLoad decodes each cold document once, transiently, to index it).
   */
  applyRaw(raw: Buffer, loc: Loc): void {
    if (!this.bulk || !this.cache || this.cache.hasRoom(raw.length)) {
      this.applyPut(deserialize(raw), loc);
      return;
    }
    const idValue = idOfRaw(raw);
    const id = keyOf(idValue);
    if (this.idOrder && !this.docs.has(id)) this.idOrderInsert(idValue, id);
    this.docs.set(id, new Entry(null, loc.seg, loc.off, loc.len));
  }

  applyDelete(idValue: unknown): void {
    const id = keyOf(idValue);
    if (!this.docs.has(id)) return;
    if (this.bulk) {
      this.docs.delete(id);
      this.idOrderRemove(idValue);
      return;
    }
    const doc = this.docs.peek(id) as Doc;
    const entries = this.entriesOf(doc);
    for (let i = 0; i < this.indexes.length; i++) this.indexes[i].remove(id, entries[i]);
    this.docs.delete(id);
    this.idOrderRemove(doc._id);
  }

  /** Builds a new index over existing data; fails (and leaves nothing behind) on duplicates. */
  addIndex(spec: Doc): void {
    const ix = new Index(spec, this.cache);
    if (this.bulk) {
      this.indexes.push(ix); // built by endBulkLoad()
      return;
    }
    for (const [id, doc] of this.docs.entries()) {
      const c = ix.build(id, doc);
      if (c) throw ix.duplicateError(this.ns, c);
    }
    this.indexes.push(ix);
  }

  /** Ends a bulk load: builds every index over the loaded documents (trusted: no unique checks). */
  endBulkLoad(): void {
    if (!this.bulk) return;
    this.bulk = false;
    if (!this.indexes.length) return;
    for (const ix of this.indexes) ix.clear();
    // one pass, each cold document decoded once for all indexes
    for (const [id, doc] of this.docs.entries()) for (const ix of this.indexes) ix.load(id, doc);
  }

  dropIndex(name: string): void {
    const i = this.indexes.findIndex((x) => x.name === name);
    if (i < 0) return;
    this.indexes[i].clear();
    this.indexes.splice(i, 1);
  }

  // ------------------------------------------------------------ reads

  /**
   * Candidate documents for a filter: from an index when equality/$in predicates cover an
   * index prefix, else every document (a collection scan). Always a superset of the
   * matches; callers still apply the full filter. Updates the per-collection counters.
   */
  candidates(filter: unknown): Doc[] | IterableIterator<Doc> {
    const plan = isPlainObject(filter) ? this.plan(filter) : null;
    if (plan) {
      this.stats.indexLookups++;
      return this.fetch(plan);
    }
    this.stats.collectionScans++;
    return this.docs.values();
  }

  /** Matching documents in natural/index order (no sort, no limit). */
  *matching(filter: unknown, matcher?: Matcher): Generator<Doc> {
    const m = matcher ?? compileFilter(filter);
    const plan = isPlainObject(filter) ? this.plan(filter) : null;
    if (plan) {
      this.stats.indexLookups++;
      const docs = this.fetch(plan);
      // an exactly covered filter needs no re-check: the index answered it
      if (plan.covered || m.matchesAll) yield* docs;
      else for (const d of docs) if (m.test(d)) yield d;
      return;
    }
    this.stats.collectionScans++;
    for (const d of this.docs.values()) if (m.matchesAll || m.test(d)) yield d;
  }

  /** Number of matching documents; answered from index buckets when the index covers the filter. */
  count(filter: unknown, matcher?: Matcher): number {
    if (!isPlainObject(filter) || Object.keys(filter).length === 0) return this.docs.size;
    const plan = this.plan(filter);
    if (plan?.covered) {
      this.stats.indexLookups++;
      if (plan.ids) return plan.ids.length;
      // one bucket: its size is the count (several buckets may share multikey documents)
      if (plan.keys && plan.keys.length === 1) return plan.estimate;
      return this.idsOf(plan).size;
    }
    let n = 0;
    for (const _ of this.matching(filter, matcher)) n++;
    return n;
  }

  /**
   * Best plan for a filter: `_id` lookups first, then the index with the fewest
   * candidate ids (exact bucket sizes, so a selective `householdId: {$in}` beats a broad
   * `divisionPath` equality). Returns null when no index applies.
   */
  plan(filter: Doc): Plan | null {
    const ex = extractEqualities(filter);
    if (ex) {
      const r = this.planEq(ex);
      if (r) return r;
    }
    // top-level $or: usable when every branch is index-backed
    const or = filter.$or;
    if (Array.isArray(or) && or.length > 0 && or.length <= 64) {
      const parts: Plan[] = [];
      for (const branch of or) {
        if (!isPlainObject(branch)) return null;
        const bex = extractEqualities(branch);
        const r = bex && this.planEq(bex);
        if (!r) return null;
        parts.push(r);
      }
      return { union: parts, estimate: parts.reduce((n, p) => n + p.estimate, 0), covered: false };
    }
    return null;
  }

  fetch(plan: Plan): Doc[] {
    const out: Doc[] = [];
    if (plan.ids) {
      for (const k of plan.ids) {
        const d = this.docs.get(k);
        if (d) out.push(d);
      }
      return out;
    }
    for (const id of this.idsOf(plan)) {
      const d = this.docs.get(id);
      if (d) out.push(d);
    }
    return out;
  }

  private idsOf(plan: Plan): Set<string> {
    const seen = new Set<string>();
    if (plan.union) {
      for (const p of plan.union) {
        if (p.ids) for (const k of p.ids) seen.add(k);
        else for (const k of this.idsOf(p)) seen.add(k);
      }
      return seen;
    }
    const ix = plan.index as Index;
    for (const key of plan.keys as string[]) for (const id of ix.lookup(plan.prefix as number, key)) seen.add(id);
    return seen;
  }

  private planEq(ex: Equalities): Plan | null {
    const eq = ex.eq;
    const ids = eq.get('_id');
    if (ids) {
      const keys: string[] = [];
      const seen = new Set<string>();
      for (const v of sortedUnique(ids)) {
        const k = keyOf(v);
        if (seen.has(k) || !this.docs.has(k)) continue;
        seen.add(k);
        keys.push(k);
      }
      return { ids: keys, estimate: keys.length, covered: ex.exact && eq.size === 1 && !hasNull(ids) };
    }
    let best: Plan | null = null;
    for (const ix of this.indexes) {
      let n = 0;
      while (n < ix.fields.length && eq.has(ix.fields[n])) n++;
      if (n === 0) continue;
      if (!this.indexUsable(ix, eq, n)) continue;
      let combos: string[][] = [[]];
      let tooMany = false;
      for (let i = 0; i < n && !tooMany; i++) {
        const vals = sortedUnique(eq.get(ix.fields[i]) as unknown[]);
        const next: string[][] = [];
        for (const c of combos) for (const v of vals) next.push([...c, keyOf(v)]);
        if (next.length > MAX_LOOKUP_KEYS) tooMany = true;
        combos = next;
      }
      if (tooMany) continue;
      const keys = combos.map((c) => compositeKey(c, n));
      let estimate = 0;
      for (const k of keys) estimate += ix.bucketSize(n, k);
      if (!best || estimate < best.estimate) {
        let covered = ex.exact && eq.size === n;
        for (let i = 0; i < n && covered; i++) if (hasNull(eq.get(ix.fields[i]) as unknown[])) covered = false;
        best = { index: ix, prefix: n, keys, estimate, covered };
      }
    }
    return best;
  }

  // ------------------------------------------------------------ _id order

  /**
   * Documents' `_id`s in ascending BSON order, built on first use of an `_id` sort and
   * then maintained incrementally (appending is O(1) for increasing ObjectIds).
   */
  private idOrder: { vals: unknown[]; keys: string[] } | null = null;

  private ensureIdOrder(): { vals: unknown[]; keys: string[] } {
    if (!this.idOrder) {
      const all = Array.from(this.docs.rawEntries(), ([k, e]) => [e.doc ? e.doc._id : idOfRaw(this.docs.rawOf(e)), k] as [unknown, string]);
      all.sort((a, b) => compareValues(a[0], b[0]));
      this.setIdOrder({ vals: all.map((x) => x[0]), keys: all.map((x) => x[1]) });
    }
    return this.idOrder as { vals: unknown[]; keys: string[] };
  }

  /** Installs or drops the `_id` order, keeping its bookkeeping counted against the cache. */
  private setIdOrder(o: { vals: unknown[]; keys: string[] } | null): void {
    this.cache?.account(((o?.keys.length ?? 0) - (this.idOrder?.keys.length ?? 0)) * Bookkeeping.ID_ORDER);
    this.idOrder = o;
  }

  private idOrderInsert(v: unknown, key: string) {
    const o = this.idOrder;
    if (!o) return;
    this.cache?.account(Bookkeeping.ID_ORDER);
    const n = o.vals.length;
    if (n === 0 || compareValues(o.vals[n - 1], v) < 0) {
      o.vals.push(v);
      o.keys.push(key);
      return;
    }
    const i = lowerBound(o.vals, v, false);
    o.vals.splice(i, 0, v);
    o.keys.splice(i, 0, key);
  }

  private idOrderRemove(v: unknown) {
    const o = this.idOrder;
    if (!o) return;
    const i = lowerBound(o.vals, v, false);
    if (i < o.vals.length && compareValues(o.vals[i], v) === 0) {
      this.cache?.account(-Bookkeeping.ID_ORDER);
      o.vals.splice(i, 1);
      o.keys.splice(i, 1);
    }
  }

  /**
   * Documents in `_id` order (dir 1 / -1), optionally starting after a bound taken from
   * the filter's `_id` range ($gt/$gte for ascending, $lt/$lte for descending) so keyset
   * pagination starts where the previous page ended.
   */
  *walkById(dir: 1 | -1, filter: Doc): Generator<Doc> {
    const o = this.ensureIdOrder();
    const r = idRange(filter);
    let i: number;
    if (dir === 1) {
      i = r.lower === undefined ? 0 : lowerBound(o.vals, r.lower.v, !r.lower.inclusive);
      for (; i < o.keys.length; i++) {
        const d = this.docs.peek(o.keys[i]);
        if (d) yield d;
      }
    } else {
      i = r.upper === undefined ? o.keys.length - 1 : lowerBound(o.vals, r.upper.v, r.upper.inclusive) - 1;
      for (; i >= 0; i--) {
        const d = this.docs.peek(o.keys[i]);
        if (d) yield d;
      }
    }
  }

  /** Sparse and partial indexes only hold some documents: use them only when safe. */
  private indexUsable(ix: Index, eq: Map<string, unknown[]>, n: number): boolean {
    if (ix.sparse) {
      for (let i = 0; i < n; i++) {
        if ((eq.get(ix.fields[i]) as unknown[]).some((v) => v === null || v === undefined)) return false;
      }
    }
    if (ix.partial) {
      // Usable if every document the query can match satisfies the partial filter. We can
      // only prove that from the equality values themselves: build the implied document
      // for each combination and test it.
      const pfe = ix.spec.partialFilterExpression as Doc;
      const fields = [...referencedFields(pfe)];
      if (!fields.every((f) => eq.has(f))) return false;
      let combos: Doc[] = [{}];
      for (const f of fields) {
        const next: Doc[] = [];
        for (const c of combos) {
          for (const v of eq.get(f) as unknown[]) {
            const d = structuredCloneShallow(c);
            setPath(d, f, v);
            next.push(d);
          }
        }
        if (next.length > 256) return false;
        combos = next;
      }
      if (!combos.every((d) => (ix.partial as Matcher).test(d))) return false;
    }
    return true;
  }
}

function structuredCloneShallow(d: Doc): Doc {
  const out: Doc = {};
  for (const k of Object.keys(d)) out[k] = isPlainObject(d[k]) ? structuredCloneShallow(d[k] as Doc) : d[k];
  return out;
}

function referencedFields(filter: Doc, out = new Set<string>()): Set<string> {
  for (const k of Object.keys(filter)) {
    const v = filter[k];
    if (k === '$and' || k === '$or' || k === '$nor') {
      if (Array.isArray(v)) for (const b of v) if (isPlainObject(b)) referencedFields(b, out);
    } else if (!k.startsWith('$')) out.add(k);
  }
  return out;
}

function sortedUnique(vals: unknown[]): unknown[] {
  if (vals.length <= 1) return vals;
  return [...vals].sort(compareValues);
}

export interface Equalities {
  eq: Map<string, unknown[]>;
  /** every conjunct of the filter is one of these equality / $in predicates */
  exact: boolean;
}

/**
 * Field → possible values, from top-level equality and $in predicates (and those inside a
 * top-level $and). Values that an index cannot answer exactly (regexes, arrays, operator
 * objects) disqualify the field. Returns null if nothing usable.
 */
export function extractEqualities(filter: Doc): Equalities | null {
  const eq = new Map<string, unknown[]>();
  let exact = true;
  const visit = (f: Doc) => {
    for (const k of Object.keys(f)) {
      const v = f[k];
      if (k === '$and' && Array.isArray(v)) {
        for (const b of v) {
          if (isPlainObject(b)) visit(b);
          else exact = false;
        }
        continue;
      }
      if (k.startsWith('$')) {
        exact = false;
        continue;
      }
      let vals: unknown[] | null = null;
      if (isOperatorObject(v)) {
        const ops = Object.keys(v);
        if ('$eq' in v && indexable(v.$eq)) vals = [v.$eq];
        else if (Array.isArray(v.$in) && v.$in.every(indexable)) vals = v.$in;
        if (ops.length !== 1) exact = false;
      } else if (indexable(v)) vals = [v];
      if (!vals) {
        exact = false;
        continue;
      }
      const prev = eq.get(k);
      if (prev) exact = false;
      if (!prev || vals.length < prev.length) eq.set(k, vals);
    }
  };
  visit(filter);
  return eq.size ? { eq, exact } : null;
}

const hasNull = (vals: unknown[]) => vals.some((v) => v === null || v === undefined);

/** First index whose value is >= v (or > v when `strict`). */
function lowerBound(vals: unknown[], v: unknown, strict: boolean): number {
  let lo = 0;
  let hi = vals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareValues(vals[mid], v);
    if (c < 0 || (strict && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Bound {
  v: unknown;
  inclusive: boolean;
}

/** `_id` range bounds of a filter (top level or inside $and), for keyset pagination. */
function idRange(filter: Doc): { lower?: Bound; upper?: Bound } {
  const out: { lower?: Bound; upper?: Bound } = {};
  const visit = (f: Doc) => {
    for (const k of Object.keys(f)) {
      const v = f[k];
      if (k === '$and' && Array.isArray(v)) for (const b of v) if (isPlainObject(b)) visit(b);
      if (k !== '_id' || !isOperatorObject(v)) continue;
      if ('$gt' in v) out.lower = { v: v.$gt, inclusive: false };
      else if ('$gte' in v) out.lower = { v: v.$gte, inclusive: true };
      if ('$lt' in v) out.upper = { v: v.$lt, inclusive: false };
      else if ('$lte' in v) out.upper = { v: v.$lte, inclusive: true };
    }
  };
  visit(filter);
  return out;
}

function indexable(v: unknown): boolean {
  if (v instanceof RegExp || Array.isArray(v)) return false;
  if (isPlainObject(v)) return !Object.keys(v).some((k) => k.startsWith('$'));
  if (v !== null && typeof v === 'object' && (v as { _bsontype?: string })._bsontype === 'BSONRegExp') return false;
  return true;
}

export function newObjectId(): ObjectId {
  return new ObjectId();
}
