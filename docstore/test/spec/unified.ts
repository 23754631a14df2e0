/**
 * A runner for MongoDB's unified test format, as much of it as the CRUD specification tests
 * use: entities (client, database, collection), `initialData`, the collection / database /
 * client operations of the CRUD files, `expectResult` with the format's matching rules,
 * `expectError`, `expectEvents` (command started / succeeded / failed events), `outcome`
 * and `runOnRequirements`. Operations go through the official driver (mongoose's `mongo`
 * export) over TCP, exactly as an application would.
 *
 * Format: github.com/mongodb/specifications, source/unified-test-format/unified-test-format.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EJSON } from 'bson';
import mongoose from 'mongoose';
import { CODE_NAMES } from '../../src/errors';
import { refusedFeatureOf } from '../../src/unsupported';

const { MongoClient, MongoServerError, ReadPreference, Long, Decimal128, Double, Int32, ObjectId, Binary, Timestamp } = mongoose.mongo;
type Client = mongoose.mongo.MongoClient;
type Doc = Record<string, any>;

/** The unified format's schema versions this runner reads (the CRUD files use 1.0–1.21). */
const SCHEMA_MAJOR = 1;

export interface SpecTest {
  description: string;
  runOnRequirements?: Requirement[];
  skipReason?: string;
  operations: Operation[];
  expectEvents?: ExpectedEvents[];
  outcome?: CollectionData[];
}

export interface SpecFile {
  file: string;
  description: string;
  schemaVersion: string;
  runOnRequirements?: Requirement[];
  createEntities?: Doc[];
  initialData?: CollectionData[];
  tests: SpecTest[];
}

interface Requirement {
  minServerVersion?: string;
  maxServerVersion?: string;
  topologies?: string[];
  serverless?: 'require' | 'forbid' | 'allow';
  [other: string]: unknown;
}

interface CollectionData {
  collectionName: string;
  databaseName: string;
  createOptions?: Doc;
  documents: Doc[];
}

interface Operation {
  name: string;
  object: string;
  arguments?: Doc;
  expectResult?: unknown;
  expectError?: Doc;
  ignoreResultAndError?: boolean;
  saveResultAsEntity?: string;
}

interface ExpectedEvents {
  client: string;
  eventType?: string;
  events: Doc[];
  ignoreExtraEvents?: boolean;
}

/** What the server under test presents (buildInfo.versionArray, hello). */
export interface ServerDescription {
  version: string;
  topology: 'single' | 'replicaset' | 'sharded' | 'load-balanced';
}

export function loadSpecFiles(dir: string): SpecFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f.replace(/\.json$/, ''), ...(EJSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'), { relaxed: true }) as Doc) }) as SpecFile);
}

// ---------------------------------------------------------------- requirements

function versionParts(v: string): number[] {
  const p = v.split('.').map((x) => parseInt(x, 10) || 0);
  while (p.length < 3) p.push(0);
  return p.slice(0, 3);
}

function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/** Why one requirement is not met (null when it is). */
function unmet(req: Requirement, server: ServerDescription): string | null {
  if (req.minServerVersion && compareVersions(server.version, req.minServerVersion) < 0) return `needs MongoDB ≥ ${req.minServerVersion}`;
  if (req.maxServerVersion && compareVersions(server.version, req.maxServerVersion) > 0) return `for MongoDB ≤ ${req.maxServerVersion} only`;
  if (req.topologies) {
    const ok = req.topologies.some((t) => t === server.topology || (t === 'sharded-replicaset' && server.topology === 'sharded'));
    if (!ok) return `needs a ${req.topologies.join(' or ')} topology`;
  }
  if (req.serverless === 'require') return 'needs Atlas Serverless';
  for (const k of Object.keys(req)) {
    if (!['minServerVersion', 'maxServerVersion', 'topologies', 'serverless'].includes(k)) return `requirement '${k}' not supported by this runner`;
  }
  return null;
}

function unmetAll(reqs: Requirement[] | undefined, server: ServerDescription): string | null {
  if (!reqs || reqs.length === 0) return null;
  const reasons = reqs.map((r) => unmet(r, server));
  return reasons.includes(null) ? null : reasons.join('; ');
}

/**
 * Tests that assert driver behaviour the Node.js driver (7.8) does not implement: they test
 * the driver, not the server (checked in the driver's source), and fail alike against MongoDB.
 */
