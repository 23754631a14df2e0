import DataLoader from 'dataloader';
import { GraphQLError, parse } from 'graphql';
import type { Logger } from 'pino';
import { type ServiceName } from './config';
import { envPrefix } from './departments';
import { departmentUnavailable } from './errors';
import { PURPOSE_HEADER, REQUEST_ID_HEADER } from './http';
import type { ServiceToken } from './service-token';

/**
 * Asking another subgraph a question on the caller's behalf: with the caller's own token and
 * stated purpose, so the other department's policy and jurisdiction apply exactly as if the
 * caller had asked. Used to check references to records another department owns (divisions,
 * residents, households, help requests, disputes).
 *
 * Subgraphs serve only requests that came through the gateway (assertion.ts) or from the platform
 * itself: a peer call proves the latter with the calling service's own client-credentials token
 * in `X-Service-Authorization`, beside the user's token, which still decides policy and
 * jurisdiction. Its answer is used to check the mutation being served (whether a record exists
 * for this user, where it is, who belongs to it) and reaches the user only as that check's
 * outcome; the mutation itself is recorded in the access log by the gateway, and the peer logs
 * the purpose it was asked for beside the request id the gateway gave the request.
 */
export interface PeerAnswer<T> {
  data: T;
  errors: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
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

/** The peer did not answer, or answered that it failed (5xx, or no data and an internal error). */
export class PeerUnavailable extends Error {}

/** The peer refused the caller's whole request in words meant for them (e.g. its policy wants a purpose). */
export class PeerRefused extends Error {
  constructor(message: string, readonly error: PeerAnswer<unknown>['errors'][number]) {
    super(message);
  }
}

/** The peer's refusals in words for the caller: its policy (not visible) or its purpose rule (say why). */
const REFUSALS = new Set(['FORBIDDEN', 'BAD_USER_INPUT']);

export async function askPeer<T>(
  url: string,
  caller: { authorization: string; purpose?: string | null; requestId?: string },
  query: string,
  variables: Record<string, unknown>,
): Promise<PeerAnswer<T>> {
  const service = credentials.get(url) ?? lastRegistered;
  // Named, so the peer's log line says who asked (e.g. `MediationPeerLookup`).
  const operationName = /^\s*query\s+([_A-Za-z]\w*)/.exec(query)?.[1];
  const body = JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) });
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
          // The peer logs under the same id as the request that asked (the gateway's), so one request can be followed.
          ...(caller.requestId ? { [REQUEST_ID_HEADER]: caller.requestId } : {}),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw new PeerUnavailable(`${url} did not answer: ${(e as Error).message}`);
    }
    // A service token the peer no longer accepts (e.g. the identity provider's key rotated): once more with a fresh one.
    if (res.status !== 401 || !service || attempt > 0) break;
    service.reset();
  }
  const answer = (await res.json().catch(() => ({}))) as { data?: T; errors?: PeerAnswer<T>['errors'] };
  if (!answer.data) {
    const errors = answer.errors ?? [];
    const message = `${url} answered HTTP ${res.status} without data: ${errors.map((e) => e.message).join('; ')}`;
    const failed = res.status >= 500 || errors.some((e) => (e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') === 'INTERNAL_SERVER_ERROR');
    if (failed) throw new PeerUnavailable(message);
    const refusal = errors.find((e) => REFUSALS.has(e.extensions?.code ?? ''));
    throw refusal ? new PeerRefused(message, refusal) : new Error(message);
  }
  return { data: answer.data, errors: answer.errors ?? [] };
}

/**
 * What a subgraph asks another department about one kind of its records: the entity, the fields
 * asked for, and their TypeScript type (`T`). Declared once per subgraph, in a few lines.
 */
export interface PeerSelection<T> {
  readonly peer: ServiceName;
  readonly typename: string;
  /** The entity's key field: `id`, or `code` for divisions. */
  readonly key: string;
  /** The GraphQL selection on the entity, e.g. `id division { code }`. */
  readonly fields: string;
  /** Never set: carries the answer's type. */
  readonly answer?: T;
}

export function peerSelection<T>(peer: ServiceName, typename: string, fields: string, key = 'id'): PeerSelection<T> {
  // A typo fails when the subgraph loads, not on the first mutation that asks.
  parse(`{ ... on ${typename} { ${fields} } }`);
  return { peer, typename, key, fields };
}

/** Who is asking: the request being served (a subgraph's `RequestContext` is one). */
export interface PeerCaller {
  principal: { token: string };
  purpose: string | null;
  requestId: string;
  log?: Logger;
}

interface Wanted {
  selection: PeerSelection<unknown>;
  key: string;
}

/** `civil-affairs` → `CivilAffairs`: the asking subgraph in the operation name the peer logs. */
const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());

