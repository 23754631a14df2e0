import { generateDemo, isValidIdNumber, makeIdNumber } from '../src';

/** Independent GB 11643 check (not the generator's own code). */
function check(id: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(id[i]) * w[i]!;
  return '10X98765432'[s % 11]!;
}

describe('resident identity numbers', () => {
  const residents = generateDemo({ scale: 0.04 }).registry.residents;

  it('are valid GB 11643 numbers of region 150624, unique, consistent with birth date and gender', () => {
    const seen = new Set<string>();
    let xs = 0;
    const bad: string[] = [];
    for (const r of residents) {
      const id = r.idNumber;
      const d = new Date(`${r.birthDate}T00:00:00Z`);
      const problems = [
        !/^150624\d{11}[\dX]$/.test(id) && 'format/region',
        id[17] !== check(id) && 'check character',
        id.slice(6, 14) !== r.birthDate.replace(/-/g, '') && 'birth date',
        (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== r.birthDate) && 'not a calendar date',
        (d.getTime() > Date.parse('2023-11-28T00:00:00Z') || d.getUTCFullYear() <= 1920) && 'birth date out of range',
        (Number(id[16]) % 2 === 1 ? 'MALE' : 'FEMALE') !== r.gender && 'sequence parity vs gender',
        seen.has(id) && 'duplicate',
      ].filter(Boolean);
      if (problems.length) bad.push(`${id} (${r.birthDate}, ${r.gender}): ${problems.join(', ')}`);
      seen.add(id);
      if (id.endsWith('X')) xs++;
    }
    expect(bad).toEqual([]);
    // About 1 in 11 numbers ends in X.
    expect(xs).toBeGreaterThan(residents.length / 20);
  });

  it('makeIdNumber/isValidIdNumber agree with known numbers', () => {
    // The national standard's example: 11010519491231002X.
    expect(makeIdNumber('110105', '1949-12-31', 2)).toBe('11010519491231002X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('11010519490231002X')).toBe(false); // 31 Feb
    expect(isValidIdNumber('1101051949123100')).toBe(false);
  });
});
