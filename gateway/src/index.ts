import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { buildASTSchema, parse } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  AssertionSigner, type Authenticator, badInput, createAuthenticator, createLogger, DEPARTMENTS, DEV_ASSERTION_KEY_FILE, encodePurpose,
  errorFormatter, JWKS_PATH, loadAssertionKey, loadConfig, PolicySource, type Principal, PURPOSE_HEADER, purposeOf, purposeRequired,
  readCostDirectives, refuseDevelopmentSecrets, REQUEST_ID_HEADER, type RunningService, runStandalone, serveGraphQL, type SubgraphName, SUBGRAPHS,
  subgraphUrl, supervisedState,
} from '@anmulong/platform';
import { SUPERGRAPH_FILE } from './compose';
import { PooledDataSource } from './datasource';
import { CircuitBreaker, guardedDataSource, partialAnswerPlugin } from './partial';
import { mountExplorer } from './explorer';
import { AccessLogClient, auditingDataSource, auditPlugin, expectFetches, newCollector, oversightPlugin, type AuditCollector } from './audit';
import { installOperationCache } from './operation-cache';
import { AccessLogOutbox } from './outbox';
import { serverTimingPlugin, startTiming, timedDataSource, type RequestTiming } from './timing';
import { argumentShapePlugin } from './arguments';
import { CallerLimiter, callerKey, demandControlPlugin, gatewayLimits, refuseRate, type GatewayLimitsInput } from './limits';
export * from './audit';
export * from './compose';
export * from './datasource';
export * from './limits';
export * from './outbox';
export * from './timing';

// Unless told otherwise, @apollo/gateway sends usage metrics to Apollo's endpoint from every
// gateway it builds and, to label them, probes cloud metadata services (169.254.169.254) at start:
// nothing of this platform leaves for a vendor, and the probe warns on hosts without one. An
// explicit APOLLO_TELEMETRY_DISABLED still wins.
process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

export interface GatewayContext {
  principal: Principal;
  requestId: string;
  purpose: string | null;
  /** The caller's own token, forwarded so every subgraph authorizes its own data. */
  authorization: string;
  /** Personal data the subgraphs reported carrying, for the access log. */
  audit: AuditCollector;
  /** Present when the gateway answers with a Server-Timing header (timing.ts). */
  timing?: RequestTiming;
  /** Departments whose subgraph failed during this request (partial.ts). */
  unavailable?: Set<string>;
  /** The operation's estimated cost and the caller's budget (limits.ts), once estimated. */
  cost?: { estimated: number; budget: number; mode: 'enforce' | 'measure' };
}

/** Forwards who is asking, why, and the request id to every subgraph call. */
export function forwardedHeaders(context: GatewayContext): Record<string, string> | undefined {
  if (!('principal' in context)) return undefined;
  const headers: Record<string, string> = { authorization: context.authorization, [REQUEST_ID_HEADER]: context.requestId };
  // Header values are Latin-1: the purpose (any script) travels percent-encoded.
  if (context.purpose) headers[PURPOSE_HEADER] = encodePurpose(context.purpose);
  return headers;
}

export interface GatewayOptions {
  port?: number;
  host?: string;
  /** Where each subgraph listens; defaults to `<NAME>_URL` or the CONTRACT's local ports. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  keycloakUrl?: string;
  authenticator?: Authenticator;
  production?: boolean;
  /** Record personal-data reads in the access log (default true; off only to measure its cost). */
  audit?: boolean;
  /**
   * The access-log outbox: this gateway's own directory (`AUDIT_OUTBOX_DIR`, default
   * `.data/gateway/access-log-outbox`), and when to refuse personal data because the access
   * service has not taken entries (`AUDIT_MAX_BACKLOG` entries, `AUDIT_MAX_AGE_S` seconds).
   */
  accessLog?: { outboxDir?: string; maxBacklog?: number; maxAgeMs?: number; shipIntervalMs?: number };
  /** A Server-Timing header on every answer (timing.ts); default on outside production, or `GATEWAY_SERVER_TIMING`. */
  serverTiming?: boolean;
  /** Structural limits, cost budgets, rate limits (limits.ts); defaults from the code, `GATEWAY_LIMITS_FILE` and the environment. */
  limits?: GatewayLimitsInput;
  /**
   * The Ed25519 key signing the assertion subgraphs require on every call
   * (`GATEWAY_ASSERTION_KEY_FILE`; outside production `.data/gateway/assertion-ed25519.pem`,
   * generated on first start).
   */
  assertionKeyFile?: string;
  /** Further Apollo Server plugins, run after the gateway's own (access log, Server-Timing). */
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /**
   * Deadline of one subgraph call (`GATEWAY_SUBGRAPH_TIMEOUT_MS`, default 10 s) and the circuit
   * breaker per subgraph (partial.ts): past the deadline, the department's part is empty.
   */
  subgraphTimeoutMs?: number;
  breaker?: { failures?: number; openMs?: number };
  /** The launcher's status file (`SUPERVISOR_STATUS_FILE`): /health shows `restarting` from it. */
  supervisorStatusFile?: string;
}

