/**
 * Find planning: how a find (filter, sort, skip, limit), a distinct, an aggregate's leading
 * `$match` and the driver's countDocuments() pipeline are answered from a collection. Which
 * index serves a filter is the collection's choice (`Collection.plan`, from exact bucket sizes);
 * here is what is done with it: an ordered `_id` walk that stops early, a natural-order scan that
 * stops at the limit, or the candidates sorted (a partial sort for small limits).
 */
import { Collection } from './collection';
import { badValue } from './errors';
import { compileFilter, compileSort } from './query';
import { Doc, isPlainObject, keyOf, toNumber } from './values';

export interface FindPlan {
  docs: Doc[];
}

/**
 * Hints do not change results here (the planner picks its own plan), but a hint naming no
 * index is an error in MongoDB, so it is one here too.
 */
export function assertHint(coll: Collection | undefined, hint: unknown): void {
  if (hint === undefined || hint === null || !coll) return;
  if (typeof hint === 'string') {
    if (hint === '_id_' || coll.indexes.some((i) => i.name === hint)) return;
  } else if (isPlainObject(hint)) {
    const keys = Object.keys(hint);
    if (keys.length === 0 || hint.$natural !== undefined) return;
    const k = keyOf(hint);
    if (k === keyOf({ _id: 1 }) || k === keyOf({ _id: -1 }) || coll.indexes.some((i) => keyOf(i.spec.key) === k)) return;
  } else throw badValue('hint must be a string or an object');
  throw badValue('error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
}

/** `{_id: 1}` / `{_id: -1}` sorts (the platform's keyset pagination) get an ordered walk. */
function idSortDir(sort: unknown): 1 | -1 | null {
  if (!isPlainObject(sort)) return null;
  const keys = Object.keys(sort);
  if (keys.length !== 1 || keys[0] !== '_id') return null;
  const d = toNumber(sort._id);
  return d === 1 ? 1 : d === -1 ? -1 : null;
}

/**
 * Runs filter + sort + skip + limit; returns references to stored documents. `variables`:
 * the command's `let`.
 */
export function runFind(coll: Collection | undefined, filter: unknown, sort: unknown, skip: number, limit: number, variables?: Doc): FindPlan {
  if (!coll) {
    compileFilter(filter, variables); // still validate the filter
    compileSort(sort);
    return { docs: [] };
  }
  const matcher = compileFilter(filter, variables);
  const dir = idSortDir(sort);
  if (dir !== null && isPlainObject(filter)) {
    // Walk the _id order and stop after skip + limit matches, unless an index narrows
    // the candidates so much that fetching and sorting them is cheaper.
    const plan = coll.plan(filter);
    const want = limit > 0 ? skip + limit : Infinity;
    const walkCost = plan ? (want * (coll.docs.size + 1)) / (plan.estimate + 1) : want;
    if (!plan || walkCost < plan.estimate) {
      if (plan) coll.stats.indexLookups++;
      else coll.stats.collectionScans++;
      const out: Doc[] = [];
      let skipped = 0;
      for (const d of coll.walkById(dir, filter)) {
        if (!matcher.matchesAll && !matcher.test(d)) continue;
        if (skipped < skip) {
          skipped++;
          continue;
        }
        out.push(d);
        if (out.length >= want - skip) break;
      }
      return { docs: out };
    }
  }
  const cmp = compileSort(sort);
  if (cmp === null) {
    // natural order: stop as soon as skip + limit matches are found
    const out: Doc[] = [];
    let skipped = 0;
    for (const d of coll.matching(filter, matcher)) {
      if (skipped < skip) {
        skipped++;
        continue;
      }
      out.push(d);
      if (limit > 0 && out.length >= limit) break;
    }
    return { docs: out };
  }
  let all = Array.from(coll.matching(filter, matcher));
  if (cmp === 'reverse') all.reverse();
  else if (limit > 0 && skip + limit < all.length / 8) {
    all = topK(all, cmp, skip + limit);
  } else all.sort(cmp);
  const end = limit > 0 ? skip + limit : all.length;
  return { docs: all.slice(skip, end) };
}

/** Partial sort for small limits over big result sets (stable). */
function topK(all: Doc[], cmp: (a: Doc, b: Doc) => number, k: number): Doc[] {
  const best: Doc[] = [];
  for (const d of all) {
    if (best.length === k && cmp(d, best[k - 1]) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(best[mid], d) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, d);
    if (best.length > k) best.pop();
  }
  return best;
}

/** Recognises the pipeline the driver builds for countDocuments(). */
export function countShape(stages: Doc[]): { filter: Doc; skip: number; limit: number; id: unknown; field: string } | null {
  if (stages.length < 2 || stages.length > 4) return null;
  const first = stages[0];
  const last = stages[stages.length - 1];
  if (!isPlainObject(first.$match) || !isPlainObject(last.$group)) return null;
  let skip = 0;
  let limit = 0;
  for (const st of stages.slice(1, -1)) {
    if (st.$skip !== undefined && toNumber(st.$skip) !== undefined) skip = toNumber(st.$skip) as number;
    else if (st.$limit !== undefined && toNumber(st.$limit) !== undefined) limit = toNumber(st.$limit) as number;
    else return null;
  }
  const g = last.$group as Doc;
  const keys = Object.keys(g);
  if (keys.length !== 2 || keys[0] !== '_id') return null;
  const id = g._id;
  if (typeof id === 'string' && id.startsWith('$')) return null;
  if (isPlainObject(id) || Array.isArray(id)) return null;
  const field = keys[1];
  const acc = g[field];
  if (!isPlainObject(acc) || Object.keys(acc).length !== 1 || toNumber(acc.$sum) !== 1) return null;
  return { filter: first.$match as Doc, skip, limit, id, field };
}
