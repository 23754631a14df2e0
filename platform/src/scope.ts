import type { Principal } from './auth';
import type { AccessView } from './enforce';
import type { Model } from 'mongoose';
import { badInput, forbidden } from './errors';
import { assertDivisionCode, divisionPathOf, intersect, within } from './divisions';

/*
 * Jurisdiction scoping, applied inside the database query (never by dropping records afterwards),
 * so totals and pages only ever count what the caller may see.
 */

/** Filter matching records inside the caller's jurisdiction (uses the divisionPath index). */
export function jurisdictionFilter(principal: Principal): { divisionPath: string } {
  return { divisionPath: principal.jurisdiction };
}

/**
 * Filter for "records inside division `requested`" narrowed to the caller's jurisdiction; null when
 * the two do not overlap (the caller then gets an empty list, as if nothing were there).
 */
export function divisionFilter(principal: Principal, requested: unknown, argument = 'divisionCode'): { divisionPath: string } | null {
  const code = assertDivisionCode(requested, argument);
  const scope = intersect(code, principal.jurisdiction);
  return scope ? { divisionPath: scope } : null;
}

/**
 * For records that stand for an *area* (a grant over a division) rather than a place: those
 * overlapping the scope of a `divisionFilter`, i.e. lying inside it (as `divisionFilter` matches)
 * or covering it (their division contains the scope: a banner-wide grant covers every town).
 */
export function overlappingFilter(filter: { divisionPath: string }): Record<string, unknown> {
  return { $or: [filter, { divisionCode: { $in: divisionPathOf(filter.divisionPath) } }] };
}

type Filter = Record<string, unknown>;

/**
 * ANDs filters: merged flat while their keys are distinct (the common case, so queries stay as
 * simple as without conditions), `$and` otherwise, so no part can ever override another (a
 * `stage` argument cannot replace a `stage` row condition, nor a `divisionPath` the jurisdiction).
 */
export function allOf(...parts: (Filter | null | undefined)[]): Filter {
  const present = parts.filter((p): p is Filter => !!p && Object.keys(p).length > 0);
  const keys = new Set<string>();
  for (const p of present) {
    for (const k of Object.keys(p)) {
      if (keys.has(k)) return { $and: present };
      keys.add(k);
    }
  }
  return Object.assign({}, ...present);
}

/**
 * The one filter for records of `type` the caller may see: their jurisdiction AND, where the
 * department's policy sets them, its row conditions (e.g. judges: disputes that reached court),
 * narrowed further by `narrowing` (ids, a resident, a status argument). Every loader, look-up,
 * list, count and figure of a department's records is built from it (or from `listFilter`).
 */
export function recordFilter(principal: Principal, access: AccessView | undefined, type: string, ...narrowing: (Filter | null | undefined)[]): Filter {
  return allOf(jurisdictionFilter(principal), access?.where(type), ...narrowing);
}

/**
 * `recordFilter` for a list or count "inside division `requested`": null when the division and
 * the caller's jurisdiction do not overlap (the caller then gets nothing, as if nothing were there).
 */
export function listFilter(
  principal: Principal, access: AccessView | undefined, type: string, requested: unknown, ...narrowing: (Filter | null | undefined)[]
): Filter | null {
  const place = divisionFilter(principal, requested);
  return place && allOf(place, access?.where(type), ...narrowing);
}

/**
 * Before a write that must not duplicate a unique key (an identity number, "one case per
 * dispute"): finds the record holding `key`, if any, and refuses. When the caller may see that
 * record, the refusal says so plainly (`plain`). Otherwise it reveals neither that nor where the
 * record exists: the caller gets `hidden`, which says what they can do next, and the collision is
 * reported in `extensions.audit` so the gateway records it in the access log for review.
 */
export async function refuseCollision<T extends { _id: unknown }>(
  ctx: { principal: Principal; access?: AccessView },
  model: Model<any, any, any, any, any, any, any>,
  type: string,
  key: Filter,
  /** `residentId`: the resident the record concerns (a colliding Resident is that resident). */
  refusal: { argument: string; plain: (existing: T) => string; hidden: string; residentId?: unknown },
): Promise<void> {
  const existing = (await model.findOne(key).lean()) as T | null;
  if (!existing) return;
  if (await model.exists(recordFilter(ctx.principal, ctx.access, type, { _id: existing._id }))) {
    throw badInput(refusal.plain(existing), refusal.argument);
  }
  const carried = ctx.access?.carried;
  if (carried) {
    carried.collisions.push(`${refusal.argument} collides with ${type} ${String(existing._id)} outside the caller's view`);
    // The resident concerned: an auditor finds the attempt in that resident's access log.
    const residentId = refusal.residentId ?? (type === 'Resident' ? existing._id : null);
    if (residentId != null) {
      let ids = carried.ids.get('Resident');
      if (!ids) carried.ids.set('Resident', (ids = new Set()));
      ids.add(String(residentId));
    }
  }
  throw badInput(refusal.hidden, refusal.argument);
}

/** Writes must land inside the caller's jurisdiction. */
export function assertWritableDivision(principal: Principal, code: string, argument = 'divisionCode'): void {
  if (!within(code, principal.jurisdiction)) {
    throw forbidden(`${argument} ${code} is outside your jurisdiction (${principal.jurisdiction})`);
  }
}


export const EMPTY_CONNECTION = Object.freeze({
  edges: [],
  pageInfo: { hasNextPage: false, endCursor: null },
  totalCount: 0,
});
