import { GraphQLError, Kind, getNullableType, isAbstractType, isListType, isObjectType, parse, type DocumentNode, type GraphQLOutputType, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { departmentUnavailable as departmentError } from '@anmulong/platform';

/*
 * Partial answers when a department's subgraph fails (down, slower than its deadline, answering
 * 5xx, or answering no data but an internal error): the gateway serves everything else. The
 * failed call is answered here instead, shaped as the subgraph would have answered it with
 * nothing: list fields `[]`, other fields `null` (a non-null one nulls its nearest nullable
 * parent, as GraphQL requires), plus one error naming the department
 * (`DEPARTMENT_UNAVAILABLE`, `extensions.department`). @apollo/gateway then executes the rest
 * of the plan as usual; we do not re-implement execution.
 *
 * A circuit breaker per subgraph makes it quick: after `failures` failed calls in a row the
 * subgraph is not called for `openMs`; then one call probes it (the others still fail fast)
 * and its outcome closes or reopens the breaker.
 */

export const DEPARTMENT_UNAVAILABLE = 'DEPARTMENT_UNAVAILABLE';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Failed calls in a row that open the breaker (`GATEWAY_BREAKER_FAILURES`, default 5). */
  failures?: number;
  /** How long an open breaker fails calls fast before probing (`GATEWAY_BREAKER_OPEN_MS`, default 2000). */
  openMs?: number;
}

const envNumber = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return process.env[name] && n > 0 ? n : fallback;
};

export class CircuitBreaker {
  private failed = 0;
  private openedAt = 0;
  private probing = false;
  readonly failures: number;
  readonly openMs: number;

  constructor(opts: BreakerOptions = {}) {
    this.failures = opts.failures ?? envNumber('GATEWAY_BREAKER_FAILURES', 5);
    this.openMs = opts.openMs ?? envNumber('GATEWAY_BREAKER_OPEN_MS', 2000);
  }

  get state(): BreakerState {
    if (this.failed < this.failures) return 'closed';
    return Date.now() - this.openedAt < this.openMs ? 'open' : 'half-open';
  }

  /** Whether a call may go out now; in half-open, only the one probe at a time. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  succeeded(): void {
    this.failed = 0;
    this.probing = false;
  }

  failedOnce(): void {
    this.probing = false;
    if (++this.failed >= this.failures) this.openedAt = Date.now();
  }
}

export const departmentUnavailable = (subgraph: string): GraphQLError =>
  departmentError(subgraph, `The ${subgraph} service is unavailable: its part of this answer is empty; try again shortly`);

/** A subgraph's whole answer failed: transport, deadline, 5xx, or no data and an internal error. */
function isFailure(e: unknown): boolean {
  const status = (e as GraphQLError)?.extensions?.response as { status?: number } | undefined;
  // 4xx (a refused token, a bad request) is the caller's answer, not the department failing.
  return !(status && typeof status.status === 'number' && status.status >= 400 && status.status < 500);
}

function failedAnswer(res: GatewayGraphQLResponse): boolean {
  if (res.data !== null && res.data !== undefined) return false;
  return (res.errors ?? []).some((e) => {
    const code = e.extensions?.code;
    return code === undefined || code === 'INTERNAL_SERVER_ERROR';
  });
}

/** What `type` holds when its department answered nothing: `[]` for lists, else null. */
function emptyValue(type: GraphQLOutputType): unknown {
  return isListType(getNullableType(type)) ? [] : null;
}

function emptyObject(schema: GraphQLSchema, typename: string, selections: SelectionSetNode, out: Record<string, unknown> = { __typename: typename }): Record<string, unknown> {
  const type = schema.getType(typename);
  if (!isObjectType(type)) return out;
  const fields = type.getFields();
  for (const sel of selections.selections) {
    if (sel.kind === Kind.FIELD) {
      const key = sel.alias?.value ?? sel.name.value;
      if (sel.name.value === '__typename') out[key] = typename;
      else if (fields[sel.name.value]) out[key] = emptyValue(fields[sel.name.value].type);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const on = sel.typeCondition?.name.value;
      const cond = on ? schema.getType(on) : undefined;
      if (!on || on === typename || (isAbstractType(cond) && schema.isSubType(cond, type))) {
        emptyObject(schema, typename, sel.selectionSet, out);
      }
    }
  }
  return out;
}

/**
 * The answer the subgraph would give with nothing to give: each root field empty, and for an
 * entity fetch (`_entities`) one empty object per representation.
 */
export function emptyAnswer(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = def.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
    const rootFields = root?.getFields() ?? {};
    for (const sel of def.selectionSet.selections) {
      if (sel.kind !== Kind.FIELD) continue;
      const key = sel.alias?.value ?? sel.name.value;
      if (sel.name.value === '_entities') {
        const representations = (variables?.representations ?? []) as { __typename: string }[];
        data[key] = representations.map((r) => emptyObject(schema, r.__typename, sel.selectionSet!));
      } else if (sel.name.value === '__typename') data[key] = root?.name ?? 'Query';
      else data[key] = rootFields[sel.name.value] ? emptyValue(rootFields[sel.name.value].type) : null;
    }
  }
  return data;
}

