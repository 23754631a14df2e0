/**
 * TCP server: one MessageReader per connection, commands processed strictly in order per
 * connection (the driver never pipelines on one socket, but a slow durable write must not
 * let a later command overtake it).
 */
import * as net from 'net';
import { CommandContext, Counters, HANDLERS, Reply, UNCOUNTED, assertNoTransaction, helloReply } from './commands';
import { CursorManager } from './cursors';
import { CommandError, toCommandError } from './errors';
import { Store } from './store';
import { Doc } from './values';
import {
  InboundMessage,
  MessageReader,
  OP_MSG,
  OP_QUERY,
  decodeMessage,
  encodeMsg,
  encodeMsgRaw,
  encodeReply,
} from './wire';

export interface ServerOptions {
  host: string;
  port: number;
  quiet: boolean;
}

export function newCounters(): Counters {
  return {
    commands: 0,
    byDb: {},
    opcounters: { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 },
  };
}

export class DocstoreServer {
  readonly cursors = new CursorManager();
  counters: Counters = newCounters();
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;
  private readonly startedAt = Date.now();
  host = '127.0.0.1';
  port = 0;

  constructor(readonly store: Store, private readonly quiet: boolean) {}

  listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((s) => this.onConnection(s));
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const addr = server.address() as net.AddressInfo;
        this.host = host;
        this.port = addr.port;
        this.server = server;
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.cursors.close();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  private onConnection(socket: net.Socket) {
    const connectionId = this.nextConnectionId++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const reader = new MessageReader();
    let chain: Promise<void> = Promise.resolve();
    const ctx: CommandContext = {
      store: this.store,
      cursors: this.cursors,
      counters: this.counters,
      info: {
        host: this.host,
        port: this.port,
        startedAt: this.startedAt,
        connections: () => this.sockets.size,
      },
      connectionId,
    };
    let first = true;
    socket.on('data', (chunk: Buffer) => {
      // Every platform service answers `GET /health` (CONTRACT); the store does so on its own
      // port: a wire message never starts with "GET " (its first 4 bytes are a small length).
      if (first && chunk.subarray(0, 4).toString('latin1') === 'GET ') {
        const body = JSON.stringify({ service: 'docstore', status: 'ok', ok: true, connections: this.sockets.size - 1 });
        socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
        return;
      }
      first = false;
      let messages: Buffer[];
      try {
        messages = reader.push(chunk);
      } catch (e) {
        this.log(`connection ${connectionId}: ${(e as Error).message}`);
        socket.destroy();
        return;
      }
      for (const raw of messages) {
        chain = chain.then(() => this.handle(socket, ctx, raw));
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async handle(socket: net.Socket, ctx: CommandContext, raw: Buffer): Promise<void> {
    let msg: InboundMessage;
    try {
      msg = decodeMessage(raw);
    } catch (e) {
      this.log(`bad message: ${(e as Error).message}`);
      socket.destroy();
      return;
    }
    ctx.counters = this.counters; // resetCounters() swaps the object
    let reply: Reply;
    if (msg.opCode === OP_QUERY) {
      // Legacy handshake: `admin.$cmd` query with hello/isMaster, answered with OP_REPLY.
      const name = Object.keys(msg.command)[0] ?? '';
      const cmd = msg.command.$query && typeof msg.command.$query === 'object' ? (msg.command.$query as Doc) : msg.command;
      const cname = Object.keys(cmd)[0]?.toLowerCase() ?? name;
      let doc: Doc;
      if (cname === 'hello' || cname === 'ismaster') doc = helloReply(ctx.connectionId, cmd);
      else {
        const db = (msg.collection ?? 'admin.$cmd').split('.')[0];
        const r = await this.dispatch(ctx, db, cmd);
        doc = Buffer.isBuffer(r) ? { ok: 0, errmsg: 'cursor commands over OP_QUERY are not supported', code: 2 } : r;
      }
      write(socket, encodeReply(msg.requestId, doc));
      return;
    }
    if (msg.opCode !== OP_MSG) return;
    const db = typeof msg.command.$db === 'string' ? msg.command.$db : 'admin';
    reply = await this.dispatch(ctx, db, msg.command);
    if (msg.moreToCome) return; // w:0 — the client expects no reply
    write(socket, Buffer.isBuffer(reply) ? encodeMsgRaw(msg.requestId, reply) : encodeMsg(msg.requestId, reply));
  }

  async dispatch(ctx: CommandContext, db: string, cmd: Doc): Promise<Reply> {
    const name = Object.keys(cmd)[0] ?? '';
    const lname = name.toLowerCase();
    if (!UNCOUNTED.has(name) && !UNCOUNTED.has(lname)) {
      const c = this.counters;
      c.commands++;
      const per = (c.byDb[db] ??= {});
      per[name] = (per[name] ?? 0) + 1;
    }
    try {
      const h = HANDLERS[lname];
      if (!h) throw new CommandError(59, `no such command: '${name}'`);
      assertNoTransaction(cmd);
      return await h(ctx, db, cmd);
    } catch (e) {
      const err = toCommandError(e);
      if (!(e instanceof CommandError) && !this.quiet) this.log(`command ${name} failed: ${(e as Error).stack}`);
      return { ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName, ...err.extra };
    }
  }

  private log(s: string) {
    if (!this.quiet) process.stderr.write(`[docstore] ${s}\n`);
  }
}

function write(socket: net.Socket, parts: Buffer[]) {
  if (socket.destroyed) return;
  socket.cork();
  for (const p of parts) socket.write(p);
  socket.uncork();
}
