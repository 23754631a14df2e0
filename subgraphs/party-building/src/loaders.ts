import DataLoader from 'dataloader';
import { Types, type Model } from 'mongoose';
import { type AccessView, byIdLoader, groupLoader, type Principal, recordFilter, type RequestContext } from '@anmulong/platform';
import type { PartyBuildingModels } from './models';

const asObjectId = (id: string) => (/^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null);

/**
 * One request's loaders. Records about people and households (members, central households, links,
 * model households) are scoped to the caller's jurisdiction in the query. Branches, cooperatives and
 * joint-building units are organisations, shown when a record the caller can already see refers to
 * them (a gridworker's jurisdiction is a grid, and the branch of its village lies outside it).
 */
export function createLoaders(models: PartyBuildingModels, principal: Principal, access?: AccessView) {
  // Keys are registry ids; a key that cannot be an ObjectId matches nothing (instead of a cast error).
  const byObjectId = (k: string) => asObjectId(k) ?? k;
  /** Records of `type` grouped by `field`, scoped like every record of it (organisations: unscoped). */
  const grouped = <T>(model: Model<T, any, any, any, any, any, any>, field: string, type: string | null) =>
    groupLoader<T>(model, field, { extraFilter: type ? recordFilter(principal, access, type) : {}, toKey: byObjectId });
  return {
    branch: byIdLoader(models.PartyBranch),
    cooperative: byIdLoader(models.Cooperative),
    memberOfResident: grouped(models.PartyMember, 'residentId', 'PartyMember'),
    centralOfHousehold: grouped(models.CentralHousehold, 'householdId', 'CentralHousehold'),
    linkOfHousehold: grouped(models.HouseholdLink, 'householdId', 'HouseholdLink'),
    linksOfCentral: grouped(models.HouseholdLink, 'centralHouseholdId', 'HouseholdLink'),
    modelOfHousehold: grouped(models.ModelHousehold, 'householdId', 'ModelHouseholdRecognition'),
    unitsOfBranch: grouped(models.JointBuildingUnit, 'branchId', null),
    cooperativeOfBranch: grouped(models.Cooperative, 'branchId', null),
    aidProjectsOfCooperative: grouped(models.AidProject, 'cooperativeId', null),
    /** Party members per branch, counted in one aggregation for every branch of the request. */
    memberCountOfBranch: new DataLoader<string, number>(async (ids) => {
      const keys = ids.map(asObjectId).filter((k): k is Types.ObjectId => k !== null);
      const rows = keys.length
        ? await models.PartyMember.aggregate<{ _id: Types.ObjectId; n: number }>([
            { $match: { branchId: { $in: keys } } },
            { $group: { _id: '$branchId', n: { $sum: 1 } } },
          ])
        : [];
      const byId = new Map(rows.map((r) => [String(r._id), r.n]));
      return ids.map((id) => byId.get(id) ?? 0);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<Loaders>;
