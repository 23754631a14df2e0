// temp profiling script (mine; will delete)
import mongoose from 'mongoose';
import fs from 'node:fs';
import { startDocstore } from '@anmulong/docstore';
const { MongoClient, ObjectId } = mongoose.mongo;
const VILLAGES = Array.from({ length: 40 }, (_, i) => `1506241${String(i).padStart(2, '0')}`);
function resident(i: number) {
  return { _id: new ObjectId(), code: `R${String(i).padStart(7, '0')}`, name: `Resident ${i}`, gender: i % 2 ? 'F' : 'M',
    born: new Date(1950 + (i % 60), i % 12, 1 + (i % 28)), divisionPath: ['150624', VILLAGES[i % 40]], householdId: `H${Math.floor(i / 4)}`, age: i % 97 };
}
(async () => {
  const dbpath = process.argv[2];
  const N = Number(process.argv[3] ?? 60000);
  if (dbpath) fs.rmSync(dbpath, { recursive: true, force: true });
  const s = await startDocstore({ dbpath: dbpath || undefined });
  const c = new MongoClient(s.uri); await c.connect();
  const coll = c.db('b').collection<any>('r');
  await coll.createIndex({ code: 1 }, { unique: true }); await coll.createIndex({ divisionPath: 1 });
  const batches = [];
  for (let i = 0; i < N; i += 1000) batches.push(Array.from({ length: 1000 }, (_, j) => resident(i + j)));
  const t = Date.now(); const cu = process.cpuUsage();
  for (const b of batches) await coll.insertMany(b);
  const u = process.cpuUsage(cu);
  console.log(`insert ${N}: ${Date.now() - t} ms wall, ${(u.user + u.system) / 1000} ms cpu, ${Math.round(N / ((Date.now() - t) / 1000))}/s`);
  await c.close();
  const t2 = Date.now(); await s.close(); console.log(`close ${Date.now() - t2} ms`);
  if (dbpath) { const t3 = Date.now(); const cu3 = process.cpuUsage(); const s2 = await startDocstore({ dbpath }); const u3 = process.cpuUsage(cu3); console.log(`reopen ${Date.now() - t3} ms wall ${(u3.user+u3.system)/1000} ms cpu`); await s2.close(); }
})();
