// Declares mingo's subpaths also when another package's type check reads this file (npx tsc -p testkit).
/// <reference path="./mingo-util.d.ts" />
/**
 * Query language on top of mingo: filter compilation, projection, sort, and the guards
 * for features we refuse rather than answer wrongly.
 *
 * mingo compares values by JS type, which gets BSON wrong in a few places (Long or
 * Decimal128 versus plain numbers, ObjectId ordering, `$type` with BSON type names), so
 * the comparison operators are replaced by versions built on `compareValues`/`keyOf`.
 */
import { Context, ProcessingMode } from 'mingo';
// The base classes, not mingo's index wrappers: those merge the default operators *over*
// any custom context (existing operators win in Context.addOps), which would silently
// discard our BSON-aware overrides.
import { Query } from 'mingo/query';
import { Aggregator } from 'mingo/aggregator';
import accumulatorOps = require('mingo/operators/accumulator');
import expressionOps = require('mingo/operators/expression');
import pipelineOps = require('mingo/operators/pipeline');
import projectionOps = require('mingo/operators/projection');
import queryOps = require('mingo/operators/query');
import windowOps = require('mingo/operators/window');
import { resolve, flatten } from 'mingo/util';
import { Decimal128, Long } from 'bson';
import { evalExpr } from 'mingo/core';
import { CommandError, badValue, toCommandError, unsupported } from './errors';
import { CHANGE_STREAM_UNSUPPORTED, RefusedFeature, refusalMessage } from './unsupported';
import {
  Doc,
  bsonType,
  compareValues,
  cloneDoc,
  decimalArith,
  getPath,
  idFirst,
  isOperatorObject,
  isPlainObject,
  keyOf,
  restoreDoubles,
  toNumber,
  typeRank,
  valuesAtPath,
} from './values';

type Pred = (lhs: unknown, rhs: unknown, depth: number) => boolean;

const eqv = (x: unknown, y: unknown): boolean => typeRank(x) === typeRank(y) && compareValues(x, y) === 0;

function eqPred(lhs: unknown, rhs: unknown, depth: number): boolean {
  if (eqv(lhs, rhs)) return true;
  if (Array.isArray(lhs)) {
    if (lhs.some((v) => eqv(v, rhs))) return true;
    return flatten(lhs, depth).some((v) => eqv(v, rhs));
  }
  return false;
}

function cmpPred(test: (c: number) => boolean): Pred {
  return (lhs, rhs) => {
    const r = typeRank(rhs);
    const check = (v: unknown) => typeRank(v) === r && test(compareValues(v, rhs));
    if (Array.isArray(lhs)) return lhs.some(check) || (Array.isArray(rhs) && check(lhs));
    return check(lhs);
  };
}

/** $in with a hash set of canonical keys: O(1) per value even for thousands of ids. */
function makeIn(rhs: unknown): (lhs: unknown) => boolean {
  if (!Array.isArray(rhs)) throw badValue('$in needs an array');
  const keys = new Set<string>();
  const regexes: RegExp[] = [];
  for (const v of rhs) {
    if (v instanceof RegExp) regexes.push(v);
    else if (isPlainObject(v) && isOperatorObject(v)) throw badValue('cannot nest $ under $in');
    else keys.add(keyOf(v));
  }
  const hasNull = keys.has('N');
  return (lhs) => {
    if (lhs === undefined || lhs === null) return hasNull;
    if (Array.isArray(lhs)) {
      if (keys.has(keyOf(lhs))) return true;
      for (const v of lhs) {
        if (keys.has(keyOf(v))) return true;
        if (regexes.length && typeof v === 'string' && regexes.some((re) => re.test(v))) return true;
      }
      return false;
    }
    if (keys.has(keyOf(lhs))) return true;
    return regexes.length > 0 && typeof lhs === 'string' && regexes.some((re) => re.test(lhs));
  };
}

const depthOf = (selector: string) => selector.split('.').length - 1;

function queryOp(pred: Pred) {
  return (selector: string, value: unknown) => {
    const depth = depthOf(selector);
    return (o: unknown) => pred(resolve(o as Doc, selector, { unwrapArray: true }), value, depth);
  };
}

