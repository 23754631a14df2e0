/**
 * MongoDB wire protocol framing: splitting the TCP stream into messages, decoding
 * OP_QUERY (legacy handshake) and OP_MSG (everything else), encoding OP_REPLY / OP_MSG.
 *
 * Reply documents that carry query results are assembled from per-document BSON buffers
 * (see `rawCursorReply`) so each result is serialized once and batches can be cut at the
 * wire size limit without re-measuring.
 */
import { BSON, Long } from 'bson';
import type { Doc } from './values';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const MSG_CHECKSUM_PRESENT = 1;
export const MSG_MORE_TO_COME = 2;

export const MAX_BSON_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE = 48_000_000;

/**
 * Deserialization keeps every number wrapped (promoteValues: false) and `normalize` then
 * unwraps int32 and non-integral doubles to plain numbers. What stays wrapped: int64
 * (Long) and integral doubles (Double), because a plain JS number would be re-serialized
 * as int32 and change the stored BSON type ($type, round trips).
 */
const DESERIALIZE_OPTS = { promoteLongs: false, promoteValues: false, promoteBuffers: false } as const;

/**
 * Kind-1 document sequences keep the raw BSON of each document on the array under this
 * symbol (`docs[RAW_DOCS][i]` is the bytes of `docs[i]`), so an insert can journal the
 * bytes the client sent instead of serializing the document again.
 */
export const RAW_DOCS = Symbol('docstore.rawDocs');

export function deserialize(buf: Buffer): Doc {
  return normalize(BSON.deserialize(buf, DESERIALIZE_OPTS)) as Doc;
}

function normalize(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      if (e !== null && typeof e === 'object') v[i] = normalize(e);
    }
    return v;
  }
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'Int32') return (v as { value: number }).value;
  if (t === 'Double') {
    const n = (v as { value: number }).value;
    return Number.isInteger(n) ? v : n;
  }
  if (t !== undefined || v instanceof Date || v instanceof RegExp) return v;
  const o = v as Doc;
  for (const k in o) {
    const e = o[k];
    if (e !== null && typeof e === 'object') o[k] = normalize(e);
  }
  return o;
}
const SERIALIZE_OPTS = { checkKeys: false, ignoreUndefined: true } as const;

export interface InboundMessage {
  requestId: number;
  opCode: number;
  /** OP_MSG: command body with kind-1 sequences merged in; OP_QUERY: the query doc. */
  command: Doc;
  /** OP_QUERY: full collection name (e.g. "admin.$cmd"). */
  collection?: string;
  moreToCome: boolean;
}

/** Accumulates chunks and yields complete messages without quadratic re-copying. */
export class MessageReader {
  private chunks: Buffer[] = [];
  private total = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.total += chunk.length;
    const out: Buffer[] = [];
    for (;;) {
      if (this.total < 4) break;
      const len = this.peekLength();
      if (len < 16 || len > MAX_MESSAGE_SIZE) throw new Error(`invalid message length ${len}`);
      if (this.total < len) break;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.total);
      out.push(all.subarray(0, len));
      const rest = all.subarray(len);
      this.chunks = rest.length ? [rest] : [];
      this.total = rest.length;
    }
    return out;
  }

  private peekLength(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readInt32LE(0);
    return Buffer.concat(this.chunks, this.total).readInt32LE(0);
  }
}

function readCString(buf: Buffer, pos: number): [string, number] {
  const end = buf.indexOf(0, pos);
  return [buf.toString('utf8', pos, end), end + 1];
}

