import DataLoader from 'dataloader';
import type { Model } from 'mongoose';

/*
 * Per-request DataLoaders: every look-up by id (and every "records of these residents" list) in one
 * GraphQL request is collected in a tick and served by one `$in` query, so a request's store round
 * trips do not grow with the number of entities it returns. Loaders are created fresh per request,
 * so nothing cached ever crosses users (or their jurisdictions).
 */

// Any mongoose model whose documents are T (the other type parameters don't matter here).
type ModelOf<T> = Model<T, any, any, any, any, any, any>;
type Lean<T> = T & { _id: any };

/** Loads documents by `_id` (string form); missing ids resolve to null. */
export function byIdLoader<T>(model: ModelOf<T>, extraFilter: Record<string, unknown> = {}) {
  // An id that cannot be an ObjectId cannot exist: it resolves to null instead of a cast error.
  const objectIds = model.schema.path('_id')?.instance === 'ObjectId';
  return new DataLoader<string, Lean<T> | null>(async (ids) => {
    const wanted = objectIds ? ids.filter((id) => /^[0-9a-f]{24}$/i.test(id)) : ids;
    const docs = wanted.length ? ((await model.find({ ...extraFilter, _id: { $in: wanted } }).lean()) as Lean<T>[]) : [];
    const byId = new Map(docs.map((d) => [String(d._id), d]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Loads every document whose `field` equals each key (e.g. residents by householdId), in key order. */
export function groupLoader<T>(
  model: ModelOf<T>,
  field: string,
  options: { extraFilter?: Record<string, unknown>; sort?: Record<string, 1 | -1>; toKey?: (key: string) => unknown } = {},
) {
  const { extraFilter = {}, sort = { _id: 1 }, toKey = (k: string) => k } = options;
  return new DataLoader<string, Lean<T>[]>(async (keys) => {
    const docs = (await model
      .find({ ...extraFilter, [field]: { $in: keys.map(toKey) } })
      .sort(sort)
      .lean()) as Lean<T>[];
    const groups = new Map<string, Lean<T>[]>(keys.map((k) => [k, []]));
    for (const d of docs) {
      const value = (d as Record<string, unknown>)[field];
      for (const v of Array.isArray(value) ? value : [value]) groups.get(String(v))?.push(d);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}
