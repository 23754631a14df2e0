import { generateDemo } from './src';
const d = generateDemo();
const hs = d.registry.households.filter((h) => h.divisionCode === '150624100001001');
for (const h of hs.slice(0, 3)) {
  console.log(h.type, h.address);
  for (const r of d.registry.residents.filter((r) => r.householdId?.equals(h._id))) console.log('  ', r.relationToHead, r.name.zh, r.name.mn ?? '', r.gender, r.birthDate, r.idNumber, r.ethnicity, r.phone);
}
console.log(d.registry.divisions.slice(0, 4).map((x) => JSON.stringify(x)).join('\n'));
console.log(JSON.stringify(d.police.helprequests[0]), '\n', JSON.stringify(d.police.patrols[5]), '\n', JSON.stringify(d.police.officers[0]), '\n', JSON.stringify(d.registry.gridworkers[0]));
console.log(d.registry.households.filter(h=>h.type==='URBAN')[0]!.address);
