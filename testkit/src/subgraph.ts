import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError, parse } from 'graphql';
import { ApolloServer } from '@apollo/server';
import type { Connection } from 'mongoose';
import { startDocstore, type DocstoreHandle } from '@anmulong/docstore';
import { accessTokenClaims, loadRealm, type RealmUser, signingKeyFromPem, signJwt } from '@anmulong/identity';
import {
  connectStore, createAuthenticator, createLogger, type Department, DEPARTMENTS, ensureIndexes, executableSubgraph, platformServices,
  type PolicyDocument, type Principal, RequestBudget, type SubgraphModule, validatePolicy, type VersionedPolicy,
} from '@anmulong/platform';
import { shippedPolicy } from '@anmulong/access';
import { generateDemo } from '@anmulong/demo';
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
 * disputes) fail here: they belong to the whole-stack tests (stack.ts).
 */

/** Who runs an operation: a demo user, or one with other roles, jurisdiction or department. */
export type Caller = string | { username: string; roles?: string[]; jurisdiction?: string; department?: string | null };

export interface ExecuteOptions {
  /** The `X-Access-Purpose` the caller states (none by default). */
  purpose?: string;
}

export interface SubgraphHarness<M> {
  models: M;
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
  return {
    realmPublicKey: key.publicKeyBase64,
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

/** Starts `mod` in this process on a fresh in-process docstore (its demo data loaded, by default). */
export async function startSubgraphHarness<M, L>(mod: SubgraphModule<M, L>, options: HarnessOptions = {}): Promise<SubgraphHarness<M>> {
  const docstore = await startDocstore({ port: 0, quiet: true });
  const connection = await connectStore(docstore.uri, `anmulong_${mod.name}`);
  const models = mod.models(connection);
  await ensureIndexes(connection);
  await mod.prepare?.(models);
  if (options.demo ?? true) {
    const data = generateDemo({ scale: 0.01 }) as unknown as Record<string, Record<string, object[]> | undefined>;
    for (const [collection, docs] of Object.entries(data[mod.name] ?? {})) {
      if (docs.length) await connection.db!.collection(collection).insertMany(docs, { ordered: false });
    }
  }

  const policies = new Map<Department, VersionedPolicy>();
  const shipped = new Date().toISOString();
  for (const d of DEPARTMENTS) policies.set(d, { ...shippedPolicy(d), version: 1, updatedAt: shipped, updatedBy: 'policy-as-code' });

  const issuer = tokenIssuer();
  const authenticator = createAuthenticator({ keycloakUrl: ISSUER_BASE, realmPublicKey: issuer.realmPublicKey });
  const principal = (as: Caller) => authenticator.authenticate(`Bearer ${issuer.issue(as)}`);

  const subgraph = executableSubgraph({
    name: mod.name,
    typeDefs: parse(readFileSync(mod.schemaFile, 'utf8')),
    resolvers: mod.resolvers(models, platformServices(mod.name, () => NO_PEER)),
    createLoaders: (p, access) => mod.loaders(models, p, access),
    department: mod.department,
    policies,
    log: createLogger(mod.name),
  });
  const server = new ApolloServer({ ...subgraph.apollo, stopOnTerminationSignals: false });
  await server.start();

  return {
    models,
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
      await connection.close();
      await docstore.close();
    },
  };
}

/** The first error's code of an answer (`BAD_USER_INPUT`, `FORBIDDEN`, …), as the in-process tests compare it. */
export const codeOf = (res: { errors?: readonly { extensions?: { code?: unknown } }[] }) => res.errors?.[0]?.extensions?.code;

/** Records stored in a division or below it (division codes nest by prefix), with further conditions. */
export const inDivision = (code: string, more: object = {}) => ({ divisionCode: { $regex: `^${code}` }, ...more });
