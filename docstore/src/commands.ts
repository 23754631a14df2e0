/**
 * Command implementations. Each handler takes the parsed command document and returns a
 * reply document (or a pre-serialized reply buffer for cursor results). Errors are thrown
 * as CommandError and turned into `{ok: 0, code, codeName, errmsg}` by the server.
 */
import * as v8 from 'v8';
import { BSON, Long, ObjectId } from 'bson';
import { Collection } from './collection';
import { CursorManager, toBigInt } from './cursors';
import { CommandError, assertSimpleCollation, badValue, toCommandError, unsupported } from './errors';
import {
  assertPipelineSupported,
  compileFilter,
  compileProjection,
  letVariables,
  runPipeline,
} from './query';
import { assertHint, countShape, runFind } from './planner';
import { gcStatus } from './memory';
import { Store, normaliseIndexSpec, validateNames } from './store';
import { UpdateSpec, applyUpdate, assertStorableId, buildUpsert, validateUpdate } from './update';
import { Doc, cloneDoc, compareValues, idFirst, isPlainObject, keyOf, toNumber, valuesAtPath } from './values';
import { MAX_BSON_SIZE, MAX_MESSAGE_SIZE, RAW_DOCS } from './wire';

export type Reply = Doc | Buffer;

export interface Counters {
  commands: number;
  byDb: Record<string, Record<string, number>>;
  opcounters: { insert: number; query: number; update: number; delete: number; getmore: number; command: number };
}

export interface ServerInfo {
  host: string;
  port: number;
  startedAt: number;
  connections: () => number;
}

export interface CommandContext {
  store: Store;
  cursors: CursorManager;
  counters: Counters;
  info: ServerInfo;
  connectionId: number;
}

type Handler = (ctx: CommandContext, db: string, cmd: Doc) => Reply | Promise<Reply>;

/** Handshake/monitoring commands are not counted (they are not application round trips). */
export const UNCOUNTED = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions', 'buildInfo', 'buildinfo']);

/** The MongoDB version docstore presents (buildInfo, serverStatus) and its wire version. */
export const SERVER_VERSION = '8.0.0';
const WIRE_VERSION = 25; // MongoDB 8.0

export function helloReply(connectionId: number, cmd: Doc): Doc {
  const reply: Doc = {
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    maxBsonObjectSize: MAX_BSON_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
  // Older drivers only understand `ismaster`; keep `isWritablePrimary` for hello.
  if (cmd.hello === undefined) delete reply.isWritablePrimary;
  return reply;
}

// ---------------------------------------------------------------- helpers

function collName(cmd: Doc, key: string): string {
  const v = cmd[key];
  if (typeof v !== 'string') throw new CommandError(73, `collection name has invalid type ${typeof v}`);
  return v;
}

function num(v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const n = toNumber(v);
  if (n === undefined || Number.isNaN(n)) throw new CommandError(14, `expected a number, got ${typeof v}`);
  return n;
}

function writeErrorOf(index: number, err: unknown): Doc {
  const e = toCommandError(err);
  return { index, code: e.code, errmsg: e.message, ...e.extra };
}

/** Rejects multi-document transactions up front with a message naming the feature. */
export function assertNoTransaction(cmd: Doc): void {
  if (cmd.startTransaction !== undefined || cmd.autocommit === false) {
    // Not code 20 (IllegalOperation): the driver rewrites that one on writes into a
    // misleading "does not support retryable writes" message.
    throw unsupported('transactions', 'startTransaction / autocommit:false', 'a MongoDB replica set (set MONGODB_URI)');
  }
}

function resolver(ctx: CommandContext, db: string) {
  return (name: string): Doc[] => {
    const c = ctx.store.get(db, name);
    // Copies: a later stage may write into joined documents ($project excluding 'as.field'
    // removed that field from the stored document). A cold document is decoded afresh anyway.
    return c ? Array.from(c.docs.rawEntries(), ([, e]) => (e.doc ? cloneDoc(e.doc) : c.docs.docOf(e))) : [];
  };
}

// ---------------------------------------------------------------- find / read

const find: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'find');
  ctx.counters.opcounters.query++;
  const coll = ctx.store.get(db, name);
  let limit = num(cmd.limit, 0);
  let singleBatch = Boolean(cmd.singleBatch);
  if (limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const skip = num(cmd.skip, 0);
  if (skip < 0) throw badValue('skip value must be non-negative');
  assertHint(coll, cmd.hint);
  if (cmd.collation !== undefined) assertSimpleCollation(cmd.collation);
  for (const opt of ['min', 'max', 'returnKey', 'showRecordId']) {
    if (cmd[opt] !== undefined && cmd[opt] !== false) throw unsupported('findOptions', opt);
  }
  const variables = letVariables(cmd.let);
  const filter = cmd.filter ?? {};
  const projector = compileProjection(cmd.projection, filter, variables);
  const { docs } = runFind(coll, filter, cmd.sort, skip, limit, variables);
  let batchSize = num(cmd.batchSize, 0) || 101;
  if (limit > 0 && (batchSize === 0 || batchSize > limit)) batchSize = limit;
  if (limit > 0 && docs.length <= batchSize) singleBatch = true;
  return ctx.cursors.firstBatch(`${db}.${name}`, docs, batchSize, projector, singleBatch);
};

