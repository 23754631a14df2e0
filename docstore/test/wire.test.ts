/**
 * Conformance at the wire-protocol level, with a minimal raw client: legacy OP_QUERY
 * hello answered by OP_REPLY, OP_MSG with kind-1 document sequences, moreToCome,
 * pipelining, fragmented messages, int64 cursor ids.
 */
import net from 'node:net';
import { Document, Long, deserialize, serialize } from 'bson';
import { REAL_MONGO, TestEnv, itDocstore, setup } from './helpers';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const MORE_TO_COME = 1 << 1;

interface Message {
  requestId: number;
  responseTo: number;
  opCode: number;
  body: Buffer;
}

class RawConnection {
  private buffered = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private nextId = 1;
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static open(host: string, port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host, port }, () => resolve(new RawConnection(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  private waitForData(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** Frame a message; returns its bytes and request id. */
  frame(opCode: number, body: Buffer, requestId = this.nextId++): { bytes: Buffer; requestId: number } {
    const header = Buffer.alloc(16);
    header.writeInt32LE(16 + body.length, 0);
    header.writeInt32LE(requestId, 4);
    header.writeInt32LE(0, 8);
    header.writeInt32LE(opCode, 12);
    return { bytes: Buffer.concat([header, body]), requestId };
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  async read(timeoutMs = 5000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buffered.length >= 4) {
        const len = this.buffered.readInt32LE(0);
        if (this.buffered.length >= len) {
          const msg = this.buffered.subarray(0, len);
          this.buffered = this.buffered.subarray(len);
          return {
            requestId: msg.readInt32LE(4),
            responseTo: msg.readInt32LE(8),
            opCode: msg.readInt32LE(12),
            body: Buffer.from(msg.subarray(16)),
          };
        }
      }
      if (this.closed) throw new Error('connection closed by server');
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.waitForData(left))) throw new Error('timed out waiting for a reply');
    }
  }

  /** True if no bytes arrive within `ms`. */
  async silentFor(ms: number): Promise<boolean> {
    if (this.buffered.length > 0) return false;
    return !(await this.waitForData(ms)) && this.buffered.length === 0;
  }

  close(): void {
    this.socket.destroy();
  }
}

function opQuery(ns: string, query: Document): Buffer {
  const nsBuf = Buffer.from(ns + '\0', 'utf8');
  const head = Buffer.alloc(4);
  head.writeInt32LE(0, 0);
  const skipRet = Buffer.alloc(8);
  skipRet.writeInt32LE(0, 0);
  skipRet.writeInt32LE(-1, 4);
  return Buffer.concat([head, nsBuf, skipRet, Buffer.from(serialize(query))]);
}

function parseReply(body: Buffer): { flags: number; cursorId: Long; startingFrom: number; docs: Document[] } {
  const flags = body.readInt32LE(0);
  const cursorId = new Long(body.readInt32LE(4), body.readInt32LE(8));
  const startingFrom = body.readInt32LE(12);
  const n = body.readInt32LE(16);
  const docs: Document[] = [];
  let off = 20;
  for (let i = 0; i < n; i++) {
    const size = body.readInt32LE(off);
    docs.push(deserialize(body.subarray(off, off + size)));
    off += size;
  }
  return { flags, cursorId, startingFrom, docs };
}

