import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { badInput, DEPARTMENTS } from '@anmulong/platform';

const diffEntry = new Schema({ path: { type: String, required: true }, from: { type: String, default: null }, to: { type: String, default: null } }, { _id: false });

/**
 * Every version of every department's policy, append-only: a change or a rollback adds a
 * version recording who, when and the difference. (department, version) is unique, so two
 * admins changing the same policy at once cannot both write version n+1.
 */
export const policyVersionSchema = new Schema(
  {
    department: { type: String, required: true, enum: DEPARTMENTS },
    version: { type: Number, required: true, min: 1 },
    /** The PolicyDocument's roles (validated by platform/src/policy.ts before it is stored). */
    roles: { type: Schema.Types.Mixed, required: true },
    /** Fields whose unmasked reading needs a stated purpose, whatever the role. */
    purposeRequiredFor: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
    change: {
      type: new Schema(
        { kind: { type: String, required: true }, summary: { type: String, required: true }, diff: { type: [diffEntry], default: [] } },
        { _id: false },
      ),
      required: true,
    },
  },
  { versionKey: false, minimize: false },
);
policyVersionSchema.index({ department: 1, version: 1 }, { unique: true });

export type PolicyVersionRecord = InferSchemaType<typeof policyVersionSchema> & { _id: Types.ObjectId };


export interface PolicyDiff {
  path: string;
  from: string | null;
  to: string | null;
}

/** Flattens a policy's roles to `role.section.key → value` for a readable, stable diff. */
function flatten(roles: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (prefix: string, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, child] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, child);
    } else out.set(prefix, JSON.stringify(v));
  };
  walk('', roles);
  return out;
}

export function diffPolicies(before: Record<string, unknown>, after: Record<string, unknown>): PolicyDiff[] {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((p) => a.get(p) !== b.get(p)).map((p) => ({ path: p, from: a.get(p) ?? null, to: b.get(p) ?? null }));
}

/**
 * Stores the next version. The unique (department, version) index makes this the concurrency
 * check: of two admins editing version n at once, one writes n+1 and the other is told to retry.
 */
export async function appendVersion(
  models: AccessModels,
  v: { department: string; roles: Record<string, unknown>; purposeRequiredFor: string[]; updatedBy: string; previous: number; change: { kind: string; summary: string; diff: PolicyDiff[] } },
): Promise<PolicyVersionRecord> {
  try {
    const doc = await new models.PolicyVersion({
      department: v.department, version: v.previous + 1, roles: v.roles, purposeRequiredFor: v.purposeRequiredFor, updatedAt: new Date(), updatedBy: v.updatedBy, change: v.change,
    }).save();
    return doc.toObject() as PolicyVersionRecord;
  } catch (e) {
    if ((e as { code?: number }).code === 11000) {
      throw badInput(`the ${v.department} policy changed meanwhile (version ${v.previous + 1} exists); reload it and retry`, 'department');
    }
    throw e;
  }
}

/** The newest version of every department's policy. */
export async function currentPolicies(models: AccessModels): Promise<PolicyVersionRecord[]> {
  return models.PolicyVersion.aggregate<PolicyVersionRecord>([
    { $sort: { version: -1 } },
    { $group: { _id: '$department', doc: { $first: '$$ROOT' } } },
    { $replaceRoot: { newRoot: '$doc' } },
    { $sort: { department: 1 } },
  ]);
}

/** What `/policies` serves: every department's newest version, and the ETag naming that set. */
export interface PolicySet {
  policies: PolicyVersionRecord[];
  etag: string;
}

/**
 * Serves the policy set cheaply and tells long-polling services as soon as it changes.
 * Versions are append-only, so the collection's document count changes exactly when a version
 * is added (by this process or another replica): the set is recomputed only then, and waiters
 * are answered at once after a change here (`changed()`) or within `CHECK_MS` after one
 * elsewhere.
 */
export class PolicyFeed {
  static readonly CHECK_MS = 250;
  private cached: { count: number; set: PolicySet } | null = null;
  private waiters = new Set<{ etag: string; resolve: (s: PolicySet) => void }>();
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(private readonly models: AccessModels) {}

  async current(): Promise<PolicySet> {
    // Count first: a version added between the two reads is then in the set, never missed.
    const count = await this.models.PolicyVersion.estimatedDocumentCount();
    if (this.cached?.count === count) return this.cached.set;
    const policies = (this.cached && (await this.followOn(this.cached.set.policies, count - this.cached.count))) || (await currentPolicies(this.models));
    const set = { policies, etag: `"${policies.map((p) => `${p.department}:${p.version}`).join(',')}"` };
    this.cached = { count, set };
    return set;
  }

