/**
 * Conformance at the mongoose model level: populate, timestamps ($setOnInsert on every
 * update), document save/versioning, optimistic concurrency, explicit sessions.
 */
import mongoose from 'mongoose';
import { Schema, Types } from 'mongoose';
import { TestEnv, expectIndexOnly, rejection, setup, sleep } from './helpers';

let env: TestEnv;

interface Village {
  name: string;
  town: string;
}
interface Person {
  name: string;
  village: Types.ObjectId;
  spouse?: Types.ObjectId;
  children: Types.ObjectId[];
  createdAt?: Date;
  updatedAt?: Date;
}
interface Note {
  key: string;
  text: string;
  hits: number;
  createdAt: Date;
  updatedAt: Date;
}

let Village: mongoose.Model<Village>;
let Person: mongoose.Model<Person>;
let Note: mongoose.Model<Note>;

beforeAll(async () => {
  env = await setup('mongoose');
  const villageSchema = new Schema<Village>({ name: { type: String, unique: true }, town: String }, { collection: 'villages' });
  villageSchema.virtual('people', { ref: 'Person', localField: '_id', foreignField: 'village' });
  Village = env.conn.model<Village>('Village', villageSchema);
  Person = env.conn.model<Person>(
    'Person',
    new Schema<Person>(
      {
        name: { type: String, required: true },
        village: { type: Schema.Types.ObjectId, ref: 'Village', index: true },
        spouse: { type: Schema.Types.ObjectId, ref: 'Person' },
        children: [{ type: Schema.Types.ObjectId, ref: 'Person' }],
      },
      { collection: 'persons', timestamps: true },
    ),
  );
  Note = env.conn.model<Note>(
    'Note',
    new Schema<Note>({ key: { type: String, unique: true }, text: String, hits: { type: Number, default: 0 } }, { collection: 'notes', timestamps: true }),
  );
  await Promise.all([Village.init(), Person.init(), Note.init()]);
});
afterAll(async () => {
  await env?.close();
});

describe('populate', () => {
  let north: mongoose.HydratedDocument<Village>;
  beforeAll(async () => {
    north = await Village.create({ name: 'North', town: 'Ulaan' });
    const south = await Village.create({ name: 'South', town: 'Bayan' });
    const [kid1, kid2] = await Person.create([
      { name: 'Kid One', village: north._id },
      { name: 'Kid Two', village: north._id },
    ]);
    const mother = await Person.create({ name: 'Mother', village: north._id, children: [kid1._id, kid2._id] });
    await Person.create({ name: 'Father', village: north._id, spouse: mother._id, children: [kid1._id, kid2._id] });
    await Person.create({ name: 'Stranger', village: south._id });
  });

  it('populates single refs, arrays and nested paths with select', async () => {
    const father = await Person.findOne({ name: 'Father' })
      .populate({ path: 'spouse', select: 'name children', populate: { path: 'children', select: 'name' } })
      .populate('village', 'name')
      .populate({ path: 'children', select: 'name', options: { sort: { name: -1 } } })
      .lean();
    expect(father).not.toBeNull();
    const spouse = father!.spouse as unknown as { name: string; children: { name: string }[] };
    expect(spouse.name).toBe('Mother');
    expect(spouse.children.map((c) => c.name).sort()).toEqual(['Kid One', 'Kid Two']);
    expect((father!.village as unknown as { name: string }).name).toBe('North');
    expect((father!.children as unknown as { name: string }[]).map((c) => c.name)).toEqual(['Kid Two', 'Kid One']);
  });

  it('populates virtuals (foreignField) and many documents at once, using indexes', async () => {
    const villages = await expectIndexOnly(env, 'persons', () =>
      Village.find().sort({ name: 1 }).populate({ path: 'people', select: 'name village', options: { sort: { name: 1 } } }).exec(),
    );
    const people = villages.map((v) => ((v as unknown as { people: { name: string }[] }).people ?? []).map((p) => p.name));
    expect(people).toEqual([['Father', 'Kid One', 'Kid Two', 'Mother'], ['Stranger']]);
    const all = await Person.find().populate('village').sort({ name: 1 }).lean();
    expect(all.map((p) => (p.village as unknown as { name: string }).name)).toEqual(['North', 'North', 'North', 'North', 'South']);
  });

  it('a dangling reference populates to null', async () => {
    const ghost = await Person.create({ name: 'Ghost', village: new Types.ObjectId() });
    const back = await Person.findById(ghost._id).populate('village').lean();
    expect(back!.village).toBeNull();
    const count = await Village.countDocuments({ _id: north._id });
    expect(count).toBe(1);
  });
});