const TYPE_NAMES: Record<string, number> = {
  double: 1, string: 2, object: 3, array: 4, binData: 5, undefined: 6, objectId: 7, bool: 8,
  date: 9, null: 10, regex: 11, dbPointer: 12, javascript: 13, symbol: 14, int: 16,
  timestamp: 17, long: 18, decimal: 19, minKey: -1, maxKey: 127,
};

/** BSON type number of a stored value (numbers: int32 if they would serialize as int32). */
export function bsonTypeNumber(v: unknown): number {
  if (v === undefined) return 6;
  if (v === null) return 10;
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? 16 : 1;
    case 'string':
      return 2;
    case 'boolean':
      return 8;
    case 'bigint':
      return 18;
  }
  if (Array.isArray(v)) return 4;
  if (v instanceof Date) return 9;
  if (v instanceof RegExp) return 11;
  switch (bsonType(v)) {
    case 'ObjectId': return 7;
    case 'Long': return 18;
    case 'Decimal128': return 19;
    case 'Double': return 1;
    case 'Int32': return 16;
    case 'Binary': return 5;
    case 'Timestamp': return 17;
    case 'MinKey': return -1;
    case 'MaxKey': return 127;
    case 'BSONRegExp': return 11;
    case 'BSONSymbol': return 14;
    case 'Code': return 13;
  }
  if (Buffer.isBuffer(v)) return 5;
  return 3;
}

function typeMatcher(spec: unknown): (v: unknown) => boolean {
  const specs = Array.isArray(spec) ? spec : [spec];
  const wanted = new Set<number>();
  let number = false;
  for (const s of specs) {
    if (s === 'number') number = true;
    else if (typeof s === 'string') {
      if (!(s in TYPE_NAMES)) throw badValue(`Unknown type name alias: ${s}`);
      wanted.add(TYPE_NAMES[s]);
    } else if (typeof s === 'number' || bsonType(s)) wanted.add(Number(s as number));
    else throw badValue('type must be represented as a number or a string');
  }
  return (v) => {
    const t = bsonTypeNumber(v);
    return wanted.has(t) || (number && (t === 1 || t === 16 || t === 18 || t === 19));
  };
}

const OVERRIDES = {
    $eq: queryOp(eqPred),
    $ne: queryOp((l, r, d) => !eqPred(l, r, d)),
    $gt: queryOp(cmpPred((c) => c > 0)),
    $gte: queryOp(cmpPred((c) => c >= 0)),
    $lt: queryOp(cmpPred((c) => c < 0)),
    $lte: queryOp(cmpPred((c) => c <= 0)),
    $in: (selector: string, value: unknown) => {
      const m = makeIn(value);
      return (o: unknown) => m(resolve(o as Doc, selector, { unwrapArray: true }));
    },
    $nin: (selector: string, value: unknown) => {
      const m = makeIn(value);
      return (o: unknown) => !m(resolve(o as Doc, selector, { unwrapArray: true }));
    },
    $type: (selector: string, value: unknown) => {
      const m = typeMatcher(value);
      return (o: unknown) => {
        const v = resolve(o as Doc, selector);
        if (Array.isArray(v)) return m(v) || v.some(m);
        return m(v);
      };
    },
};

// ---------------------------------------------------------------- BSON numbers in aggregation
// mingo's arithmetic, comparison and accumulator operators only know JS numbers; Long and
// Decimal128 values would be dropped ($sum) or refused ($add). These wrappers evaluate the
// operands, unwrap BSON numbers, run mingo's operator on plain values, and give the result
// MongoDB's type (Long when only integers and a Long were involved, Decimal128 when a
// Decimal128 was).

type AnyOp = (...args: never[]) => unknown;
const WIDE = new Set(['Long', 'Decimal128', 'Double', 'Int32']);
const isWide = (v: unknown) => WIDE.has(bsonType(v) as string);

