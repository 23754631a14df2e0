/**
 * BSON value helpers: MongoDB's cross-type ordering, canonical index keys, copy-on-write
 * cloning, dotted-path access and MongoDB's textual rendering of values (for E11000).
 *
 * Stored documents are plain JS objects as produced by `bson.deserialize` with
 * `promoteLongs: false` (so int64 stays a Long and round-trips as int64). They are treated
 * as immutable once stored: updates clone, modify the clone and swap it in. That lets
 * cursors keep references instead of copies and still see a stable snapshot.
 */
import { Decimal128, Long, ObjectId } from 'bson';

export type Doc = Record<string, unknown>;

interface BsonLike {
  _bsontype?: string;
}

export function bsonType(v: unknown): string | undefined {
  return v !== null && typeof v === 'object' ? (v as BsonLike)._bsontype : undefined;
}

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Number-like BSON values (int32/int64/double/decimal128) as a JS number, else undefined. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  switch (bsonType(v)) {
    case 'Long':
      return (v as Long).toNumber();
    case 'Decimal128':
      return parseFloat((v as { toString(): string }).toString());
    case 'Double':
    case 'Int32':
      return (v as { valueOf(): number }).valueOf();
  }
  return undefined;
}

export function isNumeric(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'bigint') return true;
  const t = bsonType(v);
  return t === 'Long' || t === 'Decimal128' || t === 'Double' || t === 'Int32';
}

/** MongoDB's canonical type order used for comparison and sorting across types. */
export function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 2;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
  }
  if (Array.isArray(v)) return 6;
  if (v instanceof Date) return 10;
  if (v instanceof RegExp) return 12;
  switch (bsonType(v)) {
    case 'MinKey':
      return 1;
    case 'Long':
    case 'Decimal128':
    case 'Double':
    case 'Int32':
      return 3;
    case 'BSONSymbol':
      return 4;
    case 'Binary':
      return 7;
    case 'ObjectId':
      return 8;
    case 'Timestamp':
      return 11;
    case 'BSONRegExp':
      return 12;
    case 'MaxKey':
      return 13;
    case 'Code':
      return 14;
  }
  if (Buffer.isBuffer(v) || ArrayBuffer.isView(v)) return 7;
  return 5; // embedded document (including DBRef)
}

function cmpPrimitive<T extends string | number | boolean>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order over BSON values, as MongoDB compares them (numbers compare across types). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 1:
    case 2:
    case 13:
      return 0;
    case 3: {
      if (bsonType(a) === 'Long' && bsonType(b) === 'Long') return (a as Long).compare(b as Long);
      const x = toNumber(a) as number;
      const y = toNumber(b) as number;
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1; // NaN sorts first among numbers
      if (Number.isNaN(y)) return 1;
      return cmpPrimitive(x, y);
    }
    case 4:
      return cmpPrimitive(String(a), String(b));
    case 5: {
      const ka = Object.keys(a as Doc);
      const kb = Object.keys(b as Doc);
      const n = Math.min(ka.length, kb.length);
      for (let i = 0; i < n; i++) {
        const va = (a as Doc)[ka[i]];
        const vb = (b as Doc)[kb[i]];
        const tr = typeRank(va) - typeRank(vb);
        if (tr !== 0) return tr < 0 ? -1 : 1;
        const kc = cmpPrimitive(ka[i], kb[i]);
        if (kc !== 0) return kc;
        const vc = compareValues(va, vb);
        if (vc !== 0) return vc;
      }
      return cmpPrimitive(ka.length, kb.length);
    }
    case 6: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      const n = Math.min(xa.length, xb.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(xa[i], xb[i]);
        if (c !== 0) return c;
      }
      return cmpPrimitive(xa.length, xb.length);
    }
    case 7: {
      const ba = binaryBytes(a);
      const bb = binaryBytes(b);
      if (ba.length !== bb.length) return ba.length < bb.length ? -1 : 1;
      return Buffer.compare(ba, bb);
    }
    case 8:
      return compareObjectIds(a as ObjectId, b as ObjectId);
    case 9:
      return cmpPrimitive(a as boolean, b as boolean);
    case 10:
      return cmpPrimitive((a as Date).getTime(), (b as Date).getTime());
    case 11:
      return (a as Long).compare(b as Long);
    default:
      return cmpPrimitive(String(a), String(b));
  }
}

interface OidWords {
  i0?: number;
  i1: number;
  i2: number;
  i3: number;
}

/**
 * bson 7 keeps an ObjectId as four 24-bit big-endian words (i0..i3); comparing them
 * avoids the Buffer that `.id` allocates on every access (hot in _id sorts).
 */
function compareObjectIds(a: ObjectId, b: ObjectId): number {
  const x = a as unknown as OidWords;
  const y = b as unknown as OidWords;
  if (typeof x.i0 === 'number' && typeof y.i0 === 'number') {
    if (x.i0 !== y.i0) return x.i0 < y.i0 ? -1 : 1;
    if (x.i1 !== y.i1) return x.i1 < y.i1 ? -1 : 1;
    if (x.i2 !== y.i2) return x.i2 < y.i2 ? -1 : 1;
    if (x.i3 !== y.i3) return x.i3 < y.i3 ? -1 : 1;
    return 0;
  }
  return Buffer.compare(a.id, b.id);
}

