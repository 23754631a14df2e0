/**
 * Conformance: hello/isMaster, ping, buildInfo, listDatabases, listCollections, create,
 * drop, dropDatabase, unknown commands (59 CommandNotFound) and unsupported features
 * ($text, geo, change streams, transactions) failing clearly.
 */
import { BSON } from 'bson';
import { Schema } from 'mongoose';
import { MongoServerError, REAL_MONGO, TestEnv, itDocstore, rejection, rmDir, setup, tmpDir, uniqueDbName } from './helpers';

let env: TestEnv;

beforeAll(async () => {
  env = await setup('admin');
});
afterAll(async () => {
  await env?.close();
});

const admin = () => env.client.db('admin');

describe('server commands', () => {
  it('hello, isMaster and ismaster', async () => {
    for (const cmd of [{ hello: 1 }, { isMaster: 1 }, { ismaster: 1 }]) {
      const r = await admin().command(cmd);
      expect(r.ok).toBe(1);
      expect(r.ismaster === true || r.isWritablePrimary === true).toBe(true);
      expect(r.maxWireVersion).toBeGreaterThanOrEqual(17);
      expect(typeof r.minWireVersion).toBe('number');
      expect(r.maxBsonObjectSize).toBe(16 * 1024 * 1024);
      expect(r.maxMessageSizeBytes).toBeGreaterThanOrEqual(48000000);
      expect(r.maxWriteBatchSize).toBeGreaterThanOrEqual(1000);
      expect(typeof r.logicalSessionTimeoutMinutes).toBe('number');
    }
    const hello = await admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
  });

  it('ping and buildInfo', async () => {
    expect((await admin().command({ ping: 1 })).ok).toBe(1);
    expect((await env.db.command({ ping: 1 })).ok).toBe(1);
    const info = await admin().command({ buildInfo: 1 });
    expect(info.ok).toBe(1);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Array.isArray(info.versionArray)).toBe(true);
    expect((await admin().command({ buildinfo: 1 })).ok).toBe(1);
  });

  it('unknown commands fail with 59 CommandNotFound naming the command', async () => {
    const err = await rejection(env.db.command({ frobnicateTheDatabase: 1 }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(59);
    expect(err.codeName).toBe('CommandNotFound');
    expect(err.message).toContain('frobnicateTheDatabase');
  });

  it('create, listCollections (filter, nameOnly), drop', async () => {
    await env.db.createCollection('alpha');
    await env.db.createCollection('beta');
    await env.db.collection('gamma').insertOne({ x: 1 }); // implicit creation
    const dup = await rejection(env.db.command({ create: 'alpha', capped: true, size: 4096 }));
    expect(dup).toBeInstanceOf(MongoServerError);
    expect(dup.code).toBe(48); // NamespaceExists

    const infos = await env.db.listCollections().toArray();
    const names = infos.map((c) => c.name).sort();
    expect(names).toEqual(['alpha', 'beta', 'gamma']);
    const alpha = infos.find((c) => c.name === 'alpha')!;
    expect(alpha.type).toBe('collection');
    expect((alpha as { options?: unknown }).options).toEqual({});

    const onlyBeta = await env.db.listCollections({ name: 'beta' }).toArray();
    expect(onlyBeta.map((c) => c.name)).toEqual(['beta']);
    const nameOnly = await env.db.listCollections({}, { nameOnly: true }).toArray();
    expect(nameOnly.map((c) => c.name).sort()).toEqual(['alpha', 'beta', 'gamma']);
    const byRegex = await env.db.listCollections({ name: { $regex: '^[ab]' } }).toArray();
    expect(byRegex.map((c) => c.name).sort()).toEqual(['alpha', 'beta']);

    expect(await env.db.collection('beta').drop()).toBe(true);
    await env.db.dropCollection('never-existed').catch((e: { code?: number }) => {
      expect(e.code).toBe(26); // older servers: NamespaceNotFound; 7.0+: ok
    });
    expect((await env.db.listCollections().toArray()).map((c) => c.name).sort()).toEqual(['alpha', 'gamma']);
    // a dropped collection is empty and has only _id_ when recreated
    await env.db.collection('gamma').createIndex({ x: 1 });
    await env.db.collection('gamma').drop();
    expect(await env.db.collection('gamma').countDocuments()).toBe(0);
    await env.db.collection('gamma').insertOne({ y: 1 });
    expect((await env.db.collection('gamma').listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('listIndexes on a missing collection fails with 26 NamespaceNotFound', async () => {
    const err = await rejection(env.db.collection('no_such_coll').listIndexes().toArray());
    expect(err.code).toBe(26);
  });

  it('mongoose autoCreate creates the collection and drop works via the model', async () => {
    const M = env.conn.model('Auto', new Schema({ a: String }, { collection: 'autocreated', autoCreate: true }));
    await M.init();
    expect((await env.db.listCollections({ name: 'autocreated' }).toArray()).length).toBe(1);
    await M.collection.drop();
    expect((await env.db.listCollections({ name: 'autocreated' }).toArray()).length).toBe(0);
  });

  it('listDatabases and dropDatabase', async () => {
    const other = env.client.db(uniqueDbName('admin_other'));
    await other.collection('c1').insertMany([{ a: 1 }, { a: 2 }]);
    await other.collection('c2').insertOne({ b: 1 });
    const list = await admin().command({ listDatabases: 1 });
    expect(list.ok).toBe(1);
    const entry = list.databases.find((d: { name: string }) => d.name === other.databaseName);
    expect(entry).toBeDefined();
    expect(typeof entry.sizeOnDisk).toBe('number');
    expect(entry.empty).toBe(false);
    expect(typeof list.totalSize).toBe('number');
    const names = await admin().command({ listDatabases: 1, nameOnly: true });
    expect(names.databases.map((d: { name: string }) => d.name)).toContain(other.databaseName);

    expect(await other.dropDatabase()).toBe(true);
    const after = await admin().command({ listDatabases: 1 });
    expect(after.databases.map((d: { name: string }) => d.name)).not.toContain(other.databaseName);
    expect(await other.listCollections().toArray()).toEqual([]);
    expect(await other.collection('c1').countDocuments()).toBe(0);
  });

  itDocstore('a database dropped while a cursor is open does not break the server', async () => {
    const other = env.client.db(uniqueDbName('admin_cursor'));
    await other.collection('c').insertMany(Array.from({ length: 50 }, (_, i) => ({ i })));
    const cursor = other.collection('c').find({}).batchSize(10);
    await cursor.next();
    await other.dropDatabase();
    const rest = await cursor.toArray().catch((e: Error) => e);
    expect(Array.isArray(rest) || rest instanceof Error).toBe(true);
    expect((await admin().command({ ping: 1 })).ok).toBe(1);
  });
});

describe('size and memory reporting (what a long run needs to tell data growth from a leak)', () => {
  itDocstore('dbStats counts the documents and their BSON bytes, as MongoDB reports dataSize', async () => {
    const docs = Array.from({ length: 50 }, (_, i) => ({ seq: i, username: `user-${i}`, residentIds: Array.from({ length: i % 5 }, (_, j) => `r${j}`), at: new Date(0) }));
    const db = env.client.db(uniqueDbName('admin-stats'));
    await db.collection('entries').insertMany(docs.map((d) => ({ ...d })));
    const stored = await db.collection('entries').find().toArray();
    const bytes = stored.reduce((n, d) => n + BSON.calculateObjectSize(d), 0);
    const st = await db.command({ dbStats: 1 });
    expect(st.objects).toBe(50);
    expect(st.dataSize).toBe(bytes);
    expect(st.avgObjSize).toBeCloseTo(bytes / 50, 5);
    await db.collection('entries').deleteMany({ seq: { $lt: 25 } });
    const after = await db.command({ dbStats: 1 });
    expect(after.objects).toBe(25);
    expect(after.dataSize).toBe(stored.filter((d) => d.seq >= 25).reduce((n, d) => n + BSON.calculateObjectSize(d), 0));
    await db.dropDatabase();
  });

  itDocstore("serverStatus reports the process's memory (bytes) and no journal for an in-memory store", async () => {
    const s = await admin().command({ serverStatus: 1 });
    const m = s.docstore.memory;
    expect(m.rss).toBeGreaterThan(m.heapUsed);
    expect(m.heapTotal).toBeGreaterThanOrEqual(m.heapUsed);
    expect(m.heapUsed).toBeGreaterThan(1 << 20);
    expect(Math.round(m.rss / 1048576)).toBe(s.mem.resident);
    expect(s.docstore.journal).toBeNull();
  });

  itDocstore('serverStatus reports the journal: bytes since the last snapshot, the snapshot, compactions so far', async () => {
    const dbpath = tmpDir('admin-journal');
    const durable = await setup('admin-journal', { dbpath });
    try {
      const status = async () => (await durable.client.db('admin').command({ serverStatus: 1 })).docstore.journal;
      const before = await status();
      expect(before).toMatchObject({ compactions: 0, compacting: false });
      await durable.coll('j').insertMany(Array.from({ length: 100 }, (_, i) => ({ i, pad: 'x'.repeat(100) })));
      const grown = await status();
      expect(grown.journalBytes).toBeGreaterThan(before.journalBytes + 100 * 100);
    } finally {
      await durable.close(); // a clean stop folds the journal into a snapshot
    }
    const reopened = await setup('admin-journal', { dbpath, dbName: durable.dbName });
    try {
      const s = (await reopened.client.db('admin').command({ serverStatus: 1 })).docstore.journal;
      expect(s).toMatchObject({ journalBytes: 0, compactions: 0 });
      expect(s.snapshotBytes).toBeGreaterThan(100 * 100);
    } finally {
      await reopened.close();
      rmDir(dbpath);
    }
  });
});

describe('unsupported features fail clearly (never silently wrong)', () => {
  beforeAll(async () => {
    await env.db.collection('places').insertMany([
      { name: 'school', loc: { type: 'Point', coordinates: [111.6, 43.9] }, about: 'primary school' },
      { name: 'clinic', loc: { type: 'Point', coordinates: [111.7, 44.0] }, about: 'health clinic' },
    ]);
  });

  const feature = (err: Error & { code?: number }, name: RegExp) => {
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(name);
    if (!REAL_MONGO) expect(err.message).toMatch(/MongoDB/);
  };

  itDocstore('$text queries and text indexes', async () => {
    const q = await rejection(env.db.collection('places').find({ $text: { $search: 'school' } }).toArray());
    feature(q, /\$text|text search/i);
    const idx = await rejection(env.db.collection('places').createIndex({ about: 'text' }));
    feature(idx, /text/i);
  });

  itDocstore('geo queries and geo indexes', async () => {
    const within = await rejection(
      env.db.collection('places').find({ loc: { $geoWithin: { $centerSphere: [[111.6, 43.9], 0.001] } } }).toArray(),
    );
    feature(within, /geo/i);
    const near = await rejection(env.db.collection('places').find({ loc: { $near: { $geometry: { type: 'Point', coordinates: [111.6, 43.9] } } } }).toArray());
    feature(near, /near|geo/i);
    const geoNear = await rejection(
      env.db.collection('places').aggregate([{ $geoNear: { near: { type: 'Point', coordinates: [111.6, 43.9] }, distanceField: 'd' } }]).toArray(),
    );
    feature(geoNear, /geoNear|geo/i);
    const idx = await rejection(env.db.collection('places').createIndex({ loc: '2dsphere' }));
    feature(idx, /2dsphere|geo/i);
  });

  /** A docstore refusal: NotImplemented, naming the feature as src/unsupported.ts does. */
  const refused = (err: Error & { code?: number }, featureName: string) => {
    expect({ code: err.code, message: err.message.slice(0, 26 + featureName.length) }).toEqual({
      code: 238,
      message: `docstore does not support ${featureName}`,
    });
  };

  itDocstore('non-simple collations on distinct, count, indexes and collections (distinct used to ignore it)', async () => {
    const places = env.db.collection('places');
    const en = { locale: 'en_US', strength: 2 };
    refused(await rejection(places.distinct('name', {}, { collation: en })), 'non-simple collations');
    refused(await rejection(places.count({}, { collation: en })), 'non-simple collations');
    refused(await rejection(places.createIndex({ name: 1 }, { collation: en })), 'non-simple collations');
    refused(await rejection(env.db.createCollection('ci_names', { collation: en })), 'non-simple collations');
    expect(await places.distinct('name', {}, { collation: { locale: 'simple' } })).toEqual(['clinic', 'school']);
  });

  itDocstore('collection options that change answers: capped, clustered, validators, views, collMod', async () => {
    refused(await rejection(env.db.createCollection('log', { capped: true, size: 4096 })), 'capped collections');
    refused(await rejection(env.db.command({ create: 'clustered', clusteredIndex: { key: { _id: 1 }, unique: true }, expireAfterSeconds: 60 })), 'clustered collections');
    refused(await rejection(env.db.createCollection('checked', { validator: { x: { $type: 'string' } } })), 'collection validators');
    refused(await rejection(env.db.command({ collMod: 'places', validator: { x: { $type: 'string' } } })), 'collection validators');
    refused(await rejection(env.db.command({ collMod: 'places', index: { name: 'name_1', hidden: true } })), 'collMod');
    refused(await rejection(env.db.createCollection('v', { viewOn: 'places', pipeline: [] })), 'views');
    const names = (await env.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => ['log', 'clustered', 'checked', 'v'].includes(n))).toEqual([]);
  });

  itDocstore('find options that select by index bounds or return index keys', async () => {
    refused(await rejection(env.db.collection('places').find({}, { min: { _id: 0 } }).toArray()), 'the find options min, max, returnKey and showRecordId');
    refused(await rejection(env.db.collection('places').find({}, { showRecordId: true }).toArray()), 'the find options min, max, returnKey and showRecordId');
  });

  it('change streams', async () => {
    if (REAL_MONGO && (await admin().command({ hello: 1 })).setName) return; // a replica set supports them
    const stream = env.db.collection('places').watch();
    try {
      const err = await rejection(stream.tryNext());
      if (!REAL_MONGO) feature(err, /change stream|\$changeStream/i);
    } finally {
      await stream.close().catch(() => undefined);
    }
  });

  it('multi-document transactions are refused and write nothing', async () => {
    const hello = await admin().command({ hello: 1 });
    if (REAL_MONGO && hello.setName) return; // a replica set supports them
    const session = env.client.startSession();
    try {
      const err = await rejection(
        session.withTransaction(async () => {
          await env.db.collection('txn').insertOne({ _id: 'in-txn' as any }, { session });
          await env.db.collection('txn').insertOne({ _id: 'in-txn-2' as any }, { session });
        }),
      );
      if (!REAL_MONGO) feature(err, /transaction/i);
    } finally {
      await session.endSession();
    }
    expect(await env.db.collection('txn').countDocuments()).toBe(0);
    // mongoose's helper fails the same way
    const M = env.conn.model('Txn', new Schema({ _id: String }, { collection: 'txn' }));
    const err2 = await rejection(env.conn.transaction(async (s) => {
      await M.create([{ _id: 'm' }], { session: s });
    }));
    expect(err2).toBeInstanceOf(Error);
    expect(await M.countDocuments()).toBe(0);
  });
});

describe('health over HTTP on the store port', () => {
  it('answers GET /health with 200 and JSON, like every platform service', async () => {
    if (process.env.MONGODB_URI) return; // docstore only
    const { startDocstore } = await import('../src');
    const ds = await startDocstore({ port: 0, quiet: true });
    try {
      const res = await fetch(`http://127.0.0.1:${ds.port}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ service: 'docstore', ok: true });
    } finally {
      await ds.close();
    }
  });
});
