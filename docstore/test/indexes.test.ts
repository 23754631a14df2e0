/**
 * Conformance: createIndexes, listIndexes, dropIndexes; unique, compound, sparse and
 * partial indexes; unique builds over duplicate data; the planner's use of indexes
 * (docstore counters read through serverStatus).
 */
import { Schema } from 'mongoose';
import {
  Double,
  Long,
  MongoServerError,
  TestEnv,
  expectIndexOnly,
  expectScan,
  itDocstore,
  rejection,
  scanStats,
  setup,
} from './helpers';

let env: TestEnv;

beforeAll(async () => {
  env = await setup('indexes');
});
afterAll(async () => {
  await env?.close();
});

const coll = (name: string) => env.coll(name);
const dupMessage = (collection: string, index: string, key: string) =>
  `E11000 duplicate key error collection: ${env.dbName}.${collection} index: ${index} dup key: ${key}`;

async function indexNames(name: string): Promise<string[]> {
  return (await coll(name).listIndexes().toArray()).map((i) => i.name as string).sort();
}

describe('createIndexes / listIndexes / dropIndexes', () => {
  it('creates indexes (creating the collection) and lists them with their options', async () => {
    const r = await env.db.command({
      createIndexes: 'ix',
      indexes: [
        { key: { email: 1 }, name: 'email_1', unique: true },
        { key: { town: 1, age: -1 }, name: 'town_1_age_-1' },
        { key: { nick: 1 }, name: 'nick_1', unique: true, sparse: true },
        { key: { code: 1 }, name: 'code_active', unique: true, partialFilterExpression: { status: 'active' } },
      ],
    });
    expect(r.ok).toBe(1);
    expect(r.numIndexesBefore).toBe(1);
    expect(r.numIndexesAfter).toBe(5);
    expect(r.createdCollectionAutomatically).toBe(true);

    const list = await coll('ix').listIndexes().toArray();
    const byName = Object.fromEntries(list.map((i) => [i.name, i]));
    expect(Object.keys(byName).sort()).toEqual(['_id_', 'code_active', 'email_1', 'nick_1', 'town_1_age_-1']);
    expect(byName._id_.key).toEqual({ _id: 1 });
    expect(byName._id_.unique).toBeUndefined();
    expect(byName.email_1).toMatchObject({ key: { email: 1 }, unique: true });
    expect(Object.entries(byName['town_1_age_-1'].key)).toEqual([
      ['town', 1],
      ['age', -1],
    ]);
    expect(byName.nick_1).toMatchObject({ unique: true, sparse: true });
    expect(byName.code_active).toMatchObject({ key: { code: 1 }, unique: true, partialFilterExpression: { status: 'active' } });
    expect(typeof byName.email_1.v).toBe('number');
  });

  it('creating an identical index again is a no-op; a conflicting one fails', async () => {
    const again = await env.db.command({ createIndexes: 'ix', indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }] });
    expect(again.ok).toBe(1);
    expect(again.numIndexesBefore).toBe(again.numIndexesAfter);
    expect(await coll('ix').createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    const conflict = await rejection(env.db.command({ createIndexes: 'ix', indexes: [{ key: { email: 1 }, name: 'email_1', sparse: true }] }));
    expect(conflict).toBeInstanceOf(MongoServerError);
    expect([85, 86]).toContain(conflict.code);
    expect(await indexNames('ix')).toHaveLength(5);
  });

  it('drops indexes by name, by key pattern and all with "*"; errors for unknown names and _id_', async () => {
    await coll('ixdrop').createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 }, name: 'cee' }]);
    expect(await indexNames('ixdrop')).toEqual(['_id_', 'a_1', 'b_1', 'cee']);
    await coll('ixdrop').dropIndex('a_1');
    await env.db.command({ dropIndexes: 'ixdrop', index: { b: 1 } });
    expect(await indexNames('ixdrop')).toEqual(['_id_', 'cee']);
    const missing = await rejection(coll('ixdrop').dropIndex('nope_1'));
    expect(missing.code).toBe(27); // IndexNotFound
    const idErr = await rejection(coll('ixdrop').dropIndex('_id_'));
    expect(idErr).toBeInstanceOf(MongoServerError);
    await coll('ixdrop').createIndex({ d: 1 });
    await coll('ixdrop').dropIndexes();
    expect(await indexNames('ixdrop')).toEqual(['_id_']);
  });

  it('a dropped unique index is no longer enforced', async () => {
    await coll('ixdrop2').createIndex({ k: 1 }, { unique: true });
    await coll('ixdrop2').insertOne({ k: 1 });
    expect((await rejection(coll('ixdrop2').insertOne({ k: 1 }))).code).toBe(11000);
    await coll('ixdrop2').dropIndex('k_1');
    await coll('ixdrop2').insertOne({ k: 1 });
    expect(await coll('ixdrop2').countDocuments({ k: 1 })).toBe(2);
  });
});

