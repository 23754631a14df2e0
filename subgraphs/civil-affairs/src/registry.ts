import { peerSelection } from '@anmulong/platform';

/**
 * A household as the registry shows the caller (its jurisdiction applies): what an application is
 * checked against (who its members are, whether it is urban or rural).
 */
export const APPLICANT_HOUSEHOLD = peerSelection<{
  id: string;
  type: string;
  division: { code: string };
  members: { id: string; birthDate: string | null }[];
}>('registry', 'Household', 'id type division { code } members { id birthDate }');
