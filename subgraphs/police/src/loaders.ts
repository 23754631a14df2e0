import { Types } from 'mongoose';
import type { Principal } from '@anmulong/platform/src/auth';
import type { RequestContext } from '@anmulong/platform/src/context';
import { byIdLoader, groupLoader } from '@anmulong/platform/src/loaders';
import { jurisdictionFilter } from '@anmulong/platform/src/scope';
import type { PoliceModels } from './models';

/** One request's loaders; every look-up is scoped to the caller's jurisdiction in the query. */
export function createLoaders(models: PoliceModels, principal: Principal) {
  const scope = jurisdictionFilter(principal);
  return {
    helpRequest: byIdLoader(models.HelpRequest, scope),
    helpRequestsOfResident: groupLoader(models.HelpRequest, 'residentId', {
      extraFilter: scope,
      sort: { reportedAt: 1, _id: 1 },
      toKey: (id) => new Types.ObjectId(id),
    }),
    // Officers are staff records shown on patrols the caller can already see.
    officer: byIdLoader(models.Officer),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<Loaders>;