const getMore: Handler = (ctx, db, cmd) => {
  ctx.counters.opcounters.getmore++;
  const id = toBigInt(cmd.getMore);
  const name = collName(cmd, 'collection');
  return ctx.cursors.getMore(id, `${db}.${name}`, num(cmd.batchSize, 0));
};

const killCursors: Handler = (ctx, _db, cmd) => {
  const ids = Array.isArray(cmd.cursors) ? cmd.cursors.map(toBigInt) : [];
  const { killed, notFound } = ctx.cursors.kill(ids);
  return {
    cursorsKilled: killed.map((i) => Long.fromBigInt(i)),
    cursorsNotFound: notFound.map((i) => Long.fromBigInt(i)),
    cursorsAlive: [],
    cursorsUnknown: [],
    ok: 1,
  };
};

const count: Handler = (ctx, db, cmd) => {
  ctx.counters.opcounters.command++;
  const coll = ctx.store.get(db, collName(cmd, 'count'));
  const skip = num(cmd.skip, 0);
  const limit = Math.abs(num(cmd.limit, 0));
  if (cmd.collation !== undefined) assertSimpleCollation(cmd.collation);
  assertHint(coll, cmd.hint);
  if (!coll) {
    compileFilter(cmd.query);
    return { n: 0, ok: 1 };
  }
  const q = cmd.query;
  const n0 = coll.count(q ?? {}, compileFilter(q));
  let n = n0;
  n = Math.max(0, n - skip);
  if (limit > 0) n = Math.min(n, limit);
  return { n, ok: 1 };
};

const distinct: Handler = (ctx, db, cmd) => {
  ctx.counters.opcounters.command++;
  const key = cmd.key;
  if (typeof key !== 'string') throw badValue('distinct key must be a string');
  // MongoDB would compare the values under the collation: refused like everywhere else
  if (cmd.collation !== undefined) assertSimpleCollation(cmd.collation);
  const coll = ctx.store.get(db, collName(cmd, 'distinct'));
  assertHint(coll, cmd.hint);
  const seen = new Map<string, unknown>();
  const { docs } = runFind(coll, cmd.query ?? {}, undefined, 0, 0);
  if (coll) {
    for (const d of docs) {
      for (const v of valuesAtPath(d, key)) {
        if (v === undefined) continue;
        const k = keyOf(v);
        if (!seen.has(k)) seen.set(k, v);
      }
    }
  }
  const values = [...seen.values()].sort(compareValues);
  return { values, ok: 1 };
};

