import { createHash, randomUUID, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { badInput } from '@anmulong/platform';
import type { AccessModels, AuditCheckpointRecord, AuditEntryRecord } from './models';

/*
 * The tamper-evident access log (PIPL art. 51/54–56; X-Road's message log): each entry carries
 * the hash of the one before, appends are serialised and written in groups (one insert per
 * group, acknowledged only once the store has it), and a purge of expired entries leaves a signed
 * checkpoint from which the rest still verifies.
 */

export interface AuditInput {
  kind: 'READ' | 'MUTATION' | 'POLICY_CHANGE';
  subject?: string | null;
  username: string;
  roles?: string[];
  department?: string | null;
  jurisdiction?: string | null;
  operationName?: string | null;
  documentHash?: string | null;
  purpose?: string | null;
  requestId?: string | null;
  residentIds?: string[];
  householdIds?: string[];
  fields?: string[];
  withheld?: string[];
  detail?: string | null;
  /** Set by the gateway's outbox, so an entry shipped twice is stored once. */
  entryId?: string | null;
  /** When the read happened (the gateway's clock); defaults to when it is stored. */
  at?: string | Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEXT_FIELDS = ['subject', 'department', 'jurisdiction', 'operationName', 'documentHash', 'purpose', 'requestId', 'detail'] as const;
const LIST_FIELDS = ['roles', 'residentIds', 'householdIds', 'fields', 'withheld'] as const;

/** What is wrong with an entry posted to `/audit`, or null. */
export function invalidAuditInput(e: unknown, now = Date.now()): string | null {
  if (!e || typeof e !== 'object' || Array.isArray(e)) return 'an entry must be an object';
  const x = e as Record<string, unknown>;
  if (x.kind !== 'READ' && x.kind !== 'MUTATION') return 'kind must be READ or MUTATION';
  if (typeof x.username !== 'string' || !x.username) return 'username must be a non-empty string';
  for (const k of TEXT_FIELDS) if (x[k] != null && typeof x[k] !== 'string') return `${k} must be a string`;
  for (const k of LIST_FIELDS) if (x[k] != null && !(Array.isArray(x[k]) && (x[k] as unknown[]).every((v) => typeof v === 'string'))) return `${k} must be a list of strings`;
  if (x.entryId != null && !(typeof x.entryId === 'string' && UUID.test(x.entryId))) return 'entryId must be a UUID';
  if (x.at != null) {
    const t = typeof x.at === 'string' ? Date.parse(x.at) : NaN;
    if (!Number.isFinite(t)) return 'at must be an ISO date-time';
    if (t > now + 60_000) return 'at is in the future';
  }
  return null;
}

export const GENESIS_HASH = '0'.repeat(64);

export interface Stored {
  seq: number;
  hash: string;
}

type Chained = Required<{ [K in Exclude<keyof AuditInput, 'entryId' | 'at'>]: Exclude<AuditInput[K], undefined> }> & {
  seq: number;
  at: Date;
  entryId?: string;
  /** When the access service stored it; absent on entries stored before the gateway's outbox. */
  recordedAt?: Date;
};

/** The hashed content of an entry, in a fixed order (so the hash does not depend on key order). */
function canonical(e: Chained): string {
  const content: unknown[] = [
    e.seq, e.at.toISOString(), e.kind, e.subject, e.username, e.roles, e.department, e.jurisdiction, e.operationName,
    e.documentHash, e.purpose, e.requestId, e.residentIds, e.householdIds, e.fields, e.withheld, e.detail,
  ];
  // Entries stored since the outbox also seal their id and storing time (older ones verify as before).
  if (e.recordedAt) content.push(e.entryId ?? null, e.recordedAt.toISOString());
  return JSON.stringify(content);
}

export function entryHash(prevHash: string, e: Chained): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(e)).digest('hex');
}