describe('unique indexes', () => {
  beforeAll(async () => {
    await coll('uq').createIndex({ email: 1 }, { unique: true });
    await coll('uq').createIndex({ a: 1, b: 1 }, { unique: true });
  });

  it('enforce on insert with the MongoDB error format', async () => {
    await coll('uq').insertOne({ _id: 1, email: 'x@y', a: 1, b: 'p' });
    const err = await rejection(coll('uq').insertOne({ _id: 2, email: 'x@y', a: 2, b: 'p' }));
    expect(err.code).toBe(11000);
    expect(err.errmsg).toBe(dupMessage('uq', 'email_1', '{ email: "x@y" }'));
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'x@y' });
    expect(await coll('uq').countDocuments({ _id: 2 })).toBe(0);
  });

  it('compound keys report every field', async () => {
    const err = await rejection(coll('uq').insertOne({ _id: 3, email: 'other@y', a: 1, b: 'p' }));
    expect(err.code).toBe(11000);
    expect(err.errmsg).toBe(dupMessage('uq', 'a_1_b_1', '{ a: 1, b: "p" }'));
    expect(err.keyPattern).toEqual({ a: 1, b: 1 });
    expect(err.keyValue).toEqual({ a: 1, b: 'p' });
    await coll('uq').insertOne({ _id: 4, email: 'four@y', a: 1, b: 'q' });
  });

  it('treats a missing field as null (non-sparse)', async () => {
    await coll('uq').insertOne({ _id: 5, a: 5, b: 5 });
    const err = await rejection(coll('uq').insertOne({ _id: 6, a: 6, b: 6 }));
    expect(err.code).toBe(11000);
    expect(err.errmsg).toBe(dupMessage('uq', 'email_1', '{ email: null }'));
    expect(err.keyValue).toEqual({ email: null });
  });

  it('enforce on update, replace and in insertMany, leaving the data unchanged', async () => {
    const upd = await rejection(coll('uq').updateOne({ _id: 4 }, { $set: { email: 'x@y' } }));
    expect(upd.code).toBe(11000);
    expect((await coll('uq').findOne({ _id: 4 }))!.email).toBe('four@y');
    const many = await rejection(coll('uq').updateMany({ _id: { $in: [1, 4] } }, { $set: { a: 9, b: 9 } }));
    expect(many.code).toBe(11000);
    const rep = await rejection(coll('uq').replaceOne({ _id: 4 }, { email: 'x@y', a: 4, b: 4 }));
    expect(rep.code).toBe(11000);
    const bulk = await rejection(coll('uq').insertMany([{ _id: 10, email: 'ten@y', a: 10, b: 10 }, { _id: 11, email: 'ten@y', a: 11, b: 11 }]));
    expect(bulk.code).toBe(11000);
    expect(await coll('uq').countDocuments({ _id: { $in: [10, 11] } })).toBe(1);
    // swapping to a value no longer used is fine
    await coll('uq').updateOne({ _id: 10 }, { $set: { email: 'renamed@y' } });
    await coll('uq').insertOne({ _id: 12, email: 'ten@y', a: 12, b: 12 });
  });

  it('indexes stay consistent with the documents after failed and partial writes', async () => {
    const docs = await coll('uq').find({}).toArray();
    for (const d of docs) {
      const byEmail = await coll('uq').find({ email: d.email ?? null }).toArray();
      expect(byEmail.map((x) => x._id)).toEqual([d._id]);
      const byPair = await coll('uq').find({ a: d.a, b: d.b }).toArray();
      expect(byPair.map((x) => x._id)).toEqual([d._id]);
    }
    // the documents the failed writes would have produced are not findable
    expect(await coll('uq').countDocuments({ email: 'x@y', _id: { $ne: 1 } })).toBe(0);
    expect(await coll('uq').countDocuments({ _id: 11 })).toBe(0);
  });

  it('unique multikey index: documents may not share an array element', async () => {
    await coll('uqarr').createIndex({ tags: 1 }, { unique: true });
    await coll('uqarr').insertOne({ _id: 1, tags: ['a', 'b', 'b'] });
    const err = await rejection(coll('uqarr').insertOne({ _id: 2, tags: ['c', 'b'] }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ tags: 'b' });
    await coll('uqarr').insertOne({ _id: 3, tags: ['c', 'd'] });
  });

  it('compares numeric keys by value across BSON number types', async () => {
    await coll('uqnum').createIndex({ n: 1 }, { unique: true });
    await coll('uqnum').insertOne({ n: Long.fromNumber(5) });
    expect((await rejection(coll('uqnum').insertOne({ n: 5 }))).code).toBe(11000);
    expect((await rejection(coll('uqnum').insertOne({ n: new Double(5) }))).code).toBe(11000);
    await coll('uqnum').insertOne({ n: 5.5 });
    expect(await coll('uqnum').countDocuments({ n: new Double(5) })).toBe(1);
  });
});

