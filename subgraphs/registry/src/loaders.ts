import { Types } from 'mongoose';
import { type AccessView, byIdLoader, groupLoader, type Principal, recordFilter, type RequestContext } from '@anmulong/platform';
import type { RegistryModels } from './models';

/**
 * One request's loaders; every look-up (by id, by reference, nested) carries the caller's
 * jurisdiction and the policy's row conditions in the query.
 */
export function createLoaders(models: RegistryModels, principal: Principal, access?: AccessView) {
  const residents = recordFilter(principal, access, 'Resident');
  const petitions = recordFilter(principal, access, 'Petition');
  return {
    resident: byIdLoader(models.Resident, residents),
    household: byIdLoader(models.Household, recordFilter(principal, access, 'Household')),
    membersOfHousehold: groupLoader(models.Resident, 'householdId', {
      extraFilter: residents,
      toKey: (id) => new Types.ObjectId(id),
    }),
    petition: byIdLoader(models.Petition, petitions),
    petitionsOfResident: groupLoader(models.Petition, 'residentId', {
      extraFilter: petitions,
      toKey: (id) => new Types.ObjectId(id),
    }),
    // Divisions are public reference data: names of places, not of people.
    division: byIdLoader(models.Division),
    childrenOfDivision: groupLoader(models.Division, 'parentCode'),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<Loaders>;
