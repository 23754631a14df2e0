import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { Connection } from 'mongoose';
import { createAuthenticator, type Authenticator, type Principal } from './auth';
import { loadConfig, subgraphUrl, SUBGRAPHS, type ServiceName, type SubgraphName } from './config';
import { AssertionVerifier, defaultJwksUrl } from './assertion';
import { PeerClient, usePeerCredentials } from './peer';
import { refuseDevelopmentSecrets } from './production';
import { ServiceToken } from './service-token';
import { DivisionDirectory } from './directory';
import type { Department } from './departments';
import type { AccessView } from './enforce';
import { PolicySource } from './policy-source';
import type { Express } from 'express';
import { createLogger, type Logger } from './logger';
import { connectStore, ensureIndexes } from './mongo';
import { createSubgraphServer } from './subgraph';
import type { RunningService } from './http';

/** What a department's subgraph is: its schema file, models, resolvers and per-request loaders. */
export interface SubgraphModule<M, L> {
  name: SubgraphName;
  schemaFile: string;
  models(conn: Connection): M;
  resolvers(models: M, services: PlatformServices): unknown;
  /** Fresh per request; `access` carries the policy's row conditions (absent in the access service). */
  loaders(models: M, principal: Principal, access?: AccessView): L;
  /** Whose policy governs this subgraph's data; absent only for the access service. */
  department?: Department;
  routes?(app: Express, models: M, authenticator: Authenticator): void;
  /** One-off work after indexes exist and before serving (e.g. seeding shipped defaults). */
  prepare?(models: M): Promise<void>;
  /** Before the server closes: answer requests the module holds open (long polls), so closing does not wait for them. */
  closing?(models: M): void;
}

/** Shared services a subgraph's resolvers may use: `createResolvers(models, services)`. */
export interface PlatformServices {
  /** Checks division codes against the registry (their owner). */
  divisions: DivisionDirectory;
  /** Asks other departments about their records, as the caller (peer.ts). */
  peers: PeerClient;
  /** Where another subgraph listens (start option, else `<NAME>_URL`, else the CONTRACT port). */
  subgraphUrl(name: ServiceName): string;
}

/** The services of subgraph `name`, whose peers listen at `urlOf(peer)`. */
export function platformServices(name: ServiceName, urlOf: (peer: ServiceName) => string): PlatformServices {
  const peers = new PeerClient(name, urlOf);
  return { divisions: new DivisionDirectory(peers), peers, subgraphUrl: urlOf };
}

export interface StartOptions {
  /**
   * Other subgraphs this one calls (e.g. the registry for division look-ups); each defaults to
   * `<NAME>_URL` or the CONTRACT port (`subgraphUrl`).
   */
  subgraphUrls?: Partial<Record<ServiceName, string>>;
  port?: number;
  host?: string;
  mongoUri?: string;
  dbName?: string;
  keycloakUrl?: string;
  production?: boolean;
  authenticator?: Authenticator;
  /**
   * The gateway's JWK set, whose keys sign the assertions this subgraph requires
   * (`GATEWAY_JWKS_URL`, else the gateway's CONTRACT port); a function when known only later.
   */
  gatewayJwksUrl?: string | (() => string);
  /**
   * Serve a user's token without the gateway's assertion: only for benchmarks that put other
   * gateways in front of the subgraphs (`REQUIRE_GATEWAY_ASSERTION=false`; production refuses it).
   */
  requireGatewayAssertion?: boolean;
  /** Where the service logs (default: JSON lines on stdout at `LOG_LEVEL`); tests read a peer's log. */
  log?: Logger;
}

export interface StartedSubgraph<M> extends RunningService {
  models: M;
  policies?: PolicySource;
  connection: Connection;
}