const DRIVER_DEVIATIONS: { file: string; tests: string[]; reason: string }[] = [
  {
    file: 'bypassDocumentValidation',
    tests: ['BulkWrite', 'FindOneAndReplace', 'FindOneAndUpdate', 'InsertMany'].map((op) => `${op} passes bypassDocumentValidation: false`),
    reason: 'the Node.js driver does not send bypassDocumentValidation: false',
  },
  {
    file: 'client-bulkWrite-partialResults',
    tests: ['ordered bulk write (verbose)', 'ordered bulk write (summary)'].map((k) => `partialResult is unset when first operation fails during an ${k}`)
      .concat('partialResult is unset when all operations fail during an unordered bulk write'),
    reason: 'the Node.js driver sets partialResult even when no write succeeded',
  },
  {
    file: 'create-null-ids',
    tests: ['insertOne', 'insertMany', 'bulkWrite', 'clientBulkWrite'].map((op) => `inserting _id with type null via ${op}`),
    reason: 'the Node.js driver replaces _id: null with a new ObjectId before sending',
  },
];

/**
 * Why a test cannot run here, or null. `canFailPoint`: the server implements the
 * test-only `configureFailPoint` command (a real mongod started with enableTestCommands).
 */
export function skipReason(file: SpecFile, test: SpecTest, server: ServerDescription, canFailPoint: boolean): string | null {
  const major = parseInt(file.schemaVersion, 10);
  if (major !== SCHEMA_MAJOR) throw new Error(`${file.file}: unsupported schemaVersion ${file.schemaVersion}`);
  if (test.skipReason) return `skipped by the test file: ${test.skipReason}`;
  const fileReason = unmetAll(file.runOnRequirements, server);
  if (fileReason) return fileReason;
  const testReason = unmetAll(test.runOnRequirements, server);
  if (testReason) return testReason;
  const deviation = DRIVER_DEVIATIONS.find((d) => d.file === file.file && d.tests.includes(test.description));
  if (deviation) return `tests the driver: ${deviation.reason}`;
  if (!canFailPoint && test.operations.some((o) => o.object === 'testRunner' && /failPoint/i.test(o.name))) {
    return 'needs server fail points (the test-only configureFailPoint command)';
  }
  return null;
}

// ---------------------------------------------------------------- matching

export class SpecFailure extends Error {}

const fail = (where: string, msg: string): never => {
  throw new SpecFailure(`${where || '(root)'}: ${msg}`);
};

const show = (v: unknown) => {
  try {
    return EJSON.stringify(v as never, { relaxed: true });
  } catch {
    return String(v);
  }
};

function isDoc(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function numeric(v: unknown): number | bigint | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return v;
  if (v instanceof Long) return v.toBigInt();
  if (v instanceof Int32 || v instanceof Double) return v.valueOf();
  return undefined;
}

/** `$$type` names for a value as the driver returns it (plain JS numbers can be int, long or double). */
function typeNames(v: unknown): string[] {
  if (v === null) return ['null'];
  if (v === undefined) return [];
  if (typeof v === 'string') return ['string'];
  if (typeof v === 'boolean') return ['bool'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['int', 'long', 'double', 'number'] : ['double', 'number'];
  if (typeof v === 'bigint' || v instanceof Long) return ['long', 'number'];
  if (v instanceof Int32) return ['int', 'number'];
  if (v instanceof Double) return ['double', 'number'];
  if (v instanceof Decimal128) return ['decimal', 'number'];
  if (Array.isArray(v)) return ['array'];
  if (v instanceof Date) return ['date'];
  if (v instanceof RegExp) return ['regex'];
  if (v instanceof ObjectId) return ['objectId'];
  if (v instanceof Binary || Buffer.isBuffer(v)) return ['binData'];
  if (v instanceof Timestamp) return ['timestamp'];
  return ['object'];
}

function scalarEqual(expected: unknown, actual: unknown): boolean {
  const e = numeric(expected);
  const a = numeric(actual);
  if (e !== undefined || a !== undefined) {
    if (e === undefined || a === undefined) return false;
    // flexible numerics: int32, int64 and double are equal when their values are
    return typeof e === 'bigint' || typeof a === 'bigint' ? BigInt(Math.trunc(Number(e))) === BigInt(Math.trunc(Number(a))) && Number(e) === Number(a) : e === a;
  }
  if (expected instanceof Decimal128 || actual instanceof Decimal128) return String(expected) === String(actual) && typeNames(actual)[0] === 'decimal';
  if (expected instanceof ObjectId || actual instanceof ObjectId) {
    return expected instanceof ObjectId && actual instanceof ObjectId && expected.equals(actual);
  }
  if (expected instanceof Date || actual instanceof Date) {
    return expected instanceof Date && actual instanceof Date && expected.getTime() === actual.getTime();
  }
  if (expected === null || actual === null || typeof expected !== 'object' || typeof actual !== 'object') return expected === actual;
  return show(expected) === show(actual);
}

const specialKey = (v: unknown): string | null => {
  if (!isDoc(v)) return null;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0].startsWith('$$') ? keys[0] : null;
};