function normalise(input: AuditInput, seq: number, at: Date, recordedAt?: Date): Chained {
  return {
    seq, at, ...(recordedAt ? { recordedAt } : {}), ...(input.entryId ? { entryId: input.entryId } : {}), kind: input.kind, subject: input.subject ?? null, username: input.username, roles: input.roles ?? [],
    department: input.department ?? null, jurisdiction: input.jurisdiction ?? null, operationName: input.operationName ?? null,
    documentHash: input.documentHash ?? null, purpose: input.purpose ?? null, requestId: input.requestId ?? null,
    residentIds: input.residentIds ?? [], householdIds: input.householdIds ?? [], fields: input.fields ?? [],
    withheld: input.withheld ?? [], detail: input.detail ?? null,
  };
}

/** Ed25519 key that signs purge checkpoints; generated on first use and kept on disk. */
function loadSigningKey(file: string): { privateKey: KeyObject; publicKey: KeyObject } {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch {
      // another process created it first: use theirs
    }
    pem = readFileSync(file, 'utf8');
  }
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

const checkpointPayload = (c: Pick<AuditCheckpointRecord, 'purgedThroughSeq' | 'lastHash' | 'purgedCount' | 'purgedBefore' | 'at' | 'by'>) =>
  Buffer.from(JSON.stringify([c.purgedThroughSeq, c.lastHash, c.purgedCount, new Date(c.purgedBefore).toISOString(), new Date(c.at).toISOString(), c.by]));

export interface ChainReport {
  /** True only when every entry from the chain's start (genesis or the signed purge checkpoint) to its current end verified. */
  ok: boolean;
  /** Entries checked in this call. */
  checked: number;
  /** The first bad position: `seq N (time)`: what is wrong. */
  firstBrokenAt: string | null;
  /** Whether this call reached the chain's current end (the start having been verified here or by a trusted continuation). */
  complete: boolean;
  /** The last entry this call verified (null when none). */
  lastCheckedSeq: number | null;
  /** A signed continuation to pass as `after`: everything up to `lastCheckedSeq` verified. Null once a break is found. */
  continueAfter: string | null;
}

/*
 * A walk of the whole log cannot fit a request (a county's log grows by millions of entries a
 * year; the soak's 60k already passed the subgraph's 10 s deadline), so verification goes in
 * ranges bounded by count and by time. Each range ends with a continuation the access service
 * signs with its checkpoint key, stating "verified from the start through seq N, whose hash is H":
 * a later range starts from it without re-reading, and a client cannot make one up, so `ok: true`
 * still means the whole chain verified (here or in the signed ranges before).
 */
export const VERIFY_RANGE = {
  /** Entries per call unless `first` says otherwise (a few seconds' walk on a loaded machine). */
  defaultFirst: 20_000,
  /** The most `first` may ask for. */
  maxFirst: 100_000,
  /** A range stops after this long whatever its count, well under the subgraph's 10 s deadline. */
  budgetMs: Number(process.env.AUDIT_VERIFY_BUDGET_MS ?? 3_000),
};

export interface VerifyRange {
  /** A continuation from an earlier call (`continueAfter`); absent: from the chain's start. */
  after?: string | null;
  first?: number;
  budgetMs?: number;
}

const CONTINUATION = 'anmulong-audit-chain-verified-v1';
const continuationPayload = (seq: number, hash: string) => Buffer.from(`${CONTINUATION}\n${seq}\n${hash}`);

export class AuditChain {
  private tip: { seq: number; hash: string } | null = null;
  private queue: { inputs: AuditInput[]; redelivery: boolean; resolve: (r: Stored[]) => void; reject: (e: Error) => void }[] = [];
  private flushing = false;
  private key: { privateKey: KeyObject; publicKey: KeyObject } | null = null;

  constructor(private models: AccessModels, private keyFile = process.env.AUDIT_KEY_FILE ?? path.resolve('.data', 'access', 'audit-ed25519.pem')) {}

