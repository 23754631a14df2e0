import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { ApolloServer, HeaderMap, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { InvalidUtf8Error, readBody } from '@anmulong/base';
import { budgetExceededAnswer, checkVariables, operationLimits, OperationGuard, RequestBudget, responseTooLarge, type OperationLimits, type RequestLimits } from './limits';

export interface RunningService {
  name: string;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql */
  url: string;
  port: number;
  /** Requests that reached `/graphql` so far (tests prove a refusal reached no subgraph). */
  graphqlRequests(): number;
  close(): Promise<void>;
}

export const REQUEST_ID_HEADER = 'x-request-id';
export const PURPOSE_HEADER = 'x-access-purpose';

/** The request id the gateway passes on, or a fresh one at the edge. Bounded so logs stay sane. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

export function purposeOf(req: IncomingMessage): string | null {
  const p = req.headers[PURPOSE_HEADER];
  let v = Array.isArray(p) ? p[0] : p;
  // HTTP header values are Latin-1: clients send other scripts (e.g. Chinese) percent-encoded.
  if (v && /%[0-9A-Fa-f]{2}/.test(v)) {
    try {
      v = decodeURIComponent(v);
    } catch {
      // not valid percent-encoding: keep it as sent
    }
  }
  return v && v.trim() ? v.trim().slice(0, 500) : null;
}

/** Codes clients may see; anything else is an internal error whose details stay in the log. */
const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED',
  'DEPARTMENT_UNAVAILABLE', // a department's subgraph failed: its part of the answer is empty (gateway/src/partial.ts)
  // Limits (limits.ts, the gateway's cost and rate limits): each says which limit and by how much.
  'OPERATION_TOO_COMPLEX', 'OPERATION_TOO_EXPENSIVE', 'RATE_LIMITED', 'RESPONSE_TOO_LARGE', 'DEADLINE_EXCEEDED',
]);

export function errorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
      // Never leak stack traces, whatever the environment.
      const { stacktrace: _s, http: _h, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    log.error({ err: unwrapResolverError(error) }, 'internal error');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

export interface GraphQLServiceOptions<C extends BaseContext> {
  name: string;
  apollo: ApolloServerOptions<C>;
  /**
   * `receivedAt`: `performance.now()` when the request arrived, before its body was read;
   * `scope`: the body exactly as received (a GET's query string), which gateway assertions sign;
   * the response being answered; the request's execution budget (when `execution` is set).
   */
  context: (req: IncomingMessage, requestId: string, receivedAt: number, scope: RequestScope) => Promise<C>;
  /** Structural limits on every request (default: `operationLimits()`, from the environment). */
  limits?: OperationLimits;
  /** Objects, bytes and time per request (subgraphs); none when absent. */
  execution?: RequestLimits;
  /** `/health`: HTTP 200 with a JSON body when the service and its store are ready, else 503. */
  health: () => Promise<{ ok: boolean; [k: string]: unknown }>;
  log: Logger;
  port?: number;
  host?: string;
  /** Extra routes (e.g. the developer explorer) mounted before `/graphql`. */
  routes?: (app: Express) => void;
}

export interface RequestScope {
  /** The body exactly as received (a GET's query string). */
  payload: string;
  res: ServerResponse;
  budget: RequestBudget | null;
  /** Added to the request's log line (e.g. who asked on a user's behalf, and why). */
  logFields: Record<string, unknown>;
}

/** Largest request body taken at /graphql. */
const BODY_LIMIT = 1024 * 1024;

/** A GraphQL-shaped error answer for requests refused before they reach Apollo Server. */
function refuse(res: ServerResponse, status: number, message: string, closeConnection = false): void {
  answerError(res, status, { message, extensions: { code: 'BAD_REQUEST' } }, closeConnection);
}

function answerError(res: ServerResponse, status: number, error: GraphQLFormattedError, closeConnection = false): void {
  const body = JSON.stringify({ errors: [error] });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...(closeConnection ? { connection: 'close' } : {}),
  });
  res.end(body);
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** A refusal from limits.ts as answered: its message and extensions without the HTTP status. */
function refuseOver(res: ServerResponse, error: GraphQLError): void {
  const { http, ...extensions } = error.extensions as { http?: { status?: number } };
  answerError(res, http?.status ?? 400, { message: error.message, extensions });
}

