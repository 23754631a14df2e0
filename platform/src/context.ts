import type { Logger } from 'pino';
import type { Principal } from './auth';

/** What every resolver receives: who is asking, why, and this request's own DataLoaders. */
export interface RequestContext<L = unknown> {
  principal: Principal;
  requestId: string;
  /** The caller's `X-Access-Purpose`, recorded with every personal-data read. */
  purpose: string | null;
  loaders: L;
  log: Logger;
}
