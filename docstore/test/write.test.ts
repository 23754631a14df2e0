/**
 * Conformance: insert (ordered/unordered, duplicate keys), update (operators, multi,
 * upsert, $setOnInsert, arrayFilters), delete, findAndModify, bulkWrite, w:0 writes.
 */
import mongoose from 'mongoose';
import { Schema } from 'mongoose';
import { Decimal128, Double, Long, MongoServerError, TestEnv, eventually, maxWireVersion, rawClient, rejection, setup } from './helpers';

let env: TestEnv;

beforeAll(async () => {
  env = await setup('write');
});
afterAll(async () => {
  await env?.close();
});

const coll = (name: string) => env.coll(name);
const ids = (docs: { _id?: unknown }[]) => docs.map((d) => d._id);

function dupMessage(collection: string, index: string, key: string): string {
  return `E11000 duplicate key error collection: ${env.dbName}.${collection} index: ${index} dup key: ${key}`;
}

describe('insert', () => {
  it('insertOne with a duplicate _id fails with E11000, keyPattern and keyValue', async () => {
    await coll('ins1').insertOne({ _id: 'a', v: 1 });
    const err = await rejection(coll('ins1').insertOne({ _id: 'a', v: 2 }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.errmsg ?? err.message).toBe(dupMessage('ins1', '_id_', '{ _id: "a" }'));
    expect(err.keyPattern).toEqual({ _id: 1 });
    expect(err.keyValue).toEqual({ _id: 'a' });
    expect(await coll('ins1').findOne({ _id: 'a' })).toEqual({ _id: 'a', v: 1 });
  });

  it('ordered insert stops at the first error and reports it in writeErrors', async () => {
    const r = await env.db.command({ insert: 'ins_ordered', documents: [{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }], ordered: true });
    expect(r.ok).toBe(1);
    expect(r.n).toBe(2);
    expect(r.writeErrors).toHaveLength(1);
    expect(r.writeErrors[0]).toMatchObject({
      index: 2,
      code: 11000,
      keyPattern: { _id: 1 },
      keyValue: { _id: 1 },
      errmsg: dupMessage('ins_ordered', '_id_', '{ _id: 1 }'),
    });
    expect(ids(await coll('ins_ordered').find().sort({ _id: 1 }).toArray())).toEqual([1, 2]);
  });

  it('unordered insert carries on after errors and reports each one', async () => {
    const r = await env.db.command({
      insert: 'ins_unordered',
      documents: [{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }],
      ordered: false,
    });
    expect(r.n).toBe(3);
    expect(r.writeErrors.map((e: { index: number; code: number }) => [e.index, e.code])).toEqual([
      [1, 11000],
      [3, 11000],
    ]);
    expect(ids(await coll('ins_unordered').find().sort({ _id: 1 }).toArray())).toEqual([1, 2, 3]);
  });

  it('driver insertMany: ordered and unordered, with MongoBulkWriteError', async () => {
    const ordered = await rejection(coll('ins_many').insertMany([{ _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 4 }]));
    expect(ordered).toBeInstanceOf(mongoose.mongo.MongoBulkWriteError);
    expect(ordered.code).toBe(11000);
    expect(ordered.insertedCount).toBe(2);
    expect(ordered.writeErrors.map((e: { index: number }) => e.index)).toEqual([2]);

    const unordered = await rejection(coll('ins_many').insertMany([{ _id: 1 }, { _id: 5 }, { _id: 6 }], { ordered: false }));
    expect(unordered.insertedCount).toBe(2);
    expect(ids(await coll('ins_many').find().sort({ _id: 1 }).toArray())).toEqual([1, 2, 5, 6]);
  });

  it('mongoose insertMany ordered:false inserts every valid document', async () => {
    const M = env.conn.model('InsMany', new Schema({ _id: Number, name: String }, { collection: 'ins_mongoose' }));
    await M.create({ _id: 2, name: 'two' });
    const err = await rejection(M.insertMany([{ _id: 1, name: 'a' }, { _id: 2, name: 'b' }, { _id: 3, name: 'c' }], { ordered: false }));
    expect(err.code ?? err.writeErrors?.[0]?.code).toBe(11000);
    expect((await M.find().sort({ _id: 1 }).lean()).map((d) => [d._id, d.name])).toEqual([
      [1, 'a'],
      [2, 'two'],
      [3, 'c'],
    ]);
  });

  it('large insertMany is split into batches and fully stored', async () => {
    const docs = Array.from({ length: 5000 }, (_, i) => ({ i, pad: 'x'.repeat(20) }));
    const r = await coll('ins_large').insertMany(docs);
    expect(r.insertedCount).toBe(5000);
    expect(await coll('ins_large').countDocuments()).toBe(5000);
  });
});

describe('update', () => {
  beforeEach(async () => {
    await coll('upd').deleteMany({});
    await coll('upd').insertMany([
      { _id: 1, name: 'a', n: 1, tags: ['x'], grades: [{ score: 70 }, { score: 85 }, { score: 92 }] },
      { _id: 2, name: 'b', n: 2, tags: ['x', 'y'], grades: [{ score: 50 }] },
      { _id: 3, name: 'c', n: 3, tags: [], grades: [] },
    ]);
  });

  it('updateOne vs updateMany, matched and modified counts', async () => {
    const one = await coll('upd').updateOne({ n: { $gte: 2 } }, { $set: { flag: true } });
    expect([one.matchedCount, one.modifiedCount]).toEqual([1, 1]);
    const many = await coll('upd').updateMany({ n: { $gte: 1 } }, { $set: { flag: true } });
    expect([many.matchedCount, many.modifiedCount]).toEqual([3, 2]);
    const noop = await coll('upd').updateMany({}, { $set: { flag: true } });
    expect([noop.matchedCount, noop.modifiedCount]).toEqual([3, 0]);
    const none = await coll('upd').updateOne({ n: 99 }, { $set: { flag: true } });
    expect([none.matchedCount, none.modifiedCount, none.upsertedCount]).toEqual([0, 0, 0]);
    const raw = await env.db.command({ update: 'upd', updates: [{ q: {}, u: { $inc: { n: 10 } }, multi: true }] });
    expect([raw.n, raw.nModified]).toEqual([3, 3]);
  });

  it('field operators', async () => {
    await coll('upd').updateOne(
      { _id: 1 },
      {
        $set: { 'meta.by': 'tester', name: 'A' },
        $unset: { tags: '' },
        $inc: { n: 5 },
        $mul: { factor: 2 },
        $min: { low: 3 },
        $max: { high: 9 },
        $currentDate: { touched: true },
      },
    );
    const d = await coll('upd').findOne({ _id: 1 });
    expect(d).toMatchObject({ name: 'A', n: 6, meta: { by: 'tester' }, factor: 0, low: 3, high: 9 });
    expect(d).not.toHaveProperty('tags');
    expect(d!.touched).toBeInstanceOf(Date);
    await coll('upd').updateOne({ _id: 1 }, { $min: { low: 1 }, $max: { high: 4 }, $rename: { name: 'title' } });
    const e = await coll('upd').findOne({ _id: 1 });
    expect(e).toMatchObject({ low: 1, high: 9, title: 'A' });
    expect(e).not.toHaveProperty('name');
  });

  it('array operators and positional updates', async () => {
    await coll('upd').updateOne({ _id: 2 }, { $push: { tags: { $each: ['z', 'w'], $sort: 1 } } } as any);
    expect((await coll('upd').findOne({ _id: 2 }))!.tags).toEqual(['w', 'x', 'y', 'z']);
    await coll('upd').updateOne({ _id: 2 }, { $addToSet: { tags: { $each: ['x', 'q'] } } });
    expect((await coll('upd').findOne({ _id: 2 }))!.tags).toEqual(['w', 'x', 'y', 'z', 'q']);
    await coll('upd').updateOne({ _id: 2 }, { $pull: { tags: { $in: ['w', 'q'] } } } as any);
    await coll('upd').updateOne({ _id: 2 }, { $pop: { tags: 1 } });
    expect((await coll('upd').findOne({ _id: 2 }))!.tags).toEqual(['x', 'y']);
    await coll('upd').updateOne({ _id: 2 }, { $push: { tags: { $each: ['1', '2', '3'], $slice: -3 } } } as any);
    expect((await coll('upd').findOne({ _id: 2 }))!.tags).toEqual(['1', '2', '3']);

    // positional $: the first element matched by the query
    await coll('upd').updateOne({ _id: 1, 'grades.score': { $gte: 80 } }, { $set: { 'grades.$.top': true } });
    expect((await coll('upd').findOne({ _id: 1 }))!.grades).toEqual([{ score: 70 }, { score: 85, top: true }, { score: 92 }]);
    // all-positional $[]
    await coll('upd').updateOne({ _id: 1 }, { $inc: { 'grades.$[].score': 1 } });
    expect((await coll('upd').findOne({ _id: 1 }))!.grades.map((g: { score: number }) => g.score)).toEqual([71, 86, 93]);
  });

  it('arrayFilters select the elements to update', async () => {
    const r = await coll('upd').updateMany(
      {},
      { $set: { 'grades.$[g].pass': true } },
      { arrayFilters: [{ 'g.score': { $gte: 80 } }] },
    );
    expect(r.matchedCount).toBe(3);
    expect(r.modifiedCount).toBe(1);
    expect((await coll('upd').findOne({ _id: 1 }))!.grades).toEqual([{ score: 70 }, { score: 85, pass: true }, { score: 92, pass: true }]);
    expect((await coll('upd').findOne({ _id: 2 }))!.grades).toEqual([{ score: 50 }]);

    // nested identifiers
    await coll('upd').insertOne({ _id: 9, rows: [{ k: 'a', cells: [1, 5, 9] }, { k: 'b', cells: [5, 6] }] });
    await coll('upd').updateOne(
      { _id: 9 },
      { $set: { 'rows.$[r].cells.$[c]': 0 } },
      { arrayFilters: [{ 'r.k': 'b' }, { c: { $gte: 5 } }] },
    );
    expect((await coll('upd').findOne({ _id: 9 }))!.rows).toEqual([{ k: 'a', cells: [1, 5, 9] }, { k: 'b', cells: [0, 0] }]);
  });

  it('replacement updates keep _id; changing _id is refused', async () => {
    const r = await coll('upd').replaceOne({ _id: 3 }, { name: 'C', fresh: true });
    expect(r.modifiedCount).toBe(1);
    expect(await coll('upd').findOne({ _id: 3 })).toEqual({ _id: 3, name: 'C', fresh: true });
    const err = await rejection(coll('upd').updateOne({ _id: 3 }, { $set: { _id: 33 } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(66); // ImmutableField
    expect(await coll('upd').findOne({ _id: 3 })).not.toBeNull();
  });

  it('rejects unknown update operators without changing anything', async () => {
    const err = await rejection(coll('upd').updateOne({ _id: 1 }, { $frobnicate: { n: 1 } } as any));
    expect(err).toBeInstanceOf(MongoServerError);
    expect((await coll('upd').findOne({ _id: 1 }))!.n).toBe(1);
  });
});

describe('update errors are reported, never silently skipped', () => {
  beforeEach(async () => {
    await coll('uerr').deleteMany({});
    await coll('uerr').insertMany([
      { _id: 1, s: 'str', a: [1], n: 1 },
      { _id: 2, s: 'two', a: [2], n: 2 },
      { _id: 3, s: 5, n: 3 },
    ]);
  });

  it('$push to a non-array field fails (code 2) and changes nothing', async () => {
    const err = await rejection(coll('uerr').updateOne({ _id: 1 }, { $push: { s: 'x' } } as any));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(2); // BadValue: "The field 's' must be an array but is of type string ..."
    expect(await coll('uerr').findOne({ _id: 1 })).toEqual({ _id: 1, s: 'str', a: [1], n: 1 });
    const add = await rejection(coll('uerr').updateOne({ _id: 1 }, { $addToSet: { n: 2 } } as any));
    expect(add).toBeInstanceOf(MongoServerError);
    const pull = await rejection(coll('uerr').updateOne({ _id: 1 }, { $pull: { s: 'str' } } as any));
    expect(pull).toBeInstanceOf(MongoServerError);
  });

  it('$inc / $mul on a non-numeric field fail with 14 TypeMismatch', async () => {
    const inc = await rejection(coll('uerr').updateOne({ _id: 1 }, { $inc: { s: 1 } } as any));
    expect(inc).toBeInstanceOf(MongoServerError);
    expect(inc.code).toBe(14);
    const mul = await rejection(coll('uerr').updateOne({ _id: 1 }, { $mul: { s: 2 } } as any));
    expect(mul.code).toBe(14);
    const incBy = await rejection(coll('uerr').updateOne({ _id: 1 }, { $inc: { n: 'one' } } as any));
    expect(incBy).toBeInstanceOf(MongoServerError);
    expect(await coll('uerr').findOne({ _id: 1 })).toEqual({ _id: 1, s: 'str', a: [1], n: 1 });
  });

  it('$set through a scalar fails with 28 PathNotViable; $pop on a non-array with 14; empty paths are refused', async () => {
    const through = await rejection(coll('uerr').updateOne({ _id: 1 }, { $set: { 's.x': 1 } }));
    expect(through).toBeInstanceOf(MongoServerError);
    expect(through.code).toBe(28);
    const pop = await rejection(coll('uerr').updateOne({ _id: 1 }, { $pop: { s: 1 } } as any));
    expect(pop).toBeInstanceOf(MongoServerError);
    expect(pop.code).toBe(14);
    const empty = await rejection(coll('uerr').updateOne({ _id: 1 }, { $set: { '': 1 } }));
    expect(empty).toBeInstanceOf(MongoServerError);
    expect(await coll('uerr').findOne({ _id: 1 })).toEqual({ _id: 1, s: 'str', a: [1], n: 1 });
  });

  it('$inc with Long and Decimal128 amounts keeps the wider numeric type', async () => {
    await coll('uerr').updateOne({ _id: 1 }, { $inc: { n: Long.fromNumber(5) } });
    expect(await coll('uerr').countDocuments({ _id: 1, n: 6 })).toBe(1);
    expect(await coll('uerr').countDocuments({ _id: 1, n: { $type: 'long' } })).toBe(1);
    await coll('uerr').updateOne({ _id: 2 }, { $inc: { n: Decimal128.fromString('0.5') } });
    const d = await coll('uerr').findOne({ _id: 2 });
    expect(d!.n._bsontype).toBe('Decimal128');
    expect(d!.n.toString()).toBe('2.5');
  });

  it('$currentDate with $type timestamp stores a BSON Timestamp', async () => {
    await coll('uerr').updateOne({ _id: 1 }, { $currentDate: { t: { $type: 'timestamp' }, d: { $type: 'date' } } });
    const d = await coll('uerr').findOne({ _id: 1 });
    expect(d!.t._bsontype).toBe('Timestamp');
    expect(d!.d).toBeInstanceOf(Date);
  });

  it('a multi update that hits a bad document reports the error', async () => {
    const err = await rejection(coll('uerr').updateMany({}, { $inc: { s: 1 } } as any));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(14);
    // documents with a string `s` were not touched
    expect((await coll('uerr').find({ s: { $type: 'string' } }).sort({ _id: 1 }).toArray()).map((d) => d.s)).toEqual(['str', 'two']);
    // findAndModify reports it too
    const fam = await rejection(coll('uerr').findOneAndUpdate({ _id: 2 }, { $inc: { s: 1 } } as any));
    expect(fam.code).toBe(14);
  });

  it('setting _id to its current value is allowed (mongoose findOneAndUpdate with a whole document)', async () => {
    const r = await coll('uerr').updateOne({ _id: 3 }, { $set: { _id: 3, y: 1 } });
    expect(r.matchedCount).toBe(1);
    expect(await coll('uerr').findOne({ _id: 3 })).toEqual({ _id: 3, s: 5, n: 3, y: 1 });
    const M = env.conn.model('UErr', new Schema({ _id: Number, s: Schema.Types.Mixed, n: Number, name: String }, { collection: 'uerr' }));
    const doc = await M.findById(2).lean();
    const updated = await M.findOneAndUpdate({ _id: 2 }, { ...doc, name: 'whole' }, { returnDocument: 'after' }).lean();
    expect(updated).toMatchObject({ _id: 2, s: 'two', n: 2, name: 'whole' });
    const loaded = await M.findById(2);
    loaded!.set('name', 'saved');
    await loaded!.save();
    expect((await M.findById(2).lean())!.name).toBe('saved');
  });
});

describe('pipeline updates and concurrency', () => {
  it('update with an aggregation pipeline', async () => {
    await coll('pipe').insertMany([{ _id: 1, a: 2, b: 3 }, { _id: 2, a: 10, b: 1 }]);
    const r = await coll('pipe').updateMany({}, [{ $set: { total: { $add: ['$a', '$b'] } } }, { $unset: 'b' }]);
    expect(r.modifiedCount).toBe(2);
    expect(await coll('pipe').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, a: 2, total: 5 },
      { _id: 2, a: 10, total: 11 },
    ]);
  });

  it('concurrent $inc and upserts from many connections are atomic', async () => {
    await coll('conc').createIndex({ key: 1 }, { unique: true });
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = 0; i < 25; i++) await coll('conc').updateOne({ key: 'counter' }, { $inc: { n: 1 } }, { upsert: true });
      }),
    );
    expect(await coll('conc').countDocuments({ key: 'counter' })).toBe(1);
    expect((await coll('conc').findOne({ key: 'counter' }))!.n).toBe(500);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        coll('conc').findOneAndUpdate({ key: 'fam' }, { $inc: { n: 1 }, $setOnInsert: { first: i } }, { upsert: true, returnDocument: 'after' }),
      ),
    );
    expect(results.map((d) => d!.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await coll('conc').countDocuments({ key: 'fam' })).toBe(1);
  });
});

