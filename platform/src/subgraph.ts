import type { DocumentNode } from 'graphql';
import type { ApolloServerOptions } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Connection } from 'mongoose';
import type { Authenticator, Principal } from './auth';
import type { RequestContext } from './context';
import { createLogger, type Logger } from './logger';
import { purposeOf, serveGraphQL, errorFormatter, type RunningService } from './http';
import { budgetResolvers, executionLimits, type ExecutionLimits, type OperationLimits, type RequestBudget } from './limits';
import { readCostDirectives, subgraphCostPlugin } from './cost';
import { createAccessView, accessResponsePlugin, enforcePolicy, scopedPrincipal, type AccessView } from './enforce';
import type { Department } from './departments';
import type { PolicySource } from './policy-source';
import type { Express } from 'express';
import type { IncomingMessage } from 'node:http';
import { AssertionRefused, ASSERTION_HEADER, type AssertionVerifier } from './assertion';
import { unauthenticated } from './errors';
import { SERVICE_AUTHORIZATION_HEADER } from './peer';
import { isServiceAccount } from './service-token';

export interface SubgraphOptions<L> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: unknown;
  /** The subgraph's own database connection (its models are bound to it). */
  connection: Connection;
  /** Fresh DataLoaders for one request; never shared across requests or users. */
  createLoaders: (principal: Principal, access?: AccessView) => L;
  authenticator: Authenticator;
  /**
   * Checks the gateway's assertion on every request (assertion.ts); `'not-required'` serves a
   * user's token alone (benchmarks of other gateways only; production refuses it).
   */
  gatewayAssertions: AssertionVerifier | 'not-required';
  /** The department whose policy governs this subgraph's data (absent: the access service itself). */
  department?: Department;
  /** The policies in force and whether they are current (`/health`); a `PolicySource` when deployed. */
  policies?: Pick<PolicySource, 'get' | 'status'>;
  /** Extra HTTP routes beside /graphql. */
  routes?: (app: Express) => void;
  port?: number;
  host?: string;
  production?: boolean;
  log?: Logger;
  /** Structural limits (default: the environment's, as at the gateway) and objects/bytes/time per request. */
  limits?: OperationLimits;
  execution?: Partial<ExecutionLimits>;
}

const THROUGH_GATEWAY = 'Subgraphs are reached through the gateway';

const headerOf = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/**
 * Who may be served: the user's token, plus either the gateway's assertion for this subgraph,
 * this user and this exact body, or a platform service's own token (a peer asking on the user's
 * behalf, peer.ts). Anything else is HTTP 401 saying where the door is.
 */
async function admit(req: IncomingMessage, payload: string, authenticator: Authenticator, door: AssertionVerifier | 'not-required'): Promise<{ principal: Principal; via: string }> {
  if (door === 'not-required') return { principal: await authenticator.authenticate(req.headers.authorization), via: 'direct' };
  const assertion = headerOf(req, ASSERTION_HEADER);
  const service = headerOf(req, SERVICE_AUTHORIZATION_HEADER);
  if (!assertion && !service) {
    throw unauthenticated(`${THROUGH_GATEWAY}: this request carries no gateway assertion (X-Gateway-Assertion). Send it to the gateway's /graphql with your token`);
  }
  const principal = await authenticator.authenticate(req.headers.authorization);
  if (assertion) {
    try {
      await door.verify(assertion, { subject: principal.subject, body: payload });
    } catch (e) {
      if (e instanceof AssertionRefused) throw unauthenticated(`${THROUGH_GATEWAY}: ${e.message}`);
      throw e;
    }
    return { principal, via: 'gateway' };
  }
  const caller = await authenticator.authenticate(service).catch(() => null);
  if (!caller || !isServiceAccount(caller.username)) {
    throw unauthenticated(`${THROUGH_GATEWAY}: X-Service-Authorization must carry a valid token of a platform service`);
  }
  return { principal, via: caller.username };
}

/** What the HTTP server and the in-process test harness both need to serve a subgraph. */
export type SubgraphDefinition<L> = Pick<SubgraphOptions<L>, 'name' | 'typeDefs' | 'resolvers' | 'createLoaders' | 'department' | 'production' | 'log' | 'execution'> & {
  /** The department policies in force (a `PolicySource` when served; shipped files in tests). */
  policies?: Pick<PolicySource, 'get'>;
};