function resultType(values: unknown[], r: unknown): unknown {
  if (typeof r !== 'number' || !Number.isFinite(r)) return r;
  if (values.some((v) => bsonType(v) === 'Decimal128')) return Decimal128.fromString(String(r));
  const hasLong = values.some((v) => bsonType(v) === 'Long');
  const allInt = values.every((v) => v === null || v === undefined || bsonType(v) === 'Long' || bsonType(v) === 'Int32' || (typeof v === 'number' && Number.isInteger(v)) || toNumber(v) === undefined);
  return hasLong && allInt && Number.isInteger(r) ? Long.fromNumber(r) : r;
}

/** $add / $subtract / $multiply / $sum with a Decimal128 operand, computed exactly (not through a double). */
function exactDecimal(name: string, args: unknown[]): Decimal128 | undefined {
  if (!['$add', '$subtract', '$multiply', '$sum'].includes(name)) return undefined;
  if (!args.some((v) => bsonType(v) === 'Decimal128') || !args.every((v) => toNumber(v) !== undefined)) return undefined;
  if (name === '$subtract') return args.length === 2 ? decimalArith('+', args[0], decimalArith('*', args[1], -1)) : undefined;
  const op = name === '$multiply' ? '*' : '+';
  return args.slice(1).reduce<Decimal128>((acc, v) => decimalArith(op, acc, v), decimalArith(op, args[0], op === '*' ? 1 : 0));
}

function wrapExpression(name: string, orig: AnyOp, typed: boolean): AnyOp {
  const f = orig as unknown as (obj: unknown, expr: unknown, options: unknown) => unknown;
  return ((obj: unknown, expr: unknown, options: unknown) => {
    if (!Array.isArray(expr)) return f(obj, expr, options);
    const args = evalExpr(obj as never, expr as never, options as never) as unknown;
    if (!Array.isArray(args) || !args.some(isWide)) return f(obj, expr, options);
    if (typed) {
      const exact = exactDecimal(name, args);
      if (exact) return exact;
    }
    const plain = args.map((v) => (isWide(v) ? toNumber(v) : { $literal: v }));
    const r = f(obj, plain, options);
    return typed ? resultType(args, r) : r;
  }) as unknown as AnyOp;
}

function wrapAccumulator(name: string, orig: AnyOp): AnyOp {
  const f = orig as unknown as (coll: unknown[], expr: unknown, options: unknown) => unknown;
  const push = (accumulatorOps as unknown as Record<string, (c: unknown[], e: unknown, o: unknown) => unknown[]>).$push;
  return ((coll: unknown[], expr: unknown, options: unknown) => {
    if (typeof expr === 'number') return f(coll, expr, options);
    const values = push(coll, expr, options);
    if (!values.some(isWide)) return f(coll, expr, options);
    if (name === '$min' || name === '$max') {
      let best: unknown;
      for (const v of values) {
        if (v === null || v === undefined) continue;
        if (best === undefined || (name === '$min' ? compareValues(v, best) < 0 : compareValues(v, best) > 0)) best = v;
      }
      return best ?? null;
    }
    if (name === '$sum') {
      const exact = exactDecimal('$sum', values.filter((v) => toNumber(v) !== undefined));
      if (exact) return exact;
    }
    const plain = values.map((v) => ({ v: isWide(v) ? toNumber(v) : v }));
    const r = f(plain, '$v', options);
    return name === '$sum' ? resultType(values.filter((v) => toNumber(v) !== undefined), r) : r;
  }) as unknown as AnyOp;
}

const NUMERIC_ACCUMULATORS: Record<string, AnyOp> = {};
for (const k of ['$sum', '$avg', '$min', '$max']) {
  NUMERIC_ACCUMULATORS[k] = wrapAccumulator(k, (accumulatorOps as unknown as Record<string, AnyOp>)[k]);
}
const NUMERIC_EXPRESSIONS: Record<string, AnyOp> = {};
for (const k of ['$add', '$subtract', '$multiply', '$divide', '$mod']) {
  NUMERIC_EXPRESSIONS[k] = wrapExpression(k, (expressionOps as unknown as Record<string, AnyOp>)[k], k !== '$divide');
}
for (const k of ['$gt', '$gte', '$lt', '$lte', '$eq', '$ne', '$cmp']) {
  NUMERIC_EXPRESSIONS[k] = wrapExpression(k, (expressionOps as unknown as Record<string, AnyOp>)[k], false);
}

