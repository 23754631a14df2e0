import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError, parse } from 'graphql';
import { ApolloServer } from '@apollo/server';
import type { Connection } from 'mongoose';
import { startDocstore, type DocstoreHandle } from '@anmulong/docstore';
import { accessTokenClaims, loadRealm, type RealmUser, signingKeyFromPem, signJwt } from '@anmulong/identity';
import {
  AssertionVerifier, connectStore, createAuthenticator, createLogger, createSubgraphServer, type Department, DEPARTMENTS, ensureIndexes,
  executableSubgraph, PLATFORM_CLIENT_ID, platformServices, type PolicyDocument, type Principal, RequestBudget, type RunningService,
  type ServiceName, ServiceToken, type SubgraphModule, type SubgraphName, usePeerCredentials, validatePolicy, type VersionedPolicy,
} from '@anmulong/platform';
import { shippedPolicy } from '@anmulong/access';
import { generateDemo } from '@anmulong/demo';
import type { RegistryModels } from '@anmulong/registry';
import type { GraphQLResponse } from './stack';

/*
 * One department's subgraph in this process, without HTTP and without the other services, the way
 * Apollo's subgraph template tests one: `server.executeOperation`. What runs is what is served:
 * the real schema, the policy enforcement and execution budget of `executableSubgraph` (the same
 * construction the HTTP server uses), the shipped policies (subgraphs/access/policies/*.yaml, read
 * without the access service), a real docstore over TCP on an ephemeral port with a real mongoose
 * connection, and principals from real tokens: the demo user's claims as the identity provider
 * issues them (keycloak/realm-otog.json), signed with a key of the harness and verified by the
 * platform's authenticator. Operations that ask a peer department (division checks, residents,
 * disputes) fail here unless the harness is given that peer (`peers`): then the peer's real
 * subgraph serves over HTTP on an ephemeral port, on the same docstore with its demo share, and
 * admits the department's look-ups by the platform's service token, as deployed. What composes
 * departments through the gateway belongs to the whole-stack tests (stack.ts).
 */

/** Who runs an operation: a demo user, or one with other roles, jurisdiction or department. */
export type Caller = string | { username: string; roles?: string[]; jurisdiction?: string; department?: string | null };

export interface ExecuteOptions {
  /** The `X-Access-Purpose` the caller states (none by default). */
  purpose?: string;
}

export interface SubgraphHarness<M> {
  models: M;
  /** The peers started (`HarnessOptions.peers`), by name (the registry's models typed, as in the stack). */
  peers: Partial<Record<Exclude<SubgraphName, 'registry'>, HarnessPeer>> & { registry?: HarnessPeer<RegistryModels> };
  connection: Connection;
  docstore: DocstoreHandle;
  /** Runs an operation as `as`, through the subgraph's own context construction. */
  execute<T = any>(as: Caller, query: string, variables?: Record<string, unknown>, options?: ExecuteOptions): Promise<GraphQLResponse<T>>;
  /** The principal the subgraph's authenticator makes of the caller's token (before the policy's scope). */
  principal(as: Caller): Promise<Principal>;
  /** The department policy in force (the shipped one until `setPolicy`). */
  policy(department: Department): VersionedPolicy;
  /** Puts a changed policy in force as its next version, as an admin's edit reaches the subgraph. */
  setPolicy(document: PolicyDocument): VersionedPolicy;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Load this department's share of the demo data set (scale 0.01, as the whole-stack tests). Default true. */
  demo?: boolean;
  /**
   * Departments this one asks (e.g. the registry, for divisions, households and residents): each
   * served over HTTP on an ephemeral port with its share of the demo data, its policy from the
   * harness (`setPolicy` reaches it too), admitting look-ups by the platform's service token.
   */
  peers?: SubgraphName[];
}

/** A subgraph package's module (`registry`, `civilAffairs`, …): its export whose name is `name`. */
function moduleOf(name: SubgraphName): SubgraphModule<any, unknown> {
  // Required by name, as stack.ts starts them: a new department needs no change here.
  const exports = require(`@anmulong/${name}`) as Record<string, unknown>;
  const found = Object.values(exports).find((v) => (v as SubgraphModule<unknown, unknown> | null)?.name === name && typeof (v as SubgraphModule<unknown, unknown>).models === 'function');
  if (!found) throw new Error(`@anmulong/${name} exports no subgraph module named ${name}`);
  return found as SubgraphModule<any, unknown>;
}