/** Who is asking, through which door, why, and the request's id and execution budget. */
export interface RequestOrigin {
  principal: Principal;
  /** The gateway, the platform service that asked on this user's behalf, or `direct`. */
  via: string;
  requestId: string;
  purpose: string | null;
  budget?: RequestBudget;
}

export interface ExecutableSubgraph<L> {
  /** Apollo Server's options: the schema, the cost and access plugins, error formatting. */
  apollo: ApolloServerOptions<RequestContext<L>>;
  execution: ExecutionLimits;
  /**
   * One request's context: the department's policy decides the caller's scope here, so every
   * loader and list filters by it in the query itself. Throws BAD_USER_INPUT when the policy
   * requires a purpose the caller did not state.
   */
  context(origin: RequestOrigin): RequestContext<L>;
}

/**
 * A subgraph's schema with the policy enforced on every field and the execution budget on every
 * resolver, its Apollo options and its per-request context: one construction for the HTTP server
 * below and the in-process harness (`@anmulong/testkit`'s subgraph.ts), so tests run what is served.
 */
export function executableSubgraph<L>(opts: SubgraphDefinition<L>): ExecutableSubgraph<L> {
  const log = opts.log ?? createLogger(opts.name);
  const schema = buildSubgraphSchema([
    { typeDefs: opts.typeDefs, resolvers: opts.resolvers as GraphQLResolverMap<unknown> },
  ]);
  const { department, policies } = opts;
  if (department && !policies) throw new Error(`${opts.name}: a department subgraph needs its policy source`);
  if (department) enforcePolicy(schema);
  budgetResolvers(schema);
  const execution = executionLimits(opts.execution);
  return {
    execution,
    apollo: {
      schema,
      // Federated traces feed Apollo Studio, which this platform does not use; skip their cost.
      plugins: [
        ApolloServerPluginInlineTraceDisabled(),
        subgraphCostPlugin(schema, readCostDirectives(opts.typeDefs), execution.maxCost),
        ...(department ? [accessResponsePlugin] : []),
      ],
      introspection: !opts.production,
      // No "Did you mean …?" in production: field suggestions map a schema that introspection hides.
      hideSchemaDetailsFromClientErrors: opts.production,
      includeStacktraceInErrorResponses: false,
      formatError: errorFormatter(log),
    },
    context({ principal: authenticated, via, requestId, purpose, budget }) {
      const policy = department ? policies!.get(department) : undefined;
      const access = department ? createAccessView(department, policy, authenticated, purpose) : undefined;
      const principal = department ? scopedPrincipal(authenticated, policy) : authenticated;
      return {
        principal,
        requestId,
        via,
        purpose,
        access,
        loaders: opts.createLoaders(principal, access),
        log: log.child({ requestId, via, subject: authenticated.subject }),
        budget,
      };
    },
  };
}

/**
 * One department's subgraph: Apollo Federation 2 schema; on every request the user's token and
 * the proof that the request came through the gateway (or from a platform service on the user's
 * behalf), else 401 like the gateway's own refusals; per-request context with the principal and
 * fresh DataLoaders, `/health` reporting the store.
 */
export async function createSubgraphServer<L>(opts: SubgraphOptions<L>): Promise<RunningService> {
  const log = opts.log ?? createLogger(opts.name);
  const subgraph = executableSubgraph({ ...opts, log });
  const { policies } = opts;
  return serveGraphQL<RequestContext<L>>({
    name: opts.name,
    log,
    port: opts.port,
    host: opts.host,
    limits: opts.limits,
    execution: subgraph.execution,
    apollo: subgraph.apollo,
    routes: opts.routes,
    context: async (req, requestId, _receivedAt, { payload, budget, logFields }) => {
      const { principal, via } = await admit(req, payload, opts.authenticator, opts.gatewayAssertions);
      const purpose = purposeOf(req);
      // A peer's read on a user's behalf is not in the access log (the gateway records the
      // request that caused it): its log line says who asked and why.
      if (via !== 'gateway' && via !== 'direct') Object.assign(logFields, { via, subject: principal.subject, purpose });
      return subgraph.context({ principal, via, requestId, purpose, budget: budget ?? undefined });
    },
    health: async () => {
      const store = opts.connection.readyState === 1;
      if (store) await opts.connection.db!.admin().ping();
      const policy = policies?.status();
      // Stale rules stay in force (and are reported); never-loaded rules deny everything.
      return { ok: store && (!policy || policy.loaded), store: store ? 'up' : 'down', ...(policy ? { policy } : {}) };
    },
  });
}
