import { BSON, ObjectId } from 'bson';
const VILLAGES = Array.from({ length: 40 }, (_, i) => `1506241${String(i).padStart(2, '0')}`);
function resident(i: number) {
  return { _id: new ObjectId(), code: `R${String(i).padStart(7, '0')}`, name: `Resident ${i}`, gender: i % 2 ? 'F' : 'M',
    born: new Date(1950 + (i % 60), i % 12, 1 + (i % 28)), divisionPath: ['150624', VILLAGES[i % 40]], householdId: `H${Math.floor(i / 4)}`, age: i % 97 };
}
const N = 100000;
const raws = Array.from({ length: N }, (_, i) => BSON.serialize(resident(i)));
const O = { promoteLongs: false, promoteValues: false, promoteBuffers: false } as const;
const O2 = { promoteLongs: false, promoteValues: true, promoteBuffers: false } as const;
function t(name: string, f: () => void) { const c = process.cpuUsage(); f(); const u = process.cpuUsage(c); console.log(name, ((u.user + u.system) / 1000).toFixed(0), 'ms cpu'); }
for (let rep = 0; rep < 2; rep++) {
t('per-doc pv=false', () => { for (const r of raws) BSON.deserialize(r, O); });
t('per-doc pv=true', () => { for (const r of raws) BSON.deserialize(r, O2); });
// one big array doc
const parts: Buffer[] = []; let len = 5;
for (let i = 0; i < 1000; i++) { const k = Buffer.from('\u0003' + i + '\u0000', 'latin1'); parts.push(k, raws[i] as Buffer); len += k.length + raws[i].length; }
const h = Buffer.alloc(4); h.writeInt32LE(len); const big = Buffer.concat([h, ...parts, Buffer.from([0])]);
t('chunked x100 pv=false', () => { for (let j = 0; j < 100; j++) BSON.deserialize(big, O); });
t('serialize per doc', () => { const ds = raws.slice(0, 100000).map((r) => r); });
const docs = raws.map((r) => BSON.deserialize(r, O2));
t('serialize', () => { for (const d of docs) BSON.serialize(d, { checkKeys: false, ignoreUndefined: true }); });
t('keyOf-like hex', () => { for (const d of docs) (d._id as ObjectId).toHexString(); });
}
