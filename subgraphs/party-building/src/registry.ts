import { askPeer, badInput } from '@anmulong/platform';

/** A household as the registry shows it to the caller. */
export interface RegisteredHousehold {
  id: string;
  division: { code: string };
  head: { id: string } | null;
  members: { id: string }[];
}

/** A resident as the registry shows it to the caller. */
export interface RegisteredResident {
  id: string;
  birthDate: string;
  division: { code: string };
  household: { id: string } | null;
}

/**
 * The register is owned by the registry subgraph. Mutations name residents and households by their
 * registry ids; this asks the registry, with the caller's own token (so the caller's jurisdiction
 * applies: a household outside it is `null`, exactly like one that does not exist), where they are
 * and who belongs to them. Look-ups of one mutation are sent as one request.
 */
export class RegistryClient {
  constructor(private url: string) {}

  private async ask<T>(query: string, variables: Record<string, unknown>, authorization: string): Promise<T> {
    return (await askPeer<T>(this.url, { authorization }, query, variables)).data;
  }

  /** The households with these ids (null where none is visible to the caller), in order. */
  async households(ids: string[], authorization: string): Promise<(RegisteredHousehold | null)[]> {
    if (ids.length === 0) return [];
    const fields = ids.map((_, i) => `h${i}: household(id: $id${i}) { id division { code } head { id } members { id } }`).join(' ');
    const params = ids.map((_, i) => `$id${i}: ID!`).join(', ');
    const data = await this.ask<Record<string, RegisteredHousehold | null>>(
      `query PartyBuildingHouseholds(${params}) { ${fields} }`,
      Object.fromEntries(ids.map((id, i) => [`id${i}`, id])),
      authorization,
    );
    return ids.map((_, i) => data[`h${i}`] ?? null);
  }

  async household(id: string, authorization: string, argument: string): Promise<RegisteredHousehold> {
    const [h] = await this.households([id], authorization);
    if (!h) throw badInput(`${argument}: no household with id ${id} in your jurisdiction`, argument);
    return h;
  }

  async resident(id: string, authorization: string, argument: string): Promise<RegisteredResident> {
    const data = await this.ask<{ resident: RegisteredResident | null }>(
      'query PartyBuildingResident($id: ID!) { resident(id: $id) { id birthDate division { code } household { id } } }',
      { id },
      authorization,
    );
    if (!data.resident) throw badInput(`${argument}: no resident with id ${id} in your jurisdiction`, argument);
    return data.resident;
  }
}