  private signingKey() {
    return (this.key ??= loadSigningKey(this.keyFile));
  }

  /** Appends an entry; resolves once it is stored (the store acknowledges only durable writes). */
  async append(input: AuditInput): Promise<Stored> {
    return (await this.appendMany([input]))[0];
  }

  /**
   * Appends entries in order; resolves once all are stored. An entry whose `entryId` is already
   * in the log (a gateway shipped it again) is not stored twice: its first position is returned.
   * Only a `redelivery` is looked up first; otherwise the unique index on `entryId` catches a
   * duplicate, and the batch is retried with the look-up.
   */
  appendMany(inputs: AuditInput[], redelivery = false): Promise<Stored[]> {
    // Every entry gets an id (policy changes too), so a retried insert never stores one twice.
    const identified = inputs.map((i) => (i.entryId ? i : { ...i, entryId: randomUUID() }));
    return new Promise((resolve, reject) => {
      this.queue.push({ inputs: identified, redelivery, resolve, reject });
      void this.flush();
    });
  }

  /** Positions of entries already stored, by entry id. */
  private async storedIds(ids: string[]): Promise<Map<string, Stored>> {
    if (!ids.length) return new Map();
    const found = await this.models.AuditEntry.collection
      .find({ entryId: { $in: ids } }, { projection: { _id: 0, entryId: 1, seq: 1, hash: 1 } })
      .toArray();
    return new Map(found.map((d) => [d.entryId as string, { seq: d.seq as number, hash: d.hash as string }]));
  }

  private async loadTip(): Promise<{ seq: number; hash: string }> {
    const last = await this.models.AuditEntry.findOne({}).sort({ seq: -1 }).lean<AuditEntryRecord>();
    if (last) return { seq: last.seq, hash: last.hash };
    const cp = await this.models.AuditCheckpoint.findOne({}).sort({ purgedThroughSeq: -1 }).lean<AuditCheckpointRecord>();
    return cp ? { seq: cp.purgedThroughSeq, hash: cp.lastHash } : { seq: 0, hash: GENESIS_HASH };
  }

  /** Writes queued entries in groups: one insert (one fsync) for everything that arrived meanwhile. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        // Everything that arrived meanwhile, up to about 1,000 entries, in one insert.
        const batch = [this.queue.shift()!];
        let size = batch[0].inputs.length;
        while (this.queue.length && size + this.queue[0].inputs.length <= 1000) {
          const next = this.queue.shift()!;
          batch.push(next);
          size += next.inputs.length;
        }
        let lookUp = batch.some((b) => b.redelivery);
        for (let attempt = 0; ; attempt++) {
          try {
            this.tip ??= await this.loadTip();
            let { seq, hash } = this.tip;
            const known = lookUp ? await this.storedIds(batch.flatMap((b) => b.inputs.map((i) => i.entryId).filter((id): id is string => !!id))) : new Map<string, Stored>();
            const recordedAt = new Date();
            const docs: Record<string, unknown>[] = [];
            const results = batch.map((b) =>
              b.inputs.map((input) => {
                const already = input.entryId ? known.get(input.entryId) : undefined;
                if (already) return already;
                const e = normalise(input, ++seq, input.at ? new Date(input.at) : recordedAt, recordedAt);
                const prevHash = hash;
                hash = entryHash(prevHash, e);
                docs.push({ ...e, prevHash, hash });
                const stored = { seq: e.seq, hash };
                if (input.entryId) known.set(input.entryId, stored);
                return stored;
              }),
            );
            // Entries are built here (normalised above), so the driver's insert is enough: mongoose's
            // per-document casting and validation would only add CPU to every audited request.
            // Acknowledged only once journaled on a majority (the docstore always fsyncs).
            if (docs.length) await this.models.AuditEntry.collection.insertMany(docs, { ordered: true, writeConcern: { w: 'majority', j: true } });
            this.tip = { seq, hash };
            batch.forEach((b, i) => b.resolve(results[i]));
            break;
          } catch (e) {
            // Another writer may have appended, or part of the insert may have landed (an entry id
            // already stored, a write-concern error): re-read the tip and look the ids up.
            this.tip = null;
            lookUp = true;
            if (attempt >= 1) {
              for (const b of batch) b.reject(e as Error);
              break;
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** A continuation for a position verified from the start. */
  private continuation(seq: number, hash: string): string {
    const signature = sign(null, continuationPayload(seq, hash), this.signingKey().privateKey).toString('base64url');
    return `${seq}.${hash}.${signature}`;
  }