const CONTEXT = Context.init({
  accumulator: { ...accumulatorOps, ...NUMERIC_ACCUMULATORS },
  expression: { ...expressionOps, ...NUMERIC_EXPRESSIONS },
  pipeline: { ...pipelineOps },
  projection: { ...projectionOps },
  query: { ...queryOps, ...OVERRIDES },
  window: { ...windowOps },
} as never);

type Options = NonNullable<ConstructorParameters<typeof Query>[1]>;

export const MINGO_OPTIONS: Options = {
  idKey: '_id',
  useStrictMode: true,
  scriptEnabled: false,
  processingMode: ProcessingMode.CLONE_OFF,
  context: CONTEXT,
};

const UNSUPPORTED_QUERY_OPS: Record<string, RefusedFeature> = {
  $where: 'javascript',
  $function: 'javascript',
  $accumulator: 'javascript',
  $text: 'textSearch',
  $near: 'geo',
  $nearSphere: 'geo',
  $geoWithin: 'geo',
  $geoIntersects: 'geo',
  $jsonSchema: 'jsonSchema',
};

/** Rejects operators we do not implement, wherever they hide in a filter or expression. */
export function assertSupported(v: unknown): void {
  if (Array.isArray(v)) {
    for (const e of v) assertSupported(e);
    return;
  }
  if (!isPlainObject(v)) return;
  for (const k of Object.keys(v)) {
    if (k[0] === '$' && UNSUPPORTED_QUERY_OPS[k]) throw unsupported(UNSUPPORTED_QUERY_OPS[k], k);
    assertSupported(v[k]);
  }
}

/** Operator arguments mingo would silently accept but MongoDB refuses (never match nothing quietly). */
function assertWellFormed(v: unknown): void {
  if (Array.isArray(v)) {
    for (const e of v) assertWellFormed(e);
    return;
  }
  if (!isPlainObject(v)) return;
  for (const k of Object.keys(v)) {
    const arg = v[k];
    if (k === '$size') {
      const n = toNumber(arg);
      if (n === undefined || typeof arg === 'string') throw new CommandError(2, '$size needs a number');
      if (!Number.isInteger(n)) throw new CommandError(2, `Failed to parse $size. Expected an integer, but found a non-integral number: ${n}`);
      if (n < 0) throw new CommandError(2, `Failed to parse $size. Expected a non-negative number in: $size: ${n}`);
    }
    if (k === '$expr' || k === '$where' || k === '$function') continue;
    assertWellFormed(arg);
  }
}

/**
 * A command's `let` option: constants for `$$name` in `$expr`, pipelines and update
 * pipelines. Each value is an expression evaluated once, before any document is seen.
 */