describe('upsert', () => {
  it('builds the new document from equality predicates, then $setOnInsert, then the update', async () => {
    const r = await coll('ups').updateOne(
      { name: 'n1', 'addr.town': 'Ulaan', age: { $gt: 5 }, kind: { $eq: 'p' } },
      { $set: { status: 'new' }, $setOnInsert: { createdBy: 'upsert', status: 'ignored?' }, $inc: { visits: 1 } },
      { upsert: true },
    ).catch((e) => e);
    // MongoDB refuses $set and $setOnInsert on the same path
    expect(r).toBeInstanceOf(MongoServerError);

    const ok = await coll('ups').updateOne(
      { name: 'n1', 'addr.town': 'Ulaan', age: { $gt: 5 }, kind: { $eq: 'p' } },
      { $set: { status: 'new' }, $setOnInsert: { createdBy: 'upsert' }, $inc: { visits: 1 } },
      { upsert: true },
    );
    expect(ok.upsertedCount).toBe(1);
    expect(ok.matchedCount).toBe(0);
    expect(ok.upsertedId).toBeInstanceOf(mongoose.mongo.ObjectId);
    const doc = await coll('ups').findOne({ _id: ok.upsertedId });
    expect(doc).toEqual({ _id: ok.upsertedId, name: 'n1', addr: { town: 'Ulaan' }, kind: 'p', status: 'new', createdBy: 'upsert', visits: 1 });
    expect(Object.keys(doc!)[0]).toBe('_id');
  });

  it('applies $setOnInsert only when inserting', async () => {
    const first = await coll('ups').updateOne({ key: 'k' }, { $setOnInsert: { created: 'first' }, $inc: { hits: 1 } }, { upsert: true });
    expect(first.upsertedCount).toBe(1);
    const second = await coll('ups').updateOne({ key: 'k' }, { $setOnInsert: { created: 'second' }, $inc: { hits: 1 } }, { upsert: true });
    expect([second.upsertedCount, second.matchedCount, second.modifiedCount]).toEqual([0, 1, 1]);
    expect(second.upsertedId).toBeNull();
    const doc = await coll('ups').findOne({ key: 'k' });
    expect(doc).toMatchObject({ key: 'k', created: 'first', hits: 2 });
  });

  it('takes _id from the query and equality from $and', async () => {
    const r = await coll('ups').updateOne({ _id: 'given', $and: [{ a: 1 }, { b: 'two' }] }, { $set: { c: 3 } }, { upsert: true });
    expect(r.upsertedId).toBe('given');
    expect(await coll('ups').findOne({ _id: 'given' })).toEqual({ _id: 'given', a: 1, b: 'two', c: 3 });
  });

  it('reports upserted [{ index, _id }] in the update command reply', async () => {
    const r = await env.db.command({
      update: 'ups',
      updates: [
        { q: { key: 'r1' }, u: { $set: { v: 1 } }, upsert: true },
        { q: { key: 'k' }, u: { $set: { v: 2 } }, upsert: true },
        { q: { key: 'r3' }, u: { $set: { v: 3 } }, upsert: true },
      ],
    });
    expect(r.n).toBe(3);
    expect(r.nModified).toBe(1);
    expect(r.upserted.map((u: { index: number }) => u.index)).toEqual([0, 2]);
    const stored = await coll('ups').findOne({ key: 'r3' });
    expect(String(r.upserted[1]._id)).toBe(String(stored!._id));
  });

  it('replacement upsert', async () => {
    const r = await coll('ups').replaceOne({ _id: 'rep' }, { whole: 'doc' }, { upsert: true });
    expect(r.upsertedId).toBe('rep');
    expect(await coll('ups').findOne({ _id: 'rep' })).toEqual({ _id: 'rep', whole: 'doc' });
  });

  it('upsert that collides with a unique index fails with 11000', async () => {
    await coll('ups_u').createIndex({ email: 1 }, { unique: true });
    await coll('ups_u').insertOne({ email: 'a@x', n: 1 });
    const err = await rejection(coll('ups_u').updateOne({ n: 2 }, { $set: { email: 'a@x' } }, { upsert: true }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: 'a@x' });
    expect(await coll('ups_u').countDocuments()).toBe(1);
  });
});

