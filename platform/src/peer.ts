import { PURPOSE_HEADER } from './http';

/**
 * Asking another subgraph a question on the caller's behalf: with the caller's own token and
 * stated purpose, so the other department's policy and jurisdiction apply exactly as if the
 * caller had asked. Used to check references to records another department owns (divisions,
 * residents, households, help requests, disputes). Throws when the peer does not answer.
 */
export interface PeerAnswer<T> {
  data: T;
  errors: { message: string; extensions?: { code?: string } }[];
}

/** Purposes travel percent-encoded: header values are Latin-1, purposes may be in any script. */
export const encodePurpose = (purpose: string) => encodeURIComponent(purpose);

export async function askPeer<T>(
  url: string,
  caller: { authorization: string; purpose?: string | null },
  query: string,
  variables: Record<string, unknown>,
): Promise<PeerAnswer<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: caller.authorization,
        ...(caller.purpose ? { [PURPOSE_HEADER]: encodePurpose(caller.purpose) } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    throw new Error(`${url} did not answer: ${(e as Error).message}`);
  }
  const body = (await res.json().catch(() => ({}))) as { data?: T; errors?: PeerAnswer<T>['errors'] };
  if (!body.data) {
    throw new Error(`${url} answered HTTP ${res.status} without data: ${(body.errors ?? []).map((e) => e.message).join('; ')}`);
  }
  return { data: body.data, errors: body.errors ?? [] };
}
