import { peerSelection } from '@anmulong/platform';

/*
 * Mediation references residents (registry) and help requests (police) by id only; their owners
 * say whether the caller may see them (null: absent or out of the caller's view).
 */
export const PARTY = peerSelection<{ id: string }>('registry', 'Resident', 'id');
export const HELP_REQUEST = peerSelection<{ id: string }>('police', 'HelpRequest', 'id');
