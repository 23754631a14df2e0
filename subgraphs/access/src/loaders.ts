import DataLoader from 'dataloader';
import type { Department, Principal, RequestContext } from '@anmulong/platform';
import type { AccessModels, PolicyVersionRecord } from './models';

/** The current version of each department's policy, one query for all asked in a request. */
export function createLoaders(models: AccessModels, _principal: Principal) {
  return {
    currentPolicy: new DataLoader<Department, PolicyVersionRecord | null>(async (departments) => {
      const latest = await models.PolicyVersion.aggregate<PolicyVersionRecord>([
        { $match: { department: { $in: departments } } },
        { $sort: { version: -1 } },
        { $group: { _id: '$department', doc: { $first: '$$ROOT' } } },
        { $replaceRoot: { newRoot: '$doc' } },
      ]);
      return departments.map((d) => latest.find((p) => p.department === d) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<Loaders>;
