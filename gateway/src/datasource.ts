import http from 'node:http';
import https from 'node:https';
import { GraphQLError } from 'graphql';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { ASSERTION_HEADER } from '@anmulong/platform';
import { mergeQueries, prefixOf } from './merge';

/**
 * The gateway's subgraph client: plain `node:http` over keep-alive sockets pooled per subgraph.
 *
 * `RemoteGraphQLDataSource` fetches through make-fetch-happen (an npm-registry client with an
 * HTTP cache layer, minipass streams, node-fetch Request/Headers objects and agent-base): per
 * subgraph call it costs more CPU than the subgraph's own work for a small entity fetch. This
 * client does only what a subgraph call needs: one JSON body out, one JSON body in, on a
 * reused socket. Semantics kept from RemoteGraphQLDataSource: non-2xx → a GraphQLError
 * `"<status>: <statusText>"` with `extensions.response` and `code` UNAUTHENTICATED (401) or
 * FORBIDDEN (403); a network failure rejects (the gateway reports it on the fetch's path).
 */
export interface PooledDataSourceOptions<C> {
  url: string;
  /** Extra headers for a call, from the request's context (token, request id, purpose). */
  headers?: (context: C) => Record<string, string> | undefined;
  /**
   * The gateway's assertion for a call (platform/src/assertion.ts): signed over the exact body,
   * only for calls actually sent (a deduplicated query shares the first one's).
   */
  assertion?: (context: C, body: string) => string | undefined;
  /** Per-call timeout; default 30 s. */
  timeoutMs?: number;
  /**
   * Merge the queries one gateway request sends to this subgraph in the same tick (one run of
   * the microtask queue) into one operation (see merge.ts); default true unless
   * GATEWAY_SUBGRAPH_BATCHING=off.
   */
  batch?: boolean;
  /**
   * Share one subgraph call among identical queries in flight with the same forwarded headers
   * (request id aside); default true unless GATEWAY_SUBGRAPH_DEDUPE=off.
   */
  dedupe?: boolean;
}

const REQUEST_ID = 'x-request-id';

interface Queued {
  query: string;
  variables: Record<string, unknown> | undefined;
  resolve(r: GatewayGraphQLResponse): void;
  reject(e: unknown): void;
}

type GraphQLErrorShape = { message: string; path?: (string | number)[]; [k: string]: unknown };

const agentOptions: http.AgentOptions = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 256, maxFreeSockets: 256, scheduling: 'lifo' };
const httpAgent = new http.Agent(agentOptions);
const httpsAgent = new https.Agent(agentOptions);

export interface RawResponse {
  status: number;
  statusText: string;
  contentType: string;
  body: string;
}

export class PooledDataSource<C extends Record<string, any> = Record<string, any>> implements GraphQLDataSource<C> {
  readonly url: string;
  private readonly target: URL;
  private readonly headersOf: (context: C) => Record<string, string> | undefined;
  private readonly assertionOf: PooledDataSourceOptions<C>['assertion'];
  private readonly timeoutMs: number;
  private readonly batch: boolean;
  private readonly dedupe: boolean;
  private readonly inFlight = new Map<string, Promise<RawResponse>>();
  /** Queries waiting for the end of the tick, per incoming request (its context object). */
  private readonly queues = new WeakMap<object, Queued[]>();

  constructor(opts: PooledDataSourceOptions<C>) {
    this.url = opts.url;
    this.target = new URL(opts.url);
    this.headersOf = opts.headers ?? (() => undefined);
    this.assertionOf = opts.assertion;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.batch = opts.batch ?? process.env.GATEWAY_SUBGRAPH_BATCHING !== 'off';
    this.dedupe = opts.dedupe ?? process.env.GATEWAY_SUBGRAPH_DEDUPE !== 'off';
  }