export interface MatchContext {
  entities: Map<string, unknown>;
}

/**
 * The format's matching rules ("Evaluating Matches"): extra keys allowed only in root-level
 * documents, arrays of the same length, flexible numerics, `$$` operators.
 */
export function match(expected: unknown, actual: unknown, root: boolean, where: string, ctx: MatchContext): void {
  if (actual instanceof Map) actual = plain(actual); // the driver sends sort specifications as Maps
  const op = specialKey(expected);
  if (op) {
    specialOp(op, (expected as Doc)[op], actual, root, where, ctx);
    return;
  }
  if (isDoc(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) fail(where, `expected a document ${show(expected)}, got ${show(actual)}`);
    const act = actual as Doc;
    for (const k of Object.keys(expected)) {
      const ev = expected[k];
      const kop = specialKey(ev);
      const at = where ? `${where}.${k}` : k;
      if (kop === '$$exists') {
        if (Boolean(ev.$$exists) !== (k in act && act[k] !== undefined)) fail(at, ev.$$exists ? 'expected the key to exist' : `expected no such key, got ${show(act[k])}`);
        continue;
      }
      if (kop === '$$unsetOrMatches' && !(k in act && act[k] !== undefined)) continue;
      if (!(k in act) || act[k] === undefined) fail(at, `missing (expected ${show(ev)})`);
      match(ev, act[k], false, at, ctx);
    }
    if (!root) {
      const extra = Object.keys(act).filter((k) => !(k in expected) && act[k] !== undefined);
      if (extra.length) fail(where, `unexpected key(s) ${extra.join(', ')} in ${show(act)}`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) fail(where, `expected an array ${show(expected)}, got ${show(actual)}`);
    const act = actual as unknown[];
    if (act.length !== expected.length) fail(where, `expected ${expected.length} element(s) ${show(expected)}, got ${act.length}: ${show(act)}`);
    expected.forEach((e, i) => match(e, act[i], false, `${where}[${i}]`, ctx));
    return;
  }
  if (!scalarEqual(expected, actual)) fail(where, `expected ${show(expected)}, got ${show(actual)}`);
}

/** Array elements of iterable results (find, aggregate) are root-level documents. */
export function matchRootArray(expected: unknown, actual: unknown[], where: string, ctx: MatchContext): void {
  if (!Array.isArray(expected)) return match(expected, actual, false, where, ctx);
  if (actual.length !== expected.length) fail(where, `expected ${expected.length} document(s) ${show(expected)}, got ${actual.length}: ${show(actual)}`);
  expected.forEach((e, i) => match(e, actual[i], true, `${where}[${i}]`, ctx));
}

function specialOp(op: string, arg: any, actual: unknown, root: boolean, where: string, ctx: MatchContext): void {
  switch (op) {
    case '$$unsetOrMatches':
      if (actual === undefined) return;
      return match(arg, actual, root, where, ctx);
    case '$$exists':
      if (Boolean(arg) !== (actual !== undefined)) fail(where, arg ? 'expected a value' : `expected nothing, got ${show(actual)}`);
      return;
    case '$$type': {
      const want = Array.isArray(arg) ? arg : [arg];
      const have = typeNames(actual);
      if (!want.some((t: string) => have.includes(t))) fail(where, `expected type ${want.join('|')}, got ${show(actual)} (${have.join('|') || 'missing'})`);
      return;
    }
    case '$$matchesEntity': {
      if (!ctx.entities.has(arg)) throw new Error(`$$matchesEntity: no entity ${arg}`);
      return match(ctx.entities.get(arg), actual, root, where, ctx);
    }
    case '$$lte': {
      const a = numeric(actual);
      if (a === undefined || Number(a) > Number(numeric(arg))) fail(where, `expected ≤ ${show(arg)}, got ${show(actual)}`);
      return;
    }
    case '$$matchAsRoot':
      return match(arg, actual, true, where, ctx);
    case '$$matchAsDocument':
      if (typeof actual !== 'string') fail(where, `expected an extended JSON string, got ${show(actual)}`);
      return match(arg, EJSON.parse(actual as string, { relaxed: true }), false, where, ctx);
    default:
      throw new Error(`special operator ${op} is not supported by this runner`);
  }
}

/** Collection contents after a test must match exactly (no extra keys anywhere), key order aside. */
function matchExactly(expected: unknown, actual: unknown, where: string): void {
  if (isDoc(expected)) {
    if (!isDoc(actual)) fail(where, `expected ${show(expected)}, got ${show(actual)}`);
    const a = actual as Doc;
    const ek = Object.keys(expected).sort();
    const ak = Object.keys(a).sort();
    if (ek.join('\u0000') !== ak.join('\u0000')) fail(where, `expected keys {${ek.join(', ')}}, got {${ak.join(', ')}} in ${show(actual)}`);
    for (const k of ek) matchExactly(expected[k], a[k], `${where}.${k}`);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) fail(where, `expected ${show(expected)}, got ${show(actual)}`);
    expected.forEach((e, i) => matchExactly(e, (actual as unknown[])[i], `${where}[${i}]`));
    return;
  }
  if (!scalarEqual(expected, actual)) fail(where, `expected ${show(expected)}, got ${show(actual)}`);
}

