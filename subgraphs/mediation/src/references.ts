import { askPeer } from '@anmulong/platform';

/**
 * Checks that entities owned by another subgraph exist and are visible to the caller, by asking
 * their owner (`_entities`, with the caller's own token, so the owner's jurisdiction rules apply).
 * Mediation references residents (registry) and help requests (police) by id only.
 */
export class EntityLookup {
  constructor(
    private url: string,
    private typename: string,
  ) {}

  /** For each id, whether the owner resolves it for this caller (false when absent or out of scope). */
  async visible(ids: string[], authorization: string, purpose: string | null = null): Promise<boolean[]> {
    if (ids.length === 0) return [];
    const { data } = await askPeer<{ _entities?: ({ id: string } | null)[] }>(
      this.url, { authorization, purpose },
      `query Exists($r: [_Any!]!) { _entities(representations: $r) { ... on ${this.typename} { id } } }`,
      { r: ids.map((id) => ({ __typename: this.typename, id })) },
    );
    const entities = data._entities;
    if (!Array.isArray(entities) || entities.length !== ids.length) throw new Error(`${this.typename} look-up answered ${entities?.length} of ${ids.length}`);
    return entities.map((e) => !!e && typeof e.id === 'string');
  }
}
