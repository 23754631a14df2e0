/**
 * Conformance: find (filter, sort, skip, limit, projection, batchSize, singleBatch),
 * getMore, killCursors, count, distinct, and the mingo gaps the docstore must cover
 * ($natural, Long/Decimal128 vs numbers, $type names, _id first).
 */
import mongoose from 'mongoose';
import { Schema } from 'mongoose';
import {
  Decimal128,
  Double,
  Int32,
  Long,
  ObjectId,
  TestEnv,
  itDocstore,
  rejection,
  setup,
} from './helpers';

let env: TestEnv;

interface Person {
  name: string;
  age?: number;
  town?: string;
  tags?: string[];
  address?: { city?: string; zip?: string };
  scores?: { subject: string; score: number }[];
  born?: Date;
  active?: boolean;
}

const personSchema = new Schema<Person>(
  {
    name: String,
    age: Number,
    town: String,
    tags: [String],
    address: { city: String, zip: String },
    scores: [{ _id: false, subject: String, score: Number }],
    born: Date,
    active: Boolean,
  },
  { collection: 'people', autoIndex: false },
);
let Person: mongoose.Model<Person>;

const PEOPLE: Person[] = [
  { name: 'Altan', age: 34, town: 'Ulaan', tags: ['farmer', 'herder'], address: { city: 'Ulaan', zip: '016100' }, scores: [{ subject: 'math', score: 81 }, { subject: 'art', score: 60 }], born: new Date('1990-03-01T00:00:00Z'), active: true },
  { name: 'Bayar', age: 51, town: 'Ulaan', tags: ['herder'], address: { city: 'Ulaan', zip: '016100' }, scores: [{ subject: 'math', score: 45 }], born: new Date('1973-07-12T00:00:00Z'), active: false },
  { name: 'Chimeg', age: 28, town: 'Bayan', tags: ['teacher'], address: { city: 'Bayan' }, scores: [{ subject: 'art', score: 95 }], born: new Date('1996-01-20T00:00:00Z'), active: true },
  { name: 'Dorj', age: 67, town: 'Bayan', tags: [], born: new Date('1957-11-02T00:00:00Z'), active: true },
  { name: 'Erdene', town: 'Sumber', tags: ['farmer'], active: false },
  { name: 'Gerel', age: 19, town: 'Sumber', tags: ['student', 'farmer'], address: { city: 'Sumber', zip: '016200' }, active: true },
];

beforeAll(async () => {
  env = await setup('find');
  Person = env.conn.model<Person>('Person', personSchema);
  await Person.insertMany(PEOPLE);
});
afterAll(async () => {
  await env?.close();
});

const names = (docs: { name?: string }[]) => docs.map((d) => d.name);

