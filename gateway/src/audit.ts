import { createHash } from 'node:crypto';
import { print, visit, type DocumentNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Experimental_DidResolveQueryPlanCallback, GraphQLDataSource } from '@apollo/gateway';
import { type AuditTrail, type Logger, type Principal, ServiceToken } from '@anmulong/platform';
import { postPooled } from './datasource';
import type { ShippedBatch } from './outbox';
import type { TimedContext } from './timing';

/*
 * The gateway's half of the access log. Each subgraph reports in `extensions.audit` which
 * residents and households its part of the response carried and which of their fields it served
 * or withheld; the gateway gathers these across the whole query plan and, for any operation
 * that carried personal data (and every mutation), writes one entry to its durable outbox
 * (outbox.ts) and waits until it is on disk before answering; the outbox ships entries to the
 * access service, which chains them. If the entry cannot be written, the caller gets an error
 * instead of the data: there is no unaudited read.
 */

export interface AuditCollector {
  /** Type → ids carried. */
  ids: Map<string, Set<string>>;
  /** Type → fields served. */
  fields: Map<string, Set<string>>;
  withheld: Set<string>;
  /** Writes refused for colliding with records outside the caller's view (for review). */
  collisions: string[];
  /** Subgraph calls the query plan holds (set once it is known), and those answered so far. */
  expectedFetches?: number;
  fetchesDone: number;
  /** Called when the last of `expectedFetches` has answered: nothing more can be collected. */
  onAllFetched?: () => void;
}

export interface AuditedContext extends TimedContext {
  principal?: Principal;
  requestId?: string;
  purpose?: string | null;
  audit?: AuditCollector;
}

export const newCollector = (): AuditCollector => ({ ids: new Map(), fields: new Map(), withheld: new Set(), collisions: [], fetchesDone: 0 });

type QueryPlan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];
type PlanNode = NonNullable<QueryPlan['node']>;

/** Fetch nodes of a plan (every branch counted: a branch not taken just means no early start). */
const fetchCounts = new WeakMap<object, number>();
function countFetches(node: PlanNode | undefined): number {
  if (!node) return 0;
  switch (node.kind) {
    case 'Fetch':
      return 1;
    case 'Sequence':
    case 'Parallel':
      return node.nodes.reduce((n, child) => n + countFetches(child), 0);
    case 'Flatten':
      return countFetches(node.node);
    case 'Condition':
      return countFetches(node.ifClause) + countFetches(node.elseClause);
    case 'Defer':
      return countFetches(node.primary.node) + node.deferred.reduce((n, d) => n + countFetches(d.node), 0);
    case 'Subscription':
      return countFetches(node.primary) + countFetches(node.rest);
  }
}

/**
 * Tells the request's collector how many subgraph calls its plan makes (ApolloGateway's
 * `experimental_didResolveQueryPlan`), so the access-log entry can be written as soon as the
 * last answer is in, while the response is still being assembled.
 */
export function expectFetches(queryPlan: QueryPlan, context: AuditedContext | undefined): void {
  if (!context?.audit) return;
  let n = fetchCounts.get(queryPlan);
  if (n === undefined) fetchCounts.set(queryPlan, (n = countFetches(queryPlan.node)));
  context.audit.expectedFetches = n;
}

function addAll(into: Map<string, Set<string>>, from: Record<string, string[]> | undefined): void {
  for (const [type, values] of Object.entries(from ?? {})) {
    let set = into.get(type);
    if (!set) into.set(type, (set = new Set()));
    for (const v of values) set.add(v);
  }
}

function collect(into: AuditCollector, trail: AuditTrail | undefined): void {
  if (!trail) return;
  addAll(into.ids, trail.ids);
  addAll(into.fields, trail.fields);
  for (const w of trail.withheld ?? []) into.withheld.add(w);
  for (const c of trail.collisions ?? []) into.collisions.push(c);
}

/** Wraps a subgraph data source so the audit trail of each of its responses is gathered. */
export function auditingDataSource<C extends AuditedContext>(inner: GraphQLDataSource<C>): GraphQLDataSource<C> {
  return {
    async process(options) {
      const audit = (options.context as C | undefined)?.audit;
      try {
        const response = await inner.process(options);
        const trail = response.extensions?.audit as AuditTrail | undefined;
        if (audit && trail) collect(audit, trail);
        return response;
      } finally {
        if (audit && ++audit.fetchesDone === audit.expectedFetches) audit.onAllFetched?.();
      }
    },
  };
}

/** Hands batches of entries to the access service's `/audit` as the platform's service account. */
export class AccessLogClient {
  private token: ServiceToken;
  private target: URL;
  constructor(accessUrl: string, keycloakUrl: string, private timeoutMs = 10_000) {
    this.target = new URL('/audit', accessUrl);
    this.token = new ServiceToken(keycloakUrl);
  }