export function letVariables(let_: unknown): Doc | undefined {
  if (let_ === undefined || let_ === null) return undefined;
  if (!isPlainObject(let_)) throw new CommandError(14, "BSON field 'let' is the wrong type, expected type 'object'");
  const out: Doc = {};
  for (const name of Object.keys(let_)) {
    if (!/^[a-z\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*$/.test(name)) {
      throw new CommandError(16867, `'${name}' starts with an invalid character for a user variable name`);
    }
    assertSupported(let_[name]);
    try {
      out[name] = evalExpr({} as never, let_[name] as never, MINGO_OPTIONS as never);
    } catch (e) {
      throw toCommandError(e);
    }
  }
  return out;
}

export interface Matcher {
  test(doc: Doc): boolean;
  readonly matchesAll: boolean;
}

const MATCH_ALL: Matcher = { test: () => true, matchesAll: true };

/** `variables`: the command's `let` (see letVariables), for `$$name` in `$expr`. */
export function compileFilter(filter: unknown, variables?: Doc): Matcher {
  if (filter === undefined || filter === null) return MATCH_ALL;
  if (!isPlainObject(filter)) throw new CommandError(14, 'filter must be an object');
  const keys = Object.keys(filter);
  if (keys.length === 0) return MATCH_ALL;
  assertSupported(filter);
  assertWellFormed(filter);
  try {
    const q = new Query(filter, variables ? { ...MINGO_OPTIONS, variables } : MINGO_OPTIONS);
    return { test: (d) => q.test(d), matchesAll: false };
  } catch (e) {
    throw new CommandError(2, (e as Error).message);
  }
}

// ---------------------------------------------------------------- sort

export type Comparator = (a: Doc, b: Doc) => number;

/** Value used for sorting: arrays sort by their smallest (asc) or largest (desc) element. */
function sortValue(doc: Doc, path: string, dir: number): unknown {
  const v = path.includes('.') ? valuesAtPathForSort(doc, path) : doc[path];
  if (!Array.isArray(v)) return v;
  if (v.length === 0) return undefined;
  let best = v[0];
  for (let i = 1; i < v.length; i++) {
    const c = compareValues(v[i], best);
    if (dir > 0 ? c < 0 : c > 0) best = v[i];
  }
  return best;
}

function valuesAtPathForSort(doc: Doc, path: string): unknown {
  const direct = getPath(doc, path);
  if (direct !== undefined) return direct;
  const all = valuesAtPath(doc, path).filter((x) => x !== undefined);
  return all.length === 0 ? undefined : all.length === 1 ? all[0] : all;
}

/** Returns null for "natural order" ({} or {$natural: 1}); 'reverse' for {$natural: -1}. */
export function compileSort(sort: unknown): Comparator | null | 'reverse' {
  if (sort === undefined || sort === null) return null;
  if (!isPlainObject(sort)) throw badValue('sort must be an object');
  const keys = Object.keys(sort);
  if (keys.length === 0) return null;
  const spec: [string, number][] = [];
  for (const k of keys) {
    const d = sort[k];
    if (k === '$natural') {
      if (keys.length === 1) return Number(d) < 0 ? 'reverse' : null;
      continue;
    }
    if (isPlainObject(d)) {
      if (d.$meta !== undefined) throw unsupported(d.$meta === 'textScore' ? 'textSearch' : 'atlasSearch', `sorting by {$meta: ${JSON.stringify(d.$meta)}}`);
      throw badValue(`Illegal key in $sort specification: ${k}`);
    }
    const n = typeof d === 'number' ? d : Number(d instanceof Long ? d.toNumber() : d);
    if (n !== 1 && n !== -1) throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
    spec.push([k, n]);
  }
  return (a, b) => {
    for (const [path, dir] of spec) {
      const c = compareValues(sortValue(a, path, dir), sortValue(b, path, dir));
      if (c !== 0) return c * dir;
    }
    return 0;
  };
}

// ---------------------------------------------------------------- projection

export type Projector = (doc: Doc) => Doc;

interface ProjTree {
  [k: string]: ProjTree | true;
}

/**
 * Compiles a find projection. Plain inclusion/exclusion projections are done here (fast,
 * `_id` first); anything with operators ($slice, $elemMatch, positional `$`, expressions)
 * goes through mingo with the query filter so positional projection works.
 */
export function compileProjection(projection: unknown, filter?: unknown, variables?: Doc): Projector | null {
  if (projection === undefined || projection === null) return null;
  if (!isPlainObject(projection)) throw badValue('projection must be an object');
  const keys = Object.keys(projection);
  if (keys.length === 0) return null;
  let simple = true;
  let inclusion: boolean | undefined;
  let idFlag: boolean | undefined;
  const tree: ProjTree = {};
  for (const k of keys) {
    const v = projection[k];
    if (k.includes('$') || (typeof v !== 'number' && typeof v !== 'boolean' && !(v instanceof Long))) {
      simple = false;
      break;
    }
    const on = v instanceof Long ? !v.isZero() : Boolean(v);
    if (k === '_id') {
      idFlag = on;
      continue;
    }
    if (inclusion === undefined) inclusion = on;
    else if (inclusion !== on) {
      throw new CommandError(
        31254,
        on
          ? `Cannot do inclusion on field ${k} in exclusion projection`
          : `Cannot do exclusion on field ${k} in inclusion projection`,
      );
    }
    addPath(tree, k);
  }
  if (!simple) {
    assertSupported(projection);
    const q = new Query(isPlainObject(filter) ? filter : {}, variables ? { ...MINGO_OPTIONS, variables } : MINGO_OPTIONS);
    return (doc) => {
      const out = q.find([doc], projection as Doc).next() as Doc | undefined;
      return out ? idFirst(out) : {};
    };
  }
  if (inclusion === undefined) {
    // only _id mentioned
    if (idFlag === false) return (doc) => excludeTree(doc, { _id: true });
    return (doc) => ('_id' in doc ? { _id: doc._id } : {});
  }
  if (inclusion) {
    const withId = idFlag !== false;
    return (doc) => {
      const out: Doc = {};
      if (withId && '_id' in doc) out._id = doc._id;
      includeInto(doc, tree, out);
      return out;
    };
  }
  if (idFlag === false) tree._id = true;
  return (doc) => excludeTree(doc, tree);
}

function addPath(tree: ProjTree, path: string) {
  const parts = path.split('.');
  let cur = tree;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (i === parts.length - 1) cur[p] = true;
    else {
      const next = cur[p];
      if (next === true) return; // parent already fully selected
      if (!next) cur[p] = {};
      cur = cur[p] as ProjTree;
    }
  }
}