// ---------------------------------------------------------------- results as documents

function plain(v: unknown): unknown {
  if (v instanceof Map) {
    const o: Doc = {};
    for (const [k, x] of v) o[String(k)] = plain(x);
    return o;
  }
  return v;
}

function bulkResultDoc(r: any): Doc {
  return {
    insertedCount: r.insertedCount,
    matchedCount: r.matchedCount,
    modifiedCount: r.modifiedCount,
    deletedCount: r.deletedCount,
    upsertedCount: r.upsertedCount,
    upsertedIds: { ...r.upsertedIds },
    insertedIds: { ...r.insertedIds },
  };
}

function clientBulkResultDoc(r: any): Doc {
  const out: Doc = {
    insertedCount: r.insertedCount,
    upsertedCount: r.upsertedCount,
    matchedCount: r.matchedCount,
    modifiedCount: r.modifiedCount,
    deletedCount: r.deletedCount,
  };
  for (const k of ['insertResults', 'updateResults', 'deleteResults']) {
    if (r[k] !== undefined) {
      const m = plain(r[k]) as Doc;
      // the spec's result models; the Node driver adds didUpsert to update results
      for (const i of Object.keys(m)) {
        const { didUpsert: _, ...fields } = m[i];
        m[i] = fields;
      }
      out[k] = m;
    }
  }
  return out;
}

// ---------------------------------------------------------------- operations

interface OpResult {
  value: unknown;
  /** iterable results (find, aggregate): each element is a root-level document */
  rootArray?: boolean;
}

function readPreference(rp: Doc | undefined) {
  if (!rp) return undefined;
  const { mode, tagSets, ...rest } = rp;
  return new ReadPreference(mode, tagSets, rest);
}

function entityOptions(o: Doc | undefined): Doc {
  if (!o) return {};
  const out: Doc = { ...o };
  if (o.readPreference) out.readPreference = readPreference(o.readPreference);
  return out;
}

/** Arguments the driver takes as options (everything but the positional parameters). */
function options(args: Doc, positional: string[]): Doc {
  const out: Doc = {};
  for (const k of Object.keys(args)) {
    if (positional.includes(k)) continue;
    if (k === 'returnDocument') {
      const v = String(args[k]).toLowerCase();
      if (v !== 'before' && v !== 'after') throw new Error(`returnDocument must be Before or After, got ${args[k]}`);
      out[k] = v;
    } else if (k === 'readPreference') out[k] = readPreference(args[k]);
    else out[k] = args[k];
  }
  return out;
}

type CollectionOp = (c: mongoose.mongo.Collection<any>, a: Doc) => Promise<OpResult>;

