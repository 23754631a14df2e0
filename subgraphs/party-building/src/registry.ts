import { peerSelection } from '@anmulong/platform';

/** A household as the registry shows the caller (outside their jurisdiction: `null`, as if it did not exist). */
export const REGISTERED_HOUSEHOLD = peerSelection<{
  id: string;
  division: { code: string };
  head: { id: string } | null;
  members: { id: string }[];
}>('registry', 'Household', 'id division { code } head { id } members { id }');

/** A resident as the registry shows the caller. */
export const REGISTERED_RESIDENT = peerSelection<{
  id: string;
  birthDate: string;
  division: { code: string };
  household: { id: string } | null;
}>('registry', 'Resident', 'id birthDate division { code } household { id }');