const aggregate: Handler = (ctx, db, cmd) => {
  ctx.counters.opcounters.command++;
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' option must be specified as an array");
  assertPipelineSupported(pipeline);
  if (cmd.collation !== undefined) assertSimpleCollation(cmd.collation);
  if (cmd.explain) throw unsupported('explain', 'aggregate');
  if (!isPlainObject(cmd.cursor)) {
    throw new CommandError(9, "The 'cursor' option is required, except for aggregate with the explain argument");
  }
  const target = cmd.aggregate;
  const name = typeof target === 'string' ? target : null;
  if (name === null && target !== 1) throw badValue('aggregate must name a collection or be 1');
  const coll = name ? ctx.store.get(db, name) : undefined;
  assertHint(coll, cmd.hint);
  const variables = letVariables(cmd.let);
  let input: Doc[] = [];
  let stages = pipeline as Doc[];
  const batchSize = isPlainObject(cmd.cursor) ? num((cmd.cursor as Doc).batchSize, 0) || 101 : 101;
  const ns = `${db}.${name ?? '$cmd.aggregate'}`;
  const counted = countShape(stages);
  if (coll && counted) {
    // countDocuments(): [{$match}, ({$skip}), ({$limit}), {$group: {_id: <const>, n: {$sum: 1}}}]
    // answered from index buckets when the filter is covered, never materialising documents.
    let n = coll.count(counted.filter, compileFilter(counted.filter, variables));
    n = Math.max(0, n - counted.skip);
    if (counted.limit > 0) n = Math.min(n, counted.limit);
    const out = n > 0 ? [{ _id: counted.id, [counted.field]: n }] : [];
    return ctx.cursors.firstBatch(ns, out, batchSize, null);
  }
  if (coll) {
    const first = stages[0];
    if (first && isPlainObject(first.$match)) {
      // Leading $match goes through the planner (index-backed when possible).
      input = runFind(coll, first.$match, undefined, 0, 0, variables).docs;
      stages = stages.slice(1);
    } else {
      coll.stats.collectionScans++;
      input = Array.from(coll.docs.values());
    }
  }
  let results: Doc[];
  try {
    results = stages.length ? runPipeline(input, stages, resolver(ctx, db), variables) : input;
  } catch (e) {
    throw toCommandError(e);
  }
  return ctx.cursors.firstBatch(ns, results, batchSize, null);
};

// ---------------------------------------------------------------- writes

/** Acknowledgement waits for the journal's fsync (no-op in memory mode). */
async function durable(ctx: CommandContext, cmd: Doc, reply: Doc): Promise<Doc> {
  const wc = cmd.writeConcern as Doc | undefined;
  const unacknowledged = isPlainObject(wc) && wc.w === 0;
  if (ctx.store.persistence && !unacknowledged) await ctx.store.persistence.sync();
  return reply;
}

function prepareInsert(doc: unknown): Doc {
  if (!isPlainObject(doc)) throw badValue('document to insert must be an object');
  let d = doc;
  if (d._id === undefined) d = { _id: new ObjectId(), ...d };
  else d = idFirst(d);
  assertStorableId(d._id);
  return d;
}

const insert: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'insert');
  const docs = cmd.documents;
  if (!Array.isArray(docs)) throw badValue('insert needs a documents array');
  const ordered = cmd.ordered !== false;
  const coll = ctx.store.ensure(db, name);
  const raws = (docs as unknown as Record<symbol, Buffer[] | undefined>)[RAW_DOCS];
  const writeErrors: Doc[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    try {
      const d = prepareInsert(docs[i]);
      // the client's own bytes can be journaled when the document is stored unchanged
      coll.insert(d, raws && d === docs[i] ? raws[i] : undefined);
      n++;
    } catch (e) {
      writeErrors.push(writeErrorOf(i, e));
      if (ordered) break;
    }
  }
  ctx.counters.opcounters.insert += n;
  const reply: Doc = { n, ok: 1 };
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return durable(ctx, cmd, reply);
};

interface UpdateOutcome {
  n: number;
  nModified: number;
  upserted?: unknown;
}

/** One update statement (shared by `update` and `bulkWrite`); `variables`: the command's `let`. */
function updateOne(ctx: CommandContext, db: string, coll: Collection, stmt: Doc, variables?: Doc): UpdateOutcome {
  const filter = (stmt.q ?? stmt.filter ?? {}) as Doc;
  if (!isPlainObject(filter)) throw badValue('update filter must be an object');
  const u = validateUpdate(stmt.u ?? stmt.updateMods);
  const multi = Boolean(stmt.multi);
  const arrayFilters = stmt.arrayFilters as Doc[] | undefined;
  if (stmt.collation !== undefined) assertSimpleCollation(stmt.collation);
  assertHint(coll, stmt.hint);
  if (multi && !Array.isArray(u) && !Object.keys(u).some((k) => k.startsWith('$'))) {
    throw new CommandError(9, 'multi update is not supported for replacement-style update');
  }
  if (multi && stmt.sort !== undefined) throw new CommandError(72, 'Cannot specify sort with multi=true');
  const opts = { arrayFilters, resolve: resolver(ctx, db), variables };
  let targets: Doc[];
  if (stmt.sort !== undefined) targets = runFind(coll, filter, stmt.sort, 0, 1, variables).docs;
  else targets = runFind(coll, filter, undefined, 0, multi ? 0 : 1, variables).docs;
  if (targets.length === 0) {
    if (!stmt.upsert) return { n: 0, nModified: 0 };
    const doc = buildUpsert(filter, u, opts);
    coll.insert(doc);
    return { n: 1, nModified: 0, upserted: doc._id };
  }
  let nModified = 0;
  for (const t of targets) {
    const { doc, modified } = applyUpdate(t, u, { ...opts, filter });
    if (modified) {
      coll.replace(t, doc);
      nModified++;
    }
  }
  return { n: targets.length, nModified };
}

