// Declares mingo's subpaths also when another package's type check reads this file (npx tsc -p testkit).
/// <reference path="./mingo-util.d.ts" />
/**
 * Update semantics: operator updates (via mingo's updater, plus `$setOnInsert` which
 * mingo lacks), replacement documents, pipeline updates, and upsert document construction
 * (equality predicates of the query → `$setOnInsert` → the update).
 */
import { Decimal128, Double, Long, ObjectId, Timestamp } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import { CommandError, badValue } from './errors';
import { MINGO_OPTIONS, assertPipelineSupported, assertSupported, runPipeline } from './query';
import { Doc, bsonType, cloneDoc, compareValues, decimalArith, formatValue, idFirst, isNumeric, isOperatorObject, isPlainObject, keyOf, restoreDoubles, setPath, toNumber } from './values';

const UPDATE_OPERATORS = new Set([
  '$set', '$unset', '$inc', '$mul', '$rename', '$min', '$max', '$currentDate', '$push',
  '$addToSet', '$pop', '$pull', '$pullAll', '$bit', '$setOnInsert',
]);

export type UpdateSpec = Doc | Doc[];

export function validateUpdate(u: unknown): UpdateSpec {
  if (Array.isArray(u)) {
    assertPipelineSupported(u);
    return u as Doc[];
  }
  if (!isPlainObject(u)) throw badValue('Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length && ops.length !== keys.length) {
    throw new CommandError(9, 'Update document may not mix update operators and plain fields');
  }
  for (const k of ops) {
    if (!UPDATE_OPERATORS.has(k)) {
      throw new CommandError(
        9,
        `Unknown modifier: ${k}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(u[k])) throw new CommandError(9, `Modifiers operate on fields but we found type ${typeof u[k]} instead`);
  }
  assertSupported(u);
  return u;
}

export const isReplacement = (u: UpdateSpec): boolean =>
  !Array.isArray(u) && !Object.keys(u).some((k) => k.startsWith('$'));

export interface UpdateOptions {
  arrayFilters?: Doc[];
  /** collections for $lookup / $unionWith in pipeline updates */
  resolve?: (n: string) => Doc[];
  /** the command's `let` (letVariables) */
  variables?: Doc;
}

export interface Applied {
  doc: Doc;
  modified: boolean;
}

function checkReplacementFields(doc: Doc) {
  for (const k of Object.keys(doc)) {
    if (k.startsWith('$')) throw new CommandError(52, `The dollar ($) prefixed field '${k}' in '${k}' is not valid for storage.`);
  }
}

/**
 * Applies an update to a stored document, returning a new document (the stored one is
 * never touched). `filter` feeds the positional `$` operator.
 */
export function applyUpdate(
  stored: Doc,
  u: UpdateSpec,
  opts: UpdateOptions & { filter?: Doc; inserting?: boolean },
): Applied {
  if (Array.isArray(u)) {
    const out = runPipeline([stored], u, opts.resolve ?? (() => []), opts.variables)[0];
    if (!out) throw badValue('pipeline update produced no document');
    const doc = idFirst(restoreDoubles(out, stored, '', new Set()) as Doc);
    if (!('_id' in doc)) doc._id = stored._id;
    return { doc, modified: keyOf(doc) !== keyOf(stored) };
  }
  if (isReplacement(u)) {
    checkReplacementFields(u);
    if ('_id' in u && '_id' in stored && keyOf(u._id) !== keyOf(stored._id)) {
      throw new CommandError(
        66,
        `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${String(u._id)}`,
      );
    }
    const doc: Doc = '_id' in stored ? { _id: stored._id } : {};
    for (const k of Object.keys(u)) if (k !== '_id') doc[k] = cloneDoc(u[k]);
    if (!('_id' in doc) && '_id' in u) doc._id = u._id;
    return { doc: idFirst(doc), modified: keyOf(doc) !== keyOf(stored) };
  }
  // mingo's update operators only understand plain numbers: unwrap integral doubles
  const doc = cloneDoc(stored, true);
  let modified = false;
  const { $setOnInsert, ...rest } = u as Doc & { $setOnInsert?: Doc };
  checkConflicts(u as Doc);
  try {
    if (opts.inserting && isPlainObject($setOnInsert) && Object.keys($setOnInsert).length) {
      mingoUpdate(doc, { $set: $setOnInsert } as never, undefined, undefined, {
        cloneMode: 'deep',
        queryOptions: MINGO_OPTIONS,
      });
      modified = true;
    }
    const ops: Doc = {};
    for (const k of Object.keys(rest)) if (Object.keys(rest[k] as Doc).length) ops[k] = { ...(rest[k] as Doc) };
    // type errors mingo would skip silently, `_id` set to its own value, BSON-typed $inc/$mul
    // and $currentDate timestamps are handled here before mingo sees the rest
    if (preflight(doc, stored, ops)) modified = true;
    for (const k of Object.keys(ops)) if (!Object.keys(ops[k] as Doc).length) delete ops[k];
    if (Object.keys(ops).length) {
      // The condition is only needed to resolve the positional `$`; mingo re-tests it with
      // its own (non-BSON-aware) operators and skips the update if it fails, so pass it
      // only when a positional path is present and we are not building an upsert.
      const positional = !opts.inserting && usesPositional(ops);
      const changed = mingoUpdate(doc, ops as never, opts.arrayFilters, (positional ? opts.filter : undefined) as never, {
        cloneMode: 'deep',
        queryOptions: MINGO_OPTIONS,
      });
      if (changed.length) modified = true;
    }
  } catch (e) {
    if (e instanceof CommandError) throw e;
    const msg = (e as Error).message;
    throw new CommandError(/immutable field '_id'/.test(msg) ? 66 : 2, msg);
  }
  if ('_id' in stored && keyOf(doc._id) !== keyOf(stored._id)) {
    throw new CommandError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  const assigned = new Set<string>();
  for (const op of ['$set', '$setOnInsert']) if (isPlainObject((u as Doc)[op])) for (const p of Object.keys((u as Doc)[op] as Doc)) assigned.add(p);
  restoreDoubles(doc, stored, '', assigned);
  return { doc: idFirst(doc), modified };
}

/** MongoDB's type name of a value (as in its error messages and `$type`). */
function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 0x7fffffff ? 'int' : 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  switch (bsonType(v)) {
    case 'Long':
      return 'long';
    case 'Decimal128':
      return 'decimal';
    case 'Double':
      return 'double';
    case 'Int32':
      return 'int';
    case 'ObjectId':
      return 'objectId';
    case 'Binary':
      return 'binData';
    case 'Timestamp':
      return 'timestamp';
    case undefined:
      return 'object';
  }
  return String(bsonType(v));
}

/** Operators that create the path they name (and so fail when a parent is a scalar). */
const CREATING = new Set(['$set', '$inc', '$mul', '$min', '$max', '$push', '$addToSet', '$currentDate']);

let tsCounter = 0;

/**
 * Checks an operator update against the document before mingo applies it (mingo skips
 * type errors silently; MongoDB fails the write) and applies the parts mingo gets wrong.
 * Mutates `doc` for what it applies itself and removes those paths from `ops`.
 * Returns true if it modified `doc`.
 */
function preflight(doc: Doc, stored: Doc, ops: Doc): boolean {
  let modified = false;
  for (const op of Object.keys(ops)) {
    const body = ops[op] as Doc;
    for (const path of Object.keys(body)) {
      const segs = path.split('.');
      if (segs.some((x) => x === '')) {
        throw new CommandError(56, path === '' ? 'An empty update path is not valid.' : `The update path '${path}' contains an empty field name, which is not allowed.`);
      }
      if (path === '_id' && op === '$set' && '_id' in stored) {
        // setting _id to the value it already has is allowed (mongoose sends it)
        if (keyOf(body._id) !== keyOf(stored._id)) {
          throw new CommandError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
        }
        delete body._id;
        continue;
      }
      if (segs.some((x) => x === '$' || x.startsWith('$['))) continue; // positional: mingo resolves
      // walk to the parent
      let parent: unknown = doc;
      let missing = false;
      for (let i = 0; i < segs.length - 1; i++) {
        const cur = parent as Doc;
        const next: unknown = Array.isArray(cur) && /^\d+$/.test(segs[i]) ? cur[Number(segs[i])] : Array.isArray(cur) ? undefined : cur[segs[i]];
        if (next === undefined) {
          missing = true;
          break;
        }
        if (next === null || typeof next !== 'object' || (!Array.isArray(next) && !isPlainObject(next)) || (Array.isArray(next) && !/^\d+$/.test(segs[i + 1]))) {
          if (CREATING.has(op)) {
            throw new CommandError(28, `Cannot create field '${segs[i + 1]}' in element {${segs[i]}: ${formatValue(next)}}`);
          }
          missing = true;
          break;
        }
        parent = next;
      }
      const last = segs[segs.length - 1];
      const value = missing ? undefined : Array.isArray(parent) ? (parent as unknown[])[Number(last)] : (parent as Doc)[last];
      const arg = body[path];
      switch (op) {
        case '$push':
        case '$addToSet':
          if (value !== undefined && !Array.isArray(value)) {
            throw new CommandError(2, `The field '${path}' must be an array but is of type ${typeName(value)} in document {_id: ${formatValue(doc._id)}}`);
          }
          break;
        case '$pull':
        case '$pullAll':
          if (value !== undefined && value !== null && !Array.isArray(value)) throw new CommandError(2, `Cannot apply ${op} to a non-array value`);
          break;
        case '$pop':
          if (value !== undefined && value !== null && !Array.isArray(value)) {
            throw new CommandError(14, `Path '${path}' contains an element of non-array type '${typeName(value)}'`);
          }
          break;
        case '$inc':
        case '$mul': {
          if (!isNumeric(arg)) {
            throw new CommandError(14, `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${formatValue(arg)}}`);
          }
          if (value !== undefined && !isNumeric(value)) {
            throw new CommandError(14, `Cannot apply ${op} to a value of non-numeric type ${typeName(value)}`);
          }
          // computed here for every numeric type: mingo's JS arithmetic loses the BSON type
          // (int × 1.5 must be a double, an int32 overflow a long)
          const current = value === undefined ? undefined : valueAt(stored, segs);
          const result = arith(op, current, arg, stored._id);
          if (current === undefined || keyOf(result) !== keyOf(current) || typeName(result) !== typeName(current)) {
            setPath(doc, path, result);
            modified = true;
          }
          delete body[path];
          break;
        }
        case '$min':
        case '$max': {
          // BSON comparison across types (mingo compares wrapped numbers as objects)
          const current = value === undefined ? undefined : valueAt(stored, segs);
          const c = current === undefined ? 0 : compareValues(arg, current);
          if (current === undefined || (op === '$min' ? c < 0 : c > 0)) {
            setPath(doc, path, cloneDoc(arg));
            modified = true;
          }
          delete body[path];
          break;
        }
        case '$currentDate':
          if (isPlainObject(arg) && arg.$type === 'timestamp') {
            setPath(doc, path, new Timestamp({ t: Math.floor(Date.now() / 1000), i: (tsCounter = (tsCounter + 1) >>> 0) || 1 }));
            modified = true;
            delete body[path];
          }
          break;
      }
    }
  }
  return modified;
}

type NumKind = 0 | 1 | 2 | 3; // int32 < int64 < double < decimal128: the result takes the widest

function numKind(v: unknown): NumKind {
  switch (bsonType(v)) {
    case 'Decimal128':
      return 3;
    case 'Double':
      return 2;
    case 'Long':
      return 1;
    case 'Int32':
      return 0;
  }
  // plain numbers: int32 when integral and in range (that is how they serialize), else double
  return Number.isInteger(v) && Math.abs(v as number) <= 0x7fffffff ? 0 : 2;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An integral double keeps its type only as a Double wrapper (a plain number would serialize as int32). */
const asDouble = (n: number): unknown => (Number.isInteger(n) ? new Double(n) : n);

/**
 * `$inc` / `$mul` with MongoDB's numeric types: the result has the widest type of the two
 * operands; int32 overflow becomes int64; int64 overflow fails; a missing field counts as
 * zero of the argument's type.
 */
function arith(op: string, value: unknown, arg: unknown, id: unknown): unknown {
  const kind = Math.max(value === undefined ? 0 : numKind(value), numKind(arg)) as NumKind;
  if (value === undefined) {
    if (op === '$inc') return cloneDoc(arg);
    return [0, Long.ZERO, new Double(0), Decimal128.fromString('0')][numKind(arg)];
  }
  if (kind === 3) return decimalArith(op === '$inc' ? '+' : '*', value, arg);
  if (kind === 2) {
    const a = toNumber(value) as number;
    const b = toNumber(arg) as number;
    return asDouble(op === '$inc' ? a + b : a * b);
  }
  const big = (x: unknown) => (bsonType(x) === 'Long' ? (x as Long).toBigInt() : BigInt(toNumber(x) as number));
  const r = op === '$inc' ? big(value) + big(arg) : big(value) * big(arg);
  if (kind === 0 && r >= -2147483648n && r <= 2147483647n) return Number(r);
  if (r < INT64_MIN || r > INT64_MAX) {
    throw new CommandError(2, `Failed to apply ${op} operations to current value (${formatValue(value)}) for document {_id: ${formatValue(id)}}`);
  }
  return Long.fromBigInt(r);
}

/** The stored value at a split path (array elements by index), without the unwrapping of `doc`. */
function valueAt(root: unknown, segs: string[]): unknown {
  let cur: unknown = root;
  for (const s of segs) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? (/^\d+$/.test(s) ? cur[Number(s)] : undefined) : (cur as Doc)[s];
  }
  return cur;
}

function usesPositional(ops: Doc): boolean {
  for (const op of Object.keys(ops)) {
    for (const p of Object.keys(ops[op] as Doc)) if (p.endsWith('.$') || p.includes('.$.')) return true;
  }
  return false;
}

/** MongoDB refuses two operators touching the same path (code 40). */
function checkConflicts(u: Doc) {
  const seen: string[] = [];
  for (const op of Object.keys(u)) {
    const body = u[op] as Doc;
    for (const path of Object.keys(body)) {
      const paths = op === '$rename' ? [path, String(body[path])] : [path];
      for (const p of paths) {
        for (const s of seen) {
          if (s === p || s.startsWith(p + '.') || p.startsWith(s + '.')) {
            throw new CommandError(40, `Updating the path '${p}' would create a conflict at '${s}'`);
          }
        }
        seen.push(p);
      }
    }
  }
}

/** The document an upsert starts from: the query's equality predicates. */
export function upsertBase(filter: Doc): Doc {
  const doc: Doc = {};
  const visit = (f: Doc) => {
    for (const k of Object.keys(f)) {
      const v = f[k];
      if (k === '$and' && Array.isArray(v)) {
        for (const b of v) if (isPlainObject(b)) visit(b);
        continue;
      }
      if (k.startsWith('$')) continue;
      if (isOperatorObject(v)) {
        if ('$eq' in v) setPath(doc, k, cloneDoc(v.$eq));
        else if (Array.isArray(v.$in) && v.$in.length === 1) setPath(doc, k, cloneDoc(v.$in[0]));
        continue;
      }
      if (v instanceof RegExp) continue;
      setPath(doc, k, cloneDoc(v));
    }
  };
  visit(filter);
  return doc;
}

/** Builds the document an upsert inserts. */
export function buildUpsert(filter: Doc, u: UpdateSpec, opts: UpdateOptions): Doc {
  let doc: Doc;
  if (!Array.isArray(u) && isReplacement(u)) {
    const base = upsertBase(filter);
    doc = applyUpdate(base._id !== undefined ? { _id: base._id } : {}, u, { inserting: true }).doc;
  } else {
    doc = applyUpdate(upsertBase(filter), u, { ...opts, filter, inserting: true }).doc;
  }
  if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
  assertStorableId(doc._id);
  return idFirst(doc);
}

/** MongoDB's checks of an `_id` about to be stored (insert, upsert). */
export function assertStorableId(id: unknown): void {
  if (Array.isArray(id)) throw badValue("The '_id' value cannot be of type array");
  if (id instanceof RegExp || bsonType(id) === 'BSONRegExp') throw badValue("can't use a regex for _id");
  const dollar = dollarKeyIn(id);
  if (dollar) throw new CommandError(52, `_id fields may not contain '$'-prefixed fields: ${dollar} is not valid for storage.`);
}

const DBREF_KEYS = new Set(['$ref', '$id', '$db']);

/** The first `$`-prefixed field name inside an embedded document (DBRef fields allowed), or null. */
function dollarKeyIn(v: unknown): string | null {
  if (Array.isArray(v)) {
    for (const e of v) {
      const k = dollarKeyIn(e);
      if (k) return k;
    }
    return null;
  }
  if (!isPlainObject(v)) return null;
  for (const k of Object.keys(v)) {
    if (k.startsWith('$') && !DBREF_KEYS.has(k)) return k;
    const inner = dollarKeyIn(v[k]);
    if (inner) return inner;
  }
  return null;
}
