import { Types } from 'mongoose';
import type { Principal } from '@anmulong/platform/src/auth';
import type { RequestContext } from '@anmulong/platform/src/context';
import { byIdLoader, groupLoader } from '@anmulong/platform/src/loaders';
import { recordFilter } from '@anmulong/platform/src/scope';
import type { AccessView } from '@anmulong/platform/src/enforce';
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
