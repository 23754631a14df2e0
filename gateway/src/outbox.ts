import { randomUUID } from 'node:crypto';
import { constants, promises as fsp, mkdirSync, readFileSync, readdirSync, write } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Logger } from '@anmulong/platform';
import { acquireDirLock, releaseDirLock } from '@anmulong/base';

/*
 * The gateway's durable outbox for the access log (X-Road's model: each security server keeps
 * its own message log and archives it centrally). An entry is appended to a local journal and
 * fsynced before the response that it records leaves the gateway, so no read goes unrecorded
 * even if the gateway dies the next instant; a background shipper then hands the entries, in
 * large batches, to the access service, which chains them. Entries carry an id, so a batch that
 * is shipped twice (the gateway died before hearing the acknowledgement) is stored once.
 *
 * Fail closed: if the journal cannot be written, or the access service has not taken the entries
 * for too long (backlog bounds), `record` rejects and the gateway serves no personal data.
 *
 * On disk: `segment-<n>.log` files, one line per entry, `<crc32 hex> <json>`. New entries go to
 * the newest segment; each shipping round starts a new one and deletes the older ones once the
 * access service has acknowledged everything in them. A torn last line (crash mid-write) was
 * never acknowledged to anyone and is dropped on recovery.
 */

/**
 * One write(2) of `bytes` from `off`, through the callback API: the FileHandle's promise
 * machinery costs about 0.1 ms more per call here, on the path of every answer that is logged.
 */
const writeAt = (fd: number, bytes: Buffer, off: number) =>
  new Promise<number>((resolve, reject) => write(fd, bytes, off, bytes.length - off, null, (err, n) => (err ? reject(err) : resolve(n))));

export type OutboxEntry = Record<string, unknown> & { entryId: string; at: string };

/** A batch as shipped: each entry's JSON (serialised once, when journaled). */
export interface ShippedBatch {
  json: string[];
  /** Some entries may have reached the access service before (a retry, or left by a crash). */
  redelivery: boolean;
}

export interface OutboxOptions {
  dir: string;
  /** Hands a batch to the access service; resolves once it is stored there. */
  ship: (batch: ShippedBatch) => Promise<void>;
  log: Logger;
  /**
   * How often the shipper runs (ms, default 500: entries reach auditors within about that; each
   * shipment costs the access service and its store a fixed amount, so fewer, larger ones are
   * cheaper); it also runs as soon as a batch's worth is waiting.
   */
  intervalMs?: number;
  /** Entries per shipped batch (the access service takes up to 1,000 a request). */
  batchSize?: number;
  /** Fail closed beyond this many entries not yet taken by the access service. */
  maxBacklog?: number;
  /** Fail closed when the oldest entry not yet taken is older than this (ms). */
  maxAgeMs?: number;
}

/** An entry as journaled: its JSON, and when it was recorded (for the age bound). */
interface Journaled {
  json: string;
  at: string;
}

interface Segment {
  n: number;
  file: string;
  entries: Journaled[];
  /** Shipping was tried (or the segment was left by an earlier run): the access service may have some. */
  attempted: boolean;
}

export interface OutboxStatus {
  /** Entries written here and not yet stored by the access service. */
  unshipped: number;
  oldestUnshippedMs: number | null;
  lastShipError: string | null;
  /** Why personal data is being refused now (backlog bounds), or null. */
  refusing: string | null;
  /** Entries the access service refused as malformed, kept in `quarantine.log` (should be 0). */
  quarantined: number;
}

const SEGMENT = /^segment-(\d{9})\.log$/;
/** Bytes of entries per shipped batch (the access service takes bodies up to 8 MB). */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** Consecutive runs of entries, each at most `count` entries and `bytes` bytes (at least one entry). */
function* chunks(entries: Journaled[], count: number, bytes: number): Generator<Journaled[]> {
  let start = 0;
  while (start < entries.length) {
    let end = start;
    let size = 0;
    while (end < entries.length && end - start < count && (end === start || size + entries[end].json.length <= bytes)) size += entries[end++].json.length;
    yield entries.slice(start, end);
    start = end;
  }
}

