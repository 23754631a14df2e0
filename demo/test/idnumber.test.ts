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
    for (const r of residents) {
      const id = r.idNumber;
      expect(id).toMatch(/^150624\d{11}[\dX]$/);
      expect(id[17]).toBe(check(id));
      expect(id.slice(6, 14)).toBe(r.birthDate.replace(/-/g, ''));
      const d = new Date(`${r.birthDate}T00:00:00Z`);
      expect(d.toISOString().slice(0, 10)).toBe(r.birthDate);
      expect(d.getTime()).toBeLessThanOrEqual(Date.parse('2023-11-28T00:00:00Z'));
      expect(d.getUTCFullYear()).toBeGreaterThan(1920);
      expect(Number(id[16]) % 2 === 1 ? 'MALE' : 'FEMALE').toBe(r.gender);
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      if (id.endsWith('X')) xs++;
    }
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
