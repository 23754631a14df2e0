import { readFileSync } from 'node:fs';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import { type CostDirectives, CostEstimator, operationLimits, type OperationLimits, positiveIntEnv, tooExpensive } from '@anmulong/platform';

/*
 * The gateway's limits: structural limits (platform/src/limits.ts, the same as every subgraph's),
 * a cost budget per role (demand control, cost.ts) and a rate and concurrency cap per caller.
 * Each has a code default, overridable by a JSON file (`GATEWAY_LIMITS_FILE`), then by
 * environment variables, then by `startGateway({ limits })`. `/health` lists them in force.
 */

export interface CostLimits {
  /** `enforce` refuses an operation over budget; `measure` only logs and reports the estimate. */
  mode: 'enforce' | 'measure';
  /** Budget of a caller none of whose roles has its own. */
  defaultBudget: number;
  /** Budget per realm role; a caller gets the largest of their roles'. */
  budgets: Record<string, number>;
  /** Size assumed for a list of objects with no `@listSize`. */
  defaultListSize: number;
  /** `extensions.cost` (estimate, budget, mode) on every answer. */
  report: boolean;
}

export interface RateLimits {
  /** Operations per second a caller may sustain (token bucket refill). */
  perSecond: number;
  /** Operations a caller may send at once above that rate (bucket size). */
  burst: number;
  /** A caller's operations being answered at the same time. */
  maxInFlight: number;
  /**
   * The estimated cost of a caller's operations being answered at the same time: a caller
   * sending operations at the analyst's budget has one in flight (plus small ones), one opening
   * household views sixteen. This is what keeps a flood of expensive operations from crowding
   * out other callers (`npm run bench:flood`).
   */
  maxCostInFlight: number;
  /**
   * How long a refusal is held before it is answered (never longer than its Retry-After): a
   * script that sends again the moment it is answered then gets one refusal per connection per
   * hold instead of thousands a second, whose answering would take the CPU other callers need.
   * A client that honours Retry-After notices nothing. 0 answers at once.
   */
  refusalDelayMs: number;
}

export interface GatewayLimits {
  operation: OperationLimits;
  cost: CostLimits;
  rate: RateLimits;
}

export type GatewayLimitsInput = { operation?: Partial<OperationLimits>; cost?: Partial<CostLimits>; rate?: Partial<RateLimits> };

/**
 * Budgets in estimated objects (cost.ts; lists at their `@listSize`, which for lists over a
 * division assumes the whole banner). The household view estimates 1,750, a page of 20
 * households with members 480, the dispute chain 150; the heaviest operations of the test suite
 * (a village's party network with its links, a page of disputes with parties and mediators)
 * 10,000 to 23,000. A page of 100 households with every member's lists estimates 141,000.
 */
export const DEFAULT_COST_LIMITS: Readonly<CostLimits> = {
  mode: 'enforce',
  defaultBudget: 25_000,
  budgets: { 'grid-worker': 15_000, analyst: 50_000 },
  defaultListSize: 100,
  report: false,
};

/** Generous for a person or a frontend (a page load is a handful of operations); a script flooding meets them. */
export const DEFAULT_RATE_LIMITS: Readonly<RateLimits> = { perSecond: 50, burst: 100, maxInFlight: 16, maxCostInFlight: 60_000, refusalDelayMs: 1000 };

/** `role=budget,role=budget` (GATEWAY_COST_BUDGETS). */
function budgetsEnv(raw: string | undefined): Record<string, number> | undefined {
  if (!raw) return undefined;
  const budgets: Record<string, number> = {};
  for (const pair of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z][a-z-]*)=(\d+)$/.exec(pair);
    if (!m) throw new Error(`GATEWAY_COST_BUDGETS must read role=budget,role=budget; got ${JSON.stringify(pair)}`);
    budgets[m[1]] = Number(m[2]);
  }
  return budgets;
}

