import { badInput } from './errors';
import { assertDivisionCode } from './divisions';
import { peerSelection, type PeerCaller, type PeerClient } from './peer';
import { assertWritableDivision } from './scope';
import type { Principal } from './auth';

const DIVISION = peerSelection<{ code: string }>('registry', 'Division', 'code', 'code');

/**
 * Division codes are owned by the registry. Other departments check that a code they are given
 * exists by asking the registry (through the peer client, so the look-up shares the request's
 * call to the registry with its other questions), and remember the answer briefly: divisions
 * change rarely, are the same for every caller, and mutations are few.
 */
export class DivisionDirectory {
  private known = new Map<string, number>();
  constructor(private peers: PeerClient, private ttlMs = 5 * 60_000) {}

  async assertExists(code: unknown, caller: PeerCaller, argument = 'divisionCode'): Promise<string> {
    const c = assertDivisionCode(code, argument);
    const seen = this.known.get(c);
    if (seen && seen > Date.now()) return c;
    if (!(await this.peers.load(caller, DIVISION, c))) throw badInput(`${argument} ${c} is not a known division`, argument);
    this.known.set(c, Date.now() + this.ttlMs);
    return c;
  }

  /** A known division inside the caller's jurisdiction, where they may record things; else BAD_USER_INPUT. */
  async assertWritable(code: unknown, caller: PeerCaller & { principal: Principal }, argument = 'divisionCode'): Promise<string> {
    const c = await this.assertExists(code, caller, argument);
    assertWritableDivision(caller.principal, c, argument);
    return c;
  }
}
