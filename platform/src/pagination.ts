import type { Model } from 'mongoose';
import { badInput } from './errors';

/** Relay-style connection: `{ edges { cursor node } pageInfo { hasNextPage endCursor } totalCount }`. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export const MAX_PAGE_SIZE = 100;

const encodeCursor = (id: unknown) => Buffer.from(`c:${String(id)}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!raw.startsWith('c:') || !/^[0-9A-Za-z]{1,40}$/.test(raw.slice(2))) {
    throw badInput(`after is not a cursor returned by this list: ${JSON.stringify(cursor)}`, 'after');
  }
  return raw.slice(2);
}

/**
 * Pages through `filter` in `_id` order. The filter (jurisdiction included) applies to the page and
 * to `totalCount` alike, so counts never reveal records the caller may not see.
 */
export async function paginate<T extends { _id: unknown }>(
  model: Model<any, any, any, any, any, any, any>,
  filter: Record<string, unknown>,
  args: { first?: number | null; after?: string | null },
  castId: (id: string) => unknown = (id) => id,
): Promise<Connection<T>> {
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be an integer from 0 to ${MAX_PAGE_SIZE}; got ${first}`, 'first');
  }
  const pageFilter = args.after ? { ...filter, _id: { $gt: castId(decodeCursor(args.after)) } } : filter;
  const [docs, totalCount] = await Promise.all([
    first === 0 ? Promise.resolve([]) : (model.find(pageFilter).sort({ _id: 1 }).limit(first + 1).lean() as Promise<T[]>),
    model.countDocuments(filter),
  ]);
  const page = docs.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(node._id), node }));
  return {
    edges,
    pageInfo: { hasNextPage: docs.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount,
  };
}
