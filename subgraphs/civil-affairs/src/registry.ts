import { askPeer, badInput } from '@anmulong/platform';

/** A household as the registry shows it to the caller: what an application is checked against. */
export interface ApplicantHousehold {
  id: string;
  type: string;
  division: { code: string };
  members: { id: string; birthDate: string | null }[];
}

/**
 * The register is owned by the registry subgraph. Applications name a resident and a household;
 * this asks the registry (with the caller's own token, so its jurisdiction applies) whether the
 * household exists, who its members are and whether it is urban or rural.
 */
export class RegistryClient {
  constructor(private url: string) {}

  async household(id: string, authorization: string, argument: string): Promise<ApplicantHousehold | null> {
    if (!/^[0-9a-f]{24}$/i.test(id)) throw badInput(`${argument} is not a valid household id`, argument);
    const { data } = await askPeer<{ household: ApplicantHousehold | null }>(
      this.url, { authorization },
      'query AidApplicantHousehold($id: ID!) { household(id: $id) { id type division { code } members { id birthDate } } }',
      { id },
    );
    return data.household;
  }
}
