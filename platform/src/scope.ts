import type { Principal } from './auth';
import { NO_JURISDICTION, type AccessView } from './enforce';
import { forbidden } from './errors';
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
 * The filter a department's headline figures are counted with: `divisionFilter`'s (null: the
 * division lies outside the caller's jurisdiction, nothing of it is counted). A role the
 * department's policy gives no jurisdiction at all is refused with FORBIDDEN naming the policy:
 * zeros would look like facts.
 */
export function figuresFilter(principal: Principal, access: AccessView | undefined, requested: unknown): { divisionPath: string } | null {
  const filter = divisionFilter(principal, requested);
  if (principal.jurisdiction === NO_JURISDICTION) {
    throw forbidden(`The ${access?.department ?? 'department'} policy gives your role no jurisdiction to count its figures in`);
  }
  return filter;
}

/**
 * For records that stand for an *area* (a grant over a division) rather than a place: those
 * overlapping the scope of a `divisionFilter`, i.e. lying inside it (as `divisionFilter` matches)
 * or covering it (their division contains the scope: a banner-wide grant covers every town).
 */
export function overlappingFilter(filter: { divisionPath: string }): Record<string, unknown> {
  return { $or: [filter, { divisionCode: { $in: divisionPathOf(filter.divisionPath) } }] };
}

/**
 * The filter for records of `type` the caller may see: their jurisdiction and, where the
 * department's policy sets them, its row conditions (e.g. judges: disputes that reached court).
 */
export function recordFilter(principal: Principal, access: AccessView | undefined, type: string): Record<string, unknown> {
  return { ...access?.where(type), ...jurisdictionFilter(principal) };
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
