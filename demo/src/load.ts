import mongoose, { type Connection } from 'mongoose';
import { databaseName } from '@anmulong/platform';
import { civilAffairsModels } from '@anmulong/civil-affairs';
import { courtModels } from '@anmulong/court';
import { mediationModels } from '@anmulong/mediation';
import { partyBuildingModels } from '@anmulong/party-building';
import { policeModels } from '@anmulong/police';
import { registryModels } from '@anmulong/registry';
import { DEFAULT_SCALE, DEFAULT_SEED, demoFigures, REFERENCE_DATE, type DemoFigures } from './figures';
import { generateDemo } from './generate';
import type { DemoData } from './types';

/** A model as far as loading needs it: its collection name and index creation. */
interface LoadableModel {
  collection: { collectionName: string };
  init(): Promise<unknown>;
}

/**
 * The models of each subgraph, bound to that subgraph's own connection. One entry per
 * department module; its collections are the keys of `DemoData[subgraph]`.
 */
export const SUBGRAPH_MODELS: { [K in keyof DemoData]: (conn: Connection) => Record<string, LoadableModel> } = {
  registry: registryModels,
  police: policeModels,
  mediation: mediationModels,
  court: courtModels,
  'civil-affairs': civilAffairsModels,
  'party-building': partyBuildingModels,
};

/** The database of each subgraph, per CONTRACT: `anmulong_<subgraph>`. */
export const defaultDbName = databaseName;

/** Marker of a loaded demo: `anmulong_registry.demo_meta`, `_id: 'demo'`. */
export const DEMO_META_COLLECTION = 'demo_meta';
export const DEMO_META_ID = 'demo';

export interface DemoMeta {
  _id: typeof DEMO_META_ID;
  seed: number;
  scale: number;
  /** Fixed (the article's date), so the same seed always describes the same data. */
  generatedAt: Date;
  loadedAt: Date;
  figures: DemoFigures;
  counts: Record<string, Record<string, number>>;
}

export interface LoadOptions {
  mongoUri: string;
  dbName?: (subgraph: string) => string;
  scale?: number;
  seed?: number;
  /** Drop each subgraph's database first. Without it, loading refuses non-empty collections. */
  drop?: boolean;
  log?: (msg: string) => void;
  /** Documents per insert command. */
  batchSize?: number;
}

export interface DemoSummary {
  seed: number;
  scale: number;
  /** Documents inserted, per subgraph and collection. */
  counts: Record<string, Record<string, number>>;
  total: number;
  generateMs: number;
  loadMs: number;
}

export class DemoAlreadyLoadedError extends Error {
  constructor(what: string) {
    super(`demo data not loaded: ${what} (use --drop / drop: true to replace it)`);
    this.name = 'DemoAlreadyLoadedError';
  }
}

async function connect(uri: string, dbName: string): Promise<Connection> {
  return mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
}

/**
 * Generates the demo data and writes it into each subgraph's database: indexes first
 * (`Model.init()`), then the documents in large unordered batches through the driver,
 * then the marker document (last, so a half-finished load is not taken for a loaded one).
 */
export async function loadDemo(options: LoadOptions): Promise<DemoSummary> {
  const seed = options.seed ?? DEFAULT_SEED;
  const scale = options.scale ?? DEFAULT_SCALE;
  const dbName = options.dbName ?? defaultDbName;
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 10_000;

  const t0 = Date.now();
  const data = generateDemo({ seed, scale });
  const generateMs = Date.now() - t0;
  log(`generated demo data (seed ${seed}, scale ${scale}) in ${generateMs} ms`);

  const t1 = Date.now();
  const counts: Record<string, Record<string, number>> = {};
  let total = 0;
  const subgraphs = Object.keys(SUBGRAPH_MODELS) as Array<keyof DemoData>;
  const conns = new Map<string, Connection>();
  try {
    for (const sub of subgraphs) conns.set(sub, await connect(options.mongoUri, dbName(sub)));
    const registryConn = conns.get('registry')!;

    if (options.drop) {
      for (const sub of subgraphs) {
        await conns.get(sub)!.dropDatabase();
        log(`dropped ${dbName(sub)}`);
      }
    } else {
      if (await registryConn.collection(DEMO_META_COLLECTION).findOne({ _id: DEMO_META_ID } as object)) {
        throw new DemoAlreadyLoadedError(`${dbName('registry')}.${DEMO_META_COLLECTION} says it is already there`);
      }
      for (const sub of subgraphs) {
        const db = conns.get(sub)!.db!;
        for (const name of Object.keys(data[sub])) {
          if (await db.collection(name).findOne({})) throw new DemoAlreadyLoadedError(`${dbName(sub)}.${name} is not empty`);
        }
      }
    }

    for (const sub of subgraphs) {
      const conn = conns.get(sub)!;
      const models = Object.values(SUBGRAPH_MODELS[sub](conn));
      const docsByCollection = data[sub] as unknown as Record<string, object[]>;
      const modelled = new Set(models.map((m) => m.collection.collectionName));
      for (const name of Object.keys(docsByCollection)) {
        if (!modelled.has(name)) throw new Error(`demo data has ${sub}.${name} but the ${sub} models have no such collection`);
      }
      counts[sub] = {};
      for (const model of models) {
        await model.init();
        const name = model.collection.collectionName;
        const docs = docsByCollection[name] ?? [];
        const coll = conn.db!.collection(name);
        for (let i = 0; i < docs.length; i += batchSize) {
          await coll.insertMany(docs.slice(i, i + batchSize), { ordered: false });
        }
        counts[sub][name] = docs.length;
        total += docs.length;
        log(`${dbName(sub)}.${name}: ${docs.length}`);
      }
    }

    const meta: DemoMeta = {
      _id: DEMO_META_ID,
      seed,
      scale,
      generatedAt: REFERENCE_DATE,
      loadedAt: new Date(),
      figures: demoFigures(scale),
      counts,
    };
    await registryConn.collection(DEMO_META_COLLECTION).insertOne(meta as unknown as mongoose.mongo.Document);
  } finally {
    for (const c of conns.values()) await c.close();
  }
  const loadMs = Date.now() - t1;
  log(`loaded ${total} documents in ${loadMs} ms`);
  return { seed, scale, counts, total, generateMs, loadMs };
}

/** The marker of a loaded demo, or null when none has been loaded (e.g. first start). */
export async function readDemoMeta(
  mongoUri: string,
  options: { dbName?: (subgraph: string) => string } = {},
): Promise<DemoMeta | null> {
  const conn = await connect(mongoUri, (options.dbName ?? defaultDbName)('registry'));
  try {
    return (await conn.collection(DEMO_META_COLLECTION).findOne({ _id: DEMO_META_ID } as object)) as DemoMeta | null;
  } finally {
    await conn.close();
  }
}

/** True when the demo data has been loaded (its marker exists). */
export async function isDemoLoaded(mongoUri: string, options: { dbName?: (subgraph: string) => string } = {}): Promise<boolean> {
  return (await readDemoMeta(mongoUri, options)) !== null;
}

/** First start: loads the demo unless its marker is there. Returns the summary, or null if it was loaded before. */
export async function ensureDemoLoaded(options: LoadOptions): Promise<DemoSummary | null> {
  if (await isDemoLoaded(options.mongoUri, { dbName: options.dbName })) return null;
  return loadDemo(options);
}
