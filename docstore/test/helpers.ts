/**
 * Connect/teardown helpers for the docstore conformance suite.
 *
 * Without MONGODB_URI every test file starts its own in-process docstore on an
 * ephemeral port and talks to it over TCP (mongoose / the official driver, unchanged).
 * With MONGODB_URI set the same tests run against that MongoDB instead; each file then
 * uses its own database (dropped at teardown) and docstore-only assertions are skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startDocstore } from '@anmulong/docstore';

export type DocstoreHandle = Awaited<ReturnType<typeof startDocstore>>;
export type MongoClient = mongoose.mongo.MongoClient;
export type Db = mongoose.mongo.Db;
export type Document = mongoose.mongo.Document;
export type CommandStartedEvent = mongoose.mongo.CommandStartedEvent;

export const { MongoClient: DriverClient, Long, Decimal128, Double, Int32, ObjectId, MongoServerError } = mongoose.mongo;

/** True when the suite runs against a real MongoDB (MONGODB_URI set). */
export const REAL_MONGO = Boolean(process.env.MONGODB_URI);
/** `it` for assertions that only hold for docstore (planner counters, unsupported-feature errors, ...). */
export const itDocstore: jest.It = REAL_MONGO ? it.skip : it;
export const describeDocstore: jest.Describe = REAL_MONGO ? describe.skip : describe;

/** A database name that is unique per test file and per run (MongoDB allows 63 bytes). */
export function uniqueDbName(label: string): string {
  const safe = label.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 24);
  return `dsconf_${safe}_${process.pid}_${Date.now().toString(36)}`;
}

export function tmpDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `docstore-${label}-`));
}

export function rmDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A schemaless document type for driver-level tests (any field, any _id). */
export type Loose = any;
export type LooseCollection = mongoose.mongo.Collection<Loose>;

export interface TestEnv {
  /** URI of the server (docstore or MONGODB_URI), without a database name. */
  uri: string;
  dbName: string;
  isDocstore: boolean;
  /** The docstore handle, when the suite started one. */
  server?: DocstoreHandle;
  /** A mongoose connection bound to `dbName` (models are registered on it, not on the global). */
  conn: mongoose.Connection;
  /** The driver client under `conn` (command monitoring enabled). */
  client: MongoClient;
  /** The driver Db for `dbName`. */
  db: Db;
  /** A schemaless driver collection in `dbName`. */
  coll(name: string): LooseCollection;
  /** Every command the client started, in order (cleared by `commands.length = 0`). */
  commands: CommandStartedEvent[];
  close(): Promise<void>;
}

export interface SetupOptions {
  /** Start the docstore with this dbpath (docstore only). */
  dbpath?: string;
  /** Use this database name instead of a fresh unique one (e.g. to reopen after a restart). */
  dbName?: string;
  /** Extra mongoose connection options. */
  connectOptions?: mongoose.ConnectOptions;
}

/**
 * With DOCSTORE_TEST_CACHE_MB set (cache-conformance.test.ts sets it before loading other
 * suites), a suite that would run in memory runs against a fresh dbpath with a document cache
 * of that many MiB instead (fractions allowed: 0.01 keeps only a few documents decoded), so
 * its queries read cold documents back from disk and must still give the same answers.
 */
export async function startServer(dbpath?: string): Promise<DocstoreHandle> {
  const cacheMB = process.env.DOCSTORE_TEST_CACHE_MB ? Number(process.env.DOCSTORE_TEST_CACHE_MB) : undefined;
  if (cacheMB === undefined) return startDocstore({ host: '127.0.0.1', port: 0, dbpath, quiet: true });
  const own = dbpath ? null : tmpDir('cache');
  const handle = await startDocstore({ host: '127.0.0.1', port: 0, dbpath: dbpath ?? (own as string), quiet: true, cacheSizeMB: cacheMB });
  if (!own) return handle;
  return {
    ...handle,
    async close() {
      await handle.close();
      rmDir(own);
    },
  };
}

/** Start (or reach) the server and open a mongoose connection to a fresh database. */
export async function setup(label: string, opts: SetupOptions = {}): Promise<TestEnv> {
  let server: DocstoreHandle | undefined;
  let uri: string;
  if (REAL_MONGO) {
    uri = process.env.MONGODB_URI as string;
  } else {
    server = await startServer(opts.dbpath);
    uri = server.uri;
  }
  const dbName = opts.dbName ?? uniqueDbName(label);
  const conn = mongoose.createConnection(uri, {
    dbName,
    monitorCommands: true,
    serverSelectionTimeoutMS: 5000,
    ...opts.connectOptions,
  });
  await conn.asPromise();
  const client = conn.getClient() as unknown as MongoClient;
  const db = client.db(dbName);
  const commands: CommandStartedEvent[] = [];
  client.on('commandStarted', (ev) => commands.push(ev));
  let closed = false;
  return {
    uri,
    dbName,
    isDocstore: !REAL_MONGO,
    server,
    conn,
    client,
    db,
    commands,
    coll: (name: string) => db.collection<Loose>(name),
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (REAL_MONGO) await db.dropDatabase();
      } finally {
        await conn.close(true);
        if (server) await server.close();
      }
    },
  };
}

/** A bare driver client to the same server (for tests that need their own pool settings). */
export async function rawClient(env: TestEnv, options: mongoose.mongo.MongoClientOptions = {}): Promise<MongoClient> {
  const c = new DriverClient(env.uri, { serverSelectionTimeoutMS: 5000, ...options });
  await c.connect();
  return c;
}

export interface ScanStats {
  indexLookups: number;
  collectionScans: number;
}

/**
 * Planner counters of one collection, read through the `serverStatus` command's
 * `docstore` section. Returns null against a real MongoDB.
 */
export async function scanStats(env: TestEnv, collection: string): Promise<ScanStats | null> {
  if (!env.isDocstore) return null;
  const status = await env.client.db('admin').command({ serverStatus: 1 });
  const colls = (status.docstore?.collections ?? {}) as Record<string, Partial<ScanStats>>;
  const c = colls[`${env.dbName}.${collection}`] ?? {};
  return { indexLookups: Number(c.indexLookups ?? 0), collectionScans: Number(c.collectionScans ?? 0) };
}

/**
 * Runs `fn` and (docstore only) asserts that it used an index on `collection` and did
 * not scan it. Returns fn's result.
 */
export async function expectIndexOnly<T>(env: TestEnv, collection: string, fn: () => Promise<T>): Promise<T> {
  const before = await scanStats(env, collection);
  const result = await fn();
  const after = await scanStats(env, collection);
  if (before && after) {
    expect({ collection, collectionScans: after.collectionScans - before.collectionScans }).toEqual({ collection, collectionScans: 0 });
    expect(after.indexLookups).toBeGreaterThan(before.indexLookups);
  }
  return result;
}

/** Runs `fn` and (docstore only) asserts that it scanned `collection`. */
export async function expectScan<T>(env: TestEnv, collection: string, fn: () => Promise<T>): Promise<T> {
  const before = await scanStats(env, collection);
  const result = await fn();
  const after = await scanStats(env, collection);
  if (before && after) expect(after.collectionScans).toBeGreaterThan(before.collectionScans);
  return result;
}

/** Server's maxWireVersion (from hello). */
export async function maxWireVersion(env: TestEnv): Promise<number> {
  const hello = await env.client.db('admin').command({ hello: 1 });
  return Number(hello.maxWireVersion);
}

/** Catch the rejection of a promise (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Wait until `check` returns true (polling), or fail after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
