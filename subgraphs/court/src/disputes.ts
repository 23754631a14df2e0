import { askPeer } from '@anmulong/platform';

/** What the court needs to know about a mediation dispute before filing a case from it. */
export interface DisputeFacts {
  id: string;
  stage: string;
  status: string | null;
  divisionCode: string | null;
  partyIds: string[];
}

const DISPUTE_FACTS = /* GraphQL */ `
  query CourtDisputeFacts($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Dispute { id stage status division { code } parties { id } }
    }
  }`;

/**
 * Disputes are owned by mediation. The court asks it (with the caller's own token, so mediation
 * applies its own jurisdiction rules) through the federation entity resolver every subgraph has,
 * so no extra root field is needed on mediation's side.
 */
export class DisputeDirectory {
  constructor(private url: string) {}

  /** The dispute as the caller may see it, or null when it does not exist (or is out of reach). */
  async lookup(id: string, authorization: string, purpose: string | null = null): Promise<DisputeFacts | null> {
    const { data } = await askPeer<{ _entities: Array<{ id: string; stage: string; status?: string | null; division?: { code: string } | null; parties?: { id: string }[] } | null> }>(
      this.url, { authorization, purpose }, DISPUTE_FACTS, { representations: [{ __typename: 'Dispute', id }] },
    );
    const d = data._entities[0];
    if (!d) return null;
    return {
      id: String(d.id),
      stage: d.stage,
      status: d.status ?? null,
      divisionCode: d.division?.code ?? null,
      partyIds: (d.parties ?? []).map((p) => String(p.id)),
    };
  }
}