describe('delete', () => {
  it('deleteOne removes one matching document, deleteMany all of them', async () => {
    await coll('del').insertMany([{ k: 1 }, { k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await coll('del').deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect(await coll('del').countDocuments({ k: 1 })).toBe(2);
    expect((await coll('del').deleteMany({ k: 1 })).deletedCount).toBe(2);
    expect((await coll('del').deleteMany({ k: 1 })).deletedCount).toBe(0);
    const raw = await env.db.command({ delete: 'del', deletes: [{ q: {}, limit: 0 }] });
    expect(raw.n).toBe(1);
    expect(await coll('del').countDocuments()).toBe(0);
  });
});

describe('findAndModify', () => {
  beforeAll(async () => {
    await coll('fam').insertMany([
      { _id: 1, q: 'x', rank: 3, v: 'a' },
      { _id: 2, q: 'x', rank: 1, v: 'b' },
      { _id: 3, q: 'x', rank: 2, v: 'c' },
    ]);
  });

  it('returns the document before or after, honouring sort and fields', async () => {
    const before = await coll('fam').findOneAndUpdate({ q: 'x' }, { $set: { v: 'B' } }, { sort: { rank: 1 } });
    expect(before).toEqual({ _id: 2, q: 'x', rank: 1, v: 'b' });
    const after = await coll('fam').findOneAndUpdate(
      { q: 'x' },
      { $inc: { rank: 10 } },
      { sort: { rank: -1 }, returnDocument: 'after', projection: { rank: 1, _id: 0 } },
    );
    expect(after).toEqual({ rank: 13 });
    expect(await coll('fam').findOneAndUpdate({ q: 'nomatch' }, { $set: { v: 1 } })).toBeNull();
  });

  it('raw command reply carries lastErrorObject and value', async () => {
    const r = await env.db.command({ findAndModify: 'fam', query: { _id: 3 }, update: { $set: { v: 'C' } }, new: true });
    expect(r.ok).toBe(1);
    expect(r.value).toEqual({ _id: 3, q: 'x', rank: 2, v: 'C' });
    expect(r.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });

    const up = await env.db.command({ findAndModify: 'fam', query: { _id: 4, q: 'y' }, update: { $set: { v: 'D' } }, upsert: true, new: true });
    expect(up.value).toEqual({ _id: 4, q: 'y', v: 'D' });
    expect(up.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 4 });

    const upOld = await env.db.command({ findAndModify: 'fam', query: { _id: 5 }, update: { $set: { v: 'E' } }, upsert: true });
    expect(upOld.value).toBeNull();
    expect(upOld.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 5 });
  });

  it('upsert with $setOnInsert (mongoose findOneAndUpdate)', async () => {
    const M = env.conn.model('Fam', new Schema({ _id: Number, q: String, v: String, created: String }, { collection: 'fam' }));
    const doc = await M.findOneAndUpdate({ _id: 6 }, { $set: { v: 'F' }, $setOnInsert: { created: 'yes' } }, { upsert: true, returnDocument: 'after' }).lean();
    expect(doc).toMatchObject({ _id: 6, v: 'F', created: 'yes' });
    const again = await M.findOneAndUpdate({ _id: 6 }, { $set: { v: 'G' }, $setOnInsert: { created: 'no' } }, { upsert: true, returnDocument: 'after' }).lean();
    expect(again).toMatchObject({ _id: 6, v: 'G', created: 'yes' });
  });

  it('remove returns and deletes; replace swaps the document', async () => {
    const removed = await coll('fam').findOneAndDelete({ _id: 4 });
    expect(removed).toMatchObject({ _id: 4, v: 'D' });
    expect(await coll('fam').findOne({ _id: 4 })).toBeNull();
    const replaced = await coll('fam').findOneAndReplace({ _id: 5 }, { only: 'this' }, { returnDocument: 'after' });
    expect(replaced).toEqual({ _id: 5, only: 'this' });
    const meta = await coll('fam').findOneAndDelete({ _id: 999 }, { includeResultMetadata: true });
    expect(meta.value).toBeNull();
    expect(meta.lastErrorObject).toMatchObject({ n: 0 });
  });

  it('fails with top-level code 11000 on a duplicate key', async () => {
    await coll('fam_u').createIndex({ email: 1 }, { unique: true });
    await coll('fam_u').insertMany([{ _id: 1, email: 'a@x' }, { _id: 2, email: 'b@x' }]);
    const err = await rejection(coll('fam_u').findOneAndUpdate({ _id: 2 }, { $set: { email: 'a@x' } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.codeName).toBe('DuplicateKey');
    expect(err.message).toContain('E11000 duplicate key error');
    expect(err.keyValue).toEqual({ email: 'a@x' });
    expect(err.keyPattern).toEqual({ email: 1 });
    const upsertErr = await rejection(coll('fam_u').findOneAndUpdate({ _id: 3 }, { $set: { email: 'b@x' } }, { upsert: true }));
    expect(upsertErr.code).toBe(11000);
    expect(await coll('fam_u').countDocuments()).toBe(2);
    expect((await coll('fam_u').findOne({ _id: 2 }))!.email).toBe('b@x');
  });
});

describe('bulkWrite', () => {
  it('Model.bulkWrite mixes operations and reports counts', async () => {
    const M = env.conn.model('Bulk', new Schema({ _id: Number, n: Number, s: String }, { collection: 'bulk' }));
    const r = await M.bulkWrite([
      { insertOne: { document: { _id: 1, n: 1 } } },
      { insertOne: { document: { _id: 2, n: 2 } } },
      { insertOne: { document: { _id: 3, n: 3 } } },
      { updateOne: { filter: { _id: 1 }, update: { $set: { s: 'one' } } } },
      { updateMany: { filter: { n: { $gte: 2 } }, update: { $inc: { n: 10 } } } },
      { updateOne: { filter: { _id: 7 }, update: { $set: { s: 'seven' } }, upsert: true } },
      { replaceOne: { filter: { _id: 2 }, replacement: { n: 0, s: 'two' } } },
      { deleteOne: { filter: { _id: 3 } } },
      { deleteMany: { filter: { n: { $gt: 100 } } } },
    ] as any[]);
    expect(r.insertedCount).toBe(3);
    expect(r.matchedCount).toBe(4);
    expect(r.modifiedCount).toBe(4);
    expect(r.upsertedCount).toBe(1);
    expect(r.upsertedIds).toEqual({ 5: 7 });
    expect(r.deletedCount).toBe(1);
    expect((await M.find().sort({ _id: 1 }).lean()).map((d) => [d._id, d.n, d.s])).toEqual([
      [1, 1, 'one'],
      [2, 0, 'two'],
      [7, undefined, 'seven'],
    ]);
  });

  it('ordered bulkWrite stops at a duplicate, unordered carries on', async () => {
    const c = coll('bulk2');
    const ordered = await rejection(
      c.bulkWrite([{ insertOne: { document: { _id: 1 } } }, { insertOne: { document: { _id: 1 } } }, { insertOne: { document: { _id: 2 } } }]),
    );
    expect(ordered.code).toBe(11000);
    expect(ids(await c.find().toArray())).toEqual([1]);
    const unordered = await rejection(
      c.bulkWrite(
        [{ insertOne: { document: { _id: 1 } } }, { insertOne: { document: { _id: 3, x: 1 } } }, { insertOne: { document: { _id: 4 } } }],
        { ordered: false },
      ),
    );
    expect(unordered.writeErrors.map((e: { index: number }) => e.index)).toEqual([0]);
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 1 }, { _id: 3, x: 1 }, { _id: 4 }]);
  });

  it('client bulkWrite command (ops and nsInfo sequences) across collections', async () => {
    if ((await maxWireVersion(env)) < 25) return; // needs MongoDB 8.0
    const ns = (c: string) => `${env.dbName}.${c}` as const;
    const r = await env.client.bulkWrite(
      [
        { namespace: ns('cb1'), name: 'insertOne', document: { _id: 1, v: 'a' } },
        { namespace: ns('cb2'), name: 'insertOne', document: { _id: 1, v: 'b' } },
        { namespace: ns('cb1'), name: 'updateOne', filter: { _id: 1 }, update: { $set: { v: 'A' } } },
        { namespace: ns('cb2'), name: 'updateMany', filter: {}, update: { $set: { w: 1 } } },
        { namespace: ns('cb1'), name: 'updateOne', filter: { _id: 2 }, update: { $set: { v: 'up' } }, upsert: true },
        { namespace: ns('cb2'), name: 'deleteOne', filter: { _id: 1 } },
      ] as any[],
      { verboseResults: true },
    );
    expect(r.insertedCount).toBe(2);
    expect(r.matchedCount).toBe(2);
    expect(r.modifiedCount).toBe(2);
    expect(r.upsertedCount).toBe(1);
    expect(r.deletedCount).toBe(1);
    expect(r.updateResults?.get(4)?.upsertedId).toBe(2);
    expect(await coll('cb1').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, v: 'A' },
      { _id: 2, v: 'up' },
    ]);
    expect(await coll('cb2').countDocuments()).toBe(0);

    const dup = await rejection(
      env.client.bulkWrite([
        { namespace: ns('cb1'), name: 'insertOne', document: { _id: 1 } },
        { namespace: ns('cb1'), name: 'insertOne', document: { _id: 3 } },
      ] as any[]),
    );
    expect(dup).toBeInstanceOf(mongoose.mongo.MongoClientBulkWriteError);
    expect([...dup.writeErrors.values()].map((e: { code: number }) => e.code)).toEqual([11000]);
    expect(await coll('cb1').countDocuments({ _id: 3 })).toBe(0);
  });

  it('mongoose connection.bulkWrite across models', async () => {
    if ((await maxWireVersion(env)) < 25) return;
    const A = env.conn.model('CbA', new Schema({ _id: Number, v: String }, { collection: 'cba' }));
    const B = env.conn.model('CbB', new Schema({ _id: Number, v: String }, { collection: 'cbb' }));
    const r = await env.conn.bulkWrite([
      { model: 'CbA', name: 'insertOne', document: { _id: 1, v: 'a' } },
      { model: 'CbB', name: 'insertOne', document: { _id: 1, v: 'b' } },
      { model: 'CbB', name: 'updateOne', filter: { _id: 1 }, update: { $set: { v: 'B' } } },
    ] as any[]);
    expect(r.insertedCount).toBe(2);
    expect((await A.findById(1).lean())?.v).toBe('a');
    expect((await B.findById(1).lean())?.v).toBe('B');
  });
});

