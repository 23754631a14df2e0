import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLDataSource } from '@apollo/gateway';

/*
 * Where a request's time goes in the gateway, as a standard `Server-Timing` response header
 * (browser dev tools show it next to the request; the gateway benchmark reads it):
 *   request    request received → its context ready (body parsing, token check, purpose check)
 *   plan       context ready → first subgraph call sent (parse, validation, plan, batching)
 *   subgraphs  first subgraph call sent → last subgraph answer in (every stage of the plan,
 *              with the gateway's work between dependent stages)
 *   shape      last answer in → response assembled (merging the subgraphs' parts)
 *   audit      the access-log entry's write to the outbox, from its start to on disk (absent when
 *              nothing was logged); it starts at the last subgraph answer, so it runs alongside
 *              `shape`, and only what outlasts shaping adds to `total`
 *   total      request received → header written
 * On by default outside production (`GATEWAY_SERVER_TIMING=on|off` overrides): timings can hint
 * at what a request touched, so production leaves them off unless asked.
 */

export interface RequestTiming {
  start: number;
  /** When the request's context (principal, purpose) was ready. */
  ready?: number;
  firstFetch?: number;
  lastFetch?: number;
  /** Set by the access-log plugin: `done` settles when the entry is durable (or failed), at `ended`. */
  audit?: { started: number; done: Promise<unknown>; ended?: number };
}

export interface TimedContext {
  timing?: RequestTiming;
}

export const startTiming = (receivedAt = performance.now()): RequestTiming => ({ start: receivedAt });

/** Marks when a request's first subgraph call leaves and its last answer arrives. */
export function timedDataSource<C extends TimedContext>(inner: GraphQLDataSource<C>): GraphQLDataSource<C> {
  return {
    async process(options) {
      const timing = (options.context as C | undefined)?.timing;
      if (!timing) return inner.process(options);
      timing.firstFetch ??= performance.now();
      try {
        return await inner.process(options);
      } finally {
        timing.lastFetch = performance.now();
      }
    },
  };
}

const ms = (x: number) => x.toFixed(2);

export function serverTimingPlugin(): ApolloServerPlugin<TimedContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const t = contextValue.timing;
          if (!t) return;
          const shaped = performance.now();
          // The access-log plugin's hook runs alongside this one: wait for its entry, if any.
          if (t.audit) await t.audit.done.catch(() => undefined);
          const end = performance.now();
          const parts: string[] = [];
          const ready = t.ready ?? t.start;
          if (t.ready !== undefined) parts.push(`request;dur=${ms(t.ready - t.start)}`);
          if (t.firstFetch !== undefined && t.lastFetch !== undefined) {
            parts.push(`plan;dur=${ms(t.firstFetch - ready)}`, `subgraphs;dur=${ms(t.lastFetch - t.firstFetch)}`, `shape;dur=${ms(shaped - t.lastFetch)}`);
          }
          if (t.audit) parts.push(`audit;dur=${ms((t.audit.ended ?? end) - t.audit.started)}`);
          parts.push(`total;dur=${ms(end - t.start)}`);
          response.http.headers.set('server-timing', parts.join(', '));
        },
      };
    },
  };
}

/** Parses a `Server-Timing` header into name → milliseconds. */
export function parseServerTiming(header: string | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    const dur = params.map((p) => /^\s*dur=([\d.]+)\s*$/.exec(p)).find(Boolean);
    if (name && dur) out[name] = Number(dur[1]);
  }
  return out;
}