describe('find: filters', () => {
  it('equality, comparison, $in/$nin, $exists', async () => {
    expect(names(await Person.find({ town: 'Ulaan' }).sort({ name: 1 }).lean())).toEqual(['Altan', 'Bayar']);
    expect(names(await Person.find({ age: { $gt: 30, $lte: 67 } }).sort({ name: 1 }).lean())).toEqual(['Altan', 'Bayar', 'Dorj']);
    expect(names(await Person.find({ age: { $lt: 30 } }).sort({ name: 1 }).lean())).toEqual(['Chimeg', 'Gerel']);
    expect(names(await Person.find({ town: { $in: ['Bayan', 'Sumber'] } }).sort({ name: 1 }).lean())).toEqual(['Chimeg', 'Dorj', 'Erdene', 'Gerel']);
    expect(names(await Person.find({ town: { $nin: ['Bayan', 'Sumber'] } }).sort({ name: 1 }).lean())).toEqual(['Altan', 'Bayar']);
    expect(names(await Person.find({ age: { $exists: false } }).lean())).toEqual(['Erdene']);
    expect(names(await Person.find({ age: { $ne: 34 } }).sort({ name: 1 }).lean())).toEqual(['Bayar', 'Chimeg', 'Dorj', 'Erdene', 'Gerel']);
  });

  it('logical operators and $not/$regex', async () => {
    expect(names(await Person.find({ $or: [{ age: { $gt: 60 } }, { town: 'Sumber' }] }).sort({ name: 1 }).lean())).toEqual(['Dorj', 'Erdene', 'Gerel']);
    expect(names(await Person.find({ $and: [{ town: 'Ulaan' }, { active: true }] }).lean())).toEqual(['Altan']);
    expect(names(await Person.find({ $nor: [{ town: 'Ulaan' }, { town: 'Bayan' }] }).sort({ name: 1 }).lean())).toEqual(['Erdene', 'Gerel']);
    expect(names(await Person.find({ name: /^[A-C]/ }).sort({ name: 1 }).lean())).toEqual(['Altan', 'Bayar', 'Chimeg']);
    expect(names(await Person.find({ name: { $regex: 'ERD', $options: 'i' } }).lean())).toEqual(['Erdene']);
    expect(names(await Person.find({ age: { $not: { $gt: 30 } } }).sort({ name: 1 }).lean())).toEqual(['Chimeg', 'Erdene', 'Gerel']);
  });

  it('arrays: element equality, $all, $size, $elemMatch, dotted paths into arrays', async () => {
    expect(names(await Person.find({ tags: 'farmer' }).sort({ name: 1 }).lean())).toEqual(['Altan', 'Erdene', 'Gerel']);
    expect(names(await Person.find({ tags: { $all: ['farmer', 'herder'] } }).lean())).toEqual(['Altan']);
    expect(names(await Person.find({ tags: { $size: 0 } }).lean())).toEqual(['Dorj']);
    expect(names(await Person.find({ scores: { $elemMatch: { subject: 'math', score: { $gte: 80 } } } }).lean())).toEqual(['Altan']);
    // without $elemMatch the two conditions may match different elements
    expect(names(await Person.find({ 'scores.subject': 'art', 'scores.score': { $gte: 80 } }).sort({ name: 1 }).lean())).toEqual(['Altan', 'Chimeg']);
    expect(names(await Person.find({ 'address.zip': '016100' }).sort({ name: 1 }).lean())).toEqual(['Altan', 'Bayar']);
    expect(names(await Person.find({ 'address.zip': null }).sort({ name: 1 }).lean())).toEqual(['Chimeg', 'Dorj', 'Erdene']);
  });

  it('malformed operators fail instead of matching nothing', async () => {
    const people = env.coll('people');
    expect(await rejection(people.find({ tags: { $size: 'x' } }).toArray())).toBeInstanceOf(mongoose.mongo.MongoServerError);
    expect(await rejection(people.find({ age: { $frob: 1 } }).toArray())).toBeInstanceOf(mongoose.mongo.MongoServerError);
    expect(await rejection(people.find({ age: { $in: 5 } } as any).toArray())).toBeInstanceOf(mongoose.mongo.MongoServerError);
    expect(await rejection(people.find({ name: { $regex: '(' } }).toArray())).toBeInstanceOf(mongoose.mongo.MongoServerError);
  });

  it('dates and ObjectIds compare by value', async () => {
    expect(names(await Person.find({ born: { $gte: new Date('1990-01-01') } }).sort({ born: 1 }).lean())).toEqual(['Altan', 'Chimeg']);
    const first = await Person.findOne({ name: 'Altan' }).lean();
    const byId = await Person.findById(String(first!._id)).lean();
    expect(byId?.name).toBe('Altan');
    const later = await Person.find({ _id: { $gt: first!._id } }).lean();
    expect(later).toHaveLength(PEOPLE.length - 1);
  });

  it('returns stored BSON types unchanged', async () => {
    const coll = env.coll('types');
    const oid = new ObjectId();
    const doc = {
      _id: 'types-1',
      int: 7,
      dbl: 2.5,
      long: Long.fromString('9007199254740993'),
      dec: Decimal128.fromString('12.3400'),
      str: 'héllo ✓',
      date: new Date('2024-02-29T12:00:00.123Z'),
      oid,
      bool: false,
      nil: null,
      arr: [1, 'two', { three: 3 }],
      nested: { a: { b: { c: 'deep' } } },
      bin: new mongoose.mongo.Binary(Buffer.from([1, 2, 3, 250])),
    };
    await coll.insertOne(doc);
    const back = await coll.findOne({ _id: 'types-1' as any }, { promoteLongs: false });
    expect(back).not.toBeNull();
    expect(back!.int).toBe(7);
    expect(back!.dbl).toBe(2.5);
    expect(back!.long._bsontype).toBe('Long');
    expect(back!.long.toString()).toBe('9007199254740993');
    expect(back!.dec._bsontype).toBe('Decimal128');
    expect(back!.dec.toString()).toBe('12.3400');
    expect(back!.str).toBe('héllo ✓');
    expect(back!.date).toEqual(doc.date);
    expect(String(back!.oid)).toBe(String(oid));
    expect(back!.bool).toBe(false);
    expect(back!.nil).toBeNull();
    expect(back!.arr).toEqual([1, 'two', { three: 3 }]);
    expect(back!.nested).toEqual({ a: { b: { c: 'deep' } } });
    expect(Buffer.from(back!.bin.buffer).equals(Buffer.from([1, 2, 3, 250]))).toBe(true);
  });
});

