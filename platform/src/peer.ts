import { PURPOSE_HEADER } from './http';
import type { ServiceToken } from './service-token';

/**
 * Asking another subgraph a question on the caller's behalf: with the caller's own token and
 * stated purpose, so the other department's policy and jurisdiction apply exactly as if the
 * caller had asked. Used to check references to records another department owns (divisions,
 * residents, households, help requests, disputes). Throws when the peer does not answer.
 *
 * Subgraphs serve only requests that came through the gateway (assertion.ts) or from the platform
 * itself: a peer call proves the latter with the calling service's own client-credentials token
 * in `X-Service-Authorization`, beside the user's token, which still decides policy and
 * jurisdiction. Its answer is used to check the mutation being served (whether a record exists
 * for this user, where it is, who belongs to it) and reaches the user only as that check's
 * outcome; the mutation itself is recorded in the access log by the gateway.
 */
export interface PeerAnswer<T> {
  data: T;
  errors: { message: string; extensions?: { code?: string } }[];
}

export const SERVICE_AUTHORIZATION_HEADER = 'x-service-authorization';

/** Purposes travel percent-encoded: header values are Latin-1, purposes may be in any script. */
export const encodePurpose = (purpose: string) => encodeURIComponent(purpose);

/**
 * The service token a subgraph process calls its peers with, by peer URL (so stacks of services
 * in one test process, each on its own identity provider, never mix credentials); the last one
 * registered serves URLs registered by nobody.
 */
const credentials = new Map<string, ServiceToken>();
let lastRegistered: ServiceToken | null = null;

export function usePeerCredentials(peerUrls: string[], token: ServiceToken): void {
  for (const url of peerUrls) credentials.set(url, token);
  lastRegistered = token;
}

export async function askPeer<T>(
  url: string,
  caller: { authorization: string; purpose?: string | null },
  query: string,
  variables: Record<string, unknown>,
): Promise<PeerAnswer<T>> {
  const service = credentials.get(url) ?? lastRegistered;
  const body = JSON.stringify({ query, variables });
  let res: Response;
  for (let attempt = 0; ; attempt++) {
    const proof: Record<string, string> = service ? { [SERVICE_AUTHORIZATION_HEADER]: `Bearer ${await service.get()}` } : {};
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: caller.authorization,
          ...proof,
          ...(caller.purpose ? { [PURPOSE_HEADER]: encodePurpose(caller.purpose) } : {}),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw new Error(`${url} did not answer: ${(e as Error).message}`);
    }
    // A service token the peer no longer accepts (e.g. the identity provider's key rotated): once more with a fresh one.
    if (res.status !== 401 || !service || attempt > 0) break;
    service.reset();
  }
  const answer = (await res.json().catch(() => ({}))) as { data?: T; errors?: PeerAnswer<T>['errors'] };
  if (!answer.data) {
    throw new Error(`${url} answered HTTP ${res.status} without data: ${(answer.errors ?? []).map((e) => e.message).join('; ')}`);
  }
  return { data: answer.data, errors: answer.errors ?? [] };
}
