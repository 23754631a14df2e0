import DataLoader from 'dataloader';
import { Types } from 'mongoose';
import { type AccessView, allOf, byIdLoader, groupLoader, type Principal, recordFilter, type RequestContext } from '@anmulong/platform';
import type { DisputeRecord, MediationModels } from './models';

const toObjectId = (id: string) => new Types.ObjectId(id);

/**
 * One request's loaders; every look-up of disputes and consultations (by id, by reference,
 * nested) carries the caller's jurisdiction and the policy's row conditions in the query.
 */
export function createLoaders(models: MediationModels, principal: Principal, access?: AccessView) {
  const visibleDisputes = recordFilter(principal, access, 'Dispute');
  return {
    dispute: byIdLoader(models.Dispute, visibleDisputes),
    disputesOfResident: groupLoader(models.Dispute, 'partyIds', {
      extraFilter: visibleDisputes,
      sort: { screenedOn: 1, _id: 1 },
      toKey: toObjectId,
    }),
    // At most one dispute per help request. The `$type` clause repeats the partial unique index's
    // filter, so MongoDB may use that index for the look-up.
    disputeOfHelpRequest: new DataLoader<string, DisputeRecord | null>(async (keys) => {
      const docs = await models.Dispute.find(allOf(visibleDisputes, { helpRequestId: { $in: keys.map(toObjectId), $type: 'objectId' } })).lean<DisputeRecord[]>();
      const byKey = new Map(docs.map((d) => [String(d.helpRequestId), d]));
      return keys.map((k) => byKey.get(k) ?? null);
    }),
    consultationsOfAdviser: groupLoader(models.Consultation, 'legalAdviserId', {
      extraFilter: recordFilter(principal, access, 'Consultation'),
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