const update: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'update');
  const stmts = cmd.updates;
  if (!Array.isArray(stmts)) throw badValue('update needs an updates array');
  const ordered = cmd.ordered !== false;
  const variables = letVariables(cmd.let);
  const coll = ctx.store.ensure(db, name);
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const writeErrors: Doc[] = [];
  for (let i = 0; i < stmts.length; i++) {
    ctx.counters.opcounters.update++;
    try {
      const r = updateOne(ctx, db, coll, stmts[i] as Doc, variables);
      n += r.n;
      nModified += r.nModified;
      if (r.upserted !== undefined) upserted.push({ index: i, _id: r.upserted });
    } catch (e) {
      writeErrors.push(writeErrorOf(i, e));
      if (ordered) break;
    }
  }
  const reply: Doc = { n, nModified, ok: 1 };
  if (upserted.length) reply.upserted = upserted;
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return durable(ctx, cmd, reply);
};

/** One delete statement (shared by `delete` and `bulkWrite`); `variables`: the command's `let`. */
function deleteOne(coll: Collection | undefined, stmt: Doc, variables?: Doc): number {
  const filter = (stmt.q ?? stmt.filter ?? {}) as Doc;
  const limit = num(stmt.limit, stmt.multi === undefined ? 0 : stmt.multi ? 0 : 1);
  if (stmt.collation !== undefined) assertSimpleCollation(stmt.collation);
  assertHint(coll, stmt.hint);
  const targets = runFind(coll, filter, undefined, 0, limit === 1 ? 1 : 0, variables).docs;
  if (!coll) return 0;
  for (const t of targets) coll.remove(t);
  return targets.length;
}

const del: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'delete');
  const stmts = cmd.deletes;
  if (!Array.isArray(stmts)) throw badValue('delete needs a deletes array');
  const ordered = cmd.ordered !== false;
  const variables = letVariables(cmd.let);
  const coll = ctx.store.get(db, name);
  let n = 0;
  const writeErrors: Doc[] = [];
  for (let i = 0; i < stmts.length; i++) {
    ctx.counters.opcounters.delete++;
    try {
      n += deleteOne(coll, stmts[i] as Doc, variables);
    } catch (e) {
      writeErrors.push(writeErrorOf(i, e));
      if (ordered) break;
    }
  }
  const reply: Doc = { n, ok: 1 };
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return durable(ctx, cmd, reply);
};

const findAndModify: Handler = (ctx, db, cmd) => {
  const name = typeof cmd.findAndModify === 'string' ? cmd.findAndModify : collName(cmd, 'findandmodify');
  const coll = ctx.store.ensure(db, name);
  const filter = (cmd.query ?? {}) as Doc;
  const remove = Boolean(cmd.remove);
  const returnNew = Boolean(cmd.new);
  const variables = letVariables(cmd.let);
  const projector = compileProjection(cmd.fields, filter, variables);
  if (cmd.collation !== undefined) assertSimpleCollation(cmd.collation);
  assertHint(coll, cmd.hint);
  const [target] = runFind(coll, filter, cmd.sort, 0, 1, variables).docs;
  const project = (d: Doc | undefined | null) => (d ? (projector ? projector(d) : d) : null);
  if (remove) {
    if (cmd.update !== undefined) throw badValue('Cannot specify both an update and remove=true');
    if (cmd.upsert) throw badValue('Cannot specify both upsert=true and remove=true');
    ctx.counters.opcounters.delete++;
    if (target) coll.remove(target);
    return durable(ctx, cmd, { lastErrorObject: { n: target ? 1 : 0 }, value: project(target), ok: 1 });
  }
  if (cmd.update === undefined) throw badValue('Either an update or remove=true must be specified');
  ctx.counters.opcounters.update++;
  const u: UpdateSpec = validateUpdate(cmd.update);
  const opts = { arrayFilters: cmd.arrayFilters as Doc[] | undefined, resolve: resolver(ctx, db), variables };
  if (!target) {
    if (!cmd.upsert) {
      return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    }
    const doc = buildUpsert(filter, u, opts);
    coll.insert(doc);
    return durable(ctx, cmd, {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: returnNew ? project(doc) : null,
      ok: 1,
    });
  }
  const { doc, modified } = applyUpdate(target, u, { ...opts, filter });
  if (modified) coll.replace(target, doc);
  return durable(ctx, cmd, {
    lastErrorObject: { n: 1, updatedExisting: true },
    value: project(returnNew ? doc : target),
    ok: 1,
  });
};

