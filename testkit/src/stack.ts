import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDocstore, type DocstoreHandle } from '@anmulong/docstore';
import { startIdentityProvider } from '@anmulong/identity';
import type { GatewayOptions, RunningGateway } from '@anmulong/gateway';
import {
  ACCESS_SERVICE, ASSERTION_HEADER, AssertionSigner, fetchToken, JWKS_PATH, loadAssertionKey, type RunningService, type StartedSubgraph, type StartOptions,
  type SubgraphName, SUBGRAPHS,
} from '@anmulong/platform';
import type { RegistryModels } from '@anmulong/registry';
import type { PoliceModels } from '@anmulong/police';
import { decodeClaims } from './claims';

/*
 * The whole platform in one process on ephemeral ports, for tests: a real docstore over TCP, the
 * development identity provider issuing real RS256 tokens (or an external Keycloak), every
 * subgraph and the gateway.
 */

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
  /** E.g. `cost` (the gateway's estimate, reported outside production). */
  extensions?: Record<string, unknown>;
}

export interface Stack {
  docstore: DocstoreHandle;
  keycloakUrl: string;
  /**
   * Where the development identity provider keeps its signing key (tests forge bad tokens with
   * it); empty with an external Keycloak, whose keys stay inside it.
   */
  identityDataDir: string;
  /** Every subgraph of SUBGRAPHS, started (the access service first: the departments load their policies from it). */
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
  /** Signs gateway assertions with the stack's gateway key (tests playing the gateway, or forging). */
  gatewaySigner: AssertionSigner;
  /** The key file of that signer: a gateway a test starts by hand on these subgraphs needs it. */
  assertionKeyFile: string;
  /**
   * Points the subgraphs' `gatewayJwksUrl` at another gateway's JWKS, as a deployment does when a
   * gateway is replaced by one with a new key (rotation tests).
   */
  trustGatewayKeysOf(gateway: RunningService): void;
  /**
   * POSTs a GraphQL operation to `url` (default the gateway) as `username` (or with a raw header).
   * Sent to a subgraph, it carries a gateway assertion as the gateway would sign it (the test
   * plays the gateway) unless `gatewayAssertion: false` sends the user's token alone.
   */
  query<T = any>(
    as: string | { authorization?: string },
    query: string,
    variables?: Record<string, unknown>,
    options?: { url?: string; headers?: Record<string, string>; gatewayAssertion?: boolean },
  ): Promise<GraphQLResponse<T>>;
  /**
   * Stops a subgraph (or the identity provider), runs `whileDown`, then starts it again on the
   * same port with the same store (or signing key): the other services are not restarted.
   */
  restart<T>(service: SubgraphName | 'identity', whileDown?: () => Promise<T>): Promise<T | undefined>;
  close(): Promise<void>;
}

/** The `sub` of a bearer token, unverified (the subgraph verifies it); '' when there is none. */
function subjectOf(authorization: string): string {
  try {
    const sub = decodeClaims(authorization).sub;
    return typeof sub === 'string' ? sub : '';
  } catch {
    return '';
  }
}