describe('timestamps', () => {
  it('create sets createdAt and updatedAt; save changes only updatedAt', async () => {
    const n = await Note.create({ key: 'a', text: 'first' });
    expect(n.createdAt).toBeInstanceOf(Date);
    expect(n.updatedAt.getTime()).toBe(n.createdAt.getTime());
    const stored = await Note.findById(n._id).lean();
    expect(stored!.createdAt.getTime()).toBe(n.createdAt.getTime());
    await sleep(5);
    n.text = 'second';
    await n.save();
    const after = await Note.findById(n._id).lean();
    expect(after!.text).toBe('second');
    expect(after!.createdAt.getTime()).toBe(n.createdAt.getTime());
    expect(after!.updatedAt.getTime()).toBeGreaterThan(after!.createdAt.getTime());
  });

  it('updateOne upsert sets createdAt through $setOnInsert; later updates keep it', async () => {
    env.commands.length = 0;
    const r = await Note.updateOne({ key: 'b' }, { $set: { text: 'upserted' }, $inc: { hits: 1 } }, { upsert: true });
    expect(r.upsertedCount).toBe(1);
    const sent = env.commands.find((c) => c.commandName === 'update');
    expect(sent?.command.updates[0].u.$setOnInsert).toHaveProperty('createdAt');
    const first = await Note.findOne({ key: 'b' }).lean();
    expect(first).toMatchObject({ key: 'b', text: 'upserted', hits: 1 });
    expect(first!.createdAt).toBeInstanceOf(Date);
    expect(first!.updatedAt).toBeInstanceOf(Date);

    await sleep(5);
    await Note.updateOne({ key: 'b' }, { $set: { text: 'updated' }, $inc: { hits: 1 } }, { upsert: true });
    const second = await Note.findOne({ key: 'b' }).lean();
    expect(second).toMatchObject({ text: 'updated', hits: 2 });
    expect(second!.createdAt.getTime()).toBe(first!.createdAt.getTime());
    expect(second!.updatedAt.getTime()).toBeGreaterThan(first!.updatedAt.getTime());
  });

  it('findOneAndUpdate upsert returns the new document with defaults and timestamps', async () => {
    const doc = await Note.findOneAndUpdate({ key: 'c' }, { text: 'via fam' }, { upsert: true, returnDocument: 'after', setDefaultsOnInsert: true });
    expect(doc).toMatchObject({ key: 'c', text: 'via fam', hits: 0 });
    expect(doc!.createdAt).toBeInstanceOf(Date);
    const again = await Note.findOneAndUpdate({ key: 'c' }, { $inc: { hits: 5 } }, { upsert: true, returnDocument: 'after' });
    expect(again!.hits).toBe(5);
    expect(again!.createdAt.getTime()).toBe(doc!.createdAt.getTime());
  });

  it('updateMany touches updatedAt on every matched document', async () => {
    await Note.create([{ key: 'm1' }, { key: 'm2' }]);
    const before = await Note.find({ key: /^m/ }).sort({ key: 1 }).lean();
    await sleep(5);
    const r = await Note.updateMany({ key: /^m/ }, { $inc: { hits: 1 } });
    expect(r.modifiedCount).toBe(2);
    const after = await Note.find({ key: /^m/ }).sort({ key: 1 }).lean();
    after.forEach((d, i) => {
      expect(d.updatedAt.getTime()).toBeGreaterThan(before[i].updatedAt.getTime());
      expect(d.createdAt.getTime()).toBe(before[i].createdAt.getTime());
    });
  });
});

describe('documents, versioning and errors', () => {
  it('save() of an array change bumps __v; a stale save with optimisticConcurrency fails', async () => {
    const Doc = env.conn.model(
      'Versioned',
      new Schema({ name: String, items: [String] }, { collection: 'versioned', optimisticConcurrency: true }),
    );
    const d = await Doc.create({ name: 'x', items: ['a'] });
    expect(d.__v).toBe(0);
    const copy = await Doc.findById(d._id);
    d.items.push('b');
    await d.save();
    expect((await Doc.findById(d._id).lean())!.__v).toBe(1);
    copy!.name = 'stale';
    const err = await rejection(copy!.save());
    expect(err).toBeInstanceOf(mongoose.Error.VersionError);
    expect((await Doc.findById(d._id).lean())!.name).toBe('x');
  });

  it('unique violation through a model surfaces as a MongoServerError 11000', async () => {
    const err = await rejection(Village.create({ name: 'North', town: 'elsewhere' }));
    expect(err.name).toBe('MongoServerError');
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ name: 'North' });
  });

  it('document deleteOne, Model.deleteMany, exists', async () => {
    const v = await Village.create({ name: 'Temp', town: 't' });
    expect(await Village.exists({ name: 'Temp' })).toEqual({ _id: v._id });
    await v.deleteOne();
    expect(await Village.exists({ name: 'Temp' })).toBeNull();
    await Village.create([{ name: 'T1', town: 'tmp' }, { name: 'T2', town: 'tmp' }]);
    expect((await Village.deleteMany({ town: 'tmp' })).deletedCount).toBe(2);
  });

  it('explicit sessions without transactions work, and endSessions is accepted', async () => {
    const session = await env.conn.startSession();
    try {
      await Village.create([{ name: 'Session', town: 's' }], { session });
      const found = await Village.findOne({ name: 'Session' }).session(session).lean();
      expect(found?.town).toBe('s');
    } finally {
      await session.endSession();
    }
    const r = await env.client.db('admin').command({ endSessions: [{ id: new mongoose.mongo.UUID() }] });
    expect(r.ok).toBe(1);
  });

  it('syncIndexes is stable (no index is dropped or rebuilt on a second run)', async () => {
    await Person.syncIndexes();
    const dropped = await Person.syncIndexes();
    expect(dropped).toEqual([]);
    const names = (await Person.listIndexes()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'village_1']);
  });
});
