/**
 * Checks that entities owned by another subgraph exist and are visible to the caller, by asking
 * their owner (`_entities`, with the caller's own token, so the owner's jurisdiction rules apply).
 * Mediation references residents (registry) and help requests (police) by id only.
 *
 * (A candidate for platform/: the same helper would serve every department that takes ids of
 * another department's records. Kept here until the lead moves it, next to DivisionDirectory.)
 */
export class EntityLookup {
  constructor(
    private url: string,
    private typename: string,
  ) {}

  /** For each id, whether the owner resolves it for this caller (false when absent or out of scope). */
  async visible(ids: string[], authorization: string, purpose: string | null = null): Promise<boolean[]> {
    if (ids.length === 0) return [];
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization, ...(purpose ? { 'x-access-purpose': purpose } : {}) },
      body: JSON.stringify({
        query: `query Exists($r: [_Any!]!) { _entities(representations: $r) { ... on ${this.typename} { id } } }`,
        variables: { r: ids.map((id) => ({ __typename: this.typename, id })) },
      }),
    });
    const body = (await res.json().catch(() => ({}))) as { data?: { _entities?: ({ id: string } | null)[] } };
    const entities = body.data?._entities;
    if (!res.ok || !Array.isArray(entities) || entities.length !== ids.length) {
      throw new Error(`${this.typename} look-up failed (HTTP ${res.status})`);
    }
    return entities.map((e) => !!e && typeof e.id === 'string');
  }
}
