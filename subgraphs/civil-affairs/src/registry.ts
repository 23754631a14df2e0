import { badInput } from '@anmulong/platform/src/errors';

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
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({
        query: 'query AidApplicantHousehold($id: ID!) { household(id: $id) { id type division { code } members { id birthDate } } }',
        variables: { id },
      }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      data?: { household: ApplicantHousehold | null };
      errors?: { extensions?: { code?: string } }[];
    };
    if (body.errors?.some((e) => e.extensions?.code === 'BAD_USER_INPUT')) throw badInput(`${argument} is not a valid household id`, argument);
    if (!res.ok || !body.data) throw new Error(`registry did not answer a household look-up (HTTP ${res.status})`);
    return body.data.household;
  }
}
