/**
 * @anmulong/docstore — an embedded, MongoDB-wire-compatible document store.
 *
 *   const ds = await startDocstore({ dbpath: '.data/db' });
 *   await mongoose.connect(ds.uri);
 *
 * Without `dbpath` everything lives in memory. With it, every acknowledged write is in
 * an fsynced journal before the reply is sent (see journal.ts).
 */
import { DEFAULT_CACHE_MB, DocCache } from './cache';
import { snapshotCounters } from './commands';
import { watchGc } from './memory';
import { Journal } from './journal';
import { DocstoreServer, newCounters } from './server';
import { Store } from './store';

export interface DocstoreCounters {
  commands: number;
  byDb: Record<string, Record<string, number>>;
  collections: Record<string /* db.coll */, { indexLookups: number; collectionScans: number }>;
}

export interface DocstoreHandle {
  uri: string;
  port: number;
  host: string;
  close(): Promise<void>;
  counters(): DocstoreCounters;
  resetCounters(): void;
}

export interface DocstoreOptions {
  host?: string;
  port?: number;
  dbpath?: string;
  quiet?: boolean;
  /**
   * Budget of the document cache with a dbpath, in MiB of heap (default 256, WiredTiger's
   * minimum): documents beyond it are dropped from memory and read back from disk when
   * needed (see cache.ts). Ignored without a dbpath, where nothing can be evicted.
   */
  cacheSizeMB?: number;
}

export async function startDocstore(opts: DocstoreOptions = {}): Promise<DocstoreHandle> {
  const host = opts.host ?? '127.0.0.1';
  const quiet = opts.quiet ?? true;
  const mb = opts.cacheSizeMB ?? DEFAULT_CACHE_MB;
  if (!(mb > 0)) throw new Error(`docstore: cacheSizeMB must be a positive number of MiB (got ${opts.cacheSizeMB})`);
  const store = new Store(opts.dbpath ? new DocCache(mb * 1024 * 1024) : null);
  watchGc();
  let journal: Journal | null = null;
  if (opts.dbpath) {
    journal = await Journal.open(opts.dbpath, store, { quiet });
    store.persistence = journal;
    // the index build at open decoded cold documents: count only reads made while serving
    if (store.cache) store.cache.coldReads = 0;
  }
  const server = new DocstoreServer(store, quiet);
  try {
    await server.listen(host, opts.port ?? 0);
  } catch (e) {
    if (journal) await journal.close();
    throw e;
  }
  const uriHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | null = null;
  return {
    uri: `mongodb://${uriHost}:${server.port}/`,
    port: server.port,
    host,
    close() {
      closed ??= (async () => {
        await server.close();
        if (journal) await journal.close();
      })();
      return closed;
    },
    counters: () => snapshotCounters({ store, counters: server.counters }),
    resetCounters() {
      server.counters = newCounters();
      for (const colls of store.dbs.values()) {
        for (const c of colls.values()) {
          c.stats.indexLookups = 0;
          c.stats.collectionScans = 0;
        }
      }
    },
  };
}
