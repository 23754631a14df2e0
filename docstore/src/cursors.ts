/**
 * Server-side cursors. A cursor holds references to (immutable) stored documents or to
 * fresh aggregation results, so later writes never change what it returns.
 * Projection runs per batch, so only returned documents are ever copied.
 */
import { Long } from 'bson';
import { CommandError } from './errors';
import type { Projector } from './query';
import { MAX_BSON_SIZE, rawCursorReply, serialize } from './wire';
import type { Doc } from './values';

/** Room left in a 16 MiB reply for the envelope ({cursor: {id, ns}, ok}). */
const BATCH_BYTES = MAX_BSON_SIZE - 64 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface Cursor {
  id: bigint;
  ns: string;
  docs: Doc[];
  pos: number;
  projector: Projector | null;
  lastUsed: number;
}

export class CursorManager {
  private readonly cursors = new Map<bigint, Cursor>();
  private nextId = BigInt(Math.floor(Math.random() * 2 ** 30) + 1) * 1000n;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => this.reap(), 60_000);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.cursors.clear();
  }

  get open(): number {
    return this.cursors.size;
  }

  /**
   * Serializes up to `batchSize` docs (and never more than fits one reply) starting at
   * `pos`. Returns the buffers and the new position.
   */
  private batch(docs: Doc[], pos: number, batchSize: number, projector: Projector | null): [Buffer[], number] {
    const out: Buffer[] = [];
    let bytes = 0;
    const limit = batchSize > 0 ? batchSize : Infinity;
    while (pos < docs.length && out.length < limit) {
      const d = projector ? projector(docs[pos]) : docs[pos];
      const b = serialize(d);
      if (out.length > 0 && bytes + b.length > BATCH_BYTES) break;
      out.push(b);
      bytes += b.length;
      pos++;
    }
    return [out, pos];
  }

  /** First batch of a new result set; registers a cursor if more remains. */
  firstBatch(ns: string, docs: Doc[], batchSize: number, projector: Projector | null, singleBatch = false): Buffer {
    const [bufs, pos] = this.batch(docs, 0, batchSize, projector);
    let id = 0n;
    if (pos < docs.length && !singleBatch) {
      id = this.nextId++;
      this.cursors.set(id, { id, ns, docs, pos, projector, lastUsed: Date.now() });
    }
    return rawCursorReply('firstBatch', bufs, Long.fromBigInt(id), ns);
  }

  getMore(id: bigint, ns: string, batchSize: number): Buffer {
    const c = this.cursors.get(id);
    if (!c) throw new CommandError(43, `cursor id ${id} not found`);
    if (c.ns !== ns) {
      throw new CommandError(13, `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${c.ns}`);
    }
    const [bufs, pos] = this.batch(c.docs, c.pos, batchSize, c.projector);
    c.pos = pos;
    c.lastUsed = Date.now();
    let outId = c.id;
    if (pos >= c.docs.length) {
      this.cursors.delete(id);
      outId = 0n;
    }
    return rawCursorReply('nextBatch', bufs, Long.fromBigInt(outId), ns);
  }

  kill(ids: bigint[]): { killed: bigint[]; notFound: bigint[] } {
    const killed: bigint[] = [];
    const notFound: bigint[] = [];
    for (const id of ids) (this.cursors.delete(id) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  private reap() {
    const now = Date.now();
    for (const [id, c] of this.cursors) if (now - c.lastUsed > IDLE_TIMEOUT_MS) this.cursors.delete(id);
  }
}

export function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (v instanceof Long) return v.toBigInt();
  if (v && typeof v === 'object' && (v as { _bsontype?: string })._bsontype === 'Long') {
    return (v as Long).toBigInt();
  }
  throw new CommandError(14, 'cursor id must be a number');
}
