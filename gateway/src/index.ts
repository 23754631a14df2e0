import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { createAuthenticator, type Authenticator, type Principal } from '@anmulong/platform/src/auth';
import { loadConfig, SUBGRAPHS, subgraphUrl, type SubgraphName } from '@anmulong/platform/src/config';
import { createLogger } from '@anmulong/platform/src/logger';
import { errorFormatter, purposeOf, PURPOSE_HEADER, REQUEST_ID_HEADER, serveGraphQL, type RunningService } from '@anmulong/platform/src/http';
import { runStandalone } from '@anmulong/platform/src/service';
import { SUPERGRAPH_FILE } from './compose';
import { mountExplorer } from './explorer';

export interface GatewayContext {
  principal: Principal;
  requestId: string;
  purpose: string | null;
  /** The caller's own token, forwarded so every subgraph authorizes its own data. */
  authorization: string;
}

/** Forwards who is asking, why, and the request id to every subgraph call. */
class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const headers = request.http?.headers;
    if (!headers || !('principal' in context)) return;
    headers.set('authorization', context.authorization);
    headers.set(REQUEST_ID_HEADER, context.requestId);
    if (context.purpose) headers.set(PURPOSE_HEADER, context.purpose);
  }
}

export interface GatewayOptions {
  port?: number;
  host?: string;
  /** Where each subgraph listens; defaults to `<NAME>_URL` or the CONTRACT's local ports. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  keycloakUrl?: string;
  authenticator?: Authenticator;
  production?: boolean;
}

export async function startGateway(opts: GatewayOptions = {}): Promise<RunningService> {
  const config = loadConfig('gateway');
  const log = createLogger('gateway', config.logLevel);
  const production = opts.production ?? config.production;
  const urls = Object.fromEntries(SUBGRAPHS.map((n) => [n, opts.subgraphUrls?.[n] ?? subgraphUrl(n)])) as Record<SubgraphName, string>;
  const authenticator = opts.authenticator ?? createAuthenticator({ keycloakUrl: opts.keycloakUrl ?? config.keycloakUrl });
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    buildService: ({ name, url }) => new ForwardingDataSource({ url: urls[name as SubgraphName] ?? url }),
  });
  return serveGraphQL<GatewayContext>({
    name: 'gateway',
    log,
    port: opts.port ?? config.port,
    host: opts.host ?? config.host,
    apollo: {
      gateway,
      introspection: !production,
      csrfPrevention: true,
      includeStacktraceInErrorResponses: false,
      formatError: errorFormatter(log),
    },
    context: async (req, requestId) => {
      // Unauthenticated requests never reach a subgraph: HTTP 401, UNAUTHENTICATED.
      const principal = await authenticator.authenticate(req.headers.authorization);
      return { principal, requestId, purpose: purposeOf(req), authorization: `Bearer ${principal.token}` };
    },
    health: async () => {
      const checks = await Promise.all(
        SUBGRAPHS.map(async (n) => {
          const ok = await fetch(new URL('/health', urls[n]), { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
          return [n, ok ? 'up' : 'down'] as const;
        }),
      );
      return { ok: checks.every(([, s]) => s === 'up'), subgraphs: Object.fromEntries(checks) };
    },
    routes: production ? undefined : (app) => mountExplorer(app),
  });
}

if (require.main === module) runStandalone(() => startGateway());