const COLLECTION_OPS: Record<string, CollectionOp> = {
  aggregate: async (c, a) => ({ value: await c.aggregate(a.pipeline, options(a, ['pipeline'])).toArray(), rootArray: true }),
  bulkWrite: async (c, a) => ({ value: bulkResultDoc(await c.bulkWrite(a.requests, options(a, ['requests']))) }),
  count: async (c, a) => ({ value: await c.count(a.filter, options(a, ['filter'])) }),
  countDocuments: async (c, a) => ({ value: await c.countDocuments(a.filter, options(a, ['filter'])) }),
  createIndex: async (c, a) => ({ value: await c.createIndex(a.keys, options(a, ['keys'])) }),
  deleteMany: async (c, a) => ({ value: { ...(await c.deleteMany(a.filter, options(a, ['filter']))) } }),
  deleteOne: async (c, a) => ({ value: { ...(await c.deleteOne(a.filter, options(a, ['filter']))) } }),
  distinct: async (c, a) => ({ value: await c.distinct(a.fieldName, a.filter, options(a, ['fieldName', 'filter'])) }),
  estimatedDocumentCount: async (c, a) => ({ value: await c.estimatedDocumentCount(options(a, [])) }),
  find: async (c, a) => ({ value: await c.find(a.filter, options(a, ['filter'])).toArray(), rootArray: true }),
  findOne: async (c, a) => ({ value: await c.findOne(a.filter, options(a, ['filter'])) }),
  findOneAndDelete: async (c, a) => ({ value: await c.findOneAndDelete(a.filter, options(a, ['filter'])) }),
  findOneAndReplace: async (c, a) => ({ value: await c.findOneAndReplace(a.filter, a.replacement, options(a, ['filter', 'replacement'])) }),
  findOneAndUpdate: async (c, a) => ({ value: await c.findOneAndUpdate(a.filter, a.update, options(a, ['filter', 'update'])) }),
  insertMany: async (c, a) => ({ value: { ...(await c.insertMany(a.documents, options(a, ['documents']))) } }),
  insertOne: async (c, a) => ({ value: { ...(await c.insertOne(a.document, options(a, ['document']))) } }),
  replaceOne: async (c, a) => ({ value: { ...(await c.replaceOne(a.filter, a.replacement, options(a, ['filter', 'replacement']))) } }),
  updateMany: async (c, a) => ({ value: { ...(await c.updateMany(a.filter, a.update, options(a, ['filter', 'update']))) } }),
  updateOne: async (c, a) => ({ value: { ...(await c.updateOne(a.filter, a.update, options(a, ['filter', 'update']))) } }),
};

type DatabaseOp = (d: mongoose.mongo.Db, a: Doc) => Promise<OpResult>;

const DATABASE_OPS: Record<string, DatabaseOp> = {
  aggregate: async (d, a) => ({ value: await d.aggregate(a.pipeline, options(a, ['pipeline'])).toArray(), rootArray: true }),
  createCollection: async (d, a) => {
    await d.createCollection(a.collection, options(a, ['collection']));
    return { value: undefined };
  },
  dropCollection: async (d, a) => ({ value: await d.dropCollection(a.collection, options(a, ['collection'])) }),
  modifyCollection: async (d, a) => ({ value: await d.command({ collMod: a.collection, ...options(a, ['collection']) }) }),
  runCommand: async (d, a) => ({ value: await d.command(a.command, options(a, ['command', 'commandName'])) }),
};

type ClientOp = (c: Client, a: Doc) => Promise<OpResult>;

const CLIENT_OPS: Record<string, ClientOp> = {
  clientBulkWrite: async (c, a) => {
    const models = (a.models as Doc[]).map((m) => {
      const [name] = Object.keys(m);
      return { name, ...m[name] };
    });
    return { value: clientBulkResultDoc(await c.bulkWrite(models as never, options(a, ['models']))) };
  },
};

// ---------------------------------------------------------------- errors

const CODES_BY_NAME: Record<string, number> = Object.fromEntries(Object.entries(CODE_NAMES).map(([c, n]) => [n.toLowerCase(), Number(c)]));

/** Every server error a (bulk) error carries: the top-level one and each write error. */
function serverErrors(err: any): { code?: number; codeName?: string; message: string }[] {
  const out: { code?: number; codeName?: string; message: string }[] = [{ code: err.code, codeName: err.codeName, message: String(err.message ?? '') }];
  const we = err.writeErrors;
  if (we instanceof Map) for (const e of we.values()) out.push({ code: e.code, message: String(e.message ?? '') });
  else if (Array.isArray(we)) for (const e of we) out.push({ code: e.code, codeName: e.codeName, message: String(e.errmsg ?? e.message ?? '') });
  else if (we && typeof we === 'object') out.push({ code: we.code, message: String(we.errmsg ?? we.message ?? '') });
  if (err.cause && err.cause !== err) out.push(...serverErrors(err.cause));
  if (err.errorResponse) out.push({ code: err.errorResponse.code, codeName: err.errorResponse.codeName, message: String(err.errorResponse.errmsg ?? '') });
  return out;
}