function binaryBytes(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (bsonType(v) === 'Binary') {
    const b = v as { buffer: Uint8Array; position?: number };
    return Buffer.from(b.buffer.buffer, b.buffer.byteOffset, b.position ?? b.buffer.length);
  }
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return Buffer.alloc(0);
}

let flatSink = 0;
/**
 * Keys live as long as their document (in the `_id` map and the indexes, also while the
 * document itself is cold), so they are made flat: a concatenation is a V8 cons string, here a
 * tree of the ObjectId's hex pieces, ≈ 360 heap bytes per key instead of ≈ 150 with it flattened
 * (measured on 100,000 ObjectId keys), and slower to hash. Reading a character flattens in place;
 * the result is kept so the read is not optimised away.
 */
function flat(s: string): string {
  flatSink ^= s.charCodeAt(1);
  return s;
}

/**
 * A canonical string for a value such that two values are equal in MongoDB's sense
 * (1 == 1.0 == Long(1), same ObjectId, same date...) iff their keys are equal. Used as the
 * hash key of indexes and of the _id map.
 */
export function keyOf(v: unknown): string {
  if (v === undefined || v === null) return 'N';
  switch (typeof v) {
    case 'string':
      return v.length < 12 ? 's' + v : flat('s' + v);
    case 'number':
      return 'n' + (v === 0 ? '0' : String(v));
    case 'boolean':
      return v ? 'b1' : 'b0';
    case 'bigint':
      return 'n' + numberKey(v.toString());
  }
  if (v instanceof Date) return 'd' + v.getTime();
  if (Array.isArray(v)) return 'A[' + v.map(keyOf).join(',') + ']';
  if (v instanceof RegExp) return 'r' + v.source + '/' + v.flags;
  switch (bsonType(v)) {
    case 'ObjectId':
      return flat('o' + (v as ObjectId).toHexString());
    case 'Long':
      return 'n' + numberKey((v as Long).toString());
    case 'Decimal128':
    case 'Double':
    case 'Int32': {
      const n = toNumber(v) as number;
      return 'n' + (n === 0 ? '0' : String(n));
    }
    case 'Binary':
      return 'B' + (v as { sub_type: number }).sub_type + ':' + binaryBytes(v).toString('base64');
    case 'Timestamp':
      return 't' + (v as Long).toString();
    case 'MinKey':
      return '\u0001min';
    case 'MaxKey':
      return '\u007fmax';
    case 'BSONRegExp':
      return 'r' + (v as { pattern: string }).pattern + '/' + (v as { options: string }).options;
  }
  if (typeof v === 'object') {
    const o = v as Doc;
    let s = 'O{';
    for (const k of Object.keys(o)) s += k.length + ':' + k + '=' + keyOf(o[k]) + ',';
    return s + '}';
  }
  return 'x' + String(v);
}

/** Integers beyond 2^53 keep their exact decimal form; others use JS number formatting. */
function numberKey(dec: string): string {
  const n = Number(dec);
  return Number.isSafeInteger(n) ? (n === 0 ? '0' : String(n)) : dec;
}

/**
 * Deep copy of a document: plain objects, arrays and Dates are copied; BSON value objects
 * (ObjectId, Long, Binary...) are immutable in practice and shared.
 */
export function cloneDoc<T>(v: T, unwrapDoubles = false): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = cloneDoc(v[i], unwrapDoubles);
    return out as T;
  }
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (!isPlainObject(v)) {
    // Integral doubles are kept as Double wrappers (see wire.ts); mingo's arithmetic
    // needs plain numbers, so copies handed to mingo unwrap them.
    if (unwrapDoubles && (v as BsonLike)._bsontype === 'Double') return (v as unknown as { value: number }).value as T;
    return v;
  }
  const out: Doc = {};
  for (const k of Object.keys(v)) out[k] = cloneDoc((v as Doc)[k], unwrapDoubles);
  return out as T;
}

/**
 * mingo works on copies whose integral doubles are unwrapped to plain numbers (cloneDoc);
 * put the wrappers back where the value did not change, so an update or a pipeline never
 * turns a double it did not touch into an int32. `assigned`: paths set outright (their new
 * type wins).
 */
export function restoreDoubles(now: unknown, before: unknown, path: string, assigned: Set<string>): unknown {
  if (assigned.has(path)) return now;
  if (bsonType(before) === 'Double' && typeof now === 'number' && (before as { value: number }).value === now) return before;
  if (Array.isArray(now) && Array.isArray(before)) {
    for (let i = 0; i < now.length && i < before.length; i++) now[i] = restoreDoubles(now[i], before[i], `${path}.${i}`, assigned);
  } else if (isPlainObject(now) && isPlainObject(before)) {
    for (const k of Object.keys(now)) if (k in before) now[k] = restoreDoubles(now[k], before[k], path ? `${path}.${k}` : k, assigned);
  }
  return now;
}