describe('w:0 (unacknowledged) writes', () => {
  it('get no reply, are applied, and leave the connection in sync', async () => {
    const c = await rawClient(env, { maxPoolSize: 1 });
    try {
      const w0 = c.db(env.dbName).collection<any>('w0', { writeConcern: { w: 0 } });
      const r = await w0.insertOne({ _id: 1, v: 'fire-and-forget' });
      expect(r.acknowledged).toBe(false);
      for (let i = 2; i <= 20; i++) await w0.insertOne({ _id: i });
      await w0.insertOne({ _id: 1, v: 'duplicate is silently dropped' });
      await w0.updateOne({ _id: 2 }, { $set: { updated: true } });
      await w0.deleteOne({ _id: 3 });
      await w0.insertMany([{ _id: 100 }, { _id: 101 }]);
      // the next acknowledged command on the single connection gets its own reply
      const acked = c.db(env.dbName).collection<any>('w0');
      const ping = await c.db('admin').command({ ping: 1 });
      expect(ping.ok).toBe(1);
      await eventually(async () => (await acked.countDocuments()) === 21, 3000, 'w:0 writes to be applied');
      expect(await acked.findOne({ _id: 1 })).toEqual({ _id: 1, v: 'fire-and-forget' });
      expect(await acked.findOne({ _id: 2 })).toEqual({ _id: 2, updated: true });
      expect(await acked.findOne({ _id: 3 })).toBeNull();
      const list = await acked.find({}).sort({ _id: 1 }).toArray();
      expect(list.map((d) => d._id)).toEqual([1, 2, ...Array.from({ length: 17 }, (_, i) => i + 4), 100, 101]);
    } finally {
      await c.close();
    }
  });
});

