import mongoose from 'mongoose';
const { MongoClient, ObjectId } = mongoose.mongo;
const VILLAGES = Array.from({ length: 40 }, (_, i) => `1506241${String(i).padStart(2, '0')}`);
function resident(i: number) {
  return { _id: new ObjectId(), code: `R${String(i).padStart(7, '0')}`, name: `Resident ${i}`, gender: i % 2 ? 'F' : 'M',
    born: new Date(1950 + (i % 60), i % 12, 1 + (i % 28)), divisionPath: ['150624', VILLAGES[i % 40]], householdId: `H${Math.floor(i / 4)}`, age: i % 97 };
}
(async () => {
  const c = new MongoClient(process.argv[2]); await c.connect();
  const coll = c.db('b').collection<any>('r');
  await coll.createIndex({ code: 1 }, { unique: true }); await coll.createIndex({ divisionPath: 1 });
  const N = Number(process.argv[3]);
  const t = Date.now();
  for (let i = 0; i < N; i += 1000) await coll.insertMany(Array.from({ length: 1000 }, (_, j) => resident(i + j)));
  console.log(`insert ${N}: ${Date.now() - t} ms wall ${Math.round(N / ((Date.now() - t) / 1000))}/s`);
  await c.close();
})();