function checkError(expected: Doc, err: any, where: string, ctx: MatchContext): void {
  const isServer = err instanceof MongoServerError;
  const all = serverErrors(err);
  const describe = `${err?.constructor?.name ?? 'Error'}: ${err?.message} (code ${err?.code})`;
  if (expected.isClientError !== undefined && expected.isClientError === isServer) {
    fail(where, expected.isClientError ? `expected a client-side error, got a server error ${describe}` : `expected a server error, got a client-side error ${describe}`);
  }
  if (expected.isTimeoutError) fail(where, 'isTimeoutError is not supported by this runner');
  if (expected.errorContains !== undefined) {
    const want = String(expected.errorContains).toLowerCase();
    if (!all.some((e) => e.message.toLowerCase().includes(want))) fail(where, `expected the error to contain "${expected.errorContains}", got ${describe}`);
  }
  if (expected.errorCode !== undefined && !all.some((e) => e.code === expected.errorCode)) {
    fail(where, `expected error code ${expected.errorCode}, got ${describe}`);
  }
  if (expected.errorCodeName !== undefined) {
    const want = String(expected.errorCodeName).toLowerCase();
    const code = CODES_BY_NAME[want];
    if (!all.some((e) => (e.codeName ? e.codeName.toLowerCase() === want : code !== undefined && e.code === code))) {
      fail(where, `expected error code name ${expected.errorCodeName}, got ${describe}`);
    }
  }
  for (const label of expected.errorLabelsContain ?? []) if (!err.hasErrorLabel?.(label)) fail(where, `expected error label ${label}`);
  for (const label of expected.errorLabelsOmit ?? []) if (err.hasErrorLabel?.(label)) fail(where, `unexpected error label ${label}`);
  if (expected.errorResponse !== undefined) match(expected.errorResponse, err.errorResponse ?? err, true, `${where}.errorResponse`, ctx);
  if (expected.writeErrors !== undefined) {
    const actual = err.writeErrors instanceof Map ? err.writeErrors : new Map();
    const keys = Object.keys(expected.writeErrors);
    if (actual.size !== keys.length) fail(`${where}.writeErrors`, `expected ${keys.length} write error(s), got ${actual.size}`);
    for (const k of keys) {
      const a = actual.get(Number(k));
      if (!a) fail(`${where}.writeErrors`, `no write error for operation ${k}`);
      match(expected.writeErrors[k], { ...a }, true, `${where}.writeErrors.${k}`, ctx);
    }
  }
  if (expected.writeConcernErrors !== undefined) {
    const actual = (err.writeConcernErrors ?? []) as Doc[];
    if (actual.length !== expected.writeConcernErrors.length) fail(`${where}.writeConcernErrors`, `expected ${expected.writeConcernErrors.length}, got ${actual.length}`);
    expected.writeConcernErrors.forEach((e: Doc, i: number) => match(e, { ...actual[i] }, true, `${where}.writeConcernErrors[${i}]`, ctx));
  }
  if (expected.expectResult !== undefined) {
    const partial =
      err instanceof mongoose.mongo.MongoClientBulkWriteError
        ? err.partialResult && clientBulkResultDoc(err.partialResult)
        : err instanceof mongoose.mongo.MongoBulkWriteError
          ? bulkResultDoc(err.result)
          : undefined;
    match(expected.expectResult, partial, true, `${where}.expectResult`, ctx);
  }
}

// ---------------------------------------------------------------- running a test

/** How a test ended when it did not fail. */
export type Outcome = { status: 'passed' } | { status: 'refused'; feature: string; message: string };

interface ClientEntity {
  client: Client;
  observe: Set<string>;
  ignore: Set<string>;
  events: Doc[];
  /** this test's event listeners on the (shared) client, removed after the test */
  listeners: [string, (ev: any) => void][];
}

/** Commands whose events the format ignores (handshake, sensitive, fail points). */
const IGNORED_COMMANDS = new Set(['configurefailpoint', 'hello', 'ismaster', 'saslstart', 'saslcontinue', 'authenticate', 'getnonce', 'buildinfo', 'endsessions']);

export class UnifiedRunner {
  constructor(
    readonly uri: string,
    readonly internal: Client,
    /** Refusals of unsupported features count as "refused by design" (docstore only). */
    readonly acceptRefusals: boolean,
  ) {}