  /** The position a continuation vouches for, or null when it is malformed or not signed by this service's key. */
  trustedPosition(after: string): { seq: number; hash: string } | null {
    const m = /^(0|[1-9]\d{0,15})\.([0-9a-f]{64})\.([A-Za-z0-9_-]{86})$/.exec(after);
    if (!m) return null;
    const seq = Number(m[1]);
    const ok = Number.isSafeInteger(seq) && verify(null, continuationPayload(seq, m[2]), this.signingKey().publicKey, Buffer.from(m[3], 'base64url'));
    return ok ? { seq, hash: m[2] } : null;
  }

  /**
   * Walks the chain in order from its start, or from a trusted continuation, for at most `first`
   * entries and `budgetMs`, and reports the first entry that is out of place or altered.
   * Throws BAD_USER_INPUT for a continuation this service did not sign.
   */
  async verify({ after = null, first = VERIFY_RANGE.defaultFirst, budgetMs = VERIFY_RANGE.budgetMs }: VerifyRange = {}): Promise<ChainReport> {
    const started = Date.now();
    const cp = await this.models.AuditCheckpoint.findOne({}).sort({ purgedThroughSeq: -1 }).lean<AuditCheckpointRecord>();
    const from = after == null ? null : this.trustedPosition(after);
    if (after != null && !from) throw badInput('after: not a continuation this access service issued (altered, forged or from another key); start again without after', 'after');
    const broken = (checked: number, firstBrokenAt: string, lastCheckedSeq: number | null): ChainReport => ({ ok: false, checked, firstBrokenAt, complete: false, lastCheckedSeq, continueAfter: null });
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    // A continuation whose position has since been purged goes on from the checkpoint, which vouches for it.
    if (from && !(cp && cp.purgedThroughSeq > from.seq)) {
      expectedSeq = from.seq + 1;
      prevHash = from.hash;
    } else {
      if (cp) {
        const ok = verify(null, checkpointPayload(cp), this.signingKey().publicKey, Buffer.from(cp.signature, 'base64'));
        if (!ok) return broken(0, `checkpoint through seq ${cp.purgedThroughSeq}: signature does not verify`, null);
        expectedSeq = cp.purgedThroughSeq + 1;
        prevHash = cp.lastHash;
      }
      // An entry put before the start (seq 0, or at or below the purge checkpoint) is tampering too.
      const stray = await this.models.AuditEntry.findOne({ seq: { $lt: expectedSeq } }).lean<AuditEntryRecord>();
      if (stray) return broken(0, `seq ${expectedSeq}: found seq ${stray.seq} before the chain's start; an entry was inserted or reordered`, null);
    }
    let checked = 0;
    let complete = true;
    // The range by its seqs, one more than asked for (to tell whether it reached the end), looked
    // up in groups of LOOKUP_SEQS: a store answers an `$in` of bounded size from the seq index (the
    // docstore scans for a `$gt`, and for an `$in` over 20,000 values), so a range costs its own
    // length, not the whole log's, however cold the log is.
    let wanted = first + 1;
    walk: while (wanted > 0) {
      const n = Math.min(LOOKUP_SEQS, wanted);
      const base = expectedSeq;
      const seqs = Array.from({ length: n }, (_, i) => base + i);
      const group = await this.models.AuditEntry.find({ seq: { $in: seqs } }).sort({ seq: 1 }).lean<AuditEntryRecord[]>();
      for (const e of group) {
        if (checked >= first || (checked > 0 && Date.now() - started > budgetMs)) {
          complete = false;
          break walk;
        }
        const where = `seq ${expectedSeq} (${new Date(e.at).toISOString()})`;
        const last = checked ? expectedSeq - 1 : null;
        if (e.seq !== expectedSeq) return broken(checked, `${where}: found seq ${e.seq}; an entry was deleted`, last);
        if (e.prevHash !== prevHash) return broken(checked, `${where}: does not follow the entry before it (deleted, inserted or reordered)`, last);
        const recomputed = entryHash(prevHash, normalise(e as unknown as AuditInput, e.seq, new Date(e.at), e.recordedAt ? new Date(e.recordedAt) : undefined));
        if (recomputed !== e.hash) return broken(checked, `${where}: its content was modified`, last);
        prevHash = e.hash;
        expectedSeq++;
        checked++;
      }
      if (group.length < n) break; // the chain ends here (or an entry is missing: the check below says which)
      wanted -= n;
    }
    if (complete) {
      // The range came up short: the end of the chain, unless a later entry exists (this one was deleted).
      const later = await this.models.AuditEntry.findOne({ seq: { $gt: expectedSeq } }).sort({ seq: 1 }).lean<AuditEntryRecord>();
      if (later) return broken(checked, `seq ${expectedSeq} (${new Date(later.at).toISOString()}): found seq ${later.seq}; an entry was deleted`, checked ? expectedSeq - 1 : null);
    }
    const lastCheckedSeq = expectedSeq - 1;
    return { ok: complete, checked, firstBrokenAt: null, complete, lastCheckedSeq: checked ? lastCheckedSeq : null, continueAfter: this.continuation(lastCheckedSeq, prevHash) };
  }