describe('numeric types of update operators (as MongoDB stores them)', () => {
  /** [BSON type, value] of each field, read without the driver's number promotion. */
  async function types(name: string, id: unknown): Promise<Record<string, [string, number]>> {
    const d = await coll(name).findOne({ _id: id }, { promoteValues: false, promoteLongs: false });
    const out: Record<string, [string, number]> = {};
    for (const [k, v] of Object.entries(d ?? {})) if (k !== '_id') out[k] = [(v as { _bsontype: string })._bsontype, Number(v)];
    return out;
  }

  it('int × 1.5 is a double, int32 overflow a long, double + int a double; untouched doubles stay doubles', async () => {
    await coll('numtypes').insertOne({ _id: 1, i: 2, big: 2147483647, m: 65536, d: new Double(2), keep: new Double(3), l: Long.fromNumber(5) });
    await coll('numtypes').updateOne({ _id: 1 }, { $mul: { i: 1.5, m: 65536 }, $inc: { big: 1, d: 1, l: 2 } });
    expect(await types('numtypes', 1)).toEqual({
      i: ['Double', 3],
      big: ['Long', 2147483648],
      m: ['Long', 4294967296],
      d: ['Double', 3],
      keep: ['Double', 3],
      l: ['Long', 7],
    });
    await coll('numtypes').updateOne({ _id: 1 }, { $set: { other: 1 } });
    expect((await types('numtypes', 1)).keep).toEqual(['Double', 3]);
  });

  it('a missing field is zero of the argument type for $mul; $min / $max compare across types', async () => {
    await coll('numtypes2').insertOne({ _id: 1, lo: new Double(5), hi: Long.fromNumber(5) });
    await coll('numtypes2').updateOne({ _id: 1 }, { $mul: { a: new Double(3), b: Long.fromNumber(3) }, $min: { lo: 4 }, $max: { hi: new Double(4) } });
    expect(await types('numtypes2', 1)).toEqual({ lo: ['Int32', 4], hi: ['Long', 5], a: ['Double', 0], b: ['Long', 0] });
  });

  it('Decimal128 arithmetic is exact (0.1 + 0.2 is 0.3, not 0.30000000000000004) in updates and aggregation', async () => {
    const c = coll('money');
    await c.insertMany([{ _id: 1, yuan: Decimal128.fromString('0.1') }, { _id: 2, yuan: Decimal128.fromString('0.2') }]);
    await c.updateOne({ _id: 1 }, { $inc: { yuan: Decimal128.fromString('0.2') } });
    expect(String((await c.findOne({ _id: 1 }))?.yuan)).toBe('0.3');
    await c.updateOne({ _id: 2 }, { $mul: { yuan: Decimal128.fromString('1.1') } });
    expect(String((await c.findOne({ _id: 2 }))?.yuan)).toBe('0.22');
    const [sum] = await c.aggregate([{ $group: { _id: null, total: { $sum: '$yuan' } } }]).toArray();
    expect(String(sum.total)).toBe('0.52');
    const diff = await c.aggregate([{ $match: { _id: 1 } }, { $project: { d: { $subtract: ['$yuan', Decimal128.fromString('0.1')] } } }]).toArray();
    expect(String(diff[0].d)).toBe('0.2');
  });

  it('int64 overflow fails the update instead of wrapping', async () => {
    await coll('numtypes3').insertOne({ _id: 1, l: Long.MAX_VALUE });
    const err = await rejection(coll('numtypes3').updateOne({ _id: 1 }, { $inc: { l: 1 } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(2);
    expect(err.message).toContain('Failed to apply $inc');
    expect(await coll('numtypes3').findOne({ _id: 1 }, { promoteLongs: false })).toEqual({ _id: 1, l: Long.MAX_VALUE });
  });
});

describe('let (variables for $expr and pipelines) on every write', () => {
  beforeAll(async () => {
    await coll('letw').insertMany([{ _id: 1, x: 1 }, { _id: 2, x: 2 }, { _id: 3, x: 3 }]);
  });
  const byId = { $expr: { $eq: ['$_id', '$$id'] } };

  it('updateOne / updateMany with a $expr filter and a pipeline using the variables', async () => {
    const r = await coll('letw').updateOne(byId, [{ $set: { x: { $add: ['$x', '$$bump'] } } }], { let: { id: 1, bump: 10 } });
    expect(r.modifiedCount).toBe(1);
    const many = await coll('letw').updateMany({ $expr: { $gte: ['$x', '$$min'] } }, { $set: { big: true } }, { let: { min: 3 } });
    expect(many.modifiedCount).toBe(2);
    expect(await coll('letw').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, x: 11, big: true },
      { _id: 2, x: 2 },
      { _id: 3, x: 3, big: true },
    ]);
  });

  it('findOneAndUpdate, findOneAndDelete, deleteOne and bulkWrite take let', async () => {
    const after = await coll('letw').findOneAndUpdate(byId, { $set: { seen: true } }, { let: { id: 2 }, returnDocument: 'after' });
    expect(after).toEqual({ _id: 2, x: 2, seen: true });
    expect(await coll('letw').findOneAndDelete(byId, { let: { id: 2 } })).toEqual({ _id: 2, x: 2, seen: true });
    expect((await coll('letw').deleteOne(byId, { let: { id: 3 } })).deletedCount).toBe(1);
    const bulk = await coll('letw').bulkWrite([{ updateOne: { filter: byId, update: { $set: { via: 'bulk' } } } }], { let: { id: 1 } });
    expect(bulk.modifiedCount).toBe(1);
    expect(await coll('letw').find().toArray()).toEqual([{ _id: 1, x: 11, big: true, via: 'bulk' }]);
  });

  it('a variable that is not defined fails with 17276', async () => {
    const err = await rejection(coll('letw').updateOne({ $expr: { $eq: ['$_id', '$$nope'] } }, { $set: { y: 1 } }));
    expect(err.code).toBe(17276);
    expect(err.message).toContain('nope');
  });
});

describe('_id values MongoDB will not store', () => {
  it('a $-prefixed field inside _id fails with 52, nested too; nothing is stored', async () => {
    for (const _id of [{ $a: 1 }, { x: { $b: 1 } }]) {
      const err = await rejection(coll('dollarid').insertOne({ _id }));
      expect(err.code).toBe(52);
      expect(err.message).toMatch(/_id fields may not contain '\$'-prefixed fields: \$[ab] is not valid for storage/);
    }
    const up = await rejection(coll('dollarid').updateOne({ _id: { $eq: { $c: 1 } } }, { $set: { y: 1 } }, { upsert: true }));
    expect(up.code).toBe(52);
    expect(await coll('dollarid').countDocuments()).toBe(0);
    // dotted and DBRef-style keys are storable
    await coll('dollarid').insertOne({ _id: { 'a.b': 1 }, ref: { $ref: 'x', $id: 1 } });
    expect(await coll('dollarid').countDocuments()).toBe(1);
  });
});