describe('find: sort, skip, limit, projection', () => {
  it('sorts on one and several keys, ascending and descending', async () => {
    expect(names(await Person.find({}).sort({ town: 1, age: -1 }).lean())).toEqual(['Dorj', 'Chimeg', 'Gerel', 'Erdene', 'Bayar', 'Altan']);
    expect(names(await Person.find({}).sort({ name: -1 }).lean())).toEqual(['Gerel', 'Erdene', 'Dorj', 'Chimeg', 'Bayar', 'Altan']);
    // missing sorts before numbers ascending
    expect(names(await Person.find({}).sort({ age: 1 }).lean())[0]).toBe('Erdene');
  });

  it('orders values of different BSON types the way MongoDB does', async () => {
    const coll = env.coll('mixed');
    await coll.insertMany([
      { _id: 1 as any, v: 'b' },
      { _id: 2 as any, v: 10 },
      { _id: 3 as any, v: null },
      { _id: 4 as any, v: true },
      { _id: 5 as any, v: new Date('2020-01-01') },
      { _id: 6 as any, v: 2.5 },
      { _id: 7 as any, v: 'a' },
      { _id: 8 as any, v: { x: 1 } },
      { _id: 9 as any },
    ]);
    const asc = await coll.find({ _id: { $ne: 9 as any } }).sort({ v: 1 }).toArray();
    // null < numbers < strings < objects < booleans < dates
    expect(asc.map((d) => d._id)).toEqual([3, 6, 2, 7, 1, 8, 4, 5]);
    const desc = await coll.find({ _id: { $ne: 9 as any } }).sort({ v: -1 }).toArray();
    expect(desc.map((d) => d._id)).toEqual([5, 4, 8, 1, 7, 2, 6, 3]);
  });

  it('sorts arrays by their smallest element ascending and largest descending', async () => {
    const coll = env.coll('arrsort');
    await coll.insertMany([
      { _id: 1, v: [3, 9] },
      { _id: 2, v: [5] },
      { _id: 3, v: [1, 10] },
      { _id: 4, v: 4 },
    ]);
    expect((await coll.find({}).sort({ v: 1 }).toArray()).map((d) => d._id)).toEqual([3, 1, 4, 2]);
    expect((await coll.find({}).sort({ v: -1 }).toArray()).map((d) => d._id)).toEqual([3, 1, 2, 4]);
  });

  it('$in with regular expressions, $elemMatch on scalar arrays', async () => {
    expect(names(await Person.find({ name: { $in: [/^A/, 'Bayar'] } }).sort({ name: 1 }).lean())).toEqual(['Altan', 'Bayar']);
    const coll = env.coll('elem');
    await coll.insertMany([
      { _id: 1, s: [70, 90] },
      { _id: 2, s: [82] },
      { _id: 3, s: [60, 99] },
    ]);
    expect((await coll.find({ s: { $elemMatch: { $gte: 80, $lt: 85 } } }).toArray()).map((d) => d._id)).toEqual([2]);
    // without $elemMatch each condition may be met by a different element
    expect((await coll.find({ s: { $gte: 80, $lt: 85 } }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2, 3]);
  });

  it('applies skip and limit after sort', async () => {
    expect(names(await Person.find({}).sort({ name: 1 }).skip(2).limit(2).lean())).toEqual(['Chimeg', 'Dorj']);
    expect(names(await Person.find({}).sort({ name: 1 }).skip(5).limit(10).lean())).toEqual(['Gerel']);
    expect(await Person.find({}).skip(100).lean()).toEqual([]);
  });

  it('projects by inclusion, exclusion, nested paths and $slice', async () => {
    const inc = await Person.findOne({ name: 'Altan' }, { name: 1, 'address.city': 1 }).lean<Person & { _id: unknown }>();
    expect(Object.keys(inc!).sort()).toEqual(['_id', 'address', 'name']);
    expect(inc!.address).toEqual({ city: 'Ulaan' });

    const noId = await Person.findOne({ name: 'Altan' }, { name: 1, _id: 0 }).lean();
    expect(noId).toEqual({ name: 'Altan' });

    const exc = await Person.findOne({ name: 'Altan' }, { scores: 0, tags: 0, address: 0 }).lean();
    expect(exc).toMatchObject({ name: 'Altan', age: 34, town: 'Ulaan' });
    expect(exc).not.toHaveProperty('scores');
    expect(exc).not.toHaveProperty('tags');

    const sliced = await env.coll('people').findOne({ name: 'Gerel' }, { projection: { tags: { $slice: 1 }, name: 1 } });
    expect(sliced!.tags).toEqual(['student']);
  });

  it('rejects a projection that mixes inclusion and exclusion', async () => {
    const err = await rejection(env.coll('people').findOne({}, { projection: { name: 1, age: 0 } }));
    expect(err).toBeInstanceOf(mongoose.mongo.MongoServerError);
  });

  it('puts _id first in stored and projected documents', async () => {
    const coll = env.coll('idfirst');
    await coll.insertOne({ a: 1, b: { c: 2 }, _id: 'k' as any });
    const doc = await coll.findOne({ _id: 'k' as any });
    expect(Object.keys(doc!)).toEqual(['_id', 'a', 'b']);
    const projected = await coll.findOne({ _id: 'k' as any }, { projection: { b: 1, a: 1 } });
    expect(Object.keys(projected!)[0]).toBe('_id');
    // the server generates _id when the client did not send one, and puts it first
    await env.db.command({ insert: 'idfirst', documents: [{ z: 1, y: 2 }] });
    const gen = await coll.findOne({ z: 1 });
    expect(Object.keys(gen!)).toEqual(['_id', 'z', 'y']);
    expect(gen!._id).toBeInstanceOf(ObjectId);
  });

  it('supports $natural sort and hint', async () => {
    const coll = env.coll('natural');
    await coll.insertMany([{ _id: 'm' as any }, { _id: 'a' as any }, { _id: 'z' as any }, { _id: 'c' as any }]);
    expect((await coll.find({}).sort({ $natural: 1 }).toArray()).map((d) => d._id)).toEqual(['m', 'a', 'z', 'c']);
    expect((await coll.find({}).sort({ $natural: -1 }).toArray()).map((d) => d._id)).toEqual(['c', 'z', 'a', 'm']);
    expect((await coll.find({}).hint({ $natural: 1 }).toArray()).map((d) => d._id)).toEqual(['m', 'a', 'z', 'c']);
  });
});

describe('numbers across BSON types and $type', () => {
  beforeAll(async () => {
    await env.coll('nums').insertMany([
      { _id: 'int' as any, n: new Int32(3) },
      { _id: 'long' as any, n: Long.fromNumber(5) },
      { _id: 'dec' as any, n: Decimal128.fromString('7.5') },
      { _id: 'dbl' as any, n: new Double(10) },
      { _id: 'str' as any, n: '4' },
      { _id: 'bigl' as any, n: Long.fromString('9007199254740993') },
    ]);
  });

  it('compares Long and Decimal128 with plain numbers', async () => {
    const coll = env.coll('nums');
    const ids = async (filter: Record<string, unknown>) => (await coll.find(filter).sort({ n: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ n: { $gt: 4 } })).toEqual(['long', 'dec', 'dbl', 'bigl']);
    expect(await ids({ n: 5 })).toEqual(['long']);
    expect(await ids({ n: 7.5 })).toEqual(['dec']);
    expect(await ids({ n: { $lte: Decimal128.fromString('5') } })).toEqual(['int', 'long']);
    expect(await ids({ n: { $in: [3, 10] } })).toEqual(['int', 'dbl']);
    expect(await ids({ n: { $gt: Long.fromString('9007199254740992') } })).toEqual(['bigl']);
    // numbers sort together, by value, regardless of their BSON type
    expect(await ids({ _id: { $ne: 'str' } })).toEqual(['int', 'long', 'dec', 'dbl', 'bigl']);
  });

  it('matches $type by BSON type name and number', async () => {
    const coll = env.coll('nums');
    const ids = async (t: unknown) => (await coll.find({ n: { $type: t } } as any).sort({ _id: 1 }).toArray()).map((d) => d._id).sort();
    expect(await ids('int')).toEqual(['int']);
    expect(await ids('long')).toEqual(['bigl', 'long']);
    expect(await ids('decimal')).toEqual(['dec']);
    expect(await ids('double')).toEqual(['dbl']);
    expect(await ids('string')).toEqual(['str']);
    expect(await ids('number')).toEqual(['bigl', 'dbl', 'dec', 'int', 'long']);
    expect(await ids(18)).toEqual(['bigl', 'long']);
    expect(await ids(['int', 'string'])).toEqual(['int', 'str']);
    const people = env.coll('people');
    expect(await people.countDocuments({ born: { $type: 'date' } })).toBe(4);
    expect(await people.countDocuments({ _id: { $type: 'objectId' } })).toBe(PEOPLE.length);
    expect(await people.countDocuments({ tags: { $type: 'array' } })).toBe(PEOPLE.length);
    expect(await people.countDocuments({ address: { $type: 'object' } })).toBe(4);
    expect(await people.countDocuments({ active: { $type: 'bool' } })).toBe(PEOPLE.length);
  });
});

describe('cursors', () => {
  const N = 250;
  beforeAll(async () => {
    await env.coll('many').insertMany(Array.from({ length: N }, (_, i) => ({ _id: i as any, i, even: i % 2 === 0 })));
  });

  it('returns every document through getMore when the result exceeds the first batch', async () => {
    env.commands.length = 0;
    const all = await env.coll('many').find({}).sort({ _id: 1 }).toArray();
    expect(all).toHaveLength(N);
    expect(all.map((d) => d.i)).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(env.commands.filter((c) => c.commandName === 'getMore').length).toBeGreaterThan(0);
  });

  it('honours batchSize with getMore, and limit across batches', async () => {
    env.commands.length = 0;
    const docs = await env.coll('many').find({ even: true }).sort({ _id: 1 }).batchSize(7).toArray();
    expect(docs).toHaveLength(N / 2);
    const getMores = env.commands.filter((c) => c.commandName === 'getMore');
    expect(getMores.length).toBeGreaterThanOrEqual(Math.floor(N / 2 / 7) - 1);

    const limited = await env.coll('many').find({}).sort({ _id: -1 }).limit(12).batchSize(5).toArray();
    expect(limited.map((d) => d._id)).toEqual(Array.from({ length: 12 }, (_, i) => N - 1 - i));
  });

  it('mongoose cursors stream through batches', async () => {
    const Many = env.conn.model('Many', new Schema({ _id: Number, i: Number, even: Boolean }, { collection: 'many', autoIndex: false }));
    const seen: number[] = [];
    for await (const doc of Many.find({ i: { $gte: 100 } }).sort({ i: 1 }).batchSize(30).lean().cursor()) {
      seen.push((doc as { i: number }).i);
    }
    expect(seen).toEqual(Array.from({ length: N - 100 }, (_, i) => 100 + i));
  });

  it('find/getMore/killCursors commands: int64 cursor ids, batches, CursorNotFound after kill', async () => {
    const raw = { promoteLongs: false } as const;
    const first = await env.db.command({ find: 'many', filter: {}, sort: { _id: 1 }, batchSize: 10 }, raw);
    expect(first.ok).toBe(1);
    expect(first.cursor.ns).toBe(`${env.dbName}.many`);
    expect(first.cursor.firstBatch).toHaveLength(10);
    expect(first.cursor.id._bsontype).toBe('Long');
    expect(first.cursor.id.isZero()).toBe(false);
    const id = first.cursor.id;

    const next = await env.db.command({ getMore: id, collection: 'many', batchSize: 15 }, raw);
    expect(next.cursor.nextBatch.map((d: { _id: number }) => d._id)).toEqual(Array.from({ length: 15 }, (_, i) => 10 + i));
    expect(next.cursor.id.equals(id)).toBe(true);

    const killed = await env.db.command({ killCursors: 'many', cursors: [id] }, raw);
    expect(killed.cursorsKilled.map(String)).toEqual([String(id)]);
    const err = await rejection(env.db.command({ getMore: id, collection: 'many' }, raw));
    expect(err.code).toBe(43); // CursorNotFound

    const unknown = await env.db.command({ killCursors: 'many', cursors: [Long.fromNumber(123456789)] }, raw);
    expect(unknown.cursorsNotFound.map(String)).toEqual(['123456789']);
  });

  it('exhausted and single-batch cursors have id 0 (int64)', async () => {
    const raw = { promoteLongs: false } as const;
    const small = await env.db.command({ find: 'many', filter: { _id: { $lt: 3 } } }, raw);
    expect(small.cursor.firstBatch).toHaveLength(3);
    expect(small.cursor.id._bsontype).toBe('Long');
    expect(small.cursor.id.isZero()).toBe(true);

    const single = await env.db.command({ find: 'many', filter: {}, batchSize: 4, singleBatch: true }, raw);
    expect(single.cursor.firstBatch).toHaveLength(4);
    expect(single.cursor.id.isZero()).toBe(true);

    const limited = await env.db.command({ find: 'many', filter: {}, limit: 3, batchSize: 3 }, raw);
    expect(limited.cursor.firstBatch).toHaveLength(3);
    expect(limited.cursor.id.isZero()).toBe(true);

    // limit spans batches: getMore never returns more than the limit leaves
    const lim = await env.db.command({ find: 'many', filter: {}, sort: { _id: 1 }, limit: 5, batchSize: 2 }, raw);
    expect(lim.cursor.firstBatch).toHaveLength(2);
    const limRest = await env.db.command({ getMore: lim.cursor.id, collection: 'many', batchSize: 10 }, raw);
    expect(limRest.cursor.nextBatch.map((d: { _id: number }) => d._id)).toEqual([2, 3, 4]);
    expect(limRest.cursor.id.isZero()).toBe(true);

    // the last getMore of a cursor returns id 0
    const first = await env.db.command({ find: 'many', filter: { _id: { $lt: 5 } }, sort: { _id: 1 }, batchSize: 3 }, raw);
    expect(first.cursor.id.isZero()).toBe(false);
    const rest = await env.db.command({ getMore: first.cursor.id, collection: 'many', batchSize: 10 }, raw);
    expect(rest.cursor.nextBatch.map((d: { _id: number }) => d._id)).toEqual([3, 4]);
    expect(rest.cursor.id._bsontype).toBe('Long');
    expect(rest.cursor.id.isZero()).toBe(true);
  });

  it('the driver sends killCursors when a cursor is closed early', async () => {
    env.commands.length = 0;
    const cursor = env.coll('many').find({}).batchSize(5);
    await cursor.next();
    await cursor.close();
    const kill = env.commands.find((c) => c.commandName === 'killCursors');
    expect(kill).toBeDefined();
  });

  itDocstore('a cursor sees a stable snapshot: later writes do not change its remaining batches', async () => {
    const coll = env.coll('snap');
    await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: i as any, v: 'old' })));
    const cursor = coll.find({}).sort({ _id: 1 }).batchSize(5);
    const seen: unknown[] = [];
    seen.push((await cursor.next())!.v);
    await coll.updateMany({}, { $set: { v: 'new' } });
    await coll.deleteMany({ _id: { $gte: 15 } as any });
    for await (const d of cursor) seen.push(d.v);
    expect(seen).toEqual(Array.from({ length: 20 }, () => 'old'));
    // and the cursor's documents never alias the stored ones
    expect((await coll.find({}).toArray()).map((d) => d.v)).toEqual(Array.from({ length: 15 }, () => 'new'));
  });
});