  async run(file: SpecFile, test: SpecTest): Promise<Outcome> {
    const entities = new Map<string, unknown>();
    const clients = new Map<string, ClientEntity>();
    const failPoints: { client: Client; name: string }[] = [];
    const ctx: MatchContext = { entities };
    try {
      await this.setUpData(file.initialData ?? []);
      for (const spec of file.createEntities ?? []) await this.createEntity(spec, entities, clients);
      for (let i = 0; i < test.operations.length; i++) {
        const op = test.operations[i];
        const where = `operation ${i} (${op.object}.${op.name})`;
        if (op.object === 'testRunner') {
          await this.special(op, clients, failPoints);
          continue;
        }
        let result: OpResult | undefined;
        let error: unknown;
        try {
          result = await this.execute(op, entities);
        } catch (e) {
          error = e;
        }
        // A refusal of an unsupported feature ends the test whatever it expected (an
        // expected error must never be satisfied by "not supported").
        const refused = error !== undefined && this.acceptRefusals ? refusal(error) : null;
        if (refused) return refused;
        if (op.ignoreResultAndError) continue;
        if (op.expectError) {
          if (error === undefined) fail(where, `expected an error, got the result ${show(result?.value)}`);
          checkError(op.expectError, error, where, ctx);
          continue;
        }
        if (error !== undefined) throw error;
        if (op.expectResult !== undefined) {
          if (result?.rootArray) matchRootArray(op.expectResult, result.value as unknown[], `${where} result`, ctx);
          else match(op.expectResult, result?.value, true, `${where} result`, ctx);
        }
        if (op.saveResultAsEntity) entities.set(op.saveResultAsEntity, result?.value);
      }
      for (const expected of test.expectEvents ?? []) this.checkEvents(expected, clients, ctx);
      for (const data of test.outcome ?? []) await this.checkOutcome(data);
      return { status: 'passed' };
    } finally {
      for (const fp of failPoints) await fp.client.db('admin').command({ configureFailPoint: fp.name, mode: 'off' }).catch(() => undefined);
      for (const c of clients.values()) for (const [ev, l] of c.listeners) c.client.off(ev as never, l);
    }
  }

  private readonly pool = new Map<string, Client>();

  /**
   * Client entities with the same URI options share one connected MongoClient across tests
   * (each test still gets its own entity map and event log): connecting a fresh client per
   * test would triple the run time and observe nothing more.
   */
  private async clientFor(uriOptions: Doc): Promise<Client> {
    const key = EJSON.stringify(uriOptions);
    let client = this.pool.get(key);
    if (!client) {
      client = await new MongoClient(this.uri, { serverSelectionTimeoutMS: 5000, monitorCommands: true, ...uriOptions }).connect();
      this.pool.set(key, client);
    }
    return client;
  }

  async close(): Promise<void> {
    for (const c of this.pool.values()) await c.close().catch(() => undefined);
    this.pool.clear();
  }

  private async setUpData(data: CollectionData[]): Promise<void> {
    for (const d of data) {
      const db = this.internal.db(d.databaseName);
      await db.dropCollection(d.collectionName, { writeConcern: { w: 'majority' } }).catch((e) => {
        if (e?.code !== 26) throw e;
      });
      if (d.createOptions || d.documents.length === 0) {
        await db.createCollection(d.collectionName, { ...(d.createOptions ?? {}), writeConcern: { w: 'majority' } });
      }
      if (d.documents.length) await db.collection(d.collectionName).insertMany(d.documents.map((x) => ({ ...x })), { writeConcern: { w: 'majority' } });
    }
  }

  private async createEntity(spec: Doc, entities: Map<string, unknown>, clients: Map<string, ClientEntity>): Promise<void> {
    const [kind] = Object.keys(spec);
    const e = spec[kind];
    if (entities.has(e.id)) throw new Error(`duplicate entity ${e.id}`);
    switch (kind) {
      case 'client': {
        const client = await this.clientFor(e.uriOptions ?? {});
        const entity: ClientEntity = {
          client,
          observe: new Set(e.observeEvents ?? []),
          ignore: new Set([...(e.ignoreCommandMonitoringEvents ?? [])].map((c: string) => c.toLowerCase())),
          events: [],
          listeners: [],
        };
        for (const [driverEvent, type] of [['commandStarted', 'commandStartedEvent'], ['commandSucceeded', 'commandSucceededEvent'], ['commandFailed', 'commandFailedEvent']] as const) {
          const listener = (ev: any) => {
            if (!entity.observe.has(type)) return;
            const name = String(ev.commandName).toLowerCase();
            if (IGNORED_COMMANDS.has(name) || entity.ignore.has(name)) return;
            entity.events.push({ type, commandName: ev.commandName, databaseName: ev.databaseName, command: ev.command, reply: ev.reply });
          };
          client.on(driverEvent, listener);
          entity.listeners.push([driverEvent, listener]);
        }
        clients.set(e.id, entity);
        entities.set(e.id, client);
        return;
      }
      case 'database': {
        const client = clients.get(e.client)?.client;
        if (!client) throw new Error(`database ${e.id}: no client entity ${e.client}`);
        entities.set(e.id, client.db(e.databaseName, entityOptions(e.databaseOptions)));
        return;
      }
      case 'collection': {
        const db = entities.get(e.database) as mongoose.mongo.Db | undefined;
        if (!db) throw new Error(`collection ${e.id}: no database entity ${e.database}`);
        entities.set(e.id, db.collection(e.collectionName, entityOptions(e.collectionOptions)));
        return;
      }
      default:
        throw new Error(`entity type ${kind} is not supported by this runner`);
    }
  }

