/**
 * Durability with a dbpath (docstore only; skipped with MONGODB_URI): data, indexes and
 * drops survive restarts, the lock file refuses a second opener, no dbpath = memory only.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Schema } from 'mongoose';
import { DocstoreHandle, DriverClient, describeDocstore, rejection, rmDir, setup, startServer, tmpDir, uniqueDbName } from './helpers';

describeDocstore('restart with a dbpath', () => {
  let dir: string;
  const dbName = uniqueDbName('persist');
  beforeAll(() => {
    dir = tmpDir('persist');
  });
  afterAll(() => {
    rmDir(dir);
  });

  it('keeps documents, types, indexes and their options across clean restarts', async () => {
    let env = await setup('persist', { dbpath: dir, dbName });
    try {
      const c = env.coll('people');
      await c.createIndex({ email: 1 }, { unique: true });
      await c.createIndex({ nick: 1 }, { unique: true, sparse: true });
      await c.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true }, name: 'code_active' });
      await c.createIndex({ town: 1, age: -1 });
      await c.insertMany([
        { _id: 1, email: 'a@x', town: 'U', age: 30, code: 'c1', active: true, born: new Date('1990-01-01') },
        { _id: 2, email: 'b@x', town: 'U', age: 40, nick: 'bee', code: 'c1', active: false },
        { _id: 3, email: 'c@x', town: 'B', age: 50 },
      ]);
      await c.updateOne({ _id: 3 }, { $set: { age: 51 }, $push: { tags: 'x' } } as any);
      await c.deleteOne({ _id: 2 });
      await env.db.collection('scratch').insertOne({ temp: true });
      await env.db.collection('scratch').drop();
      await env.coll('other').insertOne({ _id: 'o' });
      await env.coll('other').createIndex({ gone: 1 });
      await env.coll('other').dropIndex('gone_1');
    } finally {
      await env.close();
    }

    env = await setup('persist', { dbpath: dir, dbName });
    try {
      const c = env.coll('people');
      expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([
        { _id: 1, email: 'a@x', town: 'U', age: 30, code: 'c1', active: true, born: new Date('1990-01-01') },
        { _id: 3, email: 'c@x', town: 'B', age: 51, tags: ['x'] },
      ]);
      const idx = Object.fromEntries((await c.listIndexes().toArray()).map((i) => [i.name, i]));
      expect(Object.keys(idx).sort()).toEqual(['_id_', 'code_active', 'email_1', 'nick_1', 'town_1_age_-1']);
      expect(idx.email_1).toMatchObject({ key: { email: 1 }, unique: true });
      expect(idx.nick_1).toMatchObject({ unique: true, sparse: true });
      expect(idx.code_active).toMatchObject({ unique: true, partialFilterExpression: { active: true } });
      expect(Object.entries(idx['town_1_age_-1'].key)).toEqual([
        ['town', 1],
        ['age', -1],
      ]);
      // the reloaded indexes are enforced and used
      expect((await rejection(c.insertOne({ email: 'a@x' }))).code).toBe(11000);
      expect((await rejection(c.insertOne({ email: 'new@x', code: 'c1', active: true }))).code).toBe(11000);
      await c.insertOne({ _id: 4, email: 'd@x', code: 'c1', active: false });
      const before = env.server!.counters().collections[`${env.dbName}.people`]?.collectionScans ?? 0;
      expect((await c.findOne({ email: 'c@x' }))!._id).toBe(3);
      expect(env.server!.counters().collections[`${env.dbName}.people`]?.collectionScans ?? 0).toBe(before);

      const names = (await env.db.listCollections().toArray()).map((x) => x.name).sort();
      expect(names).toEqual(['other', 'people']);
      expect((await env.coll('other').listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    } finally {
      await env.close();
    }

    // a third start sees the writes of the second
    env = await setup('persist', { dbpath: dir, dbName });
    try {
      expect(await env.db.collection('people').countDocuments()).toBe(3);
      await env.db.dropDatabase();
    } finally {
      await env.close();
    }
    env = await setup('persist', { dbpath: dir, dbName });
    try {
      expect(await env.db.listCollections().toArray()).toEqual([]);
      const dbs = await env.client.db('admin').command({ listDatabases: 1 });
      expect(dbs.databases.map((d: { name: string }) => d.name)).not.toContain(dbName);
    } finally {
      await env.close();
    }
  });

  it('mongoose models with unique indexes and timestamps reopen intact', async () => {
    const schema = new Schema({ email: { type: String, unique: true }, n: Number }, { timestamps: true, collection: 'accounts' });
    let env = await setup('persist', { dbpath: dir, dbName: `${dbName}_m` });
    let createdAt: Date;
    try {
      const A = env.conn.model('Account', schema);
      await A.init();
      const a = await A.create({ email: 'one@x', n: 1 });
      createdAt = a.get('createdAt') as Date;
      await A.updateOne({ email: 'two@x' }, { $set: { n: 2 } }, { upsert: true });
    } finally {
      await env.close();
    }
    env = await setup('persist', { dbpath: dir, dbName: `${dbName}_m` });
    try {
      const A = env.conn.model('Account', schema);
      const docs = await A.find().sort({ email: 1 }).lean();
      expect(docs.map((d) => d.email)).toEqual(['one@x', 'two@x']);
      expect((docs[0].createdAt as Date).getTime()).toBe(createdAt!.getTime());
      expect(docs[1].createdAt).toBeInstanceOf(Date);
      expect((await rejection(A.create({ email: 'one@x' }))).code).toBe(11000);
    } finally {
      await env.close();
    }
  });

  it('a second server on the same dbpath refuses with a clear error; the first keeps working', async () => {
    const lockDir = tmpDir('lock');
    let first: DocstoreHandle | undefined;
    try {
      first = await startServer(lockDir);
      const err = await rejection(startServer(lockDir));
      expect(err).toBeInstanceOf(Error);
      expect(String(err.message)).toMatch(/lock|in use|already/i);
      expect(String(err.message)).toContain(lockDir);
      await first.close();
      first = undefined;
      // after a clean close the dbpath opens again
      const again = await startServer(lockDir);
      await again.close();
    } finally {
      if (first) await first.close();
      rmDir(lockDir);
    }
  });

  it('CLI: prints its URI; another process cannot open its dbpath; SIGTERM closes cleanly and releases it', async () => {
    const cliDir = tmpDir('cli');
    const root = path.resolve(__dirname, '..', '..');
    const proc = spawn(process.execPath, ['--import', 'tsx', 'docstore/src/cli.ts', '--port', '0', '--dbpath', cliDir, '--quiet'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.once('exit', (code, signal) => r({ code, signal })));
    try {
      const uri = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        proc.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /mongodb:\/\/[^\s]+/.exec(out);
          if (m) resolve(m[0]);
        });
        proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        void exited.then(({ code }) => reject(new Error(`docstore CLI exited (${code}) before printing its URI: ${err}`)));
      });
      const c = new DriverClient(uri, { serverSelectionTimeoutMS: 5000 });
      try {
        await c.db('cli').collection('c').insertOne({ _id: 'x' as any, v: 1 });
      } finally {
        await c.close();
      }
      // a second process (this one) refuses the dbpath while the CLI holds it
      const err = await rejection(startServer(cliDir));
      expect(String(err.message)).toMatch(/lock|in use|already/i);
      expect(String(err.message)).toContain(cliDir);

      proc.kill('SIGTERM');
      const exit = await exited;
      expect(exit.code).toBe(0);
      const again = await startServer(cliDir);
      try {
        const c2 = new DriverClient(again.uri);
        try {
          expect(await c2.db('cli').collection('c').findOne({ _id: 'x' as any })).toEqual({ _id: 'x', v: 1 });
        } finally {
          await c2.close();
        }
      } finally {
        await again.close();
      }
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
      rmDir(cliDir);
    }
  }, 30_000);

  it('without a dbpath the store is in memory only', async () => {
    const name = uniqueDbName('mem');
    let env = await setup('mem', { dbName: name });
    await env.db.collection('c').insertOne({ x: 1 });
    await env.close();
    env = await setup('mem', { dbName: name });
    try {
      expect(await env.db.collection('c').countDocuments()).toBe(0);
    } finally {
      await env.close();
    }
  });

  it('close() stops accepting connections', async () => {
    const s = await startServer();
    await s.close();
    const c = new DriverClient(s.uri, { serverSelectionTimeoutMS: 500 });
    try {
      expect(await rejection(c.db('admin').command({ ping: 1 }))).toBeInstanceOf(Error);
    } finally {
      await c.close();
    }
  });
});