export function gatewayLimits(given: GatewayLimitsInput = {}, production: boolean, env: NodeJS.ProcessEnv = process.env): GatewayLimits {
  const file: GatewayLimitsInput = env.GATEWAY_LIMITS_FILE ? JSON.parse(readFileSync(env.GATEWAY_LIMITS_FILE, 'utf8')) : {};
  const fileCost = { ...DEFAULT_COST_LIMITS, report: !production, ...file.cost };
  const fileRate = { ...DEFAULT_RATE_LIMITS, ...file.rate };
  const mode = given.cost?.mode ?? env.GATEWAY_COST_MODE ?? fileCost.mode;
  if (mode !== 'enforce' && mode !== 'measure') throw new Error(`GATEWAY_COST_MODE must be enforce or measure; got ${JSON.stringify(mode)}`);
  const cost: CostLimits = {
    defaultBudget: positiveIntEnv('GATEWAY_COST_BUDGET', fileCost.defaultBudget, env),
    budgets: { ...fileCost.budgets, ...budgetsEnv(env.GATEWAY_COST_BUDGETS) },
    defaultListSize: positiveIntEnv('GATEWAY_COST_LIST_SIZE', fileCost.defaultListSize, env),
    // Measuring means reporting the estimate, production or not.
    report: env.GATEWAY_COST_REPORT ? env.GATEWAY_COST_REPORT === 'on' : fileCost.report || mode === 'measure',
    ...given.cost,
    mode,
  };
  const rate: RateLimits = {
    perSecond: positiveIntEnv('GATEWAY_RATE_PER_SECOND', fileRate.perSecond, env),
    burst: positiveIntEnv('GATEWAY_RATE_BURST', fileRate.burst, env),
    maxInFlight: positiveIntEnv('GATEWAY_MAX_IN_FLIGHT', fileRate.maxInFlight, env),
    maxCostInFlight: positiveIntEnv('GATEWAY_MAX_COST_IN_FLIGHT', fileRate.maxCostInFlight, env),
    refusalDelayMs: env.GATEWAY_REFUSAL_DELAY_MS === '0' ? 0 : positiveIntEnv('GATEWAY_REFUSAL_DELAY_MS', fileRate.refusalDelayMs, env),
    ...given.rate,
  };
  return { operation: operationLimits({ ...file.operation, ...given.operation }, env), cost, rate };
}

export function budgetOf(cost: CostLimits, roles: readonly string[]): number {
  let budget: number | undefined;
  for (const r of roles) if (cost.budgets[r] !== undefined) budget = Math.max(budget ?? 0, cost.budgets[r]);
  return budget ?? cost.defaultBudget;
}

interface CostContext {
  principal: { roles: string[]; username: string; subject: string };
  cost?: { estimated: number; budget: number; mode: CostLimits['mode'] };
}

/**
 * Estimates every operation once it is validated, before the gateway plans or calls anything,
 * and refuses it (HTTP 400, OPERATION_TOO_EXPENSIVE) when over the caller's budget.
 */
export function demandControlPlugin<C extends CostContext>(cost: CostLimits, directives: CostDirectives, log: Logger, callers: CallerLimiter): ApolloServerPlugin<C> {
  const estimators = new WeakMap<GraphQLSchema, CostEstimator>();
  return {
    async requestDidStart() {
      let release: (() => void) | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return; // Apollo Server refuses a document without the named operation itself
          let estimator = estimators.get(schema);
          if (!estimator) estimators.set(schema, (estimator = new CostEstimator(schema, directives, cost.defaultListSize)));
          const variables = request.variables ?? {};
          const { cost: estimated } = estimator.estimate(document, operation, variables);
          const budget = budgetOf(cost, contextValue.principal.roles);
          contextValue.cost = { estimated, budget, mode: cost.mode };
          if (estimated <= budget || cost.mode === 'measure') {
            // Within budget: the caller's cost in flight decides whether it runs now.
            const admission = callers.admitCost(callerKey(contextValue.principal), estimated);
            if ('message' in admission) return refuseRate(admission, callers.limits);
            release = admission.release;
            if (estimated <= budget) return;
          }
          const { paths } = estimator.estimate(document, operation, variables, true);
          const name = operation.name?.value ?? null;
          if (cost.mode === 'measure') {
            log.info({ operationName: name, username: contextValue.principal.username, estimatedCost: estimated, budget, paths }, 'operation over its cost budget (measure mode: served)');
            return;
          }
          throw tooExpensive(name, estimated, budget, paths!, 'your budget');
        },
        async willSendResponse({ response, contextValue }) {
          release?.();
          if (!cost.report || !contextValue.cost || response.body.kind !== 'single') return;
          const { estimated, budget, mode } = contextValue.cost;
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost: { estimated, budget, mode } };
        },
      };
    },
  };
}

