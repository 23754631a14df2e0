import { badInput } from './errors';
import { assertDivisionCode } from './divisions';

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
    const res = await fetch(this.registryUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: 'query DivisionExists($code: String!) { division(code: $code) { code } }', variables: { code: c } }),
    });
    const body = (await res.json()) as { data?: { division: { code: string } | null } };
    if (!res.ok || !body.data) throw new Error(`registry did not answer a division look-up (HTTP ${res.status})`);
    if (!body.data.division) throw badInput(`${argument} ${c} is not a known division`, argument);
    this.known.set(c, Date.now() + this.ttlMs);
    return c;
  }
}
