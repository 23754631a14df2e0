import { badInput } from './errors';
import { assertDivisionCode } from './divisions';
import { askPeer } from './peer';

/**
 * Division codes are owned by the registry. Other departments check that a code they are given
 * exists by asking the registry (with the caller's own token), and remember the answer briefly:
 * divisions change rarely and mutations are few.
 */
export class DivisionDirectory {
  private known = new Map<string, number>();
  constructor(private registryUrl: string, private ttlMs = 5 * 60_000) {}

  async assertExists(code: unknown, authorization: string, argument = 'divisionCode'): Promise<string> {
    const c = assertDivisionCode(code, argument);
    const seen = this.known.get(c);
    if (seen && seen > Date.now()) return c;
    const { data } = await askPeer<{ division: { code: string } | null }>(
      this.registryUrl, { authorization }, 'query DivisionExists($code: String!) { division(code: $code) { code } }', { code: c },
    );
    if (!data.division) throw badInput(`${argument} ${c} is not a known division`, argument);
    this.known.set(c, Date.now() + this.ttlMs);
    return c;
  }
}