describe('sparse and partial unique indexes', () => {
  it('sparse: documents without the field do not collide, explicit nulls do', async () => {
    await coll('sp').createIndex({ nick: 1 }, { unique: true, sparse: true });
    await coll('sp').insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3, nick: 'n' }]);
    expect((await rejection(coll('sp').insertOne({ _id: 4, nick: 'n' }))).code).toBe(11000);
    await coll('sp').insertOne({ _id: 5, nick: null });
    const err = await rejection(coll('sp').insertOne({ _id: 6, nick: null }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ nick: null });
    // queries on the field still see every document
    expect(await coll('sp').countDocuments({ nick: null })).toBe(3);
    expect(await coll('sp').countDocuments({ nick: 'n' })).toBe(1);
  });

  it('partial: uniqueness only among documents matching the filter', async () => {
    await coll('pt').createIndex({ code: 1 }, { unique: true, partialFilterExpression: { status: 'active' } });
    await coll('pt').insertMany([
      { _id: 1, code: 'A', status: 'active' },
      { _id: 2, code: 'A', status: 'retired' },
      { _id: 3, code: 'A', status: 'retired' },
    ]);
    const err = await rejection(coll('pt').insertOne({ _id: 4, code: 'A', status: 'active' }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ code: 'A' });
    // becoming active with a taken code is refused too
    const upd = await rejection(coll('pt').updateOne({ _id: 2 }, { $set: { status: 'active' } }));
    expect(upd.code).toBe(11000);
    // leaving the filter frees the key
    await coll('pt').updateOne({ _id: 1 }, { $set: { status: 'retired' } });
    await coll('pt').updateOne({ _id: 2 }, { $set: { status: 'active' } });
    expect(await coll('pt').countDocuments({ code: 'A', status: 'active' })).toBe(1);
  });
});

