/**
 * Secondary indexes: hash maps from canonical keys (see `keyOf`) to document ids.
 *
 * A compound index on (a, b, c) keeps one map per key prefix — (a), (a,b), (a,b,c) — so
 * equality / $in on any prefix is a direct lookup. Range queries are not served by
 * indexes (they scan); the issue only asks equality and $in to be index-backed, and hash
 * maps keep look-ups O(1) regardless of collection size.
 *
 * Map values are a single id string (the common, unique case: no Set allocated) or a Set
 * of id strings once a key has several documents.
 */
import { Bookkeeping, Meter } from './cache';
import { CommandError } from './errors';
import { compileFilter, Matcher } from './query';
import { Doc, formatValue, isPlainObject, keyOf, valuesAtPath } from './values';

type Bucket = string | Set<string>;

export interface KeyEntry {
  /** prefix keys: prefixes[k] is the composite key of the first k+1 fields */
  prefixes: string[];
  /** the field values that produced this key (for E11000 messages) */
  values: unknown[];
}

const MAX_KEYS_PER_DOC = 10_000;

export function compositeKey(parts: string[], n: number): string {
  if (n === 1) return parts[0];
  let s = '';
  for (let i = 0; i < n; i++) s += parts[i].length + ':' + parts[i];
  return s;
}

export class Index {
  readonly name: string;
  readonly spec: Doc;
  readonly fields: string[];
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partial: Matcher | null;
  private readonly maps: Map<string, Bucket>[];
  /** Bookkeeping bytes of this index's keys and buckets, also counted on `meter` (see cache.ts). */
  private bytes = 0;

  constructor(
    spec: Doc,
    private readonly meter: Meter | null = null,
  ) {
    this.spec = spec;
    this.name = String(spec.name);
    const key = spec.key as Doc;
    this.fields = Object.keys(key);
    this.unique = Boolean(spec.unique);
    this.sparse = Boolean(spec.sparse);
    this.partial = isPlainObject(spec.partialFilterExpression)
      ? compileFilter(spec.partialFilterExpression)
      : null;
    this.maps = this.fields.map(() => new Map<string, Bucket>());
  }

  /** True if the index covers this document (sparse / partial filters). */
  covers(doc: Doc): boolean {
    if (this.partial && !this.partial.test(doc)) return false;
    if (this.sparse) {
      let any = false;
      for (const f of this.fields) {
        if (valuesAtPath(doc, f).some((v) => v !== undefined)) {
          any = true;
          break;
        }
      }
      if (!any) return false;
    }
    return true;
  }

  /** Index entries for a document (several when a field is an array: multikey). */
  entries(doc: Doc): KeyEntry[] {
    if (!this.covers(doc)) return [];
    if (this.fields.length === 1) {
      // fast path: single-field index (the common case)
      const vals = valuesAtPath(doc, this.fields[0]);
      if (vals.length === 1) {
        const v = vals[0];
        return [{ prefixes: [keyOf(v)], values: [v === undefined ? null : v] }];
      }
      // multikey on one field: one entry per distinct element key
      const out: KeyEntry[] = [];
      const seen = vals.length > 8 ? new Set<string>() : null;
      for (const v of vals) {
        const k = keyOf(v);
        if (seen ? seen.has(k) : out.some((e) => e.prefixes[0] === k)) continue;
        seen?.add(k);
        out.push({ prefixes: [k], values: [v === undefined ? null : v] });
      }
      if (out.length > MAX_KEYS_PER_DOC) throw new CommandError(171, `cannot index parallel arrays in index ${this.name}`);
      return out;
    }
    const perField: { key: string; value: unknown }[][] = this.fields.map((f) => {
      const seen = new Set<string>();
      const out: { key: string; value: unknown }[] = [];
      for (const v of valuesAtPath(doc, f)) {
        const k = keyOf(v);
        if (!seen.has(k)) {
          seen.add(k);
          out.push({ key: k, value: v === undefined ? null : v });
        }
      }
      return out;
    });
    let combos: { keys: string[]; values: unknown[] }[] = [{ keys: [], values: [] }];
    for (const opts of perField) {
      const next: { keys: string[]; values: unknown[] }[] = [];
      for (const c of combos) {
        for (const o of opts) next.push({ keys: [...c.keys, o.key], values: [...c.values, o.value] });
      }
      if (next.length > MAX_KEYS_PER_DOC) {
        throw new CommandError(171, `cannot index parallel arrays in index ${this.name}`);
      }
      combos = next;
    }
    return combos.map((c) => ({
      prefixes: this.fields.map((_, i) => compositeKey(c.keys, i + 1)),
      values: c.values,
    }));
  }

  private count(n: number): void {
    this.bytes += n;
    this.meter?.account(n);
  }