function includeInto(src: Doc, tree: ProjTree, out: Doc) {
  for (const k of Object.keys(src)) {
    const t = tree[k];
    if (!t) continue;
    const v = src[k];
    if (t === true) out[k] = v;
    else {
      const sub = includeSub(v, t);
      if (sub !== undefined) out[k] = sub;
    }
  }
}

function includeSub(v: unknown, tree: ProjTree): unknown {
  if (Array.isArray(v)) {
    const arr: unknown[] = [];
    for (const e of v) {
      if (Array.isArray(e)) arr.push(includeSub(e, tree));
      else if (isPlainObject(e)) {
        const o: Doc = {};
        includeInto(e, tree, o);
        arr.push(o);
      }
    }
    return arr;
  }
  if (isPlainObject(v)) {
    const o: Doc = {};
    includeInto(v, tree, o);
    return o;
  }
  return undefined;
}

function excludeTree(src: Doc, tree: ProjTree): Doc {
  const out: Doc = {};
  for (const k of Object.keys(src)) {
    const t = tree[k];
    if (t === true) continue;
    const v = src[k];
    if (!t) out[k] = v;
    else out[k] = excludeSub(v, t);
  }
  return out;
}

function excludeSub(v: unknown, tree: ProjTree): unknown {
  if (Array.isArray(v)) return v.map((e) => excludeSub(e, tree));
  if (isPlainObject(v)) return excludeTree(v, tree);
  return v;
}

// ---------------------------------------------------------------- aggregation

const UNSUPPORTED_STAGES: Record<string, [RefusedFeature, string?]> = {
  $geoNear: ['geo'],
  $search: ['atlasSearch'],
  $searchMeta: ['atlasSearch'],
  $vectorSearch: ['atlasSearch'],
  $collStats: ['diagnosticStages'],
  $indexStats: ['diagnosticStages'],
  $currentOp: ['diagnosticStages'],
  $listSessions: ['diagnosticStages'],
  $listLocalSessions: ['diagnosticStages'],
  $planCacheStats: ['diagnosticStages'],
  $out: ['out', 'write the aggregation result back with insertMany instead'],
  $merge: ['merge', 'write the aggregation result back with bulkWrite instead'],
};

export function assertPipelineSupported(pipeline: unknown[]): void {
  for (const stage of pipeline) {
    if (!isPlainObject(stage)) throw badValue('each pipeline stage must be an object');
    const keys = Object.keys(stage);
    if (keys.length !== 1) throw badValue('A pipeline stage specification object must contain exactly one field.');
    const name = keys[0];
    if (name === '$changeStream') {
      throw new CommandError(CHANGE_STREAM_UNSUPPORTED, refusalMessage('changeStreams', '$changeStream / watch()', 'a MongoDB replica set'));
    }
    const refused = UNSUPPORTED_STAGES[name];
    if (refused) throw unsupported(refused[0], refused[1] ? `${name}: ${refused[1]}` : name);
    assertSupported(stage[name]);
    // sub-pipelines ($lookup, $facet, $unionWith) are checked by the recursive walk above
    // for query operators; stage names inside them are checked here.
    const body = stage[name];
    if (isPlainObject(body)) {
      if (Array.isArray(body.pipeline)) assertPipelineSupported(body.pipeline);
      if (name === '$facet') for (const p of Object.values(body)) if (Array.isArray(p)) assertPipelineSupported(p);
    }
  }
}

