import { Types } from 'mongoose';
import type { Principal } from '@anmulong/platform/src/auth';
import type { RequestContext } from '@anmulong/platform/src/context';
import { byIdLoader, groupLoader } from '@anmulong/platform/src/loaders';
import { jurisdictionFilter } from '@anmulong/platform/src/scope';
import type { RegistryModels } from './models';

/** One request's loaders; every look-up is scoped to the caller's jurisdiction in the query. */
export function createLoaders(models: RegistryModels, principal: Principal) {
  const scope = jurisdictionFilter(principal);
  return {
    resident: byIdLoader(models.Resident, scope),
    household: byIdLoader(models.Household, scope),
    membersOfHousehold: groupLoader(models.Resident, 'householdId', {
      extraFilter: scope,
      toKey: (id) => new Types.ObjectId(id),
    }),
    petition: byIdLoader(models.Petition, scope),
    petitionsOfResident: groupLoader(models.Petition, 'residentId', {
      extraFilter: scope,
      toKey: (id) => new Types.ObjectId(id),
    }),
    // Divisions are public reference data: names of places, not of people.
    division: byIdLoader(models.Division),
    childrenOfDivision: groupLoader(models.Division, 'parentCode'),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<Loaders>;