interface Bucket {
  tokens: number;
  at: number;
  inFlight: number;
  costInFlight: number;
}

export type Admission = { release(): void } | { retryAfterS: number; message: string };

/** How the limiter knows a caller with a token. */
export const callerKey = (principal: { subject: string }) => `subject:${principal.subject}`;

/**
 * Per caller: a token bucket (`perSecond`, `burst`) and a cap on operations in flight. Callers
 * are keyed by the token's subject, or by client address before a token is accepted.
 */
export class CallerLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * Admits an operation of `caller` (already admitted by `admit`) estimated at `cost`, unless
   * the caller's operations in flight already carry `maxCostInFlight` (one alone always runs).
   */
  admitCost(caller: string, cost: number): Admission {
    const b = this.buckets.get(caller);
    if (!b) return { release: () => undefined };
    if (b.costInFlight > 0 && b.costInFlight + cost > this.limits.maxCostInFlight) {
      return {
        retryAfterS: 1,
        message: `Too much at once: your operations being answered are estimated at ${b.costInFlight}, and this one at ${cost}, over ${this.limits.maxCostInFlight} together; wait for one to finish`,
      };
    }
    b.costInFlight += cost;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        b.costInFlight -= cost;
      },
    };
  }

  constructor(
    readonly limits: RateLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  admit(caller: string): Admission {
    const now = this.now();
    let b = this.buckets.get(caller);
    if (!b) {
      if (this.buckets.size >= 100_000) this.sweep(now);
      this.buckets.set(caller, (b = { tokens: this.limits.burst, at: now, inFlight: 0, costInFlight: 0 }));
    }
    b.tokens = Math.min(this.limits.burst, b.tokens + ((now - b.at) / 1000) * this.limits.perSecond);
    b.at = now;
    if (b.inFlight >= this.limits.maxInFlight) {
      return { retryAfterS: 1, message: `Too many operations at once: at most ${this.limits.maxInFlight} of yours are answered at the same time; wait for one to finish` };
    }
    if (b.tokens < 1) {
      return {
        retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / this.limits.perSecond)),
        message: `Too many operations: at most ${this.limits.perSecond} a second (bursts of ${this.limits.burst}) per caller; retry later`,
      };
    }
    b.tokens -= 1;
    b.inFlight++;
    const bucket = b;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        bucket.inFlight--;
      },
    };
  }

  /** Forgets callers who are idle and whose bucket is full again: the map stays bounded by the active ones. */
  private sweep(now: number): void {
    for (const [caller, b] of this.buckets) {
      if (b.inFlight === 0 && b.tokens + ((now - b.at) / 1000) * this.limits.perSecond >= this.limits.burst) this.buckets.delete(caller);
    }
  }
}

/** Throws the refusal once the limits' hold has passed (RateLimits.refusalDelayMs). */
export async function refuseRate(refusal: { retryAfterS: number; message: string }, limits: RateLimits): Promise<never> {
  const hold = Math.min(limits.refusalDelayMs, refusal.retryAfterS * 1000);
  if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
  throw rateLimited(refusal);
}

/** The refusal of a caller over their rate: HTTP 429 with Retry-After, RATE_LIMITED. */
export function rateLimited(refusal: { retryAfterS: number; message: string }): GraphQLError {
  return new GraphQLError(refusal.message, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterS: refusal.retryAfterS,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(refusal.retryAfterS)]]) },
    },
  });
}
