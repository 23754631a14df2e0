import { Types } from 'mongoose';
import { type AccessView, byIdLoader, groupLoader, type Principal, recordFilter, type RequestContext } from '@anmulong/platform';
import type { CivilAffairsModels } from './models';

/**
 * One request's loaders; every look-up of grants and applications (by id, by reference, nested)
 * carries the caller's jurisdiction and the policy's row conditions in the query.
 */
export function createLoaders(models: CivilAffairsModels, principal: Principal, access?: AccessView) {
  const grants = recordFilter(principal, access, 'AidGrant');
  const applications = recordFilter(principal, access, 'AidApplication');
  const toKey = (id: string) => new Types.ObjectId(id);
  return {
    grant: byIdLoader(models.AidGrant, grants),
    application: byIdLoader(models.AidApplication, applications),
    grantsOfResident: groupLoader(models.AidGrant, 'residentId', { extraFilter: grants, sort: { startDate: 1, _id: 1 }, toKey }),
    /** Grants of a household's members: `householdId` is stored on every grant, so one query per batch. */
    grantsOfHousehold: groupLoader(models.AidGrant, 'householdId', { extraFilter: grants, sort: { startDate: 1, _id: 1 }, toKey }),
    applicationsOfResident: groupLoader(models.AidApplication, 'residentId', { extraFilter: applications, sort: { submittedAt: 1, _id: 1 }, toKey }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<Loaders>;