describe('large documents and replies', () => {
  it('round-trips a 15 MB document and splits large results into batches under the message limit', async () => {
    const coll = env.coll('large');
    const big = 'z'.repeat(15 * 1024 * 1024);
    await coll.insertOne({ _id: 'huge', big });
    const back = await coll.findOne({ _id: 'huge' });
    expect(back!.big.length).toBe(big.length);
    await coll.deleteOne({ _id: 'huge' });

    const mb = 'm'.repeat(1024 * 1024);
    await coll.insertMany(Array.from({ length: 60 }, (_, i) => ({ _id: i, mb })));
    env.commands.length = 0;
    const all = await coll.find({}).sort({ _id: 1 }).toArray();
    expect(all.map((d) => d._id)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(all.every((d) => d.mb.length === mb.length)).toBe(true);
    expect(env.commands.filter((c) => c.commandName === 'getMore').length).toBeGreaterThan(0);
    await coll.drop();
  });
});

describe('count and distinct', () => {
  it('count command with query, skip and limit; estimated and exact counts', async () => {
    const r = await env.db.command({ count: 'people', query: { active: true } });
    expect(r.n).toBe(4);
    expect((await env.db.command({ count: 'people', query: {}, skip: 2, limit: 3 })).n).toBe(3);
    expect((await env.db.command({ count: 'people', query: {}, skip: 5 })).n).toBe(1);
    expect((await env.db.command({ count: 'nosuchcollection' })).n).toBe(0);
    expect(await Person.estimatedDocumentCount()).toBe(PEOPLE.length);
    expect(await Person.countDocuments({ town: 'Bayan' })).toBe(2);
    expect(await Person.countDocuments({ town: 'Nowhere' })).toBe(0);
  });

  it('distinct unwinds arrays, follows dotted paths and applies the filter', async () => {
    expect((await Person.distinct('town')).sort()).toEqual(['Bayan', 'Sumber', 'Ulaan']);
    expect((await Person.distinct('tags')).sort()).toEqual(['farmer', 'herder', 'student', 'teacher']);
    expect((await Person.distinct('address.city', { active: true })).sort()).toEqual(['Bayan', 'Sumber', 'Ulaan']);
    expect((await Person.distinct('scores.subject')).sort()).toEqual(['art', 'math']);
    expect(await Person.distinct('town', { age: { $gt: 100 } })).toEqual([]);
    const raw = await env.db.command({ distinct: 'people', key: 'town', query: { town: { $ne: 'Ulaan' } } });
    expect(raw.values.sort()).toEqual(['Bayan', 'Sumber']);
  });
});

describe('let and hints on reads', () => {
  beforeAll(async () => {
    await env.coll('letr').insertMany([{ _id: 1, x: 10 }, { _id: 2, x: 20 }, { _id: 3, x: 30 }]);
  });

  it('find, aggregate and countDocuments evaluate $$variables from let', async () => {
    const byMin = { $expr: { $gte: ['$x', '$$min'] } };
    expect(await env.coll('letr').find(byMin, { let: { min: 20 }, sort: { _id: 1 } }).toArray()).toEqual([{ _id: 2, x: 20 }, { _id: 3, x: 30 }]);
    const agg = await env.coll('letr').aggregate([{ $match: byMin }, { $project: { y: { $multiply: ['$x', '$$k'] } } }], { let: { min: 30, k: 2 } }).toArray();
    expect(agg).toEqual([{ _id: 3, y: 60 }]);
    expect(await env.coll('letr').countDocuments(byMin, { let: { min: 15 } } as never)).toBe(2);
    // let values are expressions, evaluated once
    expect(await env.coll('letr').find(byMin, { let: { min: { $add: [5, 20] } } }).toArray()).toEqual([{ _id: 3, x: 30 }]);
  });

  it('a hint naming no index fails (results never depend on hints)', async () => {
    for (const p of [env.coll('letr').find({}, { hint: 'no_such_index' }).toArray(), env.coll('letr').countDocuments({}, { hint: { nope: 1 } })]) {
      const err = await rejection(p);
      expect(err.code).toBe(2);
      expect(err.message).toContain('hint provided does not correspond to an existing index');
    }
    expect(await env.coll('letr').find({}, { hint: { _id: 1 } }).toArray()).toHaveLength(3);
  });
});