/** MongoDB 8 `bulkWrite` admin command (client.bulkWrite): ops across namespaces. */
const bulkWrite: Handler = async (ctx, _db, cmd) => {
  const ops = cmd.ops;
  const nsInfo = cmd.nsInfo;
  if (!Array.isArray(ops) || !Array.isArray(nsInfo)) throw badValue('bulkWrite needs ops and nsInfo');
  const ordered = cmd.ordered !== false;
  const errorsOnly = Boolean(cmd.errorsOnly);
  const variables = letVariables(cmd.let);
  const results: Doc[] = [];
  let nErrors = 0;
  let nInserted = 0;
  let nMatched = 0;
  let nModified = 0;
  let nUpserted = 0;
  let nDeleted = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Doc;
    const kind = op.insert !== undefined ? 'insert' : op.update !== undefined ? 'update' : op.delete !== undefined ? 'delete' : null;
    try {
      if (!kind) throw badValue('Unrecognized bulkWrite operation');
      const info = nsInfo[num(op[kind], -1)] as Doc | undefined;
      if (!info || typeof info.ns !== 'string') throw badValue(`bulkWrite op ${i}: invalid namespace index`);
      const dot = info.ns.indexOf('.');
      const db = info.ns.slice(0, dot);
      const name = info.ns.slice(dot + 1);
      validateNames(db, name);
      if (kind === 'insert') {
        ctx.store.ensure(db, name).insert(prepareInsert(op.document));
        ctx.counters.opcounters.insert++;
        nInserted++;
        if (!errorsOnly) results.push({ ok: 1, idx: i, n: 1 });
      } else if (kind === 'update') {
        ctx.counters.opcounters.update++;
        const coll = ctx.store.ensure(db, name);
        const r = updateOne(ctx, db, coll, { ...op, q: op.filter, u: op.updateMods }, variables);
        nMatched += r.upserted !== undefined ? 0 : r.n;
        nModified += r.nModified;
        if (r.upserted !== undefined) nUpserted++;
        if (!errorsOnly) {
          const res: Doc = { ok: 1, idx: i, n: r.n, nModified: r.nModified };
          if (r.upserted !== undefined) res.upserted = { _id: r.upserted };
          results.push(res);
        }
      } else {
        ctx.counters.opcounters.delete++;
        const n = deleteOne(ctx.store.get(db, name), { ...op, q: op.filter, limit: op.multi ? 0 : 1 }, variables);
        nDeleted += n;
        if (!errorsOnly) results.push({ ok: 1, idx: i, n });
      }
    } catch (e) {
      const err = toCommandError(e);
      nErrors++;
      results.push({ ok: 0, idx: i, code: err.code, codeName: err.codeName, errmsg: err.message, ...err.extra });
      if (ordered) break;
    }
  }
  const reply: Doc = {
    cursor: { id: Long.fromNumber(0), firstBatch: results, ns: 'admin.$cmd.bulkWrite' },
    nErrors,
    nInserted,
    nMatched,
    nModified,
    nUpserted,
    nDeleted,
    ok: 1,
  };
  return durable(ctx, cmd, reply);
};

// ---------------------------------------------------------------- catalogue