  private async execute(op: Operation, entities: Map<string, unknown>): Promise<OpResult> {
    const target = entities.get(op.object);
    if (target === undefined) throw new Error(`no entity ${op.object}`);
    const args = op.arguments ?? {};
    if (args.session !== undefined) throw new Error('sessions are not supported by this runner');
    let table: Record<string, (t: any, a: Doc) => Promise<OpResult>>;
    if (target instanceof MongoClient) table = CLIENT_OPS;
    else if (target instanceof mongoose.mongo.Db) table = DATABASE_OPS;
    else if (target instanceof mongoose.mongo.Collection) table = COLLECTION_OPS;
    else throw new Error(`entity ${op.object} has no operations`);
    const fn = table[op.name];
    if (!fn) throw new Error(`operation ${op.name} on ${op.object} is not supported by this runner`);
    return fn(target, args);
  }

  private async special(op: Operation, clients: Map<string, ClientEntity>, failPoints: { client: Client; name: string }[]): Promise<void> {
    const args = op.arguments ?? {};
    if (op.name === 'failPoint') {
      const client = clients.get(args.client)?.client;
      if (!client) throw new Error(`failPoint: no client ${args.client}`);
      await client.db('admin').command(args.failPoint);
      failPoints.push({ client, name: args.failPoint.configureFailPoint });
      return;
    }
    throw new Error(`special operation ${op.name} is not supported by this runner`);
  }

  private checkEvents(expected: ExpectedEvents, clients: Map<string, ClientEntity>, ctx: MatchContext): void {
    if ((expected.eventType ?? 'command') !== 'command') throw new Error(`eventType ${expected.eventType} is not supported by this runner`);
    const entity = clients.get(expected.client);
    if (!entity) throw new Error(`expectEvents: no client ${expected.client}`);
    const actual = entity.events;
    const where = `events of ${expected.client}`;
    if (expected.ignoreExtraEvents ? actual.length < expected.events.length : actual.length !== expected.events.length) {
      fail(where, `expected ${expected.events.length} event(s) ${show(expected.events)}, got ${actual.length}: ${show(actual.map((a) => ({ [a.type]: a.commandName })))}`);
    }
    expected.events.forEach((ev, i) => {
      const [type] = Object.keys(ev);
      const body = ev[type] as Doc;
      const a = actual[i];
      const at = `${where}[${i}]`;
      if (a.type !== type) fail(at, `expected ${type}, got ${a.type} (${a.commandName})`);
      if (body.commandName !== undefined && body.commandName !== a.commandName) fail(at, `expected command ${body.commandName}, got ${a.commandName}`);
      if (body.databaseName !== undefined && body.databaseName !== a.databaseName) fail(at, `expected database ${body.databaseName}, got ${a.databaseName}`);
      if (body.command !== undefined) match(body.command, a.command, true, `${at}.command`, ctx);
      if (body.reply !== undefined) match(body.reply, a.reply, true, `${at}.reply`, ctx);
    });
  }

  private async checkOutcome(data: CollectionData): Promise<void> {
    const docs = await this.internal
      .db(data.databaseName)
      .collection(data.collectionName)
      .find({}, { sort: { _id: 1 }, readPreference: 'primary', readConcern: { level: 'local' } })
      .toArray();
    const where = `outcome ${data.databaseName}.${data.collectionName}`;
    if (docs.length !== data.documents.length) fail(where, `expected ${data.documents.length} document(s) ${show(data.documents)}, got ${docs.length}: ${show(docs)}`);
    data.documents.forEach((d, i) => matchExactly(d, docs[i], `${where}[${i}]`));
  }
}

/** A docstore refusal of a feature it does not support on purpose (top-level or a write error), or null. */
function refusal(err: unknown): Outcome | null {
  for (const e of serverErrors(err)) {
    const feature = refusedFeatureOf(e.code, e.message);
    if (feature) return { status: 'refused', feature, message: e.message };
  }
  return null;
}