/** The operation text and variables of a GraphQL request (POST body or GET parameters), when given. */
function operationOf(method: string | undefined, body: unknown, search: string): { query?: unknown; variables?: unknown } {
  if (method === 'POST') return body !== null && typeof body === 'object' ? (body as { query?: unknown; variables?: unknown }) : {};
  const params = new URLSearchParams(search);
  const variables = params.get('variables');
  try {
    return { query: params.get('query') ?? undefined, variables: variables ? JSON.parse(variables) : undefined };
  } catch {
    return { query: params.get('query') ?? undefined }; // Apollo Server refuses the bad JSON itself
  }
}

/**
 * `/graphql` on `node:http` directly: express's router, body-parser and `res.send` (which
 * hashes every answer for an ETag nobody uses on a POST) cost a few tenths of a millisecond a
 * request, paid at the gateway and again at every subgraph it calls. Everything else (health,
 * the explorer, the access service's `/audit`) stays on express.
 */
async function answerGraphQL<C extends BaseContext>(
  server: ApolloServer<C>,
  opts: GraphQLServiceOptions<C>,
  guard: OperationGuard,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const receivedAt = performance.now();
  const requestId = requestIdOf(req);
  let operationName: string | null = null;
  const logFields: Record<string, unknown> = {};
  res.setHeader(REQUEST_ID_HEADER, requestId);
  res.on('finish', () => {
    opts.log.info({ requestId, operationName, ...logFields, status: res.statusCode, ms: performance.now() - receivedAt }, 'request');
  });
  let body: unknown;
  const q = req.url!.indexOf('?');
  const search = q < 0 ? '' : req.url!.slice(q);
  let payload = search;
  if (req.method === 'POST') {
    const encoding = req.headers['content-encoding'];
    if (encoding && encoding !== 'identity') return refuse(res, 415, `Compressed request bodies (${encoding}) are not accepted: send the JSON as is`);
    let text: string | null;
    try {
      text = await readBody(req, BODY_LIMIT, { strictUtf8: true });
    } catch (e) {
      if (e instanceof InvalidUtf8Error) return refuse(res, 400, e.message);
      throw e;
    }
    // The rest of an oversized body is left unread, so the connection closes after the answer.
    if (text === null) return refuse(res, 413, `The request body is larger than ${BODY_LIMIT / 1024 / 1024} MB`, true);
    payload = text;
    // Any other content type reaches Apollo Server without a body, which refuses it (and CSRF prevention applies).
    if (JSON_TYPE.test(req.headers['content-type'] ?? '')) {
      try {
        body = JSON.parse(text);
      } catch (e) {
        return refuse(res, 400, `The request body is not valid JSON: ${(e as Error).message}`);
      }
      if (Array.isArray(body)) return refuse(res, 400, 'Batched operations (a JSON array) are not accepted: send one operation per request');
      const name = (body as { operationName?: unknown } | null)?.operationName;
      if (typeof name === 'string') operationName = name.slice(0, 200);
    }
  }
  // Structural limits before Apollo Server parses, validates or plans anything.
  const operation = operationOf(req.method, body, search);
  if (typeof operation.query === 'string') {
    const verdict = guard.check(operation.query);
    if (verdict.error) return refuseOver(res, verdict.error);
  }
  const badVariables = checkVariables(operation.variables, guard.limits);
  if (badVariables) return refuseOver(res, badVariables);
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const budget = opts.execution ? new RequestBudget(opts.execution) : null;
  const executing = server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method!.toUpperCase(), headers, search, body },
    context: () => opts.context(req, requestId, receivedAt, { payload, res, budget, logFields }),
  });
  const answer = budget ? await withinBudget(executing, budget) : await executing;
  // A request stopped by its budget is answered with that one error, not a partial answer and an
  // error for every field refused after it.
  if (!answer || budget?.spent) return answerError(res, 200, budgetExceededAnswer(budget!.spent!));
  if (budget && answer.body.kind === 'complete' && answer.body.string.length > budget.limits.maxResponseBytes) {
    // Characters first (cheap); bytes only when the characters alone are near the limit.
    const bytes = Buffer.byteLength(answer.body.string);
    if (bytes > budget.limits.maxResponseBytes) return answerError(res, 200, budgetExceededAnswer(responseTooLarge(bytes, budget.limits.maxResponseBytes)));
  }
  for (const [key, value] of answer.headers) res.setHeader(key, value);
  res.statusCode = answer.status ?? 200;
  if (answer.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(answer.body.string));
    res.end(answer.body.string);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * The answer, or null once the budget is spent (its deadline passed, or too many objects): the
 * request is answered with that error at once, and every resolver still to run refuses at once.
 */