/** Starts a subgraph; options default to the environment (CONTRACT ports), tests pass ephemeral ones. */
export async function startSubgraph<M, L>(mod: SubgraphModule<M, L>, opts: StartOptions = {}): Promise<StartedSubgraph<M>> {
  const config = loadConfig(mod.name);
  await refuseDevelopmentSecrets(mod.name, opts.keycloakUrl ?? config.keycloakUrl);
  const log = opts.log ?? createLogger(mod.name, config.logLevel);
  const connection = await connectStore(opts.mongoUri ?? config.mongoUri, opts.dbName ?? config.dbName);
  const models = mod.models(connection);
  const urlOf = (name: ServiceName) => opts.subgraphUrls?.[name] ?? subgraphUrl(name);
  const services = platformServices(mod.name, urlOf);
  // Peer look-ups prove they come from the platform with this service's own token (peer.ts).
  usePeerCredentials(SUBGRAPHS.map(urlOf), new ServiceToken(opts.keycloakUrl ?? config.keycloakUrl));
  const requireAssertion = opts.requireGatewayAssertion ?? process.env.REQUIRE_GATEWAY_ASSERTION !== 'false';
  await ensureIndexes(connection);
  await mod.prepare?.(models);
  const authenticator = opts.authenticator ?? createAuthenticator({ keycloakUrl: opts.keycloakUrl ?? config.keycloakUrl });
  const policies = mod.department
    ? new PolicySource({ accessUrl: urlOf('access'), keycloakUrl: opts.keycloakUrl ?? config.keycloakUrl, log })
    : undefined;
  await policies?.start();
  const server = await createSubgraphServer({
    name: mod.name,
    typeDefs: parse(readFileSync(mod.schemaFile, 'utf8')),
    resolvers: mod.resolvers(models, services),
    connection,
    createLoaders: (principal, access) => mod.loaders(models, principal, access),
    authenticator,
    gatewayAssertions: requireAssertion ? new AssertionVerifier({ audience: mod.name, jwksUrl: opts.gatewayJwksUrl ?? defaultJwksUrl }) : 'not-required',
    department: mod.department,
    policies,
    routes: mod.routes ? (app) => mod.routes!(app, models, authenticator) : undefined,
    port: opts.port ?? config.port,
    host: opts.host ?? config.host,
    production: opts.production ?? config.production,
    log,
  });
  let closed = false;
  return {
    ...server,
    models,
    connection,
    policies,
    close: async () => {
      if (closed) return; // idempotent: tests stop a service early to see the others cope
      closed = true;
      policies?.stop();
      mod.closing?.(models);
      await server.close();
      await connection.close();
    },
  };
}

/**
 * `tsx subgraphs/<name>/src/index.ts`: runs a service as its own process: prints where it is ready, and on SIGINT/SIGTERM closes it
 * (in-flight requests finish, connections close). A close that hangs (e.g. on a store that has
 * gone away) must not keep a container from stopping: after `SHUTDOWN_TIMEOUT_S` (default 15)
 * seconds, or when the same signal comes again a second later, it exits with status 1 anyway.
 */
export function runStandalone(start: () => Promise<RunningService>): void {
  start().then(
    (service) => {
      // Longer than the in-flight grace of Apollo's drain plugin (10 s) plus the gateway's last
      // access-log shipment (3 s), so a clean stop is never cut short.
      const given = Number(process.env.SHUTDOWN_TIMEOUT_S);
      const timeoutS = Number.isFinite(given) && given > 0 ? given : 15;
      let firstAt = 0;
      const received = new Set<string>();
      const stop = (signal: string) => {
        // The same signal again, a second or more after the first, is someone insisting (a second
        // Ctrl-C): exit now. Anything sooner or different is the same request by another route:
        // under `npm start` one Ctrl-C reaches each service twice within milliseconds (seen here),
        // and the launcher then sends SIGTERM too.
        if (received.has(signal) && Date.now() - firstAt >= 1000) {
          console.error(`${service.name}: ${signal} again, exiting without finishing the shutdown`);
          process.exit(1);
        }
        received.add(signal);
        if (firstAt) return;
        firstAt = Date.now();
        setTimeout(() => {
          console.error(`${service.name}: shutdown did not finish within ${timeoutS} s, exiting`);
          process.exit(1);
        }, timeoutS * 1000);
        service.close().then(
          () => process.exit(0),
          (err: Error) => {
            console.error(`${service.name}: shutdown failed: ${err.message}`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
      // Only now: whoever waits for this line may signal at once, and until a listener exists
      // SIGTERM's default action kills the process outright.
      console.log(`${service.name} ready at ${service.url}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