  /**
   * Removes entries older than `before` (a prefix of the chain), after storing a signed
   * checkpoint of what was removed, so what remains still verifies.
   */
  async purge(before: Date, by: string): Promise<{ purged: number; checkpoint: AuditCheckpointRecord | null }> {
    // By when the entry was stored (it rises with seq; a read's `at` can arrive late from an outbox).
    const firstKept = await this.models.AuditEntry.findOne({ $or: [{ recordedAt: { $gte: before } }, { recordedAt: { $exists: false }, at: { $gte: before } }] })
      .sort({ seq: 1 })
      .lean<AuditEntryRecord>();
    const lastPurged = await this.models.AuditEntry.findOne(firstKept ? { seq: { $lt: firstKept.seq } } : {}).sort({ seq: -1 }).lean<AuditEntryRecord>();
    if (!lastPurged) return { purged: 0, checkpoint: null };
    const count = await this.models.AuditEntry.countDocuments({ seq: { $lte: lastPurged.seq } });
    const body = { purgedThroughSeq: lastPurged.seq, lastHash: lastPurged.hash, purgedCount: count, purgedBefore: before, at: new Date(), by };
    const signature = sign(null, checkpointPayload(body), this.signingKey().privateKey).toString('base64');
    const checkpoint = (await this.models.AuditCheckpoint.create({ ...body, signature })).toObject() as AuditCheckpointRecord;
    await this.models.AuditEntry.deleteMany({ seq: { $lte: lastPurged.seq } });
    return { purged: count, checkpoint };
  }
}

const chains = new WeakMap<AccessModels, AuditChain>();
/** One chain writer per store connection: appends are serialised through it. */
/** Seqs looked up per query while verifying (see `verify`). */
const LOOKUP_SEQS = 2_000;

export const chainOf = (models: AccessModels) => {
  let c = chains.get(models);
  if (!c) chains.set(models, (c = new AuditChain(models)));
  return c;
};