/** A peer department the harness serves; its models for the tests' own look-ups. */
export interface HarnessPeer<M = any> {
  models: M;
  url: string;
}

/** Where a peer department would be: nothing listens there, so a peer question fails at once. */
const NO_PEER = 'http://127.0.0.1:9/graphql';
/** The issuer's base in the harness's tokens; never fetched (the authenticator has the realm's key). */
const ISSUER_BASE = 'http://identity.in-process';

/** Issues access tokens for the realm's demo users as the identity provider does, with a key of its own. */
function tokenIssuer() {
  const realm = loadRealm();
  const client = realm.clients.get('anmulong-web');
  if (!client) throw new Error('the realm file has no anmulong-web client');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = signingKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const issuer = `${ISSUER_BASE}/realms/${realm.name}`;
  const platformClient = realm.clients.get(PLATFORM_CLIENT_ID);
  const serviceAccount = realm.serviceAccountFor(PLATFORM_CLIENT_ID);
  return {
    realmPublicKey: key.publicKeyBase64,
    /** The platform's client-credentials token, as the identity provider grants it to a service. */
    issueService(): string {
      if (!platformClient || !serviceAccount) throw new Error(`the realm file has no ${PLATFORM_CLIENT_ID} client with a service account`);
      const session = { sid: null, scope: 'profile email', authTime: null };
      return signJwt(key, accessTokenClaims({ issuer, client: platformClient, user: serviceAccount, session, now: Math.floor(Date.now() / 1000), accessLifespan: realm.accessTokenLifespan }));
    },
    issue(as: Caller): string {
      const wanted = typeof as === 'string' ? { username: as } : as;
      const found = realm.users.get(wanted.username);
      if (!found) throw new Error(`${wanted.username} is not a user of keycloak/realm-otog.json`);
      const attributes = { ...found.attributes };
      if (wanted.jurisdiction !== undefined) attributes.jurisdiction = [wanted.jurisdiction];
      if (wanted.department !== undefined) {
        if (wanted.department === null) delete attributes.department;
        else attributes.department = [wanted.department];
      }
      const user: RealmUser = { ...found, attributes, roles: wanted.roles ?? found.roles };
      const session = { sid: randomUUID(), scope: 'profile email', authTime: null };
      const now = Math.floor(Date.now() / 1000);
      return signJwt(key, accessTokenClaims({ issuer, client, user, session, now, accessLifespan: realm.accessTokenLifespan }));
    },
  };
}

/** The service token peer look-ups carry, issued by the harness rather than fetched. */
class IssuedServiceToken extends ServiceToken {
  constructor(private issue: () => string) {
    super(ISSUER_BASE);
  }
  override async get(): Promise<string> {
    return this.issue();
  }
}

