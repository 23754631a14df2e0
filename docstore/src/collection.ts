/**
 * A collection: documents keyed by the canonical key of their `_id` (a Map, so iteration
 * is insertion order = $natural order), plus secondary indexes and a small planner.
 *
 * Documents are immutable once stored. Writers build a new object and swap it in; readers
 * (cursors) hold references. This is the copy-on-write that gives cursors a stable view
 * without cloning every document on every query.
 */
import { ObjectId } from 'bson';
import { CommandError } from './errors';
import { Index, KeyEntry, compositeKey } from './indexes';
import { Matcher, compileFilter } from './query';
import { Doc, compareValues, isOperatorObject, isPlainObject, keyOf, setPath } from './values';

export interface WriteLog {
  put(db: string, coll: string, doc: Doc): void;
  del(db: string, coll: string, id: unknown): void;
}

export interface CollectionStats {
  indexLookups: number;
  collectionScans: number;
}

const ID_INDEX_SPEC = { v: 2, key: { _id: 1 }, name: '_id_' };
const MAX_LOOKUP_KEYS = 20_000;

export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes: Index[] = [];
  readonly stats: CollectionStats = { indexLookups: 0, collectionScans: 0 };

  constructor(
    readonly db: string,
    readonly name: string,
    public options: Doc,
    private readonly log: WriteLog | null,
  ) {}

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
  insert(doc: Doc): void {
    if (!('_id' in doc)) throw new CommandError(1, 'document without _id');
    const id = keyOf(doc._id);
    if (this.docs.has(id)) throw this.idDup(doc._id);
    const entries = this.entriesOf(doc);
    for (let i = 0; i < this.indexes.length; i++) {
      const c = this.indexes[i].conflict(id, entries[i]);
      if (c) throw this.indexes[i].duplicateError(this.ns, c);
    }
    for (let i = 0; i < this.indexes.length; i++) this.indexes[i].add(id, entries[i]);
    this.docs.set(id, doc);
    this.log?.put(this.db, this.name, doc);
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
    for (let i = 0; i < this.indexes.length; i++) {
      this.indexes[i].remove(id, oldEntries[i]);
      this.indexes[i].add(id, newEntries[i]);
    }
    this.docs.set(id, newDoc);
    this.log?.put(this.db, this.name, newDoc);
  }

  remove(doc: Doc): void {
    const id = keyOf(doc._id);
    if (!this.docs.has(id)) return;
    const entries = this.entriesOf(doc);
    for (let i = 0; i < this.indexes.length; i++) this.indexes[i].remove(id, entries[i]);
    this.docs.delete(id);
    this.log?.del(this.db, this.name, doc._id);
  }

  /** Journal replay / snapshot load: put without unique checks (the log is trusted). */
  applyPut(doc: Doc): void {
    const id = keyOf(doc._id);
    const old = this.docs.get(id);
    if (old) {
      const oe = this.entriesOf(old);
      for (let i = 0; i < this.indexes.length; i++) this.indexes[i].remove(id, oe[i]);
    }
    this.docs.set(id, doc);
    if (this.indexes.length) {
      const ne = this.entriesOf(doc);
      for (let i = 0; i < this.indexes.length; i++) this.indexes[i].add(id, ne[i]);
    }
  }

  applyDelete(idValue: unknown): void {
    const doc = this.docs.get(keyOf(idValue));
    if (!doc) return;
    const id = keyOf(idValue);
    const entries = this.entriesOf(doc);
    for (let i = 0; i < this.indexes.length; i++) this.indexes[i].remove(id, entries[i]);
    this.docs.delete(id);
  }

  /** Builds a new index over existing data; fails (and leaves nothing behind) on duplicates. */
  addIndex(spec: Doc): void {
    const ix = new Index(spec);
    for (const [id, doc] of this.docs) {
      const e = ix.entries(doc);
      const c = ix.conflict(id, e);
      if (c) throw ix.duplicateError(this.ns, c);
      ix.add(id, e);
    }
    this.indexes.push(ix);
  }

  dropIndex(name: string): void {
    const i = this.indexes.findIndex((x) => x.name === name);
    if (i < 0) return;
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
      return plan;
    }
    this.stats.collectionScans++;
    return this.docs.values();
  }

  /** Matching documents in natural/index order (no sort, no limit). */
  *matching(filter: unknown, matcher?: Matcher): Generator<Doc> {
    const m = matcher ?? compileFilter(filter);
    for (const d of this.candidates(filter)) if (m.matchesAll || m.test(d)) yield d;
  }

  private plan(filter: Doc): Doc[] | null {
    const eq = extractEqualities(filter);
    if (eq) {
      const r = this.planEq(eq);
      if (r) return r;
    }
    // top-level $or: usable when every branch is index-backed
    const or = filter.$or;
    if (Array.isArray(or) && or.length > 0 && or.length <= 64) {
      const seen = new Set<string>();
      const out: Doc[] = [];
      for (const branch of or) {
        if (!isPlainObject(branch)) return null;
        const beq = extractEqualities(branch);
        const r = beq && this.planEq(beq);
        if (!r) return null;
        for (const d of r) {
          const k = keyOf(d._id);
          if (!seen.has(k)) {
            seen.add(k);
            out.push(d);
          }
        }
      }
      return out;
    }
    return null;
  }

  private planEq(eq: Map<string, unknown[]>): Doc[] | null {
    const ids = eq.get('_id');
    if (ids) {
      const out: Doc[] = [];
      const seen = new Set<string>();
      for (const v of sortedUnique(ids)) {
        const k = keyOf(v);
        if (seen.has(k)) continue;
        seen.add(k);
        const d = this.docs.get(k);
        if (d) out.push(d);
      }
      return out;
    }
    let best: Index | null = null;
    let bestLen = 0;
    for (const ix of this.indexes) {
      let n = 0;
      while (n < ix.fields.length && eq.has(ix.fields[n])) n++;
      if (n === 0) continue;
      if (!this.indexUsable(ix, eq, n)) continue;
      const better =
        n > bestLen ||
        (n === bestLen && best !== null && ix.unique && n === ix.fields.length && !best.unique);
      if (better) {
        best = ix;
        bestLen = n;
      }
    }
    if (!best) return null;
    let combos: string[][] = [[]];
    for (let i = 0; i < bestLen; i++) {
      const vals = sortedUnique(eq.get(best.fields[i]) as unknown[]);
      const next: string[][] = [];
      for (const c of combos) for (const v of vals) next.push([...c, keyOf(v)]);
      if (next.length > MAX_LOOKUP_KEYS) return null;
      combos = next;
    }
    const out: Doc[] = [];
    const seen = new Set<string>();
    for (const c of combos) {
      for (const id of best.lookup(bestLen, compositeKey(c, bestLen))) {
        if (seen.has(id)) continue;
        seen.add(id);
        const d = this.docs.get(id);
        if (d) out.push(d);
      }
    }
    return out;
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

/**
 * Field → possible values, from top-level equality and $in predicates (and those inside a
 * top-level $and). Values that an index cannot answer exactly (regexes, arrays, operator
 * objects) disqualify the field. Returns null if nothing usable.
 */
export function extractEqualities(filter: Doc, out = new Map<string, unknown[]>()): Map<string, unknown[]> | null {
  for (const k of Object.keys(filter)) {
    const v = filter[k];
    if (k === '$and') {
      if (Array.isArray(v)) for (const b of v) if (isPlainObject(b)) extractEqualities(b, out);
      continue;
    }
    if (k.startsWith('$')) continue;
    let vals: unknown[] | null = null;
    if (isOperatorObject(v)) {
      if ('$eq' in v && indexable(v.$eq)) vals = [v.$eq];
      else if (Array.isArray(v.$in) && v.$in.every(indexable)) vals = v.$in;
    } else if (indexable(v)) vals = [v];
    if (vals) {
      const prev = out.get(k);
      if (!prev || vals.length < prev.length) out.set(k, vals);
    }
  }
  return out.size ? out : null;
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
