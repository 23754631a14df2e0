/**
 * Conformance: aggregate (cursor) with $match, $group, $lookup, $unwind, $sort, $facet,
 * $project and friends, through mongoose and the raw command.
 */
import mongoose from 'mongoose';
import { Schema } from 'mongoose';
import { Double, Long, TestEnv, expectIndexOnly, rejection, setup } from './helpers';

let env: TestEnv;

interface Resident {
  _id: number;
  name: string;
  age: number;
  household: number;
  village: string;
  skills: string[];
  income?: number;
}
interface Household {
  _id: number;
  head: string;
  village: string;
}

let Resident: mongoose.Model<Resident>;
let Household: mongoose.Model<Household>;

const RESIDENTS: Resident[] = [
  { _id: 1, name: 'Altan', age: 34, household: 10, village: 'North', skills: ['herding', 'driving'], income: 300 },
  { _id: 2, name: 'Bolor', age: 31, household: 10, village: 'North', skills: ['sewing'], income: 200 },
  { _id: 3, name: 'Chuluun', age: 8, household: 10, village: 'North', skills: [] },
  { _id: 4, name: 'Delger', age: 70, household: 11, village: 'South', skills: ['herding'], income: 100 },
  { _id: 5, name: 'Enkh', age: 45, household: 12, village: 'South', skills: ['driving', 'welding'], income: 500 },
  { _id: 6, name: 'Footloose', age: 22, household: 99, village: 'East', skills: ['herding'], income: 50 },
];
const HOUSEHOLDS: Household[] = [
  { _id: 10, head: 'Altan', village: 'North' },
  { _id: 11, head: 'Delger', village: 'South' },
  { _id: 12, head: 'Enkh', village: 'South' },
  { _id: 13, head: 'Nobody', village: 'West' },
];

beforeAll(async () => {
  env = await setup('aggregate');
  Resident = env.conn.model<Resident>(
    'Resident',
    new Schema<Resident>(
      { _id: Number, name: String, age: Number, household: Number, village: String, skills: [String], income: Number },
      { collection: 'residents', autoIndex: false },
    ),
  );
  Household = env.conn.model<Household>(
    'Household',
    new Schema<Household>({ _id: Number, head: String, village: String }, { collection: 'households', autoIndex: false }),
  );
  await Resident.insertMany(RESIDENTS);
  await Household.insertMany(HOUSEHOLDS);
});
afterAll(async () => {
  await env?.close();
});