async function withinBudget<T>(executing: Promise<T>, budget: RequestBudget): Promise<T | null> {
  const timer = setTimeout(() => budget.expire(), budget.limits.deadlineMs);
  try {
    const answer = await Promise.race([executing, budget.stopped.then(() => null)]);
    if (answer === null) executing.catch(() => undefined); // finishes (each remaining resolver refusing) unobserved
    return answer;
  } finally {
    clearTimeout(timer);
  }
}

/** Apollo Server 5 on `node:http` (`/graphql`) and express 5 (the rest), with /health, per-request logging and a clean close. */
export async function serveGraphQL<C extends BaseContext>(opts: GraphQLServiceOptions<C>): Promise<RunningService> {
  const guard = new OperationGuard(opts.limits ?? operationLimits());
  let graphqlRequests = 0;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer((req, res) => {
    // Exactly `/graphql` (any case, as express matched it, optional trailing slash).
    const path = req.url!.split('?', 1)[0].toLowerCase();
    if (path !== '/graphql' && path !== '/graphql/') return app(req, res);
    graphqlRequests++;
    answerGraphQL(server, opts, guard, req, res).catch((e: NodeJS.ErrnoException) => {
      if (req.destroyed || e.code === 'ECONNRESET' || e.message === 'aborted') {
        opts.log.info({ err: e.message }, 'request aborted by the client');
        return;
      }
      opts.log.error({ err: e }, 'request failed');
      if (!res.headersSent) refuse(res, 500, 'Internal server error');
      else res.destroy();
    });
  });
  // Keep-alive longer than typical client pools so the gateway reuses connections to subgraphs.
  httpServer.keepAliveTimeout = 65_000;
  const server = new ApolloServer<C>({
    ...opts.apollo,
    // The guard above already refused longer documents; Apollo Server's own parse stops there too.
    parseOptions: { maxTokens: guard.limits.maxTokens },
    // Shutdown is the platform's (runStandalone, tests, the launcher), not a signal handler of
    // Apollo's own that would stop the server behind its back and raise the signal again.
    stopOnTerminationSignals: false,
    plugins: [...(opts.apollo.plugins ?? []), ApolloServerPluginDrainHttpServer({ httpServer })],
  } as ApolloServerOptions<C>);
  await server.start();

  app.get('/health', async (_req, res) => {
    const status = await opts.health().catch((e: Error) => ({ ok: false, error: e.message }));
    res.status(status.ok ? 200 : 503).json({ service: opts.name, ...status, status: status.ok ? 'ok' : 'unavailable' });
  });
  opts.routes?.(app);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const shownHost = !opts.host || opts.host === '0.0.0.0' ? 'localhost' : opts.host;
  return {
    name: opts.name,
    url: `http://${shownHost}:${port}/graphql`,
    port,
    graphqlRequests: () => graphqlRequests,
    close: async () => {
      await server.stop();
    },
  };
}
