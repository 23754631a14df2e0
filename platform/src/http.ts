import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { type Express, type Request } from 'express';
import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';

export interface RunningService {
  name: string;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql */
  url: string;
  port: number;
  close(): Promise<void>;
}

export const REQUEST_ID_HEADER = 'x-request-id';
export const PURPOSE_HEADER = 'x-access-purpose';

/** The request id the gateway passes on, or a fresh one at the edge. Bounded so logs stay sane. */
export function requestIdOf(req: Request): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

export function purposeOf(req: Request): string | null {
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
  /** `receivedAt`: `performance.now()` when the request arrived, before its body was parsed. */
  context: (req: Request, requestId: string, receivedAt: number) => Promise<C>;
  /** `/health`: HTTP 200 with a JSON body when the service and its store are ready, else 503. */
  health: () => Promise<{ ok: boolean; [k: string]: unknown }>;
  log: Logger;
  port?: number;
  host?: string;
  /** Extra routes (e.g. the developer explorer) mounted before `/graphql`. */
  routes?: (app: Express) => void;
}

/** Apollo Server 5 on express 5, with /graphql, /health, per-request logging and a clean close. */
export async function serveGraphQL<C extends BaseContext>(opts: GraphQLServiceOptions<C>): Promise<RunningService> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  // Keep-alive longer than typical client pools so the gateway reuses connections to subgraphs.
  httpServer.keepAliveTimeout = 65_000;
  const server = new ApolloServer<C>({
    ...opts.apollo,
    plugins: [...(opts.apollo.plugins ?? []), ApolloServerPluginDrainHttpServer({ httpServer })],
  } as ApolloServerOptions<C>);
  await server.start();

  app.get('/health', async (_req, res) => {
    const status = await opts.health().catch((e: Error) => ({ ok: false, error: e.message }));
    res.status(status.ok ? 200 : 503).json({ service: opts.name, ...status, status: status.ok ? 'ok' : 'unavailable' });
  });
  opts.routes?.(app);
  app.use(
    '/graphql',
    (_req, res, next) => {
      res.locals.receivedAt = performance.now();
      next();
    },
    express.json({ limit: '1mb' }),
    (req, res, next) => {
      const started = process.hrtime.bigint();
      const requestId = requestIdOf(req);
      res.locals.requestId = requestId;
      res.setHeader(REQUEST_ID_HEADER, requestId);
      res.on('finish', () => {
        opts.log.info({
          requestId,
          operationName: (req.body as { operationName?: string } | undefined)?.operationName ?? null,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        }, 'request');
      });
      next();
    },
    expressMiddleware(server, { context: async ({ req, res }) => opts.context(req, res.locals.requestId as string, res.locals.receivedAt as number) }),
  );

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
    close: async () => {
      await server.stop();
    },
  };
}
