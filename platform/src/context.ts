import type { Logger } from 'pino';
import type { Principal } from './auth';
import type { AccessView } from './enforce';
import type { RequestBudget } from './limits';

/** What every resolver receives: who is asking, why, and this request's own DataLoaders. */
export interface RequestContext<L = unknown> {
  principal: Principal;
  requestId: string;
  /** Through which door: `gateway`, the platform service asking on the user's behalf (peer.ts), or `direct`. */
  via?: string;
  /** The caller's `X-Access-Purpose`, recorded with every personal-data read. */
  purpose: string | null;
  /** The department policy's view of this caller (absent in the access service itself). */
  access?: AccessView;
  loaders: L;
  log: Logger;
  /** Objects and time this request may still use (limits.ts); every object field charges it. */
  budget?: RequestBudget;
}