async function syncDir(dir: string): Promise<void> {
  const d = await fsp.open(dir, 'r');
  try {
    await d.sync();
  } catch {
    // some platforms cannot fsync directories
  } finally {
    await d.close();
  }
}
const segmentFile = (dir: string, n: number) => path.join(dir, `segment-${String(n).padStart(9, '0')}.log`);
const checksum = (json: string) => crc32(json).toString(16).padStart(8, '0');
const line = (json: string) => `${checksum(json)} ${json}\n`;

/** Parses a segment's lines, leaving out a torn last line and any line that fails its checksum. */
export function readSegment(text: string): { entries: OutboxEntry[]; json: string[]; bad: number } {
  const entries: OutboxEntry[] = [];
  const json: string[] = [];
  const lines = text.split('\n');
  let bad = lines.pop() ? 1 : 0; // what follows the last newline: empty, or a torn write
  for (const l of lines) {
    const j = l.slice(9);
    if (l[8] === ' ' && checksum(j) === l.slice(0, 8)) {
      entries.push(JSON.parse(j) as OutboxEntry);
      json.push(j);
    } else bad++;
  }
  return { entries, json, bad };
}

export class AccessLogOutbox {
  private segments: Segment[] = [];
  private fh: fsp.FileHandle | null = null;
  /** File operations (appends, rotations) run one after another in this chain. */
  private ops: Promise<void> = Promise.resolve();
  private pending: { entry: Journaled; resolve: () => void; reject: (e: Error) => void }[] = [];
  private writeQueued = false;
  private shipping: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastShipError: string | null = null;
  private failing = false;
  private closed = false;
  /** Entries made durable here (acknowledged to their requests) and taken by the access service. */
  private recordedCount = 0;
  private shippedCount = 0;
  private quarantined = 0;
  private lockFile: string;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly maxBacklog: number;
  private readonly maxAgeMs: number;

  constructor(private opts: OutboxOptions) {
    this.intervalMs = opts.intervalMs ?? 500;
    this.batchSize = opts.batchSize ?? 1000;
    this.maxBacklog = opts.maxBacklog ?? 100_000;
    this.maxAgeMs = opts.maxAgeMs ?? 5 * 60_000;
    this.lockFile = path.join(opts.dir, 'LOCK');
  }

  /** Takes the directory (one gateway per outbox), recovers what an earlier run left unshipped. */
  async open(): Promise<void> {
    mkdirSync(this.opts.dir, { recursive: true });
    acquireDirLock(this.lockFile, (holder) => `access-log outbox ${this.opts.dir} is in use by ${holder}: give each gateway its own AUDIT_OUTBOX_DIR`);
    const found = readdirSync(this.opts.dir)
      .map((f) => SEGMENT.exec(f))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    let recovered = 0;
    for (const n of found) {
      const file = segmentFile(this.opts.dir, n);
      const { entries, json, bad } = readSegment(readFileSync(file, 'utf8'));
      if (bad) this.opts.log.warn({ file, dropped: bad }, 'access-log outbox: torn or damaged lines were dropped (a torn last line was never acknowledged)');
      this.segments.push({ n, file, entries: entries.map((e, i) => ({ json: json[i], at: e.at })), attempted: true });
      recovered += entries.length;
    }
    this.recordedCount = recovered;
    if (recovered) this.opts.log.info({ entries: recovered, segments: found.length }, 'access-log outbox: shipping entries left by an earlier run');
    await this.startSegment((found.at(-1) ?? 0) + 1);
    this.timer = setInterval(() => void this.ship(), this.intervalMs);
    this.timer.unref();
    if (recovered) void this.ship();
  }