const create: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'create');
  const options: Doc = {};
  for (const k of Object.keys(cmd)) {
    if (k === 'create' || k.startsWith('$') || k === 'lsid' || k === 'writeConcern' || k === 'comment') continue;
    options[k] = cmd[k];
  }
  if (ctx.store.get(db, name)) throw new CommandError(48, `Collection ${db}.${name} already exists.`);
  // options that change what the collection answers are refused, never stored and ignored
  if (options.viewOn !== undefined || options.pipeline !== undefined) throw unsupported('views', 'create with viewOn');
  if (options.timeseries !== undefined) throw unsupported('timeseries');
  if (options.validator !== undefined || options.validationLevel !== undefined || options.validationAction !== undefined) {
    throw unsupported('validators', 'validator');
  }
  if (options.capped) throw unsupported('capped');
  if (options.clusteredIndex !== undefined || options.expireAfterSeconds !== undefined) throw unsupported('clustered', 'clusteredIndex / expireAfterSeconds');
  if (options.collation !== undefined) assertSimpleCollation(options.collation);
  ctx.store.create(db, name, options);
  return durable(ctx, cmd, { ok: 1 });
};

/** collMod changes validators, TTLs, index visibility...: none of which docstore implements. */
const collMod: Handler = (_ctx, _db, cmd) => {
  if (cmd.validator !== undefined || cmd.validationLevel !== undefined || cmd.validationAction !== undefined) {
    throw unsupported('validators', 'collMod validator');
  }
  const changes = Object.keys(cmd).filter((k) => k !== 'collMod' && !k.startsWith('$') && !['lsid', 'writeConcern', 'comment'].includes(k));
  if (changes.length) throw unsupported('collMod', changes.join(', '));
  return { ok: 1 };
};

const drop: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'drop');
  const c = ctx.store.drop(db, name);
  return durable(ctx, cmd, c ? { nIndexesWas: c.indexes.length + 1, ns: `${db}.${name}`, ok: 1 } : { ok: 1 });
};

const dropDatabase: Handler = (ctx, db, cmd) => {
  ctx.store.dropDatabase(db);
  return durable(ctx, cmd, { dropped: db, ok: 1 });
};

const createIndexes: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'createIndexes');
  const specs = cmd.indexes;
  if (!Array.isArray(specs) || specs.length === 0) throw badValue('Must specify at least one index to create');
  const existed = ctx.store.get(db, name) !== undefined;
  const coll = ctx.store.ensure(db, name);
  const before = coll.indexes.length + 1;
  for (const raw of specs) {
    if (!isPlainObject(raw)) throw badValue('index spec must be an object');
    const spec = normaliseIndexSpec(raw);
    const keyStr = keyOf(spec.key);
    if (keyStr === keyOf({ _id: 1 }) && Object.keys(spec.key as Doc).length === 1) continue; // _id index always exists
    const sameName = coll.indexes.find((i) => i.name === spec.name);
    if (sameName) {
      if (keyOf(sameName.spec.key) !== keyStr) {
        throw new CommandError(86, `An existing index has the same name as the requested index but a different key. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`);
      }
      if (Boolean(sameName.spec.unique) !== Boolean(spec.unique) || Boolean(sameName.spec.sparse) !== Boolean(spec.sparse) ||
          keyOf(sameName.spec.partialFilterExpression) !== keyOf(spec.partialFilterExpression)) {
        throw new CommandError(85, `An existing index has the same name as the requested index but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`);
      }
      continue;
    }
    const sameKey = coll.indexes.find(
      (i) => keyOf(i.spec.key) === keyStr && keyOf(i.spec.partialFilterExpression) === keyOf(spec.partialFilterExpression),
    );
    if (sameKey) {
      throw new CommandError(85, `Index already exists with a different name: ${sameKey.name}`);
    }
    ctx.store.createIndex(coll, spec);
  }
  return durable(ctx, cmd, {
    createdCollectionAutomatically: !existed,
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.length + 1,
    ok: 1,
  });
};

const listIndexes: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'listIndexes');
  const coll = ctx.store.get(db, name);
  if (!coll) throw new CommandError(26, `ns does not exist: ${db}.${name}`);
  const batchSize = isPlainObject(cmd.cursor) ? num((cmd.cursor as Doc).batchSize, 0) || 101 : 101;
  return ctx.cursors.firstBatch(`${db}.${name}`, coll.indexSpecs(), batchSize, null);
};

