import { Types } from 'mongoose';
import { type AccessView, byIdLoader, groupLoader, type Principal, recordFilter, type RequestContext } from '@anmulong/platform';
import type { PoliceModels } from './models';

/** One request's loaders; every look-up is scoped to the caller's jurisdiction in the query. */
export function createLoaders(models: PoliceModels, principal: Principal, access?: AccessView) {
  const visibleHelpRequests = recordFilter(principal, access, 'HelpRequest');
  return {
    helpRequest: byIdLoader(models.HelpRequest, visibleHelpRequests),
    helpRequestsOfResident: groupLoader(models.HelpRequest, 'residentId', {
      extraFilter: visibleHelpRequests,
      sort: { reportedAt: 1, _id: 1 },
      toKey: (id) => new Types.ObjectId(id),
    }),
    // Officers are staff records shown on patrols the caller can already see.
    officer: byIdLoader(models.Officer),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<Loaders>;
