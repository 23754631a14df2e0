/**
 * Update semantics: operator updates (via mingo's updater, plus `$setOnInsert` which
 * mingo lacks), replacement documents, pipeline updates, and upsert document construction
 * (equality predicates of the query → `$setOnInsert` → the update).
 */
import { ObjectId } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import { CommandError, badValue } from './errors';
import { MINGO_OPTIONS, assertPipelineSupported, assertSupported, runPipeline } from './query';
import { Doc, cloneDoc, idFirst, isOperatorObject, isPlainObject, keyOf, setPath } from './values';

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
  opts: { arrayFilters?: Doc[]; filter?: Doc; inserting?: boolean; resolve?: (n: string) => Doc[] },
): Applied {
  if (Array.isArray(u)) {
    const out = runPipeline([stored], u, opts.resolve ?? (() => []))[0];
    if (!out) throw badValue('pipeline update produced no document');
    const doc = idFirst(out);
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
    for (const k of Object.keys(rest)) if (Object.keys(rest[k] as Doc).length) ops[k] = rest[k];
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
  return { doc: idFirst(doc), modified };
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
export function buildUpsert(
  filter: Doc,
  u: UpdateSpec,
  opts: { arrayFilters?: Doc[]; resolve?: (n: string) => Doc[] },
): Doc {
  let doc: Doc;
  if (!Array.isArray(u) && isReplacement(u)) {
    const base = upsertBase(filter);
    doc = applyUpdate(base._id !== undefined ? { _id: base._id } : {}, u, { inserting: true }).doc;
  } else {
    doc = applyUpdate(upsertBase(filter), u, { ...opts, filter, inserting: true }).doc;
  }
  if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
  if (Array.isArray(doc._id)) throw badValue("The '_id' value cannot be of type array");
  return idFirst(doc);
}
