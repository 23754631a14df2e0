import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
}

export const GENESIS_HASH = '0'.repeat(64);

type Chained = Required<{ [K in keyof AuditInput]: Exclude<AuditInput[K], undefined> }> & { seq: number; at: Date };

/** The hashed content of an entry, in a fixed order (so the hash does not depend on key order). */
function canonical(e: Chained): string {
  return JSON.stringify([
    e.seq, e.at.toISOString(), e.kind, e.subject, e.username, e.roles, e.department, e.jurisdiction, e.operationName,
    e.documentHash, e.purpose, e.requestId, e.residentIds, e.householdIds, e.fields, e.withheld, e.detail,
  ]);
}

export function entryHash(prevHash: string, e: Chained): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(e)).digest('hex');
}

function normalise(input: AuditInput, seq: number, at: Date): Chained {
  return {
    seq, at, kind: input.kind, subject: input.subject ?? null, username: input.username, roles: input.roles ?? [],
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
  ok: boolean;
  checked: number;
  /** The first bad position: `seq N (time)`: what is wrong. */
  firstBrokenAt: string | null;
}

export class AuditChain {
  private tip: { seq: number; hash: string } | null = null;
  private queue: { input: AuditInput; resolve: (r: { seq: number; hash: string }) => void; reject: (e: Error) => void }[] = [];
  private flushing = false;
  private key: { privateKey: KeyObject; publicKey: KeyObject } | null = null;

  constructor(private models: AccessModels, private keyFile = process.env.AUDIT_KEY_FILE ?? path.resolve('.data', 'access', 'audit-ed25519.pem')) {}

  private signingKey() {
    return (this.key ??= loadSigningKey(this.keyFile));
  }

  /** Appends an entry; resolves once it is stored (the store acknowledges only durable writes). */
  append(input: AuditInput): Promise<{ seq: number; hash: string }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      void this.flush();
    });
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
        const batch = this.queue.splice(0, 500);
        for (let attempt = 0; ; attempt++) {
          try {
            this.tip ??= await this.loadTip();
            let { seq, hash } = this.tip;
            const at = new Date();
            const docs = batch.map(({ input }) => {
              const e = normalise(input, ++seq, at);
              const prevHash = hash;
              hash = entryHash(prevHash, e);
              return { ...e, prevHash, hash };
            });
            // Entries are built here (normalised above), so the driver's insert is enough: mongoose's
            // per-document casting and validation would only add CPU to every audited request.
            await this.models.AuditEntry.collection.insertMany(docs, { ordered: true });
            this.tip = { seq, hash };
            docs.forEach((d, i) => batch[i].resolve({ seq: d.seq, hash: d.hash }));
            break;
          } catch (e) {
            this.tip = null; // another writer may have appended: re-read the tip once
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

  /** Walks the chain in order and reports the first entry that is out of place or altered. */
  async verify(): Promise<ChainReport> {
    const cp = await this.models.AuditCheckpoint.findOne({}).sort({ purgedThroughSeq: -1 }).lean<AuditCheckpointRecord>();
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    if (cp) {
      const ok = verify(null, checkpointPayload(cp), this.signingKey().publicKey, Buffer.from(cp.signature, 'base64'));
      if (!ok) return { ok: false, checked: 0, firstBrokenAt: `checkpoint through seq ${cp.purgedThroughSeq}: signature does not verify` };
      expectedSeq = cp.purgedThroughSeq + 1;
      prevHash = cp.lastHash;
    }
    let checked = 0;
    const cursor = this.models.AuditEntry.find({}).sort({ seq: 1 }).lean<AuditEntryRecord[]>().cursor();
    for await (const raw of cursor) {
      const e = raw as unknown as AuditEntryRecord;
      const where = `seq ${expectedSeq} (${new Date(e.at).toISOString()})`;
      if (e.seq !== expectedSeq) {
        return { ok: false, checked, firstBrokenAt: `${where}: found seq ${e.seq}; an entry was ${e.seq > expectedSeq ? 'deleted' : 'inserted or reordered'}` };
      }
      if (e.prevHash !== prevHash) return { ok: false, checked, firstBrokenAt: `${where}: does not follow the entry before it (deleted, inserted or reordered)` };
      const recomputed = entryHash(prevHash, normalise(e as unknown as AuditInput, e.seq, new Date(e.at)));
      if (recomputed !== e.hash) return { ok: false, checked, firstBrokenAt: `${where}: its content was modified` };
      prevHash = e.hash;
      expectedSeq++;
      checked++;
    }
    return { ok: true, checked, firstBrokenAt: null };
  }

  /**
   * Removes entries older than `before` (a prefix of the chain), after storing a signed
   * checkpoint of what was removed, so what remains still verifies.
   */
  async purge(before: Date, by: string): Promise<{ purged: number; checkpoint: AuditCheckpointRecord | null }> {
    const firstKept = await this.models.AuditEntry.findOne({ at: { $gte: before } }).sort({ seq: 1 }).lean<AuditEntryRecord>();
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