export interface RunningGateway extends RunningService {
  /** Resolves once every entry recorded so far is stored by the access service. */
  flushAccessLog(): Promise<void>;
}

const numberEnv = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);
const secondsEnvMs = (name: string): number | undefined => {
  const s = numberEnv(name);
  return s === undefined ? undefined : s * 1000;
};

/** Admits one more operation of `caller` (released when its answer is sent or the client goes) or throws RATE_LIMITED, after the refusal's hold. */
function admitTo(callers: CallerLimiter) {
  return async (caller: string, res: ServerResponse): Promise<void> => {
    const admission = callers.admit(caller);
    if ('message' in admission) return refuseRate(admission, callers.limits);
    res.once('close', admission.release);
  };
}

export async function startGateway(opts: GatewayOptions = {}): Promise<RunningGateway> {
  const config = loadConfig('gateway');
  await refuseDevelopmentSecrets('gateway', opts.keycloakUrl ?? config.keycloakUrl);
  const log = createLogger('gateway', config.logLevel);
  const production = opts.production ?? config.production;
  // Production never generates its key: it must be provisioned (production.ts says so first).
  const signer = new AssertionSigner(
    loadAssertionKey(opts.assertionKeyFile ?? process.env.GATEWAY_ASSERTION_KEY_FILE ?? path.resolve(DEV_ASSERTION_KEY_FILE), !config.production),
  );
  const urls = Object.fromEntries(SUBGRAPHS.map((n) => [n, opts.subgraphUrls?.[n] ?? subgraphUrl(n)])) as Record<SubgraphName, string>;
  const authenticator = opts.authenticator ?? createAuthenticator({ keycloakUrl: opts.keycloakUrl ?? config.keycloakUrl });
  // The gateway reads every department's policy to refuse, before anything is fetched, callers
  // who must state a purpose and did not (each subgraph checks again for itself).
  const policies = new PolicySource({ accessUrl: urls.access, keycloakUrl: opts.keycloakUrl ?? config.keycloakUrl, log });
  await policies.start();
  const auditing = opts.audit ?? process.env.AUDIT !== 'off';
  const timingEnv = process.env.GATEWAY_SERVER_TIMING;
  const timed = opts.serverTiming ?? (timingEnv ? timingEnv === 'on' : !production);
  let outbox: AccessLogOutbox | null = null;
  if (auditing) {
    const client = new AccessLogClient(urls.access, opts.keycloakUrl ?? config.keycloakUrl);
    outbox = new AccessLogOutbox({
      dir: opts.accessLog?.outboxDir ?? process.env.AUDIT_OUTBOX_DIR ?? path.resolve('.data', 'gateway', 'access-log-outbox'),
      ship: (entries) => client.store(entries),
      log,
      maxBacklog: opts.accessLog?.maxBacklog ?? numberEnv('AUDIT_MAX_BACKLOG'),
      maxAgeMs: opts.accessLog?.maxAgeMs ?? secondsEnvMs('AUDIT_MAX_AGE_S'), // the outbox's default otherwise
      intervalMs: opts.accessLog?.shipIntervalMs,
    });
    await outbox.open();
  }
  const supergraphSdl = readFileSync(SUPERGRAPH_FILE, 'utf8');
  const limits = gatewayLimits(opts.limits, production);
  const callers = new CallerLimiter(limits.rate);
  const admit = admitTo(callers);
  // Field types for shaping a failed department's empty part (partial.ts).
  const supergraphSchema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  const breakers = Object.fromEntries(SUBGRAPHS.map((n) => [n, new CircuitBreaker(opts.breaker)])) as Record<SubgraphName, CircuitBreaker>;
  const subgraphTimeoutMs = opts.subgraphTimeoutMs ?? numberEnv('GATEWAY_SUBGRAPH_TIMEOUT_MS') ?? 10_000;
  const statusFile = opts.supervisorStatusFile ?? process.env.SUPERVISOR_STATUS_FILE;
  if (!installOperationCache()) log.warn('the federation Operation cache could not be installed on this @apollo/federation-internals version: each request rebuilds it (slower, still correct)');
  const gateway = new ApolloGateway({
    supergraphSdl,
    // The access-log entry is written as soon as the plan's last subgraph call answers (audit.ts).
    experimental_didResolveQueryPlan: auditing ? ({ queryPlan, requestContext }) => expectFetches(queryPlan, requestContext.context as GatewayContext) : undefined,
    // Keep-alive sockets pooled per subgraph, no fetch/cache layers (see datasource.ts).
    buildService: ({ name, url }) => {
      const pooled = new PooledDataSource<GatewayContext>({
        url: urls[name as SubgraphName] ?? url,
        headers: forwardedHeaders,
        timeoutMs: subgraphTimeoutMs,
        // The proof, beside the user's token, that this call comes through the gateway (and its access log).
        assertion: (context, body) =>
          'principal' in context ? signer.sign({ audience: name, subject: context.principal.subject, requestId: context.requestId, body }) : undefined,
      });
      // A failed department's part is answered empty inside the access log's wrapper, so the
      // entry counts the call as answered and records what the rest carried.
      const source = guardedDataSource(name, pooled, supergraphSchema, breakers[name as SubgraphName] ?? new CircuitBreaker(opts.breaker));
      // Timed inside the access log's wrapper: a call's answer is timed before the entry it
      // completes starts its write.
      const observed = timed ? timedDataSource(source) : source;
      return auditing ? auditingDataSource(observed) : observed;
    },
  });
  const service = await serveGraphQL<GatewayContext>({
    name: 'gateway',
    log,
    port: opts.port ?? config.port,
    host: opts.host ?? config.host,
    limits: limits.operation,
    apollo: {
      gateway,
      introspection: !production,
      // No "Did you mean …?" in production: field suggestions map a schema that introspection hides.
      hideSchemaDetailsFromClientErrors: production,
      csrfPrevention: true,
      includeStacktraceInErrorResponses: false,
      formatError: errorFormatter(log),
      // The access-log plugin comes before Server-Timing: its hook starts first (timing.ts waits for it).
      // Argument shapes and demand control first: a refused operation runs nothing else.
      plugins: [
        argumentShapePlugin(),
        demandControlPlugin<GatewayContext>(limits.cost, readCostDirectives(supergraphSdl), log, callers),
        partialAnswerPlugin(),
        ...(outbox ? [auditPlugin(outbox, log), oversightPlugin(outbox)] : []),
        ...(timed ? [serverTimingPlugin()] : []),
        ...(opts.plugins ?? []),
      ],
    },
    context: async (req, requestId, receivedAt, { res }) => {
      const timing = timed ? startTiming(receivedAt) : undefined;
      // Unauthenticated requests never reach a subgraph: HTTP 401, UNAUTHENTICATED (and are
      // rate-limited by client address, so a flood of bad tokens is not verified at full speed).
      const principal = await authenticator.authenticate(req.headers.authorization).catch(async (e: unknown) => {
        await admit(`address:${req.socket.remoteAddress}`, res);
        throw e;
      });
      await admit(callerKey(principal), res);
      const purpose = purposeOf(req);
      if (purpose === null) {
        const requiring = DEPARTMENTS.filter((d) => purposeRequired(policies.get(d), principal.roles));
        if (requiring.length) {
          const e = badInput(`Your role must state why it reads this data: send an X-Access-Purpose header (required by the ${requiring.join(', ')} policies)`, 'X-Access-Purpose');
          (e.extensions as Record<string, unknown>).http = { status: 400 };
          throw e;
        }
      }
      if (timing) timing.ready = performance.now();
      return { principal, requestId, purpose, authorization: `Bearer ${principal.token}`, audit: newCollector(), timing };
    },
    health: async () => {
      const checks = await Promise.all(
        SUBGRAPHS.map(async (n) => {
          const ok = await fetch(new URL('/health', urls[n]), { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
          // `restarting` when the launcher says it is bringing the service back.
          return [n, ok ? 'up' : supervisedState(statusFile, n) === 'restarting' ? 'restarting' : 'down'] as const;
        }),
      );
      const policy = policies.status();
      const accessLog = outbox?.status() ?? null;
      const ok = policy.loaded && checks.every(([, s]) => s === 'up') && !accessLog?.refusing;
      const breakerStates = Object.fromEntries(SUBGRAPHS.map((n) => [n, breakers[n].state]));
      return { ok, subgraphs: Object.fromEntries(checks), breakers: breakerStates, policy, accessLog, limits };
    },
    routes: (app) => {
      // Public keys only: subgraphs fetch them to verify the assertions (assertion.ts).
      app.get(JWKS_PATH, (_req, res) => void res.set('cache-control', 'max-age=60').json(signer.jwks()));
      if (!production) mountExplorer(app);
    },
  });
  return {
    ...service,
    flushAccessLog: async () => outbox?.drain(),
    close: async () => {
      policies.stop();
      await service.close();
      // After the last request is answered; what the access service does not take within 3 s stays
      // on disk and ships at the next start.
      await outbox?.close();
    },
  };
}

if (require.main === module) runStandalone(() => startGateway());