  /** Opens segment n and makes it the one appended to; the old handle is closed only once it is open. */
  private async startSegment(n: number): Promise<void> {
    const file = segmentFile(this.opts.dir, n);
    // O_DSYNC: a write returns once its data is on disk, so each group commit is one system call
    // (one trip to libuv's thread pool) rather than a write and an fdatasync.
    const fh = await fsp.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC, 0o600);
    await syncDir(this.opts.dir); // the new file's name must survive a crash too
    const old = this.fh;
    this.fh = fh;
    this.segments.push({ n, file, entries: [], attempted: false });
    await old?.close().catch(() => undefined);
  }

  /** Seals the live segment (new appends go to a fresh one); on failure appends go on where they were. */
  private async rotate(reason: string): Promise<void> {
    try {
      await this.startSegment(this.segments.at(-1)!.n + 1);
    } catch (e) {
      this.opts.log.error({ err: (e as Error).message, reason }, 'access-log outbox: could not start a new segment');
    }
  }

  /** Assigns the entry its id and time; resolves once it is on disk here. */
  record(fields: Record<string, unknown>): Promise<void> {
    if (this.closed) return Promise.reject(new Error('access-log outbox is closed'));
    const bound = this.overBound();
    if (bound) return Promise.reject(new Error(bound));
    const at = new Date().toISOString();
    // Serialised once: the same JSON is journaled and later shipped.
    const entry = { json: JSON.stringify({ ...fields, entryId: randomUUID(), at }), at };
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (!this.writeQueued) {
        this.writeQueued = true;
        this.ops = this.ops.then(() => this.append());
      }
    });
  }

  /** One write and one fsync for everything recorded since the last append (group commit). */
  private async append(): Promise<void> {
    this.writeQueued = false;
    const batch = this.pending.splice(0);
    if (!batch.length) return;
    const segment = this.segments.at(-1)!;
    try {
      const bytes = Buffer.from(batch.map((b) => line(b.entry.json)).join(''));
      // A write may be short (a nearly full disk): go on until all of it is on disk.
      for (let off = 0; off < bytes.length; ) off += await writeAt(this.fh!.fd, bytes, off);
      for (const b of batch) segment.entries.push(b.entry);
      this.recordedCount += batch.length;
      this.failing = false;
      for (const b of batch) b.resolve();
    } catch (e) {
      // Nobody was told these are recorded, so those reads are not served. Some lines may be on
      // disk (shipped on recovery if the process dies; ids make that safe); a fresh segment keeps
      // a torn fragment from running into the next line.
      this.failing = true;
      this.opts.log.error({ err: (e as Error).message }, 'access-log outbox: write failed');
      for (const b of batch) b.reject(new Error(`the access log could not be written (${(e as Error).message})`));
      await this.rotate('after a failed write');
    }
    if (this.unshippedCount() >= this.batchSize) void this.ship();
  }

  private unshippedCount(): number {
    let n = this.pending.length;
    for (const s of this.segments) n += s.entries.length;
    return n;
  }

  private oldestUnshipped(): string | null {
    for (const s of this.segments) if (s.entries.length) return s.entries[0].at;
    return this.pending[0]?.entry.at ?? null;
  }

  /** Why new reads must be refused now, or null. */
  private overBound(): string | null {
    const n = this.unshippedCount();
    if (n >= this.maxBacklog) return `the access log is ${n} entries behind (bound ${this.maxBacklog}): the access service is not taking entries`;
    const oldest = this.oldestUnshipped();
    if (oldest && Date.now() - Date.parse(oldest) > this.maxAgeMs) {
      return `the access service has not taken access-log entries for ${Math.round((Date.now() - Date.parse(oldest)) / 1000)} s (bound ${Math.round(this.maxAgeMs / 1000)} s)`;
    }
    return null;
  }

  /** One shipping round: start a new segment, hand everything in the older ones over, delete them. */
  ship(): Promise<void> {
    if (this.shipping) return this.shipping;
    if (!this.segments.some((s) => s.entries.length)) return Promise.resolve();
    this.shipping = this.shipRound().finally(() => {
      this.shipping = null;
    });
    return this.shipping;
  }

  private async shipRound(): Promise<void> {
    if (this.segments.at(-1)!.entries.length) {
      const rotated = this.ops.then(() => this.rotate('shipping'));
      this.ops = rotated;
      await rotated;
    }
    for (const segment of this.segments.slice(0, -1)) {
      try {
        for (const chunk of chunks(segment.entries, this.batchSize, MAX_BATCH_BYTES)) await this.shipChunk(chunk, segment.attempted);
      } catch (e) {
        segment.attempted = true;
        if (this.lastShipError === null) this.opts.log.warn({ err: (e as Error).message }, 'access-log outbox: the access service did not take entries; retrying');
        this.lastShipError = (e as Error).message;
        return;
      }
      this.lastShipError = null;
      await fsp.unlink(segment.file).catch(() => undefined);
      this.segments.splice(this.segments.indexOf(segment), 1);
      // Counted once the whole segment is taken and gone (a retry resends all of it).
      this.shippedCount += segment.entries.length;
    }
  }

  /**
   * Ships one batch. A batch the access service refuses as a whole (too large, or an entry it
   * finds malformed: HTTP 400/413) is split until the refused entry is alone; that one is moved
   * to `quarantine.log` here, with an error logged, so one bad entry cannot stop the log.
   */
  private async shipChunk(chunk: Journaled[], redelivery: boolean): Promise<void> {
    try {
      await this.opts.ship({ json: chunk.map((e) => e.json), redelivery });
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status !== 400 && status !== 413) throw e;
      if (chunk.length > 1) {
        const half = Math.ceil(chunk.length / 2);
        await this.shipChunk(chunk.slice(0, half), redelivery);
        await this.shipChunk(chunk.slice(half), redelivery);
        return;
      }
      const q = await fsp.open(path.join(this.opts.dir, 'quarantine.log'), constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC, 0o600);
      try {
        await q.write(line(chunk[0].json));
      } finally {
        await q.close();
      }
      this.quarantined++;
      this.opts.log.error({ err: (e as Error).message, at: chunk[0].at }, 'access-log outbox: the access service refused an entry; kept in quarantine.log');
    }
  }

  /**
   * Resolves once every entry recorded before the call is stored by the access service (oversight
   * queries, tests, shutdown); entries recorded meanwhile do not hold it up.
   */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.ops; // appends in flight: their requests were told they are recorded
    const target = this.recordedCount;
    while (this.shippedCount < target) {
      await this.ship();
      if (this.shippedCount >= target) return;
      if (Date.now() > deadline) throw new Error(`access-log outbox: ${target - this.shippedCount} entries not taken (${this.lastShipError ?? 'no error'})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  status(): OutboxStatus {
    const oldest = this.oldestUnshipped();
    return {
      unshipped: this.unshippedCount(),
      oldestUnshippedMs: oldest ? Date.now() - Date.parse(oldest) : null,
      lastShipError: this.lastShipError ?? (this.failing ? 'journal write failed' : null),
      refusing: this.overBound(),
      quarantined: this.quarantined,
    };
  }

  /** Stops, after a last attempt to ship (what is left stays on disk for the next start). */
  async close(timeoutMs = 3000): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    await this.drain(timeoutMs).catch((e) => this.opts.log.warn({ err: (e as Error).message }, 'access-log outbox: entries left on disk for the next start'));
    this.closed = true;
    await this.ops;
    await this.fh?.close().catch(() => undefined);
    this.fh = null;
    // An empty live segment is not worth keeping.
    const live = this.segments.at(-1);
    if (live && live.entries.length === 0) await fsp.unlink(live.file).catch(() => undefined);
    releaseDirLock(this.lockFile);
  }
}
