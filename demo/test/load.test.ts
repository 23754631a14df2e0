/**
 * Loads the default-scale demo into a real store over TCP: the embedded docstore (or the
 * MongoDB at MONGODB_URI, in databases of their own that are dropped afterwards).
 */
import mongoose from 'mongoose';
import { startDocstore, type DocstoreHandle } from '@anmulong/docstore';
import { registryModels } from '@anmulong/registry';
import { policeModels } from '@anmulong/police';
import { DEFAULT_SCALE, DemoAlreadyLoadedError, generateDemo, GRIDWORKER_GRID, isDemoLoaded, loadDemo, readDemoMeta } from '../src';

jest.setTimeout(180_000);

let server: DocstoreHandle | undefined;
let uri: string;
const prefix = process.env.MONGODB_URI ? `demotest_${process.pid}_` : 'anmulong_';
const dbName = (s: string) => `${prefix}${s}`;
const conns: mongoose.Connection[] = [];

beforeAll(async () => {
  if (process.env.MONGODB_URI) uri = process.env.MONGODB_URI;
  else {
    server = await startDocstore({ host: '127.0.0.1', port: 0, quiet: true });
    uri = server.uri;
  }
});

afterAll(async () => {
  if (process.env.MONGODB_URI) {
    for (const s of Object.keys(generateDemo({ scale: 0.001 }))) {
      const c = await mongoose.createConnection(uri, { dbName: dbName(s) }).asPromise();
      await c.dropDatabase();
      await c.close();
    }
  }
  for (const c of conns) await c.close();
  await server?.close();
});

async function open(sub: string): Promise<mongoose.Connection> {
  const c = await mongoose.createConnection(uri, { dbName: dbName(sub) }).asPromise();
  conns.push(c);
  return c;
}

describe('loadDemo', () => {
  const expected = generateDemo({ scale: DEFAULT_SCALE });

  it('loads the default scale, with indexes, counts and a marker; a first start is recognisable', async () => {
    expect(await isDemoLoaded(uri, { dbName })).toBe(false);
    const logs: string[] = [];
    const summary = await loadDemo({ mongoUri: uri, dbName, log: (m) => logs.push(m) });
    expect(summary.scale).toBe(DEFAULT_SCALE);
    expect(summary.seed).toBe(20231128);
    expect(logs.length).toBeGreaterThan(5);

    // Every collection of every department module holds exactly the generated documents.
    const generated = expected as unknown as Record<string, Record<string, unknown[]>>;
    expect(Object.keys(summary.counts).sort()).toEqual(Object.keys(generated).sort());
    for (const [sub, colls] of Object.entries(generated)) {
      const db = (await open(sub)).db!;
      for (const [name, docs] of Object.entries(colls)) {
        expect([sub, name, summary.counts[sub]![name]]).toEqual([sub, name, docs.length]);
        expect([sub, name, await db.collection(name).countDocuments()]).toEqual([sub, name, docs.length]);
      }
    }
    const registry = registryModels(await open('registry'));
    const police = policeModels(await open('police'));
    const { registry: r, police: p } = expected;
    expect(await registry.Resident.countDocuments()).toBe(r.residents.length);
    expect(await police.HelpRequest.countDocuments()).toBe(p.helprequests.length);

    // The documents read back through the real models, the jurisdiction index works.
    const inGrid = r.residents.filter((x) => x.divisionCode === GRIDWORKER_GRID).length;
    expect(await registry.Resident.countDocuments({ divisionPath: GRIDWORKER_GRID })).toBe(inGrid);
    const qpj = p.helprequests.filter((h) => h.divisionCode.startsWith('150624101')).length;
    expect(await police.HelpRequest.countDocuments({ divisionPath: '150624101' })).toBe(qpj);
    const one = await registry.Resident.findById(r.residents[0]!._id).lean();
    expect(one).toMatchObject({ idNumber: r.residents[0]!.idNumber, name: r.residents[0]!.name, birthDate: r.residents[0]!.birthDate });
    const gw = await registry.GridWorker.findOne({ username: 'gridworker' }).lean();
    expect(gw?.divisionCode).toBe(GRIDWORKER_GRID);
    const [{ km }] = await police.Patrol.aggregate<{ km: number }>([{ $group: { _id: null, km: { $sum: '$distanceKm' } } }]);
    expect(km).toBeCloseTo(p.patrols.reduce((s, x) => s + x.distanceKm, 0), 3);

    // Model.init() built the schemas' indexes: a duplicate identity number is refused.
    const indexes = await registry.Resident.collection.listIndexes().toArray();
    expect(indexes.some((i) => i.key.idNumber === 1 && i.unique)).toBe(true);
    await expect(
      registry.Resident.collection.insertOne({ ...r.residents[0]!, _id: new mongoose.Types.ObjectId() }),
    ).rejects.toMatchObject({ code: 11000 });

    expect(await isDemoLoaded(uri, { dbName })).toBe(true);
    expect(await readDemoMeta(uri, { dbName })).toMatchObject({ seed: 20231128, scale: DEFAULT_SCALE, counts: summary.counts });
  });

  it('refuses to load twice without drop, and replaces everything with drop', async () => {
    await expect(loadDemo({ mongoUri: uri, dbName, scale: 0.005 })).rejects.toBeInstanceOf(DemoAlreadyLoadedError);
    const summary = await loadDemo({ mongoUri: uri, dbName, scale: 0.005, seed: 3, drop: true });
    const registry = registryModels(await open('registry'));
    expect(await registry.Household.countDocuments()).toBe(summary.counts.registry!.households);
    expect(summary.counts.registry!.households).toBe(generateDemo({ scale: 0.005, seed: 3 }).registry.households.length);
    expect(await readDemoMeta(uri, { dbName })).toMatchObject({ seed: 3, scale: 0.005 });
  });
});