/** Stages whose output documents are their input documents, reshaped (same _id). */
const PER_DOCUMENT_STAGES = new Set(['$match', '$sort', '$skip', '$limit', '$addFields', '$set', '$unset', '$project']);

export function runPipeline(
  docs: Doc[],
  pipeline: Doc[],
  resolveCollection: (name: string) => Doc[],
  variables?: Doc,
): Doc[] {
  const agg = new Aggregator(rewritePipeline(pipeline), {
    ...MINGO_OPTIONS,
    // Foreign collections ($lookup/$unionWith): the resolver hands over copies (commands.ts).
    collectionResolver: resolveCollection,
    variables,
  });
  // The pipeline may mutate its input in place ($unwind/$addFields on shared objects);
  // inputs are stored documents, so clone them first (only the candidates reach here).
  const input = docs.map((d) => cloneDoc(d, true));
  // Documents that leave the pipeline as the input object, or (in a pipeline of stages that
  // keep one output per input) with its _id, get back the integral doubles they still hold;
  // computed documents ($group, $unwind, ...) do not (see the README).
  const origin = new Map<unknown, Doc>(input.map((c, i) => [c, docs[i]]));
  if (pipeline.every((st) => PER_DOCUMENT_STAGES.has(Object.keys(st)[0]))) {
    for (const d of docs) origin.set(keyOf(d._id), d);
  }
  const noneAssigned = new Set<string>();
  return (agg.run(input) as Doc[]).map((d) => {
    if (!isPlainObject(d)) return d;
    const from = origin.get(d) ?? (d._id !== undefined ? origin.get(keyOf(d._id)) : undefined);
    // MongoDB always emits _id first; mingo's $project/$addFields may not.
    return idFirst(from ? (restoreDoubles(d, from, '', noneAssigned) as Doc) : d);
  });
}

/**
 * Rewrites stages where mingo differs from MongoDB:
 * - `$count` on no input must produce no document (mingo emits `{n: 0}`).
 */
function rewritePipeline(pipeline: Doc[]): Doc[] {
  const out: Doc[] = [];
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0];
    const body = stage[name];
    if (name === '$bucket' && isPlainObject(body) && Array.isArray(body.boundaries) && body.boundaries.length >= 2) {
      // MongoDB defines $bucket as $group by the bucket's lower bound + $sort by _id
      // (mingo's own $bucket misplaces values equal to a boundary)
      const b = body.boundaries as unknown[];
      const branches = [];
      for (let i = 0; i + 1 < b.length; i++) {
        branches.push({ case: { $and: [{ $gte: [body.groupBy, b[i]] }, { $lt: [body.groupBy, b[i + 1]] }] }, then: { $literal: b[i] } });
      }
      const sw: Doc = { branches };
      if (body.default !== undefined) sw.default = { $literal: body.default };
      const output = isPlainObject(body.output) ? (body.output as Doc) : { count: { $sum: 1 } };
      out.push({ $group: { _id: { $switch: sw }, ...output } }, { $sort: { _id: 1 } });
      continue;
    }
    if (name === '$count' && typeof body === 'string') {
      out.push({ $group: { _id: null, [body]: { $sum: 1 } } }, { $project: { _id: 0 } });
    } else if (name === '$facet' && isPlainObject(body)) {
      const facets: Doc = {};
      for (const k of Object.keys(body)) facets[k] = Array.isArray(body[k]) ? rewritePipeline(body[k] as Doc[]) : body[k];
      out.push({ $facet: facets });
    } else if ((name === '$lookup' || name === '$unionWith') && isPlainObject(body) && Array.isArray(body.pipeline)) {
      out.push({ [name]: { ...body, pipeline: rewritePipeline(body.pipeline as Doc[]) } });
    } else out.push(stage);
  }
  return out;
}
