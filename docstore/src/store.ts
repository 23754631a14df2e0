/**
 * The in-memory catalogue: databases → collections, plus the hook that forwards every
 * mutation to the journal (when a dbpath is configured).
 */
import type { DocCache, Loc } from './cache';
import { Collection, WriteLog } from './collection';
import { CommandError, assertSimpleCollation, unsupported } from './errors';
import { defaultIndexName } from './indexes';
import { Doc, isPlainObject } from './values';

/** What the store needs from durability: record appends and a barrier for acknowledgement. */
export interface Persistence {
  append(rec: Doc): void;
  /** A whole-document put; `raw` is its BSON when the caller already has it. Fills in `loc`: where it will be on disk. */
  put(db: string, coll: string, doc: Doc, raw: Buffer | undefined, loc: Loc): void;
  /** Resolves once everything appended so far is on disk (fsync). */
  sync(): Promise<void>;
  /** Journal and snapshot sizes, compactions so far (serverStatus). */
  status?(): Doc;
}

export class Store {
  readonly dbs = new Map<string, Map<string, Collection>>();
  persistence: Persistence | null = null;

  /** The bounded document cache (dbpath only: without a disk copy nothing can be evicted). */
  constructor(readonly cache: DocCache | null = null) {}
  /** Set while a dbpath is being loaded: collections are in bulk-load mode (see Collection.bulk). */
  private loading = false;

  beginLoad(): void {
    this.loading = true;
  }

  /** Builds the indexes of every collection loaded since beginLoad(). */
  endLoad(): void {
    this.loading = false;
    for (const colls of this.dbs.values()) for (const c of colls.values()) c.endBulkLoad();
    // the indexes' bookkeeping is now counted: hot documents loaded beyond what it leaves go cold
    this.cache?.evict();
  }

  /** Collections write through this; it is a no-op until persistence is attached. */
  readonly writeLog: WriteLog = {
    put: (db, c, doc, raw, loc) => this.persistence?.put(db, c, doc, raw, loc),
    del: (db, c, id) => this.persistence?.append({ o: 'del', db, c, id }),
  };

  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** Writes create their collection implicitly, as in MongoDB. */
  ensure(db: string, name: string): Collection {
    return this.get(db, name) ?? this.create(db, name, {});
  }

  create(db: string, name: string, options: Doc, log = true): Collection {
    validateNames(db, name);
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    if (colls.has(name)) throw new CommandError(48, `Collection ${db}.${name} already exists.`);
    const c = new Collection(db, name, options, this.writeLog, this.cache);
    c.bulk = this.loading;
    colls.set(name, c);
    if (log) this.persistence?.append({ o: 'create', db, c: name, options });
    return c;
  }

  drop(db: string, name: string, log = true): Collection | undefined {
    const colls = this.dbs.get(db);
    const c = colls?.get(name);
    if (!c || !colls) return undefined;
    colls.delete(name);
    c.release();
    if (colls.size === 0) this.dbs.delete(db);
    if (log) this.persistence?.append({ o: 'drop', db, c: name });
    return c;
  }

  dropDatabase(db: string, log = true): void {
    for (const c of this.dbs.get(db)?.values() ?? []) c.release();
    this.dbs.delete(db);
    if (log) this.persistence?.append({ o: 'dropdb', db });
  }

  createIndex(coll: Collection, spec: Doc, log = true): void {
    coll.addIndex(spec);
    if (log) this.persistence?.append({ o: 'index', db: coll.db, c: coll.name, spec });
  }

  dropIndex(coll: Collection, name: string, log = true): void {
    coll.dropIndex(name);
    if (log) this.persistence?.append({ o: 'dropindex', db: coll.db, c: coll.name, name });
  }

  renameCollection(fromDb: string, from: string, toDb: string, to: string, dropTarget: boolean): void {
    const src = this.get(fromDb, from);
    if (!src) throw new CommandError(26, `Source collection ${fromDb}.${from} does not exist`);
    if (this.get(toDb, to)) {
      if (!dropTarget) throw new CommandError(48, `Target collection ${toDb}.${to} already exists`);
      this.drop(toDb, to);
    }
    const dst = this.create(toDb, to, src.options);
    for (const spec of src.indexSpecs().slice(1)) this.createIndex(dst, spec);
    for (const d of src.docs.values()) dst.insert(d);
    this.drop(fromDb, from);
  }

  /** Replays one journal record (no re-logging, no unique checks). */
  apply(rec: Doc): void {
    const db = rec.db as string;
    const c = rec.c as string;
    switch (rec.o) {
      case 'put':
        (this.get(db, c) ?? this.create(db, c, {}, false)).applyPut(rec.d as Doc);
        break;
      case 'del':
        this.get(db, c)?.applyDelete(rec.id);
        break;
      case 'create':
        if (!this.get(db, c)) this.create(db, c, (rec.options as Doc) ?? {}, false);
        break;
      case 'drop':
        this.drop(db, c, false);
        break;
      case 'dropdb':
        this.dropDatabase(db, false);
        break;
      case 'index': {
        const coll = this.get(db, c) ?? this.create(db, c, {}, false);
        const spec = rec.spec as Doc;
        if (!coll.indexes.some((i) => i.name === spec.name)) coll.addIndex(spec);
        break;
      }
      case 'dropindex':
        this.get(db, c)?.dropIndex(rec.name as string);
        break;
    }
  }
}

export function validateNames(db: string, name: string): void {
  if (!db || /[/\\. "$\0]/.test(db)) throw new CommandError(73, `Invalid database name: '${db}'`);
  if (typeof name !== 'string' || !name || name.includes('\0') || name.startsWith('.') || name.includes('$')) {
    throw new CommandError(73, `Invalid collection name: ${String(name)}`);
  }
}

/** Normalises an index spec from createIndexes into what listIndexes returns. */
export function normaliseIndexSpec(raw: Doc): Doc {
  if (!isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw new CommandError(67, 'Index key pattern must be a non-empty object');
  }
  const key = raw.key as Doc;
  for (const k of Object.keys(key)) {
    const v = key[k];
    if (v === 'text' || v === '2dsphere' || v === '2d' || v === 'geoHaystack') {
      throw unsupported(v === 'text' ? 'textSearch' : 'geo', `${v} indexes`);
    }
    if (k === '$**' || k.endsWith('.$**')) {
      throw unsupported('wildcardIndexes', k);
    }
  }
  if (raw.collation !== undefined) assertSimpleCollation(raw.collation);
  const spec: Doc = { v: 2, key, name: raw.name ?? defaultIndexName(key) };
  for (const opt of ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'collation', 'hidden']) {
    if (raw[opt] !== undefined) spec[opt] = raw[opt];
  }
  if (spec.unique === false) delete spec.unique;
  if (spec.sparse === false) delete spec.sparse;
  return spec;
}