  /**
   * The set after `added` new versions, found by asking each department for its next version
   * (versions are consecutive: `appendVersion` writes previous + 1), point look-ups on the unique
   * (department, version) index. Reading the whole set instead sorts every version ever stored,
   * which grew with each change (3,586 versions in the soak). Null when the look-ups do not
   * account for exactly `added` versions (a department's first version, a version written
   * meanwhile): the caller then reads the set whole.
   */
  private async followOn(policies: PolicyVersionRecord[], added: number): Promise<PolicyVersionRecord[] | null> {
    if (added <= 0) return null;
    const out: PolicyVersionRecord[] = [];
    for (const p of policies) {
      let cur = p;
      for (let next; (next = await this.models.PolicyVersion.findOne({ department: cur.department, version: cur.version + 1 }).lean<PolicyVersionRecord>()); cur = next) {
        if (--added < 0) return null;
      }
      out.push(cur);
    }
    return added === 0 ? out : null;
  }

  /** Answers every held poll now (unchanged) and holds no more: the service is closing. */
  close(): void {
    this.closed = true;
    for (const w of [...this.waiters]) w.resolve(this.cached!.set);
  }

  /** Resolves with the set once its ETag differs from `etag`, or with the unchanged set after `ms`. */
  next(etag: string, ms: number, abandoned: AbortSignal): Promise<PolicySet> {
    return new Promise((resolve) => {
      if (this.closed) return resolve(this.cached!.set);
      const waiter = { etag, resolve: (s: PolicySet) => done(s) };
      const done = (s: PolicySet) => {
        clearTimeout(deadline);
        this.waiters.delete(waiter);
        if (this.waiters.size === 0 && this.timer) clearInterval(this.timer), (this.timer = null);
        resolve(s);
      };
      const deadline = setTimeout(() => void this.current().then(done, () => done(this.cached!.set)), ms);
      abandoned.addEventListener('abort', () => done(this.cached!.set), { once: true });
      this.waiters.add(waiter);
      this.timer ??= setInterval(() => void this.changed(), PolicyFeed.CHECK_MS);
    });
  }

  /** Re-reads the set and answers every waiter whose ETag it no longer matches. */
  changed(): Promise<void> {
    if (this.checking) {
      // a check already reading may have read before this change: read once more after it
      this.again = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.again = false;
        try {
          const set = await this.current();
          for (const w of [...this.waiters]) if (w.etag !== set.etag) w.resolve(set);
        } catch {
          // the store is away: waiters keep waiting until their deadline or the next check
        }
      } while (this.again);
      this.checking = null;
    })();
    return this.checking;
  }
}

const feeds = new WeakMap<AccessModels, PolicyFeed>();
/** One feed per store connection, shared by the `/policies` route and the resolvers that change policies. */
export const policyFeedOf = (models: AccessModels): PolicyFeed => {
  let f = feeds.get(models);
  if (!f) feeds.set(models, (f = new PolicyFeed(models)));
  return f;
};

/**
 * The access log: one entry per operation that carried personal data (and per policy change),
 * chained by hash (`hash = sha256(prevHash + canonical entry)`), so a modified, deleted,
 * inserted or reordered entry breaks the chain at its position.
 */
export const auditEntrySchema = new Schema(
  {
    seq: { type: Number, required: true, unique: true },
    at: { type: Date, required: true },
    kind: { type: String, required: true, enum: ['READ', 'MUTATION', 'POLICY_CHANGE'] },
    subject: { type: String, default: null },
    username: { type: String, required: true, index: true },
    roles: { type: [String], default: [] },
    department: { type: String, default: null },
    jurisdiction: { type: String, default: null },
    operationName: { type: String, default: null },
    documentHash: { type: String, default: null },
    purpose: { type: String, default: null },
    requestId: { type: String, default: null },
    residentIds: { type: [String], default: [], index: true },
    householdIds: { type: [String], default: [] },
    /** `Resident.idNumber`, `Resident.idNumber (masked)`, … as served. */
    fields: { type: [String], default: [] },
    /** Fields the policies withheld. */
    withheld: { type: [String], default: [] },
    /** For POLICY_CHANGE entries: department, version and summary. */
    detail: { type: String, default: null },
    /** The gateway outbox's id for the entry (absent on policy changes): stored once however often shipped. */
    entryId: { type: String, index: { unique: true, sparse: true } },
    /** When the access service stored it (`at` is when the read happened). */
    recordedAt: { type: Date },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false },
);

/** What a purge removed, signed, so the remaining chain still verifies from it. */
export const auditCheckpointSchema = new Schema(
  {
    purgedThroughSeq: { type: Number, required: true },
    lastHash: { type: String, required: true },
    purgedCount: { type: Number, required: true },
    purgedBefore: { type: Date, required: true },
    at: { type: Date, required: true },
    by: { type: String, required: true },
    signature: { type: String, required: true },
  },
  { versionKey: false },
);

export type AuditEntryRecord = InferSchemaType<typeof auditEntrySchema> & { _id: Types.ObjectId };
export type AuditCheckpointRecord = InferSchemaType<typeof auditCheckpointSchema> & { _id: Types.ObjectId };

export function accessModels(conn: Connection) {
  return {
    PolicyVersion: conn.model('PolicyVersion', policyVersionSchema, 'policyversions'),
    AuditEntry: conn.model('AuditEntry', auditEntrySchema, 'auditlog'),
    AuditCheckpoint: conn.model('AuditCheckpoint', auditCheckpointSchema, 'auditcheckpoints'),
  };
}

export type AccessModels = ReturnType<typeof accessModels>;