function opMsg(flags: number, body: Document, sequences: Record<string, Document[]> = {}): Buffer {
  const parts: Buffer[] = [];
  const f = Buffer.alloc(4);
  f.writeUInt32LE(flags, 0);
  parts.push(f, Buffer.from([0]), Buffer.from(serialize(body)));
  for (const [id, docs] of Object.entries(sequences)) {
    const payload = Buffer.concat([Buffer.from(id + '\0', 'utf8'), ...docs.map((d) => Buffer.from(serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + payload.length, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  return Buffer.concat(parts);
}

function parseMsg(body: Buffer): { flags: number; doc: Document } {
  const flags = body.readUInt32LE(0);
  expect(body[4]).toBe(0); // a single kind-0 section
  const size = body.readInt32LE(5);
  return { flags, doc: deserialize(body.subarray(5, 5 + size), { promoteLongs: false }) };
}

let env: TestEnv;
let host = '127.0.0.1';
let port = 0;
const open: RawConnection[] = [];

async function connection(): Promise<RawConnection> {
  const c = await RawConnection.open(host, port);
  open.push(c);
  return c;
}

async function handshake(c: RawConnection): Promise<Document> {
  const { bytes, requestId } = c.frame(OP_QUERY, opQuery('admin.$cmd', { isMaster: 1, helloOk: true, client: { driver: { name: 'raw-test', version: '0' } } }));
  c.write(bytes);
  const reply = await c.read();
  expect(reply.opCode).toBe(OP_REPLY);
  expect(reply.responseTo).toBe(requestId);
  const parsed = parseReply(reply.body);
  expect(parsed.docs).toHaveLength(1);
  return parsed.docs[0];
}

async function command(c: RawConnection, body: Document, sequences?: Record<string, Document[]>): Promise<Document> {
  const { bytes, requestId } = c.frame(OP_MSG, opMsg(0, body, sequences));
  c.write(bytes);
  const reply = await c.read();
  expect(reply.opCode).toBe(OP_MSG);
  expect(reply.responseTo).toBe(requestId);
  return parseMsg(reply.body).doc;
}

beforeAll(async () => {
  env = await setup('wire');
  const url = new URL(env.uri.replace(/^mongodb(\+srv)?:\/\//, 'http://'));
  host = url.hostname;
  port = Number(url.port || 27017);
});
afterAll(async () => {
  open.forEach((c) => c.close());
  await env?.close();
});

describe('handshake', () => {
  it('answers a legacy OP_QUERY isMaster on admin.$cmd with an OP_REPLY', async () => {
    const c = await connection();
    const hello = await handshake(c);
    expect(hello.ok).toBe(1);
    expect(hello.ismaster).toBe(true);
    expect(hello.helloOk).toBe(true);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(REAL_MONGO ? 8 : 25);
    expect(hello.minWireVersion).toBeLessThanOrEqual(hello.maxWireVersion);
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(hello.maxMessageSizeBytes).toBeGreaterThanOrEqual(48000000);
    expect(hello.maxWriteBatchSize).toBeGreaterThanOrEqual(1000);
    expect(typeof hello.connectionId).toBe('number');
    expect(typeof hello.logicalSessionTimeoutMinutes).toBe('number');
  });

  itDocstore('does not advertise topologyVersion or compression', async () => {
    const c = await connection();
    const hello = await handshake(c);
    expect(hello).not.toHaveProperty('topologyVersion');
    expect(hello.compression ?? []).toEqual([]);
  });

  it('gives each connection its own connectionId', async () => {
    const a = await handshake(await connection());
    const b = await handshake(await connection());
    expect(a.connectionId).not.toBe(b.connectionId);
  });

  it('speaks OP_MSG after the handshake', async () => {
    const c = await connection();
    await handshake(c);
    const hello = await command(c, { hello: 1, $db: 'admin' });
    expect(hello.ok).toBe(1);
    expect(hello.isWritablePrimary).toBe(true);
    const ping = await command(c, { ping: 1, $db: 'admin' });
    expect(ping.ok).toBe(1);
  });
});

describe('OP_MSG', () => {
  let c: RawConnection;
  let db: string;
  beforeAll(async () => {
    c = await connection();
    await handshake(c);
    db = env.dbName;
  });

  it('accepts documents as a kind-1 sequence (insert, update, delete)', async () => {
    const ins = await command(c, { insert: 'seq', ordered: true, $db: db }, { documents: [{ _id: 1, v: 'a' }, { _id: 2, v: 'b' }, { _id: 3, v: 'c' }] });
    expect(ins.ok).toBe(1);
    expect(ins.n).toBe(3);
    const upd = await command(c, { update: 'seq', $db: db }, { updates: [{ q: { _id: 1 }, u: { $set: { v: 'A' } } }, { q: { _id: 9 }, u: { $set: { v: 'new' } }, upsert: true }] });
    expect(upd.n).toBe(2);
    expect(upd.nModified).toBe(1);
    expect(upd.upserted).toHaveLength(1);
    const del = await command(c, { delete: 'seq', $db: db }, { deletes: [{ q: { _id: 2 }, limit: 1 }] });
    expect(del.n).toBe(1);
    const found = await command(c, { find: 'seq', filter: {}, sort: { _id: 1 }, $db: db });
    expect(found.cursor.firstBatch).toEqual([
      { _id: 1, v: 'A' },
      { _id: 3, v: 'c' },
      { _id: 9, v: 'new' },
    ]);
  });

  it('encodes cursor ids as int64, 0 when exhausted', async () => {
    await command(c, { insert: 'cur', $db: db }, { documents: Array.from({ length: 10 }, (_, i) => ({ _id: i })) });
    const open = await command(c, { find: 'cur', filter: {}, batchSize: 3, $db: db });
    expect(open.cursor.id).toBeInstanceOf(Long);
    expect(open.cursor.id.isZero()).toBe(false);
    const done = await command(c, { find: 'cur', filter: {}, $db: db });
    expect(done.cursor.id).toBeInstanceOf(Long);
    expect(done.cursor.id.isZero()).toBe(true);
    const more = await command(c, { getMore: open.cursor.id, collection: 'cur', $db: db });
    expect(more.cursor.nextBatch).toHaveLength(7);
    expect(more.cursor.id).toBeInstanceOf(Long);
    expect(more.cursor.id.isZero()).toBe(true);
  });

  it('sends no reply to a moreToCome (w:0) message, and the next reply matches the next request', async () => {
    const w0 = c.frame(OP_MSG, opMsg(MORE_TO_COME, { insert: 'w0', writeConcern: { w: 0 }, $db: db }, { documents: [{ _id: 'x' }] }));
    c.write(w0.bytes);
    const dup = c.frame(OP_MSG, opMsg(MORE_TO_COME, { insert: 'w0', writeConcern: { w: 0 }, $db: db }, { documents: [{ _id: 'x' }] }));
    c.write(dup.bytes);
    expect(await c.silentFor(150)).toBe(true);
    const count = await command(c, { count: 'w0', query: {}, $db: db });
    expect(count.n).toBe(1);
    expect(await c.silentFor(100)).toBe(true);
  });

  it('answers pipelined requests in order', async () => {
    const reqs = [0, 1, 2, 3].map((i) => c.frame(OP_MSG, opMsg(0, { count: 'seq', query: { _id: { $gte: i } }, $db: db })));
    c.write(Buffer.concat(reqs.map((r) => r.bytes)));
    for (const r of reqs) {
      const reply = await c.read();
      expect(reply.responseTo).toBe(r.requestId);
      expect(parseMsg(reply.body).doc.ok).toBe(1);
    }
  });

  it('reassembles a message split across many TCP segments', async () => {
    const { bytes, requestId } = c.frame(OP_MSG, opMsg(0, { insert: 'frag', $db: db }, { documents: Array.from({ length: 50 }, (_, i) => ({ _id: i, pad: 'p'.repeat(100) })) }));
    for (let off = 0; off < bytes.length; off += 97) {
      c.write(bytes.subarray(off, off + 97));
      if (off % (97 * 10) === 0) await new Promise((r) => setTimeout(r, 2));
    }
    const reply = await c.read();
    expect(reply.responseTo).toBe(requestId);
    expect(parseMsg(reply.body).doc.n).toBe(50);
  });

  it('reports command errors as ok:0 replies and keeps the connection open', async () => {
    const bad = await command(c, { noSuchCommandAtAll: 1, $db: db });
    expect(bad.ok).toBe(0);
    expect(bad.code).toBe(59);
    expect(bad.codeName).toBe('CommandNotFound');
    expect(String(bad.errmsg)).toContain('noSuchCommandAtAll');
    const ok = await command(c, { ping: 1, $db: 'admin' });
    expect(ok.ok).toBe(1);
  });

  it('bulkWrite with ops and nsInfo sequences', async () => {
    const hello = await command(c, { hello: 1, $db: 'admin' });
    if (hello.maxWireVersion < 25) return; // MongoDB < 8.0 has no bulkWrite command
    const r = await command(
      c,
      { bulkWrite: 1, ordered: true, errorsOnly: false, $db: 'admin' },
      {
        ops: [
          { insert: 0, document: { _id: 'b1' } },
          { insert: 1, document: { _id: 'b2' } },
          { update: 0, filter: { _id: 'b1' }, updateMods: { $set: { seen: true } }, multi: false },
          { delete: 1, filter: { _id: 'b2' }, multi: false },
        ],
        nsInfo: [{ ns: `${db}.bw1` }, { ns: `${db}.bw2` }],
      },
    );
    expect(r.ok).toBe(1);
    expect(r.nErrors).toBe(0);
    expect(r.nInserted).toBe(2);
    expect(r.nMatched).toBe(1);
    expect(r.nModified).toBe(1);
    expect(r.nDeleted).toBe(1);
    expect(r.cursor.id).toBeInstanceOf(Long);
    const bw1 = await command(c, { find: 'bw1', filter: {}, $db: db });
    expect(bw1.cursor.firstBatch).toEqual([{ _id: 'b1', seen: true }]);
  });
});