/** Starts `mod` in this process on a fresh in-process docstore (its demo data loaded, by default). */
export async function startSubgraphHarness<M, L>(mod: SubgraphModule<M, L>, options: HarnessOptions = {}): Promise<SubgraphHarness<M>> {
  const docstore = await startDocstore({ port: 0, quiet: true });
  const data = (options.demo ?? true) ? generateDemo({ scale: 0.01 }) as unknown as Record<string, Record<string, object[]> | undefined> : {};
  /** A subgraph's models on its own database of the docstore, with its demo share. */
  const open = async <PM>(m: SubgraphModule<PM, unknown>) => {
    const connection = await connectStore(docstore.uri, `anmulong_${m.name}`);
    const models = m.models(connection);
    await ensureIndexes(connection);
    await m.prepare?.(models);
    for (const [collection, docs] of Object.entries(data[m.name] ?? {})) {
      if (docs.length) await connection.db!.collection(collection).insertMany(docs, { ordered: false });
    }
    return { connection, models };
  };
  const { connection, models } = await open(mod);

  const policies = new Map<Department, VersionedPolicy>();
  const shipped = new Date().toISOString();
  for (const d of DEPARTMENTS) policies.set(d, { ...shippedPolicy(d), version: 1, updatedAt: shipped, updatedBy: 'policy-as-code' });

  const issuer = tokenIssuer();
  const authenticator = createAuthenticator({ keycloakUrl: ISSUER_BASE, realmPublicKey: issuer.realmPublicKey });
  const principal = (as: Caller) => authenticator.authenticate(`Bearer ${issuer.issue(as)}`);

  const peers: SubgraphHarness<M>['peers'] = {};
  const peerServers: { server: RunningService; connection: Connection }[] = [];
  const urlOf = (name: ServiceName) => peers[name as SubgraphName]?.url ?? NO_PEER;
  for (const peer of (options.peers ?? []).map(moduleOf)) {
    const opened = await open(peer);
    const log = createLogger(peer.name);
    const server = await createSubgraphServer({
      name: peer.name,
      typeDefs: parse(readFileSync(peer.schemaFile, 'utf8')),
      resolvers: peer.resolvers(opened.models, platformServices(peer.name, urlOf)),
      connection: opened.connection,
      createLoaders: (p, access) => peer.loaders(opened.models, p, access),
      authenticator,
      // Only look-ups with the service token come: no gateway, so no key is ever fetched.
      gatewayAssertions: new AssertionVerifier({ audience: peer.name, jwksUrl: NO_PEER }),
      department: peer.department,
      policies: { get: (d) => policies.get(d), status: () => ({ loaded: true, stale: false, lastSuccessAt: shipped, lastError: null, versions: {} }) },
      port: 0,
      host: '127.0.0.1',
      log,
    });
    peerServers.push({ server, connection: opened.connection });
    peers[peer.name] = { models: opened.models, url: server.url };
  }
  const peerUrls = Object.values(peers).map((p) => p!.url);
  if (peerUrls.length) usePeerCredentials(peerUrls, new IssuedServiceToken(() => issuer.issueService()));

  const subgraph = executableSubgraph({
    name: mod.name,
    typeDefs: parse(readFileSync(mod.schemaFile, 'utf8')),
    resolvers: mod.resolvers(models, platformServices(mod.name, urlOf)),
    createLoaders: (p, access) => mod.loaders(models, p, access),
    department: mod.department,
    policies,
    log: createLogger(mod.name),
  });
  const server = new ApolloServer({ ...subgraph.apollo, stopOnTerminationSignals: false });
  await server.start();

  return {
    models,
    peers,
    connection,
    docstore,
    principal,
    async execute(as, query, variables, opts = {}) {
      const origin = { principal: await principal(as), via: 'in-process', requestId: randomUUID(), purpose: opts.purpose ?? null, budget: new RequestBudget(subgraph.execution) };
      let contextValue;
      try {
        contextValue = subgraph.context(origin);
      } catch (e) {
        // Refused before execution (a purpose the policy requires), as the HTTP server answers it.
        if (!(e instanceof GraphQLError)) throw e;
        const { http, ...extensions } = e.extensions as { http?: { status?: number } };
        return { status: http?.status ?? 500, errors: [{ message: e.message, extensions }] };
      }
      const answer = await server.executeOperation({ query, variables }, { contextValue });
      if (answer.body.kind !== 'single') throw new Error('incremental delivery is not used by the subgraphs');
      return { status: answer.http.status ?? 200, ...answer.body.singleResult } as GraphQLResponse;
    },
    policy(department) {
      return policies.get(department)!;
    },
    setPolicy(document) {
      const current = policies.get(document.department)!;
      const next = { ...validatePolicy(document), version: current.version + 1, updatedAt: new Date().toISOString(), updatedBy: 'test' };
      policies.set(document.department, next);
      return next;
    },
    async close() {
      await server.stop();
      for (const p of peerServers) {
        await p.server.close();
        await p.connection.close();
      }
      await connection.close();
      await docstore.close();
    },
  };
}

/** The first error's code of an answer (`BAD_USER_INPUT`, `FORBIDDEN`, …), as the in-process tests compare it. */
export const codeOf = (res: { errors?: readonly { extensions?: { code?: unknown } }[] }) => res.errors?.[0]?.extensions?.code;

/** Records stored in a division or below it (division codes nest by prefix), with further conditions. */
export const inDivision = (code: string, more: object = {}) => ({ divisionCode: { $regex: `^${code}` }, ...more });