  /**
   * Puts `id` under key `k` of map `m`. Multikey entries can share prefixes; a Set bucket
   * dedupes ids, and a string bucket equal to `id` is left alone, so re-adding the same
   * (key, id) pair is harmless.
   */
  private put(m: Map<string, Bucket>, k: string, id: string): void {
    const b = m.get(k);
    if (b === undefined) {
      m.set(k, id);
      this.count(Bookkeeping.MAP_SLOT + Bookkeeping.string(k.length));
    } else if (typeof b === 'string') {
      if (b !== id) {
        m.set(k, new Set([b, id]));
        this.count(Bookkeeping.SET + 2 * Bookkeeping.SET_SLOT);
      }
    } else if (!b.has(id)) {
      b.add(id);
      this.count(Bookkeeping.SET_SLOT);
    }
  }

  private take(m: Map<string, Bucket>, k: string, id: string): void {
    const b = m.get(k);
    if (b === undefined) return;
    if (typeof b === 'string') {
      if (b !== id) return;
      m.delete(k);
      this.count(-(Bookkeeping.MAP_SLOT + Bookkeeping.string(k.length)));
    } else if (b.delete(id)) {
      if (b.size === 1) {
        m.set(k, b.values().next().value as string);
        this.count(-(Bookkeeping.SET + 2 * Bookkeeping.SET_SLOT));
      } else this.count(-Bookkeeping.SET_SLOT);
    }
  }

  add(id: string, entries: KeyEntry[]): void {
    for (const e of entries) for (let i = 0; i < this.maps.length; i++) this.put(this.maps[i], e.prefixes[i], id);
  }

  remove(id: string, entries: KeyEntry[]): void {
    for (const e of entries) for (let i = 0; i < this.maps.length; i++) this.take(this.maps[i], e.prefixes[i], id);
  }

  /**
   * Adds a document during a bulk build (index creation, snapshot load) with unique
   * checking, avoiding the KeyEntry allocations of `entries()` for the common
   * single-field, single-value case. Returns the conflicting entry, if any.
   */
  build(id: string, doc: Doc): KeyEntry | null {
    if (this.fields.length === 1 && !this.partial && !this.sparse) {
      const vals = valuesAtPath(doc, this.fields[0]);
      if (vals.length === 1) {
        const k = keyOf(vals[0]);
        const m = this.maps[0];
        const b = m.get(k);
        if (b !== undefined && this.unique && (typeof b === 'string' ? b !== id : !b.has(id))) {
          return { prefixes: [k], values: [vals[0] === undefined ? null : vals[0]] };
        }
        this.put(m, k, id);
        return null;
      }
    }
    const e = this.entries(doc);
    const c = this.conflict(id, e);
    if (c) return c;
    this.add(id, e);
    return null;
  }

  /** Adds a trusted document (bulk load at open: no unique checks). */
  load(id: string, doc: Doc): void {
    if (this.fields.length === 1 && !this.partial && !this.sparse) {
      const m = this.maps[0];
      const v = (doc as Doc)[this.fields[0]];
      if (v !== undefined && typeof v !== 'object' && this.fields[0].indexOf('.') < 0) {
        this.put(m, keyOf(v), id);
        return;
      }
      for (const x of valuesAtPath(doc, this.fields[0])) this.put(m, keyOf(x), id);
      return;
    }
    this.add(id, this.entries(doc));
  }

  /** First entry whose full key is already held by a different document. */
  conflict(id: string, entries: KeyEntry[]): KeyEntry | null {
    if (!this.unique) return null;
    const full = this.maps[this.maps.length - 1];
    for (const e of entries) {
      const b = full.get(e.prefixes[e.prefixes.length - 1]);
      if (b === undefined) continue;
      if (typeof b === 'string' ? b !== id : b.size > 1 || !b.has(id)) return e;
    }
    return null;
  }

  /** Ids stored under a composite key of the first `n` fields. */
  lookup(n: number, key: string): Iterable<string> {
    const b = this.maps[n - 1].get(key);
    if (b === undefined) return [];
    return typeof b === 'string' ? [b] : b;
  }

  bucketSize(n: number, key: string): number {
    const b = this.maps[n - 1].get(key);
    return b === undefined ? 0 : typeof b === 'string' ? 1 : b.size;
  }

  clear(): void {
    for (const m of this.maps) m.clear();
    this.count(-this.bytes);
  }

  duplicateError(ns: string, entry: KeyEntry): CommandError {
    const keyValue: Doc = {};
    this.fields.forEach((f, i) => (keyValue[f] = entry.values[i]));
    const rendered = this.fields.map((f, i) => `${f}: ${formatValue(entry.values[i])}`).join(', ');
    return new CommandError(
      11000,
      `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: { ${rendered} }`,
      { keyPattern: this.spec.key, keyValue },
    );
  }
}

/** Default index name as mongod builds it: `a_1_b_-1`. */
export function defaultIndexName(key: Doc): string {
  return Object.keys(key)
    .map((k) => `${k}_${String(key[k])}`)
    .join('_');
}