const dropIndexes: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'dropIndexes');
  const coll = ctx.store.get(db, name);
  if (!coll) throw new CommandError(26, `ns not found ${db}.${name}`);
  const before = coll.indexes.length + 1;
  const which = cmd.index;
  const names: string[] = [];
  if (which === '*') names.push(...coll.indexes.map((i) => i.name));
  else if (typeof which === 'string') names.push(which);
  else if (Array.isArray(which)) names.push(...which.map(String));
  else if (isPlainObject(which)) {
    const ix = coll.indexes.find((i) => keyOf(i.spec.key) === keyOf(which));
    if (!ix) throw new CommandError(27, `can't find index with key: ${JSON.stringify(which)}`);
    names.push(ix.name);
  } else throw badValue('dropIndexes needs an index name, key or "*"');
  for (const n of names) {
    if (n === '_id_') throw new CommandError(72, 'cannot drop _id index');
    if (!coll.indexes.some((i) => i.name === n)) throw new CommandError(27, `index not found with name [${n}]`);
  }
  for (const n of names) ctx.store.dropIndex(coll, n);
  return durable(ctx, cmd, { nIndexesWas: before, ok: 1 });
};

const listCollections: Handler = (ctx, db, cmd) => {
  const colls = ctx.store.dbs.get(db);
  const nameOnly = Boolean(cmd.nameOnly);
  let docs: Doc[] = [];
  if (colls) {
    for (const c of colls.values()) {
      docs.push(
        nameOnly
          ? { name: c.name, type: 'collection' }
          : {
              name: c.name,
              type: 'collection',
              options: c.options,
              info: { readOnly: false },
              idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
            },
      );
    }
  }
  if (isPlainObject(cmd.filter) && Object.keys(cmd.filter).length) {
    const m = compileFilter(cmd.filter);
    docs = docs.filter((d) => m.test(d));
  }
  const batchSize = isPlainObject(cmd.cursor) ? num((cmd.cursor as Doc).batchSize, 0) || 101 : 101;
  return ctx.cursors.firstBatch(`${db}.$cmd.listCollections`, docs, batchSize, null);
};

const listDatabases: Handler = (ctx, _db, cmd) => {
  let databases: Doc[] = [...ctx.store.dbs.keys()].map((name) => ({ name, sizeOnDisk: 0, empty: false }));
  if (isPlainObject(cmd.filter) && Object.keys(cmd.filter).length) {
    const m = compileFilter(cmd.filter);
    databases = databases.filter((d) => m.test(d));
  }
  if (cmd.nameOnly) return { databases: databases.map((d) => ({ name: d.name })), ok: 1 };
  return { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
};

const renameCollection: Handler = (ctx, db, cmd) => {
  if (db !== 'admin') throw new CommandError(13, 'renameCollection may only be run against the admin database.');
  const from = String(cmd.renameCollection);
  const to = String(cmd.to);
  const [fdb, ...fr] = from.split('.');
  const [tdb, ...tr] = to.split('.');
  ctx.store.renameCollection(fdb, fr.join('.'), tdb, tr.join('.'), Boolean(cmd.dropTarget));
  return durable(ctx, cmd, { ok: 1 });
};

// ---------------------------------------------------------------- server info

export function snapshotCounters(ctx: { store: Store; counters: Counters }) {
  const collections: Record<string, { indexLookups: number; collectionScans: number }> = {};
  for (const colls of ctx.store.dbs.values()) {
    for (const c of colls.values()) collections[c.ns] = { ...c.stats };
  }
  const byDb: Record<string, Record<string, number>> = {};
  for (const [db, m] of Object.entries(ctx.counters.byDb)) byDb[db] = { ...m };
  return { commands: ctx.counters.commands, byDb, collections };
}

const serverStatus: Handler = (ctx) => ({
  host: `${ctx.info.host}:${ctx.info.port}`,
  version: SERVER_VERSION,
  process: 'docstore',
  pid: Long.fromNumber(process.pid),
  uptime: Math.floor((Date.now() - ctx.info.startedAt) / 1000),
  uptimeMillis: Long.fromNumber(Date.now() - ctx.info.startedAt),
  localTime: new Date(),
  connections: { current: ctx.info.connections(), available: 100_000 },
  opcounters: { ...ctx.counters.opcounters },
  mem: { resident: Math.round(process.memoryUsage().rss / 1048576), virtual: 0 },
  docstore: { ...snapshotCounters(ctx), openCursors: ctx.cursors.open, durable: ctx.store.persistence !== null, memory: memoryStatus(), cache: cacheStatus(ctx.store), journal: ctx.store.persistence?.status?.() ?? null },
  ok: 1,
});

/** The process's memory in bytes, so a long run can tell data growth (heap) from allocator high-water (RSS only). */
function memoryStatus(): Doc {
  const m = process.memoryUsage();
  const h = v8.getHeapStatistics();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    mallocedMemory: h.malloced_memory,
    peakMallocedMemory: h.peak_malloced_memory,
    ...gcStatus(),
  };
}