  process(options: GraphQLDataSourceProcessOptions<C>): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    if (!request.query) return Promise.reject(new Error('Missing query'));
    if (!this.batch || request.extensions || !context || typeof context !== 'object') return this.send(options);
    return new Promise<GatewayGraphQLResponse>((resolve, reject) => {
      const entry: Queued = { query: request.query!, variables: request.variables, resolve, reject };
      const queue = this.queues.get(context);
      if (queue) {
        queue.push(entry);
        return;
      }
      this.queues.set(context, [entry]);
      // The plan's parallel fetches all reach process() within one run of the microtask queue
      // (the executor awaits nothing slower between them); a tick callback runs right after it,
      // without waiting for the rest of the event loop's turn as setImmediate would.
      process.nextTick(() => {
        const batch = this.queues.get(context)!;
        this.queues.delete(context);
        this.flush(options, batch);
      });
    });
  }

  /** Sends the queued queries: alone if one, else merged into one operation and split back. */
  private flush(options: GraphQLDataSourceProcessOptions<C>, batch: Queued[]): void {
    const alone = (q: Queued) =>
      this.send({ ...options, request: { query: q.query, variables: q.variables } } as GraphQLDataSourceProcessOptions<C>).then(q.resolve, q.reject);
    const merged = batch.length > 1 ? mergeQueries(batch.map((q) => q.query)) : null;
    if (!merged) {
      for (const q of batch) void alone(q);
      return;
    }
    const variables: Record<string, unknown> = {};
    batch.forEach((q, i) => {
      const p = prefixOf(i);
      for (const k in q.variables) variables[p + k] = q.variables[k];
    });
    this.send({ ...options, request: { query: merged.query, variables } } as GraphQLDataSourceProcessOptions<C>).then(
      (res) => {
        const data = res.data as Record<string, unknown> | null | undefined;
        const errors = (res.errors ?? []) as unknown as GraphQLErrorShape[];
        batch.forEach((q, i) => {
          const p = prefixOf(i);
          const out: Record<string, unknown> = {};
          let own = data ? (out as Record<string, unknown> | null) : null;
          if (own) for (const key of merged.parts[i].keys) own[key] = data![p + key];
          const mine: GraphQLErrorShape[] = [];
          for (const e of errors) {
            const head = e.path?.[0];
            if (typeof head === 'string' && head.startsWith('_') && /^_\d+_/.test(head)) {
              if (head.startsWith(p)) mine.push({ ...e, path: [head.slice(p.length), ...e.path!.slice(1)] });
            } else mine.push(e); // an error of the whole operation belongs to every part
          }
          if (own && Object.keys(own).length === 0) own = null;
          q.resolve({ data: own, ...(mine.length ? { errors: mine } : {}), ...(res.extensions ? { extensions: res.extensions } : {}) } as GatewayGraphQLResponse);
        });
      },
      (err) => batch.forEach((q) => q.reject(err)),
    );
  }

  protected async send(options: GraphQLDataSourceProcessOptions<C>): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    const payload: Record<string, unknown> = { query: request.query, variables: request.variables };
    if (request.operationName) payload.operationName = request.operationName;
    if (request.extensions) payload.extensions = request.extensions;
    const body = JSON.stringify(payload);
    const headers: Record<string, string | number> = {
      ...this.headersOf(context as C), // may be an empty context outside a request
      'content-type': 'application/json',
      accept: 'application/json',
    };

    const res = await this.post(headers, body, /^\s*(query\b|\{)/.test(request.query!), context as C);
    const json = res.contentType.startsWith('application/json') || res.contentType.startsWith('application/graphql-response+json');
    let parsed: unknown = res.body;
    if (json) {
      try {
        parsed = JSON.parse(res.body);
      } catch {
        parsed = res.body;
      }
    }
    if (res.status < 200 || res.status >= 300) {
      const extensions: Record<string, unknown> = {
        response: { url: this.url, status: res.status, statusText: res.statusText, body: parsed },
      };
      if (res.status === 401) extensions.code = 'UNAUTHENTICATED';
      else if (res.status === 403) extensions.code = 'FORBIDDEN';
      throw new GraphQLError(`${res.status}: ${res.statusText}`, { extensions });
    }
    if (typeof parsed !== 'object' || parsed === null) throw new Error(`Expected JSON response body, but received: ${res.body.slice(0, 200)}`);
    return parsed as GatewayGraphQLResponse;
  }

  /**
   * Identical queries in flight (same body, same forwarded headers but the request id, so the
   * same caller with the same purpose) share one subgraph call: the second waits for the first's
   * answer, then parses its own copy. Hive Gateway does the same by default.
   */
  private post(headers: Record<string, string | number>, body: string, isQuery: boolean, context: C): Promise<RawResponse> {
    if (!this.dedupe || !isQuery) return this.signAndPost(headers, body, context);
    let key = body;
    for (const name in headers) if (name !== REQUEST_ID) key += `\u0000${name}:${headers[name]}`;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const call = this.signAndPost(headers, body, context);
    this.inFlight.set(key, call);
    const forget = () => this.inFlight.delete(key);
    call.then(forget, forget);
    return call;
  }

  private signAndPost(headers: Record<string, string | number>, body: string, context: C): Promise<RawResponse> {
    const assertion = context && this.assertionOf?.(context, body);
    return postPooled(this.target, assertion ? { ...headers, [ASSERTION_HEADER]: assertion } : headers, body, this.timeoutMs);
  }
}

/**
 * POSTs `body` over the pooled keep-alive sockets (the gateway's client for its own calls too,
 * e.g. the access log: much cheaper than global fetch, whose WHATWG streams cost more CPU than
 * the call itself). Resolves with the whole response; rejects on network errors or timeout.
 */
export function postPooled(target: URL, headers: Record<string, string | number>, body: string, timeoutMs = 30_000, mayRetry = true): Promise<RawResponse> {
  const secure = target.protocol === 'https:';
  return new Promise<RawResponse>((resolve, reject) => {
    const req = (secure ? https : http).request(
      {
        agent: secure ? httpsAgent : httpAgent,
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', contentType: String(res.headers['content-type'] ?? ''), body: text }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${target.href} did not answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A pooled socket the server closed while idle: the request never reached it; retry once
      // on a fresh socket (the pattern Node's documentation gives for keep-alive agents).
      if (mayRetry && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
        postPooled(target, headers, body, timeoutMs, false).then(resolve, reject);
      } else reject(err);
    });
    req.end(body);
  });
}