export function decodeMessage(buf: Buffer): InboundMessage {
  const requestId = buf.readInt32LE(4);
  const opCode = buf.readInt32LE(12);
  if (opCode === OP_MSG) {
    const flags = buf.readUInt32LE(16);
    const end = buf.length - (flags & MSG_CHECKSUM_PRESENT ? 4 : 0);
    let pos = 20;
    let body: Doc | undefined;
    const sequences: [string, Doc[]][] = [];
    while (pos < end) {
      const kind = buf[pos++];
      const size = buf.readInt32LE(pos);
      if (kind === 0) {
        body = deserialize(buf.subarray(pos, pos + size));
        pos += size;
      } else if (kind === 1) {
        const sectionEnd = pos + size;
        let [id, p] = readCString(buf, pos + 4);
        const docs: Doc[] = [];
        const raws: Buffer[] = [];
        while (p < sectionEnd) {
          const dlen = buf.readInt32LE(p);
          const raw = buf.subarray(p, p + dlen);
          docs.push(deserialize(raw));
          raws.push(raw);
          p += dlen;
        }
        (docs as unknown as Record<symbol, Buffer[]>)[RAW_DOCS] = raws;
        sequences.push([id, docs]);
        pos = sectionEnd;
      } else {
        throw new Error(`unsupported OP_MSG section kind ${kind}`);
      }
    }
    if (!body) throw new Error('OP_MSG without a body section');
    for (const [id, docs] of sequences) body[id] = docs;
    return { requestId, opCode, command: body, moreToCome: (flags & MSG_MORE_TO_COME) !== 0 };
  }
  if (opCode === OP_QUERY) {
    // flags(4) fullCollectionName(cstring) numberToSkip(4) numberToReturn(4) query(doc)
    const [collection, p] = readCString(buf, 20);
    const qpos = p + 8;
    const qlen = buf.readInt32LE(qpos);
    const command = deserialize(buf.subarray(qpos, qpos + qlen));
    return { requestId, opCode, command, collection, moreToCome: false };
  }
  throw new Error(`unsupported opCode ${opCode}`);
}

let nextRequestId = 1;

function header(len: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(16);
  h.writeInt32LE(len, 0);
  h.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

export function serialize(doc: Doc): Buffer {
  return BSON.serialize(doc, SERIALIZE_OPTS) as Buffer;
}

/** OP_MSG reply with a single kind-0 section holding an already-serialized document. */
export function encodeMsgRaw(responseTo: number, body: Buffer): Buffer[] {
  const prefix = Buffer.allocUnsafe(5);
  prefix.writeUInt32LE(0, 0);
  prefix[4] = 0;
  return [header(16 + 5 + body.length, responseTo, OP_MSG), prefix, body];
}

export function encodeMsg(responseTo: number, doc: Doc): Buffer[] {
  return encodeMsgRaw(responseTo, serialize(doc));
}

/** OP_REPLY (legacy) carrying one document: only used to answer the OP_QUERY handshake. */
export function encodeReply(responseTo: number, doc: Doc): Buffer[] {
  const body = serialize(doc);
  const fixed = Buffer.alloc(20);
  fixed.writeInt32LE(8, 0); // AwaitCapable
  // cursorID (8 bytes) = 0, startingFrom = 0
  fixed.writeInt32LE(1, 16); // numberReturned
  return [header(16 + 20 + body.length, responseTo, OP_REPLY), fixed, body];
}

/** Strips a serialized document's length prefix and terminator, leaving its elements. */
function elementsOf(doc: Buffer): Buffer {
  return doc.subarray(4, doc.length - 1);
}

function wrapDoc(parts: Buffer[]): Buffer {
  let len = 5;
  for (const p of parts) len += p.length;
  const head = Buffer.allocUnsafe(4);
  head.writeInt32LE(len, 0);
  return Buffer.concat([head, ...parts, Buffer.from([0])], len);
}

/**
 * Builds `{ cursor: { <batchField>: [docs...], id, ns }, ok: 1 }` from pre-serialized docs.
 */
export function rawCursorReply(batchField: string, docs: Buffer[], id: Long, ns: string): Buffer {
  const arrParts: Buffer[] = [];
  for (let i = 0; i < docs.length; i++) {
    arrParts.push(Buffer.from('\u0003' + i + '\u0000', 'latin1'), docs[i]);
  }
  const arr = wrapDoc(arrParts);
  const cursor = wrapDoc([
    Buffer.from('\u0004' + batchField + '\u0000', 'latin1'),
    arr,
    elementsOf(serialize({ id, ns })),
  ]);
  return wrapDoc([Buffer.from('\u0003cursor\u0000', 'latin1'), cursor, elementsOf(serialize({ ok: 1 }))]);
}