/** The document cache (cache.ts): `bytes` are charged heap bytes (BSON size × the measured factor). */
function cacheStatus(store: Store): Doc {
  let documents = 0;
  for (const colls of store.dbs.values()) for (const c of colls.values()) documents += c.docs.size;
  const c = store.cache;
  if (!c) return { evictable: false, maxBytes: null, hotDocuments: documents, coldDocuments: 0, evictions: 0, coldReads: 0 };
  const s = c.status();
  return { evictable: true, bytes: s.bytes, maxBytes: s.maxBytes, overheadBytes: s.overheadBytes, hotDocuments: s.hotDocuments, coldDocuments: documents - s.hotDocuments, protectedBytes: s.protectedBytes, evictions: s.evictions, coldReads: s.coldReads };
}

const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'docstore',
  versionArray: [...SERVER_VERSION.split('.').map(Number), 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_SIZE,
  storageEngines: ['docstore'],
  docstore: true,
  ok: 1,
});

const dbStats: Handler = (ctx, db) => {
  const colls = ctx.store.dbs.get(db);
  let objects = 0;
  let indexes = 0;
  // As MongoDB reports it: the documents' uncompressed BSON bytes (computed, so it costs a pass over the data).
  let dataSize = 0;
  for (const c of colls?.values() ?? []) {
    objects += c.docs.size;
    indexes += c.indexes.length + 1;
    dataSize += c.docs.bsonBytes((d) => BSON.calculateObjectSize(d, { ignoreUndefined: true }));
  }
  return { db, collections: colls?.size ?? 0, views: 0, objects, avgObjSize: objects ? dataSize / objects : 0, indexes, dataSize, storageSize: 0, indexSize: 0, ok: 1 };
};

const collStats: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'collStats');
  const c = ctx.store.get(db, name);
  if (!c) throw new CommandError(26, `Collection [${db}.${name}] not found.`);
  return { ns: c.ns, count: c.docs.size, nindexes: c.indexes.length + 1, size: 0, storageSize: 0, ok: 1 };
};

const transactionUnsupported: Handler = () => {
  throw unsupported('transactions', undefined, 'a MongoDB replica set (set MONGODB_URI)');
};

const ok: Handler = () => ({ ok: 1 });

export const HANDLERS: Record<string, Handler> = {
  hello: (ctx, _db, cmd) => helloReply(ctx.connectionId, cmd),
  ismaster: (ctx, _db, cmd) => helloReply(ctx.connectionId, cmd),
  ping: ok,
  buildinfo: buildInfo,
  serverstatus: serverStatus,
  find,
  getmore: getMore,
  killcursors: killCursors,
  count,
  distinct,
  aggregate,
  insert,
  update,
  delete: del,
  findandmodify: findAndModify,
  bulkwrite: bulkWrite,
  create,
  collmod: collMod,
  drop,
  dropdatabase: dropDatabase,
  createindexes: createIndexes,
  listindexes: listIndexes,
  dropindexes: dropIndexes,
  deleteindexes: dropIndexes,
  listcollections: listCollections,
  listdatabases: listDatabases,
  renamecollection: renameCollection,
  dbstats: dbStats,
  collstats: collStats,
  endsessions: ok,
  killsessions: ok,
  refreshsessions: ok,
  startsession: (_ctx) => ({ id: { id: new ObjectId() }, timeoutMinutes: 30, ok: 1 }),
  committransaction: transactionUnsupported,
  aborttransaction: transactionUnsupported,
  getparameter: () => ({ featureCompatibilityVersion: { version: '8.0' }, ok: 1 }),
  getcmdlineopts: () => ({ argv: ['docstore'], parsed: {}, ok: 1 }),
  hostinfo: () => ({ system: { hostname: 'docstore' }, os: { type: process.platform }, ok: 1 }),
  connectionstatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  whatsmyuri: () => ({ you: 'unknown', ok: 1 }),
  getlog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  getfreemonitoringstatus: () => ({ state: 'disabled', ok: 1 }),
  saslstart: () => {
    throw unsupported('authentication', 'connect without credentials');
  },
};
