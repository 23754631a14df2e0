import type { DocumentNode } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Connection } from 'mongoose';
import type { Authenticator, Principal } from './auth';
import type { RequestContext } from './context';
import { createLogger, type Logger } from './logger';
import { purposeOf, serveGraphQL, errorFormatter, type RunningService } from './http';

export interface SubgraphOptions<L> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: unknown;
  /** The subgraph's own database connection (its models are bound to it). */
  connection: Connection;
  /** Fresh DataLoaders for one request; never shared across requests or users. */
  createLoaders: (principal: Principal) => L;
  authenticator: Authenticator;
  port?: number;
  host?: string;
  production?: boolean;
  log?: Logger;
}

/**
 * One department's subgraph: Apollo Federation 2 schema, token check on every request (direct
 * calls without a valid token are refused exactly like the gateway refuses them), per-request
 * context with the principal and fresh DataLoaders, `/health` reporting the store.
 */
export async function createSubgraphServer<L>(opts: SubgraphOptions<L>): Promise<RunningService> {
  const log = opts.log ?? createLogger(opts.name);
  const schema = buildSubgraphSchema([
    { typeDefs: opts.typeDefs, resolvers: opts.resolvers as GraphQLResolverMap<unknown> },
  ]);
  return serveGraphQL<RequestContext<L>>({
    name: opts.name,
    log,
    port: opts.port,
    host: opts.host,
    apollo: {
      schema,
      // Federated traces feed Apollo Studio, which this platform does not use; skip their cost.
      plugins: [ApolloServerPluginInlineTraceDisabled()],
      introspection: !opts.production,
      includeStacktraceInErrorResponses: false,
      formatError: errorFormatter(log),
    },
    context: async (req, requestId) => {
      const principal = await opts.authenticator.authenticate(req.headers.authorization);
      return {
        principal,
        requestId,
        purpose: purposeOf(req),
        loaders: opts.createLoaders(principal),
        log: log.child({ requestId }),
      };
    },
    health: async () => {
      const store = opts.connection.readyState === 1;
      if (store) await opts.connection.db!.admin().ping();
      return { ok: store, store: store ? 'up' : 'down' };
    },
  });
}