export interface GuardedContext {
  /** Departments whose subgraph failed during this request (one error each in the answer). */
  unavailable?: Set<string>;
}

/**
 * Wraps a subgraph's data source: breaker first, then the call; a failure becomes the empty
 * answer with the department's error.
 */
export function guardedDataSource<C extends Record<string, any>>(
  subgraph: string,
  inner: GraphQLDataSource<C>,
  schema: GraphQLSchema,
  breaker: CircuitBreaker,
): GraphQLDataSource<C> {
  const unavailable = (options: GraphQLDataSourceProcessOptions<C>): GatewayGraphQLResponse => {
    const ctx = options.context as GuardedContext | undefined;
    if (ctx) (ctx.unavailable ??= new Set()).add(subgraph);
    const document = ('document' in options && options.document) || parse(options.request.query!);
    return {
      data: emptyAnswer(schema, document, options.request.variables),
      errors: [departmentUnavailable(subgraph)],
    } as GatewayGraphQLResponse;
  };
  return {
    async process(options) {
      if (!breaker.allow()) return unavailable(options);
      let res: GatewayGraphQLResponse;
      try {
        res = await inner.process(options);
      } catch (e) {
        if (!isFailure(e)) {
          breaker.succeeded(); // it answered: the department is up
          throw e;
        }
        breaker.failedOnce();
        return unavailable(options);
      }
      if (failedAnswer(res)) {
        breaker.failedOnce();
        return unavailable(options);
      }
      breaker.succeeded();
      return res;
    },
  };
}

/**
 * One `DEPARTMENT_UNAVAILABLE` error per failed department (a plan may call it several times,
 * and a subgraph may report a department it asked as down), naming the department, not the subgraph,
 * and no "Cannot return null for non-nullable field" error for a field its emptiness nulled:
 * the department's error already says why.
 */
export function partialAnswerPlugin(): ApolloServerPlugin<GuardedContext> {
  return {
    async requestDidStart() {
      const nulled = new Set<string>();
      return {
        async didEncounterErrors({ contextValue, errors }) {
          if (!contextValue.unavailable?.size) return;
          for (const e of errors) {
            if (e.path && /^Cannot return null for non-nullable/.test(e.message)) nulled.add(JSON.stringify(e.path));
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!result.errors) return;
          // Also when a subgraph answered but another department it asked was down (peer.ts).
          if (!contextValue.unavailable?.size && !result.errors.some((e) => e.extensions?.code === DEPARTMENT_UNAVAILABLE)) return;
          const seen = new Set<string>();
          result.errors = result.errors
            .filter((e) => {
              if (e.extensions?.code === DEPARTMENT_UNAVAILABLE) {
                const d = String(e.extensions.department);
                if (seen.has(d)) return false;
                seen.add(d);
                return true;
              }
              return !(e.path && nulled.has(JSON.stringify(e.path)) && e.extensions?.code === 'INTERNAL_SERVER_ERROR');
            })
            .map((e) => {
              if (e.extensions?.code !== DEPARTMENT_UNAVAILABLE) return e;
              // The gateway adds the subgraph's name; the department says it for users.
              const { serviceName: _s, ...extensions } = e.extensions;
              return { message: e.message, extensions };
            });
        },
      };
    },
  };
}