describe('aggregate stages', () => {
  it('$match + $group with accumulators + $sort', async () => {
    const rows = await Resident.aggregate([
      { $match: { age: { $gte: 18 } } },
      {
        $group: {
          _id: '$village',
          n: { $sum: 1 },
          income: { $sum: '$income' },
          avgAge: { $avg: '$age' },
          oldest: { $max: '$age' },
          youngest: { $min: '$age' },
          names: { $push: '$name' },
          villages: { $addToSet: '$village' },
          first: { $first: '$name' },
        },
      },
      { $sort: { n: -1, _id: 1 } },
    ]);
    expect(rows).toEqual([
      { _id: 'North', n: 2, income: 500, avgAge: 32.5, oldest: 34, youngest: 31, names: ['Altan', 'Bolor'], villages: ['North'], first: 'Altan' },
      { _id: 'South', n: 2, income: 600, avgAge: 57.5, oldest: 70, youngest: 45, names: ['Delger', 'Enkh'], villages: ['South'], first: 'Delger' },
      { _id: 'East', n: 1, income: 50, avgAge: 22, oldest: 22, youngest: 22, names: ['Footloose'], villages: ['East'], first: 'Footloose' },
    ]);
    expect(Object.keys(rows[0])[0]).toBe('_id');
  });

  it('$group by null and by compound keys', async () => {
    const [all] = await Resident.aggregate([{ $group: { _id: null, total: { $sum: '$income' }, people: { $sum: 1 } } }]);
    expect(all).toEqual({ _id: null, total: 1150, people: 6 });
    const byPair = await Resident.aggregate([
      { $group: { _id: { v: '$village', adult: { $gte: ['$age', 18] } }, n: { $sum: 1 } } },
      { $sort: { '_id.v': 1, '_id.adult': 1 } },
    ]);
    expect(byPair).toEqual([
      { _id: { v: 'East', adult: true }, n: 1 },
      { _id: { v: 'North', adult: false }, n: 1 },
      { _id: { v: 'North', adult: true }, n: 2 },
      { _id: { v: 'South', adult: true }, n: 2 },
    ]);
  });

  it('$unwind with and without preserveNullAndEmptyArrays and includeArrayIndex', async () => {
    const bySkill = await Resident.aggregate([
      { $unwind: '$skills' },
      { $group: { _id: '$skills', n: { $sum: 1 } } },
      { $sort: { n: -1, _id: 1 } },
    ]);
    expect(bySkill).toEqual([
      { _id: 'herding', n: 3 },
      { _id: 'driving', n: 2 },
      { _id: 'sewing', n: 1 },
      { _id: 'welding', n: 1 },
    ]);
    const kept = await Resident.aggregate([
      { $match: { _id: { $in: [3, 5] } } },
      { $unwind: { path: '$skills', preserveNullAndEmptyArrays: true, includeArrayIndex: 'i' } },
      { $project: { _id: 1, skills: 1, i: 1 } },
      { $sort: { _id: 1, i: 1 } },
    ]);
    expect(kept).toEqual([
      { _id: 3, i: null },
      { _id: 5, skills: 'driving', i: 0 },
      { _id: 5, skills: 'welding', i: 1 },
    ]);
  });

  it('$lookup (localField/foreignField and pipeline form) + $unwind', async () => {
    const rows = await Household.aggregate([
      { $lookup: { from: 'residents', localField: '_id', foreignField: 'household', as: 'members' } },
      { $project: { head: 1, size: { $size: '$members' }, memberNames: '$members.name' } },
      { $sort: { _id: 1 } },
    ]);
    expect(rows).toEqual([
      { _id: 10, head: 'Altan', size: 3, memberNames: ['Altan', 'Bolor', 'Chuluun'] },
      { _id: 11, head: 'Delger', size: 1, memberNames: ['Delger'] },
      { _id: 12, head: 'Enkh', size: 1, memberNames: ['Enkh'] },
      { _id: 13, head: 'Nobody', size: 0, memberNames: [] },
    ]);

    const orphans = await Resident.aggregate([
      { $lookup: { from: 'households', localField: 'household', foreignField: '_id', as: 'hh' } },
      { $unwind: { path: '$hh', preserveNullAndEmptyArrays: true } },
      { $match: { hh: { $exists: false } } },
      { $project: { name: 1 } },
    ]);
    expect(orphans).toEqual([{ _id: 6, name: 'Footloose' }]);

    const adults = await Household.aggregate([
      { $match: { village: 'North' } },
      {
        $lookup: {
          from: 'residents',
          let: { hh: '$_id' },
          pipeline: [{ $match: { $expr: { $and: [{ $eq: ['$household', '$$hh'] }, { $gte: ['$age', 18] }] } } }, { $sort: { age: -1 } }, { $project: { _id: 0, name: 1 } }],
          as: 'adults',
        },
      },
    ]);
    expect(adults.map(({ _id, head, adults: a }) => ({ _id, head, adults: a }))).toEqual([{ _id: 10, head: 'Altan', adults: [{ name: 'Altan' }, { name: 'Bolor' }] }]);
  });

  it('$lookup with an array localField matches any element', async () => {
    await env.db.collection('teams').insertMany([
      { _id: 'a' as any, members: [1, 4] },
      { _id: 'b' as any, members: [6, 99] },
    ]);
    const rows = await env.db
      .collection('teams')
      .aggregate([{ $lookup: { from: 'residents', localField: 'members', foreignField: '_id', as: 'people' } }, { $project: { names: '$people.name' } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(rows).toEqual([
      { _id: 'a', names: ['Altan', 'Delger'] },
      { _id: 'b', names: ['Footloose'] },
    ]);
  });

  it('a stage after $lookup that changes the joined documents leaves the stored ones intact', async () => {
    const rows = await env.db
      .collection('households')
      .aggregate([{ $match: { _id: 11 } }, { $lookup: { from: 'residents', localField: '_id', foreignField: 'household', as: 'members' } }, { $project: { __v: 0, 'members.__v': 0, 'members.skills': 0, 'members.income': 0 } }])
      .toArray();
    expect(rows).toEqual([{ _id: 11, head: 'Delger', village: 'South', members: [{ _id: 4, name: 'Delger', age: 70, household: 11, village: 'South' }] }]);
    expect(await env.db.collection('residents').findOne({ _id: 4 as any }, { projection: { __v: 0 } })).toEqual(RESIDENTS[3]);
  });

  it('$facet runs sub-pipelines over the same input', async () => {
    const [facets] = await Resident.aggregate([
      { $match: { age: { $gte: 18 } } },
      {
        $facet: {
          byVillage: [{ $sortByCount: '$village' }, { $sort: { count: -1, _id: 1 } }],
          total: [{ $count: 'n' }],
          richest: [{ $sort: { income: -1 } }, { $limit: 2 }, { $project: { _id: 0, name: 1 } }],
        },
      },
    ]);
    expect(facets).toEqual({
      byVillage: [
        { _id: 'North', count: 2 },
        { _id: 'South', count: 2 },
        { _id: 'East', count: 1 },
      ],
      total: [{ n: 5 }],
      richest: [{ name: 'Enkh' }, { name: 'Altan' }],
    });
  });

  it('$project with computed fields, $addFields, $skip, $limit, $count', async () => {
    const rows = await Resident.aggregate([
      { $sort: { age: 1 } },
      { $skip: 1 },
      { $limit: 3 },
      {
        $project: {
          _id: 0,
          label: { $concat: ['$name', ' (', '$village', ')'] },
          group: { $cond: [{ $gte: ['$age', 60] }, 'elder', 'adult'] },
          nSkills: { $size: '$skills' },
        },
      },
      { $addFields: { upper: { $toUpper: '$group' } } },
    ]);
    expect(rows).toEqual([
      { label: 'Footloose (East)', group: 'adult', nSkills: 1, upper: 'ADULT' },
      { label: 'Bolor (North)', group: 'adult', nSkills: 1, upper: 'ADULT' },
      { label: 'Altan (North)', group: 'adult', nSkills: 2, upper: 'ADULT' },
    ]);
    const [counted] = await Resident.aggregate([{ $match: { skills: 'herding' } }, { $count: 'herders' }]);
    expect(counted).toEqual({ herders: 3 });
    expect(await Resident.aggregate([{ $match: { age: { $gt: 200 } } }, { $count: 'n' }])).toEqual([]);
  });

  it('aggregate over a missing collection returns nothing', async () => {
    expect(await env.db.collection('nothing_here').aggregate([{ $match: {} }]).toArray()).toEqual([]);
  });

  it('a leading $match on an indexed field uses the index', async () => {
    await Resident.collection.createIndex({ household: 1 });
    const rows = await expectIndexOnly(env, 'residents', () => Resident.aggregate([{ $match: { household: 10 } }, { $group: { _id: null, n: { $sum: 1 } } }]).exec());
    expect(rows).toEqual([{ _id: null, n: 3 }]);
  });
});

describe('aggregation arithmetic across BSON number types', () => {
  beforeAll(async () => {
    await env.db.collection('amounts').insertMany([
      { _id: 1 as any, v: Long.fromNumber(10), n: 7 },
      { _id: 2 as any, v: 1, n: 8 },
      { _id: 3 as any, v: Long.fromNumber(20), n: 50 },
      { _id: 4 as any, v: new Double(2.5), n: 8 },
    ]);
  });

  it('$sum / $avg / $min / $max include Long values', async () => {
    const [r] = await env.db
      .collection('amounts')
      .aggregate([{ $group: { _id: null, sum: { $sum: '$v' }, avg: { $avg: '$v' }, min: { $min: '$v' }, max: { $max: '$v' } } }])
      .toArray();
    expect(Number(String(r.sum))).toBe(33.5);
    expect(Number(String(r.avg))).toBeCloseTo(8.375);
    expect(Number(String(r.min))).toBe(1);
    expect(Number(String(r.max))).toBe(20);
    const [longs] = await env.db
      .collection('amounts')
      .aggregate([{ $match: { v: { $type: 'long' } } }, { $group: { _id: null, sum: { $sum: '$v' } } }], { promoteLongs: false })
      .toArray();
    expect(longs.sum._bsontype).toBe('Long');
    expect(longs.sum.toString()).toBe('30');
  });

  it('arithmetic expressions accept Long operands', async () => {
    const rows = await env.db
      .collection('amounts')
      .aggregate([{ $sort: { _id: 1 } }, { $project: { _id: 0, plus: { $add: ['$v', 1] }, big: { $gt: ['$v', 5] } } }])
      .toArray();
    expect(rows.map((r) => [Number(String(r.plus)), r.big])).toEqual([
      [11, true],
      [2, false],
      [21, true],
      [3.5, false],
    ]);
  });

  it('$bucket places int32 values on the right side of a boundary', async () => {
    const rows = await env.db
      .collection('amounts')
      .aggregate([{ $bucket: { groupBy: '$n', boundaries: [0, 8, 20], default: 'other', output: { c: { $sum: 1 } } } }])
      .toArray();
    expect(rows).toEqual([
      { _id: 0, c: 1 },
      { _id: 8, c: 2 },
      { _id: 'other', c: 1 },
    ]);
  });

  it('computed find projections keep _id first', async () => {
    const doc = await env.db.collection('amounts').findOne({ _id: 2 as any }, { projection: { twice: { $multiply: ['$n', 2] } } });
    expect(doc).toEqual({ _id: 2, twice: 16 });
    expect(Object.keys(doc!)).toEqual(['_id', 'twice']);
  });
});

describe('aggregation results never alias stored documents', () => {
  it('stages that reshape documents leave the stored ones unchanged', async () => {
    const before = await Resident.find().sort({ _id: 1 }).lean();
    await Resident.aggregate([
      { $addFields: { name: 'CHANGED', skills: ['x'] } },
      { $unwind: '$skills' },
      { $set: { 'extra.deep': 1 } },
      { $lookup: { from: 'residents', localField: 'household', foreignField: 'household', as: 'same' } },
      { $project: { same: 0 } },
    ]);
    const rows = await Resident.aggregate([{ $match: { _id: 1 } }]);
    rows[0].name = 'mutated client-side';
    await Resident.aggregate([{ $group: { _id: null, all: { $push: '$$ROOT' } } }, { $unwind: '$all' }, { $set: { 'all.skills': [] } }]);
    expect(await Resident.find().sort({ _id: 1 }).lean()).toEqual(before);
  });
});

describe('aggregate cursors', () => {
  beforeAll(async () => {
    await env.db.collection('big').insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i as any, g: i % 3 })));
  });

  it('batches through getMore', async () => {
    env.commands.length = 0;
    const out = await env.db.collection('big').aggregate([{ $match: { g: { $gte: 0 } } }, { $sort: { _id: -1 } }], { batchSize: 40 }).toArray();
    expect(out).toHaveLength(300);
    expect(out[0]._id).toBe(299);
    expect(env.commands.filter((c) => c.commandName === 'getMore').length).toBeGreaterThanOrEqual(6);
    const seen: number[] = [];
    for await (const d of Resident.aggregate([{ $sort: { _id: 1 } }]).cursor({ batchSize: 2 })) seen.push(d._id as number);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('raw command: cursor option required, int64 cursor ids', async () => {
    const raw = { promoteLongs: false } as const;
    const r = await env.db.command({ aggregate: 'big', pipeline: [{ $match: { g: 1 } }], cursor: { batchSize: 10 } }, raw);
    expect(r.cursor.firstBatch).toHaveLength(10);
    expect(r.cursor.id._bsontype).toBe('Long');
    expect(r.cursor.id.isZero()).toBe(false);
    await env.db.command({ killCursors: 'big', cursors: [r.cursor.id] });
    const all = await env.db.command({ aggregate: 'big', pipeline: [{ $match: { g: 1 } }, { $count: 'n' }], cursor: {} }, raw);
    expect(all.cursor.firstBatch).toEqual([{ n: 100 }]);
    expect(all.cursor.id.isZero()).toBe(true);
    const err = await rejection(env.db.command({ aggregate: 'big', pipeline: [] }));
    expect(err).toBeInstanceOf(mongoose.mongo.MongoServerError);
  });

  it('collection-less aggregate ($documents): either right or a clear error', async () => {
    const out = await env.db
      .aggregate([{ $documents: [{ x: 1 }, { x: 2 }] }, { $match: { x: 2 } }])
      .toArray()
      .catch((e: Error) => e);
    if (out instanceof Error) expect(out.message).toMatch(/documents|not supported|unsupported/i);
    else expect(out).toEqual([{ x: 2 }]);
  });
});

describe('BSON types through a pipeline', () => {
  it('documents passed through $match / $sort / $addFields keep their integral doubles', async () => {
    const c = env.coll('typed_pipeline');
    await c.insertMany([{ _id: 1, d: new Double(2), i: 2 }, { _id: 2, d: new Double(4), i: 4 }]);
    const out = await c.aggregate([{ $match: { i: { $gte: 2 } } }, { $sort: { _id: -1 } }, { $addFields: { tag: 'x' } }], { promoteValues: false }).toArray();
    expect(out.map((d) => [(d.d as { _bsontype: string })._bsontype, Number(d.d), (d.i as { _bsontype: string })._bsontype])).toEqual([
      ['Double', 4, 'Int32'],
      ['Double', 2, 'Int32'],
    ]);
  });
});
