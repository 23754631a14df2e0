import { Types } from 'mongoose';
import type { Principal } from '@anmulong/platform/src/auth';
import type { RequestContext } from '@anmulong/platform/src/context';
import { byIdLoader, groupLoader } from '@anmulong/platform/src/loaders';
import { jurisdictionFilter } from '@anmulong/platform/src/scope';
import type { CivilAffairsModels } from './models';

/** One request's loaders; every look-up is scoped to the caller's jurisdiction in the query. */
export function createLoaders(models: CivilAffairsModels, principal: Principal) {
  const scope = jurisdictionFilter(principal);
  const toKey = (id: string) => new Types.ObjectId(id);
  return {
    grant: byIdLoader(models.AidGrant, scope),
    application: byIdLoader(models.AidApplication, scope),
    grantsOfResident: groupLoader(models.AidGrant, 'residentId', { extraFilter: scope, sort: { startDate: 1, _id: 1 }, toKey }),
    /** Grants of a household's members: `householdId` is stored on every grant, so one query per batch. */
    grantsOfHousehold: groupLoader(models.AidGrant, 'householdId', { extraFilter: scope, sort: { startDate: 1, _id: 1 }, toKey }),
    applicationsOfResident: groupLoader(models.AidApplication, 'residentId', { extraFilter: scope, sort: { submittedAt: 1, _id: 1 }, toKey }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<Loaders>;
