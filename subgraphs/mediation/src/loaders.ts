import DataLoader from 'dataloader';
import { Types } from 'mongoose';
import type { Principal } from '@anmulong/platform/src/auth';
import type { RequestContext } from '@anmulong/platform/src/context';
import { byIdLoader, groupLoader } from '@anmulong/platform/src/loaders';
import { jurisdictionFilter } from '@anmulong/platform/src/scope';
import type { DisputeRecord, MediationModels } from './models';

const toObjectId = (id: string) => new Types.ObjectId(id);

/** One request's loaders; every look-up of disputes and consultations is scoped to the caller's jurisdiction in the query. */
export function createLoaders(models: MediationModels, principal: Principal) {
  const scope = jurisdictionFilter(principal);
  return {
    dispute: byIdLoader(models.Dispute, scope),
    disputesOfResident: groupLoader(models.Dispute, 'partyIds', {
      extraFilter: scope,
      sort: { screenedOn: 1, _id: 1 },
      toKey: toObjectId,
    }),
    // At most one dispute per help request. The `$type` clause repeats the partial unique index's
    // filter, so MongoDB may use that index for the look-up.
    disputeOfHelpRequest: new DataLoader<string, DisputeRecord | null>(async (keys) => {
      const docs = await models.Dispute.find({ ...scope, helpRequestId: { $in: keys.map(toObjectId), $type: 'objectId' } }).lean<DisputeRecord[]>();
      const byKey = new Map(docs.map((d) => [String(d.helpRequestId), d]));
      return keys.map((k) => byKey.get(k) ?? null);
    }),
    consultationsOfAdviser: groupLoader(models.Consultation, 'legalAdviserId', {
      extraFilter: scope,
      sort: { date: -1, _id: -1 },
      toKey: toObjectId,
    }),
    // Mediators and legal advisers are staff records shown on records the caller can already see.
    mediator: byIdLoader(models.Mediator),
    legalAdviser: byIdLoader(models.LegalAdviser),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<Loaders>;