describe('building a unique index over existing data', () => {
  it('fails with 11000 on duplicates and leaves no index behind', async () => {
    await coll('build').insertMany([{ _id: 1, k: 'a' }, { _id: 2, k: 'b' }, { _id: 3, k: 'a' }]);
    const err = await rejection(coll('build').createIndex({ k: 1 }, { unique: true }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.message).toContain('E11000 duplicate key error');
    expect(await indexNames('build')).toEqual(['_id_']);
    // nothing half-built keeps enforcing
    await coll('build').insertOne({ _id: 4, k: 'b' });
    // missing values collide as null in a non-sparse unique index
    await coll('build2').insertMany([{ _id: 1 }, { _id: 2 }]);
    expect((await rejection(coll('build2').createIndex({ k: 1 }, { unique: true }))).code).toBe(11000);
    // ...but not in a sparse one
    await coll('build2').createIndex({ k: 1 }, { unique: true, sparse: true });
  });

  it('succeeds over unique data and then enforces', async () => {
    await coll('build3').insertMany([{ k: 1 }, { k: 2 }]);
    await coll('build3').createIndex({ k: 1 }, { unique: true });
    expect((await rejection(coll('build3').insertOne({ k: 2 }))).code).toBe(11000);
  });
});

describe('mongoose schema indexes', () => {
  interface User {
    email: string;
    handle?: string;
    town: string;
  }
  const userSchema = new Schema<User>(
    {
      email: { type: String, required: true, unique: true },
      handle: { type: String, unique: true, sparse: true },
      town: { type: String, index: true },
    },
    { collection: 'users', autoIndex: false },
  );

  it('init() builds schema indexes; duplicates fail with 11000 and keyValue', async () => {
    const User = env.conn.model<User>('User', userSchema);
    await User.init();
    await User.createIndexes();
    const names = await indexNames('users');
    expect(names).toEqual(['_id_', 'email_1', 'handle_1', 'town_1']);
    await User.create({ email: 'a@otog', town: 'Ulaan' });
    await User.create({ email: 'b@otog', town: 'Ulaan' });
    const err = await rejection(User.create({ email: 'a@otog', town: 'Bayan' }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: 'a@otog' });
    expect(err.keyPattern).toEqual({ email: 1 });
    const diff = await User.diffIndexes();
    expect(diff.toDrop).toEqual([]);
    expect(diff.toCreate).toEqual([]);
  });

  it('createIndexes over duplicate data rejects', async () => {
    const Dup = env.conn.model('DupUser', new Schema({ email: String }, { collection: 'dupusers', autoIndex: false }));
    await Dup.insertMany([{ email: 'same' }, { email: 'same' }]);
    const Strict = env.conn.model(
      'DupUserStrict',
      new Schema({ email: { type: String, unique: true } }, { collection: 'dupusers', autoIndex: false }),
    );
    const err = await rejection(Strict.createIndexes());
    expect(err.code).toBe(11000);
    expect(await indexNames('dupusers')).toEqual(['_id_']);
  });
});

describe('index maintenance', () => {
  it('lookups follow updates and deletes of indexed fields', async () => {
    const c = coll('maint');
    await c.createIndex({ k: 1 });
    await c.insertMany([{ _id: 1, k: 'a' }, { _id: 2, k: 'b' }, { _id: 3, k: 'a' }]);
    await c.updateOne({ _id: 1 }, { $set: { k: 'c' } });
    await c.deleteOne({ _id: 3 });
    await c.replaceOne({ _id: 2 }, { k: 'a' });
    expect((await c.find({ k: 'a' }).toArray()).map((d) => d._id)).toEqual([2]);
    expect(await c.countDocuments({ k: 'b' })).toBe(0);
    expect((await c.find({ k: 'c' }).toArray()).map((d) => d._id)).toEqual([1]);
    await c.updateOne({ _id: 1 }, { $unset: { k: 1 } });
    expect((await c.find({ k: null }).toArray()).map((d) => d._id)).toEqual([1]);
    // numeric keys match across BSON number types through the index
    await c.insertOne({ _id: 7, k: Long.fromNumber(42) });
    expect((await c.find({ k: 42 }).toArray()).map((d) => d._id)).toEqual([7]);
    expect((await c.find({ k: new Double(42) }).toArray()).map((d) => d._id)).toEqual([7]);
  });
});

describe('planner: equality and $in use the index, never a scan', () => {
  const N = 300;
  beforeAll(async () => {
    const c = coll('plan');
    await c.createIndex({ code: 1 }, { unique: true });
    await c.createIndex({ town: 1, grid: 1 });
    await c.createIndex({ tags: 1 });
    await c.insertMany(
      Array.from({ length: N }, (_, i) => ({
        _id: i,
        code: `c${i}`,
        town: `t${i % 10}`,
        grid: i % 7,
        tags: [`g${i % 3}`, `h${i % 5}`],
        plain: i,
      })),
    );
  });

  it('findOne by _id', async () => {
    const d = await expectIndexOnly(env, 'plan', () => coll('plan').findOne({ _id: 17 }));
    expect(d!.code).toBe('c17');
  });

  it('find by a unique field, by $in, with extra predicates', async () => {
    expect((await expectIndexOnly(env, 'plan', () => coll('plan').findOne({ code: 'c42' })))!._id).toBe(42);
    const some = await expectIndexOnly(env, 'plan', () => coll('plan').find({ code: { $in: ['c1', 'c2', 'zz'] } }).toArray());
    expect(some.map((d) => d._id).sort()).toEqual([1, 2]);
    const extra = await expectIndexOnly(env, 'plan', () => coll('plan').find({ code: 'c5', plain: { $gt: 100 } }).toArray());
    expect(extra).toEqual([]);
    const ids = await expectIndexOnly(env, 'plan', () => coll('plan').find({ _id: { $in: [3, 4, 999] } }).toArray());
    expect(ids.map((d) => d._id).sort()).toEqual([3, 4]);
  });

  it('compound index by prefix and by full key; multikey equality', async () => {
    const prefix = await expectIndexOnly(env, 'plan', () => coll('plan').find({ town: 't3' }).toArray());
    expect(prefix).toHaveLength(N / 10);
    const full = await expectIndexOnly(env, 'plan', () => coll('plan').find({ town: 't3', grid: 2 }).toArray());
    expect(full.every((d) => d.town === 't3' && d.grid === 2)).toBe(true);
    expect(full.length).toBeGreaterThan(0);
    const multi = await expectIndexOnly(env, 'plan', () => coll('plan').find({ tags: 'h4' }).toArray());
    expect(multi).toHaveLength(N / 5);
  });

  it('multikey equality combined with $in on _id, and sorted pages over an indexed filter', async () => {
    const both = await expectIndexOnly(env, 'plan', () => coll('plan').find({ tags: 'g1', _id: { $in: [1, 2, 3, 4, 7] } }).toArray());
    expect(both.map((d) => d._id).sort()).toEqual([1, 4, 7]);
    const page = await expectIndexOnly(env, 'plan', () => coll('plan').find({ tags: 'h2' }).sort({ _id: 1 }).skip(2).limit(3).toArray());
    expect(page.map((d) => d._id)).toEqual([12, 17, 22]);
    const desc = await expectIndexOnly(env, 'plan', () => coll('plan').find({ town: 't4' }).sort({ _id: -1 }).limit(2).toArray());
    expect(desc.map((d) => d._id)).toEqual([294, 284]);
    expect(await expectIndexOnly(env, 'plan', () => coll('plan').countDocuments({ tags: 'h2' }))).toBe(N / 5);
  });

  it('updates, deletes, findAndModify and counts by indexed fields', async () => {
    await expectIndexOnly(env, 'plan', () => coll('plan').updateOne({ code: 'c10' }, { $set: { touched: true } }));
    await expectIndexOnly(env, 'plan', () => coll('plan').findOneAndUpdate({ code: 'c11' }, { $set: { touched: true } }));
    await expectIndexOnly(env, 'plan', () => coll('plan').deleteOne({ code: 'c299' }));
    await expectIndexOnly(env, 'plan', () => coll('plan').updateMany({ _id: { $in: [12, 13] } }, { $set: { touched: true } }));
    const n = await expectIndexOnly(env, 'plan', () => coll('plan').countDocuments({ code: { $in: ['c10', 'c11', 'c12', 'c13'] } }));
    expect(n).toBe(4);
    expect(await coll('plan').countDocuments({ touched: true })).toBe(4);
  });

  it('mongoose queries by indexed fields', async () => {
    const Plan = env.conn.model('Plan', new Schema({ _id: Number, code: String, town: String, grid: Number }, { collection: 'plan', autoIndex: false }));
    const d = await expectIndexOnly(env, 'plan', () => Plan.findOne({ code: 'c77' }).lean().exec());
    expect(d?._id).toBe(77);
    await expectIndexOnly(env, 'plan', () => Plan.findById(78).lean().exec());
    await expectIndexOnly(env, 'plan', () => Plan.find({ _id: { $in: [1, 2, 3] } }).lean().exec());
    await expectIndexOnly(env, 'plan', () => Plan.exists({ code: 'c1' }).exec());
  });

  itDocstore('unindexed and non-prefix queries scan (the counters are real)', async () => {
    await expectScan(env, 'plan', () => coll('plan').findOne({ plain: 5 }));
    await expectScan(env, 'plan', () => coll('plan').find({ grid: 3 }).toArray());
    const before = await scanStats(env, 'plan');
    await coll('plan').findOne({ code: 'c3' });
    const after = await scanStats(env, 'plan');
    expect(after!.collectionScans).toBe(before!.collectionScans);
    expect(after!.indexLookups).toBe(before!.indexLookups + 1);
  });

  itDocstore('counters are also available from the in-process handle and can be reset', async () => {
    const server = env.server!;
    await coll('plan').findOne({ code: 'c8' });
    const c = server.counters();
    expect(c.commands).toBeGreaterThan(0);
    expect(c.collections[`${env.dbName}.plan`].indexLookups).toBeGreaterThan(0);
    expect(typeof c.byDb).toBe('object');
    const viaWire = await scanStats(env, 'plan');
    expect(viaWire!.indexLookups).toBeGreaterThanOrEqual(c.collections[`${env.dbName}.plan`].indexLookups);
    server.resetCounters();
    const reset = server.counters();
    expect(reset.collections[`${env.dbName}.plan`]?.indexLookups ?? 0).toBe(0);
    expect(reset.collections[`${env.dbName}.plan`]?.collectionScans ?? 0).toBe(0);
  });

  itDocstore('serverStatus reports opcounters and the docstore section', async () => {
    const s = await env.client.db('admin').command({ serverStatus: 1 });
    expect(s.ok).toBe(1);
    expect(s.opcounters).toEqual(expect.objectContaining({ insert: expect.any(Number), query: expect.any(Number), update: expect.any(Number), delete: expect.any(Number), command: expect.any(Number) }));
    expect(s.docstore).toEqual(expect.objectContaining({ commands: expect.any(Number), byDb: expect.any(Object), collections: expect.any(Object) }));
  });

  it('a dropped index is no longer used', async () => {
    await coll('plan2').createIndex({ k: 1 });
    await coll('plan2').insertMany([{ k: 1 }, { k: 2 }]);
    await expectIndexOnly(env, 'plan2', () => coll('plan2').findOne({ k: 1 }));
    await coll('plan2').dropIndex('k_1');
    const d = await expectScan(env, 'plan2', () => coll('plan2').findOne({ k: 2 }));
    expect(d!.k).toBe(2);
  });
});