/** Returns the document with `_id` as its first field (MongoDB always stores it first). */
export function idFirst(doc: Doc): Doc {
  const keys = Object.keys(doc);
  if (keys[0] === '_id' || !('_id' in doc)) return doc;
  const out: Doc = { _id: doc._id };
  for (const k of keys) if (k !== '_id') out[k] = doc[k];
  return out;
}

/**
 * All values reachable at a dotted path, descending through arrays the way MongoDB's
 * index key generator does. Missing → [undefined]. Arrays at the end are expanded into
 * their elements (multikey); an empty array yields [undefined].
 */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  if (path.indexOf('.') < 0 && isPlainObject(doc)) {
    const v = doc[path];
    if (!Array.isArray(v)) return [v];
  }
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out;
}

function collect(cur: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(cur)) {
      if (cur.length === 0) out.push(undefined);
      else for (const e of cur) out.push(e);
    } else out.push(cur);
    return;
  }
  if (cur === null || typeof cur !== 'object') {
    out.push(undefined);
    return;
  }
  if (Array.isArray(cur)) {
    const part = parts[i];
    if (/^\d+$/.test(part) && +part < cur.length) {
      collect(cur[+part], parts, i + 1, out);
      return;
    }
    if (cur.length === 0) {
      out.push(undefined);
      return;
    }
    for (const e of cur) collect(e, parts, i, out);
    return;
  }
  if (!isPlainObject(cur)) {
    out.push(undefined);
    return;
  }
  collect((cur as Doc)[parts[i]], parts, i + 1, out);
}

/** Single value at a dotted path without array traversal (undefined when missing). */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Doc)[p];
  }
  return cur;
}

/** Sets a dotted path, creating intermediate objects (used to build upsert documents). */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    let next = cur[parts[i]];
    if (next === null || typeof next !== 'object') {
      next = {};
      cur[parts[i]] = next;
    }
    cur = next as Doc;
  }
  cur[parts[parts.length - 1]] = value;
}

/** Renders a value the way mongod prints it inside E11000 messages. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return v.length ? `[ ${v.map(formatValue).join(', ')} ]` : '[]';
  if (v instanceof RegExp) return `/${v.source}/${v.flags}`;
  switch (bsonType(v)) {
    case 'ObjectId':
      return `ObjectId('${(v as ObjectId).toHexString()}')`;
    case 'Long':
    case 'Int32':
    case 'Double':
      return String(toNumber(v));
    case 'Decimal128':
      return `NumberDecimal("${String(v)}")`;
    case 'Binary':
      return `BinData(${(v as { sub_type: number }).sub_type}, ${binaryBytes(v).toString('hex').toUpperCase()})`;
  }
  if (typeof v === 'object') {
    const keys = Object.keys(v as Doc);
    if (!keys.length) return '{}';
    return `{ ${keys.map((k) => `${k}: ${formatValue((v as Doc)[k])}`).join(', ')} }`;
  }
  return String(v);
}

export function isOperatorObject(v: unknown): v is Doc {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys[0].startsWith('$');
}

// ---------------------------------------------------------------- exact Decimal128 arithmetic

/** value = c × 10^e */
interface Dec {
  c: bigint;
  e: number;
}

const DEC_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** A number-like value as an exact decimal (doubles as MongoDB converts them: 15 significant digits); null for NaN / ±Infinity. */
function toDec(v: unknown): Dec | null {
  let s: string;
  if (bsonType(v) === 'Decimal128' || bsonType(v) === 'Long') s = String(v);
  else {
    const n = toNumber(v) as number;
    if (!Number.isFinite(n)) return null;
    s = Number.isInteger(n) && Math.abs(n) < 1e15 ? String(n) : n.toPrecision(15);
  }
  const m = DEC_RE.exec(s);
  if (!m || (m[2] === '' && !m[3])) return null;
  const frac = m[3] ?? '';
  const c = BigInt((m[2] || '0') + frac) * (m[1] === '-' ? -1n : 1n);
  return { c, e: Number(m[4] ?? 0) - frac.length };
}

/**
 * `a + b` or `a × b` where a Decimal128 is involved, exactly as MongoDB computes it (through a
 * double, 0.1 + 0.2 would come out as 0.30000000000000004). Rounded to Decimal128's 34 digits.
 */
export function decimalArith(op: '+' | '*', a: unknown, b: unknown): Decimal128 {
  const x = toDec(a);
  const y = toDec(b);
  if (!x || !y) {
    const r = op === '+' ? (toNumber(a) as number) + (toNumber(b) as number) : (toNumber(a) as number) * (toNumber(b) as number);
    return Decimal128.fromString(Number.isNaN(r) ? 'NaN' : r > 0 ? 'Infinity' : '-Infinity');
  }
  let c: bigint;
  let e: number;
  if (op === '*') {
    c = x.c * y.c;
    e = x.e + y.e;
  } else {
    e = Math.min(x.e, y.e);
    c = x.c * 10n ** BigInt(x.e - e) + y.c * 10n ** BigInt(y.e - e);
  }
  return Decimal128.fromStringWithRounding(`${c}E${e}`);
}
