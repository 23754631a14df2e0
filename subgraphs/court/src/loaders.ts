import { Types } from 'mongoose';
import { type AccessView, byIdLoader, groupLoader, type Principal, recordFilter, type RequestContext } from '@anmulong/platform';
import type { CourtModels } from './models';

/**
 * One request's loaders; every look-up of a case (by id, by reference, a resident's, a dispute's)
 * carries the caller's jurisdiction and the policy's row conditions in the query.
 */
export function createLoaders(models: CourtModels, principal: Principal, access?: AccessView) {
  const visibleCases = recordFilter(principal, access, 'CourtCase');
  const toKey = (id: string) => new Types.ObjectId(id);
  return {
    courtCase: byIdLoader(models.CourtCase, visibleCases),
    /** Cases a resident is a party to (multikey `partyIds`). */
    courtCasesOfResident: groupLoader(models.CourtCase, 'partyIds', { extraFilter: visibleCases, sort: { filedOn: 1, _id: 1 }, toKey }),
    /** The case filed from a dispute (at most one: unique index on `disputeId`). */
    courtCasesOfDispute: groupLoader(models.CourtCase, 'disputeId', { extraFilter: visibleCases, toKey }),
    // Judges are staff records of the banner court, shown on cases the caller can already see.
    judge: byIdLoader(models.Judge),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<Loaders>;