  /** Resolves once the access service has stored every entry of the batch. */
  async store(batch: ShippedBatch): Promise<void> {
    // The entries are JSON already (as journaled): joined, not serialised again.
    const body = `{"redelivery":${batch.redelivery},"entries":[${batch.json.join(',')}]}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      // Pooled keep-alive sockets (datasource.ts), not global fetch: a fifth of the gateway's CPU otherwise.
      const res = await postPooled(
        this.target,
        { 'content-type': 'application/json', authorization: `Bearer ${await this.token.get()}` },
        body,
        this.timeoutMs,
      );
      if (res.status === 401 && attempt === 0) {
        this.token.reset();
        continue;
      }
      if (res.status !== 201) {
        // The status travels with the error: the outbox splits a batch refused with 400 or 413.
        throw Object.assign(new Error(`access log refused the entries (HTTP ${res.status}: ${res.body.slice(0, 200)})`), { status: res.status });
      }
      return;
    }
  }
}

/** sha256 of the normalised (printed) document, cached per distinct query text. */
const documentHashes = new Map<string, string>();
function documentHash(queryHash: string | undefined, document: DocumentNode | undefined): string | null {
  if (!document) return null;
  const key = queryHash ?? print(document);
  let h = documentHashes.get(key);
  if (!h) {
    h = createHash('sha256').update(print(document)).digest('hex');
    if (documentHashes.size > 5000) documentHashes.clear();
    documentHashes.set(key, h);
  }
  return h;
}

/** Where the plugin writes an entry; resolves once the entry is durable. */
export interface AccessLogWriter {
  record(entry: Record<string, unknown>): Promise<void>;
}

export function auditPlugin(outbox: AccessLogWriter, log: Logger): ApolloServerPlugin<AuditedContext> {
  type Rc = { contextValue: AuditedContext; operation?: { operation: string } | null; operationName?: string | null; document?: DocumentNode; queryHash?: string };
  /** Starts writing the request's entry; null when the request carried nothing to record. */
  const begin = ({ contextValue, operation, operationName, document, queryHash }: Rc): Promise<void> | null => {
    const { principal, audit } = contextValue;
    if (!principal || !audit) return null;
    const isMutation = operation?.operation === 'mutation';
    const residents = [...(audit.ids.get('Resident') ?? [])];
    const households = [...(audit.ids.get('Household') ?? [])];
    if (!isMutation && residents.length === 0 && households.length === 0 && audit.withheld.size === 0) return null;
    const fields = new Set<string>();
    for (const [type, set] of audit.fields) for (const f of set) fields.add(`${type}.${f}`);
    const started = performance.now();
    const written = outbox.record({
      kind: isMutation ? 'MUTATION' : 'READ',
      subject: principal.subject,
      username: principal.username,
      roles: [...principal.roles],
      department: principal.department,
      jurisdiction: principal.jurisdiction,
      operationName: operationName ?? null,
      documentHash: documentHash(queryHash, document),
      purpose: contextValue.purpose ?? null,
      requestId: contextValue.requestId ?? null,
      residentIds: residents.sort(),
      householdIds: households.sort(),
      fields: [...fields].sort(),
      withheld: [...audit.withheld].sort(),
      // A write refused for colliding with a record the caller may not see: recorded for review.
      ...(audit.collisions.length ? { detail: `collision: ${audit.collisions.join('; ')}` } : {}),
    });
    written.catch(() => undefined); // awaited (and its failure handled) in willSendResponse
    // The Server-Timing hook (running alongside willSendResponse) waits for it too.
    const timing = contextValue.timing;
    if (timing) {
      const ended = () => void (timing.audit!.ended = performance.now());
      timing.audit = { started, done: written.then(ended, ended) };
    }
    return written;
  };
  return {
    async requestDidStart() {
      /** The entry's write once started (null: nothing to record); undefined until then. */
      let entry: Promise<void> | null | undefined;
      const start = (rc: Rc) => {
        if (entry === undefined) entry = begin(rc);
      };
      return {
        async executionDidStart(rc) {
          // The entry is complete once the plan's last subgraph call has answered: its write then
          // overlaps the gateway's assembling of the response instead of following it. (Called
          // from a data source's `finally`: it must not throw there; willSendResponse retries.)
          const audit = rc.contextValue.audit;
          if (audit) {
            audit.onAllFetched = () => {
              try {
                start(rc);
              } catch {
                // left unstarted: willSendResponse starts it again, and fails closed if it must
              }
            };
          }
        },
        async willSendResponse(rc) {
          const { contextValue, response } = rc;
          start(rc);
          if (!entry) return;
          try {
            await entry;
          } catch (e) {
            log.error({ err: (e as Error).message, requestId: contextValue.requestId }, 'access log write failed: response withheld');
            // Whatever the answer's shape, none of its data leaves.
            response.body = {
              kind: 'single',
              singleResult: { errors: [{ message: 'The access could not be recorded in the access log, so nothing is served; try again later', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
            };
            response.http.status = 503;
          }
        },
      };
    },
  };
}

/** The access service's oversight queries: their answer must include every read recorded so far. */
const OVERSIGHT_FIELDS = new Set(['accessLog', 'accessLogByUser', 'verifyAuditChain']);
const selectsOversight = new Map<string, boolean>();

/**
 * Read-your-writes for auditors: before an operation that reads the access log runs, this
 * gateway's outbox is shipped, so the answer includes every read this gateway has recorded
 * (others' arrive within their shipping interval). Other operations pay one substring test.
 */
export function oversightPlugin(outbox: { drain(timeoutMs?: number): Promise<void> }): ApolloServerPlugin<AuditedContext> {
  return {
    async requestDidStart({ request }) {
      const text = request.query;
      // With the query text, one substring test rules most operations out; a persisted query sent
      // by hash alone is checked on its parsed document (cached by hash).
      if (text && !text.includes('accessLog') && !text.includes('verifyAuditChain')) return;
      return {
        async didResolveOperation({ document, queryHash }) {
          const key = text || queryHash;
          let hit = selectsOversight.get(key);
          if (hit === undefined) {
            hit = false;
            visit(document, { Field: (node) => void (hit ||= OVERSIGHT_FIELDS.has(node.name.value)) });
            if (selectsOversight.size > 1000) selectsOversight.clear();
            selectsOversight.set(key, hit);
          }
          if (hit) await outbox.drain(5000).catch(() => undefined); // if the service is down, the query fails there
        },
      };
    },
  };
}