export interface StackOptions {
  /** A store started elsewhere (e.g. a docstore process a test kills); default an in-process docstore. */
  mongoUri?: string;
  /**
   * A running Keycloak (base URL, e.g. from `npm run keycloak`) that imported
   * `keycloak/realm-otog.json`, used instead of starting the development identity provider.
   */
  keycloakUrl?: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'anmulong-stack-'));
  const docstore = options.mongoUri ? externalStore(options.mongoUri) : await startDocstore({ port: 0, quiet: true });
  const external = options.keycloakUrl?.replace(/\/+$/, '');
  let idp: { url: string; port?: number; close(): Promise<void> } = external
    ? { url: external, close: async () => undefined }
    : await startIdentityProvider({ port: 0, dataDir: path.join(dataDir, 'identity') });
  // One gateway key for every gateway of the stack; subgraphs fetch it from the main gateway's JWKS.
  const assertionKeyFile = path.join(dataDir, 'gateway', 'assertion-ed25519.pem');
  const gatewaySigner = new AssertionSigner(loadAssertionKey(assertionKeyFile, true));
  /** Whose JWKS the subgraphs trust: the main gateway unless a test moves them (key rotation). */
  let gateway: RunningService | undefined;
  const gatewayJwksUrl = () => {
    if (!gateway) throw new Error('the stack gateway has not started yet');
    return new URL(JWKS_PATH, gateway.url).toString();
  };
  const common = { host: '127.0.0.1', mongoUri: docstore.uri, keycloakUrl: idp.url, gatewayJwksUrl };
  // Required here, not at the top: the in-process tests import this package without the gateway.
  const { startGateway } = require('@anmulong/gateway') as typeof import('@anmulong/gateway');
  const subgraphs = {} as Record<SubgraphName, StartedSubgraph<any>>;
  // Where every subgraph of the stack listens, read when a peer is asked (at request time), so a
  // subgraph started before its peers finds them once they are up.
  const subgraphUrls = Object.defineProperties({}, Object.fromEntries(SUBGRAPHS.map((n) => [n, { enumerable: true, get: () => subgraphs[n]?.url }])));
  const startSubgraph = (name: SubgraphName, port = 0) => {
    // Each subgraph package exports `start(options)`; a new department needs no change here.
    const { start } = require(`@anmulong/${name}`) as { start: (o: StartOptions) => Promise<StartedSubgraph<any>> };
    return start({ ...common, port, subgraphUrls });
  };
  // The access service first: each department loads its policies from it before serving. The
  // departments then start together (none asks a peer before a request comes).
  subgraphs[ACCESS_SERVICE.subgraph] = await startSubgraph(ACCESS_SERVICE.subgraph);
  const departments = SUBGRAPHS.filter((n) => n !== ACCESS_SERVICE.subgraph);
  const failed = (await Promise.allSettled(departments.map(async (n) => (subgraphs[n] = await startSubgraph(n))))).find((r) => r.status === 'rejected');
  if (failed) {
    for (const s of Object.values(subgraphs)) await s.close();
    throw failed.reason;
  }
  /** A gateway on these subgraphs, with an outbox directory of its own. */
  const gatewayOn = (options: Omit<GatewayOptions, 'port' | 'host' | 'keycloakUrl' | 'subgraphUrls'> = {}) =>
    startGateway({
      ...options,
      port: 0,
      host: '127.0.0.1',
      keycloakUrl: idp.url, // the same after a restart: same port
      assertionKeyFile: options.assertionKeyFile ?? assertionKeyFile,
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((n) => [n, subgraphs[n].url])),
      accessLog: { ...options.accessLog, outboxDir: mkdtempSync(path.join(dataDir, 'gateway-outbox-')) },
    });
  const started = await gatewayOn();
  /** Also where a subgraph a test restarts by hand finds the keys, as a deployed one does. */
  const trust = (g: RunningService) => {
    gateway = g;
    process.env.GATEWAY_JWKS_URL = gatewayJwksUrl();
  };
  trust(started);
  const subgraphAt = (url: string) => SUBGRAPHS.find((n) => subgraphs[n].url === url);

  const tokens = new Map<string, Promise<string>>();
  const token = (username: string) => {
    if (!tokens.has(username)) tokens.set(username, fetchToken(idp.url, username));
    return tokens.get(username)!;
  };

  const stack: Stack = {
    docstore,
    keycloakUrl: idp.url, // the same after a restart: same port
    identityDataDir: external ? '' : path.join(dataDir, 'identity'),
    subgraphs,
    get registry() {
      return subgraphs.registry;
    },
    get police() {
      return subgraphs.police;
    },
    gateway: started,
    gatewaySigner,
    assertionKeyFile,
    trustGatewayKeysOf: trust,
    async withGateway(options, use) {
      const other = await gatewayOn(options);
      try {
        return await use(other);
      } finally {
        await other.close();
      }
    },
    token,
    async restart(service, whileDown) {
      if (service === 'identity') {
        if (external) throw new Error('this stack runs on an external Keycloak, which it does not restart');
        const port = idp.port;
        await idp.close();
        try {
          return await whileDown?.();
        } finally {
          idp = await startIdentityProvider({ port, dataDir: path.join(dataDir, 'identity') });
        }
      }
      const port = Number(new URL(subgraphs[service].url).port);
      await subgraphs[service].close();
      try {
        return await whileDown?.();
      } finally {
        subgraphs[service] = await startSubgraph(service, port);
      }
    },
    async query(as, query, variables, options = {}) {
      const authorization = typeof as === 'string' ? `Bearer ${await token(as)}` : as.authorization;
      const payload = JSON.stringify({ query, variables });
      const subgraph = options.url ? subgraphAt(options.url) : undefined;
      const assertion = subgraph && authorization && options.gatewayAssertion !== false
        ? { [ASSERTION_HEADER]: await gatewaySigner.sign({ audience: subgraph, subject: subjectOf(authorization), requestId: randomUUID(), body: payload }) }
        : ({} as Record<string, string>);
      const res = await fetch(options.url ?? started.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
          ...assertion,
          ...options.headers,
        },
        body: payload,
      });
      const body = (await res.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: res.status, ...body };
    },
    async close() {
      if (process.env.GATEWAY_JWKS_URL === gatewayJwksUrl()) delete process.env.GATEWAY_JWKS_URL;
      await started.close();
      for (const name of [...SUBGRAPHS].reverse()) await subgraphs[name].close();
      await idp.close();
      await docstore.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** A store this stack did not start: closing the stack leaves it running. */
function externalStore(uri: string): DocstoreHandle {
  const url = new URL(uri);
  return {
    uri,
    host: url.hostname,
    port: Number(url.port),
    close: async () => undefined,
    counters() {
      throw new Error('the store runs outside this stack: its counters are not available');
    },
    resetCounters: () => undefined,
  };
}
