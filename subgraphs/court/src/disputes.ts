import { peerSelection } from '@anmulong/platform';

/**
 * What the court needs to know about a mediation dispute before filing a case from it, as
 * mediation shows it to the caller (its jurisdiction and row conditions apply; null when hidden).
 */
export const DISPUTE_FACTS = peerSelection<{
  id: string;
  stage: string;
  status: string | null;
  division: { code: string } | null;
  parties: { id: string }[] | null;
}>('mediation', 'Dispute', 'id stage status division { code } parties { id }');
