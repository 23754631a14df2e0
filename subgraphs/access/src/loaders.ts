import DataLoader from 'dataloader';
import type { Department, Principal, RequestContext } from '@anmulong/platform';
import { policyFeedOf, type AccessModels, type PolicyVersionRecord } from './models';

/**
 * The current version of each department's policy, from the policy feed: one count when no
 * version was added since the last read (versions accumulate with every change, so re-reading
 * them all per request would grow with the history).
 */
export function createLoaders(models: AccessModels, _principal: Principal) {
  return {
    currentPolicy: new DataLoader<Department, PolicyVersionRecord | null>(async (departments) => {
      const { policies } = await policyFeedOf(models).current();
      return departments.map((d) => policies.find((p) => p.department === d) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<Loaders>;