/**
 * The one way a subgraph asks another department about its records: entity look-ups through the
 * peer's `_entities`, as the caller (token, purpose, request id), so the peer's own policy,
 * jurisdiction and row conditions decide. Per request (never across requests or users) the
 * look-ups made in the same tick go to each peer as one HTTP call (a DataLoader per request and
 * peer), and each is asked once.
 *
 * A record the peer does not show the caller (absent, outside their jurisdiction, hidden by a row
 * condition or refused by its policy) is `null`, exactly like one that does not exist, so callers
 * answer both alike. A peer that does not answer is `DEPARTMENT_UNAVAILABLE` naming its department.
 */
export class PeerClient {
  private requests = new WeakMap<PeerCaller, Map<ServiceName, DataLoader<Wanted, unknown, string>>>();

  /** `asking`: this subgraph's name; `urlOf`: where each peer listens. */
  constructor(
    private asking: string,
    private urlOf: (name: ServiceName) => string,
  ) {}

  /** The record as `selection.peer` shows it to the caller, or null. */
  load<T>(caller: PeerCaller, selection: PeerSelection<T>, key: string): Promise<T | null> {
    return this.loader(caller, selection.peer).load({ selection, key }) as Promise<T | null>;
  }

  /** The records, in order, null where the caller may not see one. */
  loadMany<T>(caller: PeerCaller, selection: PeerSelection<T>, keys: readonly string[]): Promise<(T | null)[]> {
    return Promise.all(keys.map((key) => this.load(caller, selection, key)));
  }

  private loader(caller: PeerCaller, peer: ServiceName): DataLoader<Wanted, unknown, string> {
    let loaders = this.requests.get(caller);
    if (!loaders) this.requests.set(caller, (loaders = new Map()));
    let loader = loaders.get(peer);
    if (!loader) {
      loader = new DataLoader((wanted) => this.ask(caller, peer, wanted), {
        cacheKeyFn: ({ selection, key }) => `${selection.typename}\n${selection.fields}\n${key}`,
      });
      loaders.set(peer, loader);
    }
    return loader;
  }

  private async ask(caller: PeerCaller, peer: ServiceName, wanted: readonly Wanted[]): Promise<unknown[]> {
    const fragments = [...new Set(wanted.map(({ selection: s }) => `... on ${s.typename} { ${s.fields} }`))];
    const typenames = [...new Set(wanted.map(({ selection: s }) => s.typename))].join(', ');
    const query = `query ${pascal(this.asking)}PeerLookup($r: [_Any!]!) { _entities(representations: $r) { ${fragments.join(' ')} } }`;
    const representations = wanted.map(({ selection: s, key }) => ({ __typename: s.typename, [s.key]: key }));
    let answer: PeerAnswer<{ _entities?: unknown[] | null }>;
    try {
      answer = await askPeer(this.urlOf(peer), {
        authorization: `Bearer ${caller.principal.token}`, purpose: caller.purpose, requestId: caller.requestId,
      }, query, { r: representations });
    } catch (e) {
      if (e instanceof PeerRefused) throw refusedBy(peer, e.error);
      if (!(e instanceof PeerUnavailable)) throw e;
      caller.log?.warn({ peer, err: e.message }, 'peer unavailable');
      throw peerUnavailable(peer, typenames);
    }
    const entities = answer.data._entities;
    if (!Array.isArray(entities) || entities.length !== wanted.length) {
      throw new Error(`${peer} answered ${Array.isArray(entities) ? entities.length : 'no'} of ${wanted.length} ${typenames} look-ups`);
    }
    return wanted.map((w, i) => {
      if (entities[i]) return entities[i];
      const errors = answer.errors.filter((e) => e.path?.[0] === '_entities' && e.path[1] === i);
      if (errors.some((e) => !REFUSALS.has(e.extensions?.code ?? ''))) {
        caller.log?.warn({ peer, errors }, 'peer failed a look-up');
        return peerUnavailable(peer, w.selection.typename);
      }
      // A purpose its policy requires: the caller can fix that, so say it (the peer's own words).
      const purpose = errors.find((e) => e.extensions?.code === 'BAD_USER_INPUT');
      return purpose ? refusedBy(peer, purpose) : null;
    });
  }
}

/** The peer's refusal, as it told the caller (its codes and messages are public ones). */
function refusedBy(peer: ServiceName, error: PeerAnswer<unknown>['errors'][number]): GraphQLError {
  const { code, argument } = (error.extensions ?? {}) as { code?: string; argument?: unknown };
  return new GraphQLError(error.message, { extensions: { code, ...(argument ? { argument } : {}), department: envPrefix(peer) } });
}

/** The documented answer when a department is down, as the gateway gives it for a department it calls. */
export const peerUnavailable = (peer: ServiceName, typenames: string) =>
  departmentUnavailable(peer, `The ${peer} service is unavailable: ${typenames} records could not be checked with it; try again shortly`);

/**
 * Checks run at once, so their look-ups share each peer's call, failing as if run one after
 * another: with the first failure in the order given.
 */
export async function inOrder<T extends readonly unknown[]>(...checks: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(checks);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
