import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDocstore, type DocstoreHandle } from '@anmulong/docstore';
import { startIdentityProvider } from '@anmulong/identity';
import { startGateway, type GatewayOptions, type RunningGateway } from '@anmulong/gateway';
import { SUBGRAPHS, type SubgraphName } from '../config';
import { fetchToken } from '../tokens';
import type { RunningService } from '../http';
import type { StartedSubgraph, StartOptions } from '../service';
import type { RegistryModels } from '@anmulong/registry/src/models';
import type { PoliceModels } from '@anmulong/police/src/models';

/*
 * The whole platform in one process on ephemeral ports, for tests: a real docstore over TCP, the
 * development identity provider issuing real RS256 tokens (or an external Keycloak), every
 * subgraph and the gateway.
 */

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface Stack {
  docstore: DocstoreHandle;
  keycloakUrl: string;
  /**
   * Where the development identity provider keeps its signing key (tests forge bad tokens with
   * it); empty with an external Keycloak, whose keys stay inside it.
   */
  identityDataDir: string;
  /** Every subgraph of SUBGRAPHS, started (registry first: the others check division codes with it). */
  subgraphs: Record<SubgraphName, StartedSubgraph<any>>;
  registry: StartedSubgraph<RegistryModels>;
  police: StartedSubgraph<PoliceModels>;
  /** `gateway.flushAccessLog()` waits until the access log has every entry recorded so far. */
  gateway: RunningGateway;
  /**
   * Runs `use` against another gateway on this stack's subgraphs, configured with `options`
   * (e.g. production, tighter access-log bounds, extra plugins) and its own outbox directory;
   * closes it afterwards.
   */
  withGateway<T>(options: Omit<GatewayOptions, 'port' | 'host' | 'keycloakUrl' | 'subgraphUrls'>, use: (gateway: RunningGateway) => Promise<T>): Promise<T>;
  /** A demo user's access token (password `anmulong`), cached per stack. */
  token(username: string): Promise<string>;
  /** POSTs a GraphQL operation to `url` (default the gateway) as `username` (or with a raw header). */
  query<T = any>(
    as: string | { authorization?: string },
    query: string,
    variables?: Record<string, unknown>,
    options?: { url?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface StackOptions {
  /**
   * A running Keycloak (base URL, e.g. from `npm run keycloak`) that imported
   * `keycloak/realm-otog.json`, used instead of starting the development identity provider.
   */
  keycloakUrl?: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'anmulong-stack-'));
  const docstore = await startDocstore({ port: 0, quiet: true });
  const external = options.keycloakUrl?.replace(/\/+$/, '');
  const idp = external
    ? { url: external, close: async () => undefined }
    : await startIdentityProvider({ port: 0, dataDir: path.join(dataDir, 'identity') });
  const common = { port: 0, host: '127.0.0.1', mongoUri: docstore.uri, keycloakUrl: idp.url };
  const subgraphs = {} as Record<SubgraphName, StartedSubgraph<any>>;
  for (const name of SUBGRAPHS) {
    // Each subgraph package exports `start(options)`; a new department needs no change here.
    const { start } = require(`@anmulong/${name}`) as { start: (o: StartOptions) => Promise<StartedSubgraph<any>> };
    const subgraphUrls = Object.fromEntries(Object.entries(subgraphs).map(([n, s]) => [n, s.url]));
    subgraphs[name] = await start({ ...common, subgraphUrls });
  }
  /** A gateway on these subgraphs, with an outbox directory of its own. */
  const gatewayOn = (options: Omit<GatewayOptions, 'port' | 'host' | 'keycloakUrl' | 'subgraphUrls'> = {}) =>
    startGateway({
      ...options,
      port: 0,
      host: '127.0.0.1',
      keycloakUrl: idp.url,
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((n) => [n, subgraphs[n].url])),
      accessLog: { ...options.accessLog, outboxDir: mkdtempSync(path.join(dataDir, 'gateway-outbox-')) },
    });
  const gateway = await gatewayOn();

  const tokens = new Map<string, Promise<string>>();
  const token = (username: string) => {
    if (!tokens.has(username)) tokens.set(username, fetchToken(idp.url, username));
    return tokens.get(username)!;
  };

  return {
    docstore,
    keycloakUrl: idp.url,
    identityDataDir: external ? '' : path.join(dataDir, 'identity'),
    subgraphs,
    registry: subgraphs.registry,
    police: subgraphs.police,
    gateway,
    async withGateway(options, use) {
      const other = await gatewayOn(options);
      try {
        return await use(other);
      } finally {
        await other.close();
      }
    },
    token,
    async query(as, query, variables, options = {}) {
      const authorization = typeof as === 'string' ? `Bearer ${await token(as)}` : as.authorization;
      const res = await fetch(options.url ?? gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
          ...options.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: res.status, ...body };
    },
    async close() {
      await gateway.close();
      for (const name of [...SUBGRAPHS].reverse()) await subgraphs[name].close();
      await idp.close();
      await docstore.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
