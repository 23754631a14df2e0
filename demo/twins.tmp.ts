import { generateDemo } from './src';
const d = generateDemo({ scale: 0.2 });
const by = new Map<string, { b: string; rel: string }[]>();
for (const r of d.registry.residents) { const k = r.householdId!.toHexString(); by.set(k, [...(by.get(k) ?? []), { b: r.birthDate, rel: r.relationToHead }]); }
let twins = 0, close = 0, hh = 0;
const sib = (rel: string) => (['子', '女'].includes(rel) ? 'c' : ['孙子', '孙女', '外孙子', '外孙女'].includes(rel) ? 'g' : null);
for (const v of by.values()) {
  hh++;
  for (const grp of ['c', 'g']) {
    const ds = v.filter((x) => sib(x.rel) === grp).map((x) => Date.parse(x.b)).sort((a, b) => a - b);
    for (let i = 1; i < ds.length; i++) { const gap = (ds[i]! - ds[i - 1]!) / 864e5; if (gap === 0) twins++; else if (gap < 300) close++; }
  }
}
console.log({ twins, close, hh, residents: d.registry.residents.length });
let shown = 0;
for (const v of by.values()) {
  for (const grp of ['c', 'g']) {
    const ds = v.filter((x) => sib(x.rel) === grp).map((x) => Date.parse(x.b)).sort((a, b) => a - b);
    for (let i = 1; i < ds.length; i++) { const gap = (ds[i]! - ds[i - 1]!) / 864e5; if (gap > 0 && gap < 300 && shown < 3) { shown++; console.log(v); } }
  }
}
