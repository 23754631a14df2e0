import { departmentContext, generateCivilAffairs, generateRegistry } from '@anmulong/demo';
import { AID_PROGRAMS, ELDERLY_MIN_AGE, OPEN_STATUSES, PROGRAM_RULES, TEMPORARY_MAX_MONTHS, addMonths, ageOn, amountBounds, isCalendarDate, monthlyLine, residenceOf } from '../src/rules';

/** The civil-affairs demo module alone (no stack): deterministic, and it keeps the subgraph's own rules. */
const SEED = 20231128;
const generate = (seed: number, scale: number) => {
  const registry = generateRegistry(departmentContext(seed, scale, 'registry'));
  return { registry, aid: generateCivilAffairs(departmentContext(seed, scale, 'civil-affairs'), registry) };
};

describe('civil-affairs demo data', () => {
  const { registry, aid } = generate(SEED, 0.02);

  it('is deterministic: same seed, same data; another seed, other data', () => {
    const again = generate(SEED, 0.02).aid;
    expect(JSON.stringify(again)).toBe(JSON.stringify(aid));
    expect(JSON.stringify(generate(SEED + 1, 0.02).aid.aidgrants)).not.toBe(JSON.stringify(aid.aidgrants));
  });

  it('keeps the eligibility rules the subgraph enforces', () => {
    const residents = new Map(registry.data.residents.map((r) => [r._id.toHexString(), r]));
    const households = new Map(registry.data.households.map((h) => [h._id.toHexString(), h]));
    const apps = new Map(aid.aidapplications.map((a) => [a._id.toHexString(), a]));
    const seen = new Set<string>();
    for (const g of aid.aidgrants) {
      const r = residents.get(g.residentId.toHexString())!;
      expect(r).toBeTruthy();
      expect(r.householdId!.toHexString()).toBe(g.householdId.toHexString());
      expect(g.divisionCode).toBe(r.divisionCode);
      const residence = residenceOf(households.get(g.householdId.toHexString())!.type);
      const { min, max } = amountBounds(g.program, residence);
      expect(g.amountYuan).toBeGreaterThanOrEqual(min);
      expect(g.amountYuan).toBeLessThanOrEqual(max);
      expect(isCalendarDate(g.startDate)).toBe(true);
      if (g.endDate !== null) expect(g.endDate > g.startDate).toBe(true);
      if (PROGRAM_RULES[g.program].endDateRequired) expect(g.endDate! <= addMonths(g.startDate, TEMPORARY_MAX_MONTHS)).toBe(true);
      if (g.program === 'ELDERLY') expect(ageOn(r.birthDate, g.startDate)).toBeGreaterThanOrEqual(ELDERLY_MIN_AGE);
      // One grant per person and program, so never two over overlapping periods.
      const key = `${g.residentId.toHexString()}:${g.program}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      const app = apps.get(g.applicationId!.toHexString())!;
      expect(app.status).toBe('APPROVED');
      expect(app.grantId!.toHexString()).toBe(g._id.toHexString());
      if (PROGRAM_RULES[g.program].meansTested) expect(app.assessment!.householdMonthlyIncomePerPerson).toBeLessThan(monthlyLine(app.residence));
    }
    const open = new Set<string>();
    for (const a of aid.aidapplications) {
      if (a.status === 'APPROVED') expect(a.grantId).not.toBeNull();
      else expect(a.grantId).toBeNull();
      if (a.status === 'REJECTED') expect(a.rejectionReason).toBeTruthy();
      if (OPEN_STATUSES.includes(a.status)) {
        const key = `${a.residentId.toHexString()}:${a.program}`;
        expect(open.has(key) || seen.has(key)).toBe(false);
        open.add(key);
      }
    }
  });

  it('covers every program and state, concentrating aid in herding households and the two sumu', () => {
    expect(new Set(aid.aidgrants.map((g) => g.program))).toEqual(new Set(AID_PROGRAMS));
    expect(new Set(aid.aidapplications.map((a) => a.status))).toEqual(new Set(['SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED']));
    const households = new Map(registry.data.households.map((h) => [h._id.toHexString(), h]));
    const share = (xs: { divisionCode: string }[], p: (x: { divisionCode: string }) => boolean) => xs.filter(p).length / xs.length;
    const sumu = (x: { divisionCode: string }) => x.divisionCode.startsWith('150624200') || x.divisionCode.startsWith('150624201');
    // Aid per household in the sumu is well above the banner's average.
    expect(share(aid.aidgrants, sumu)).toBeGreaterThan(1.5 * share(registry.data.households, sumu));
    const herding = (id: string) => households.get(id)!.type === 'HERDING';
    const herdingGrants = aid.aidgrants.filter((g) => herding(g.householdId.toHexString())).length / aid.aidgrants.length;
    const herdingHouseholds = registry.data.households.filter((h) => h.type === 'HERDING').length / registry.data.households.length;
    expect(herdingGrants).toBeGreaterThan(herdingHouseholds);
    // The caseworker's jurisdiction (Mengxi) has grants and applications in every state.
    const mengxi = aid.aidapplications.filter((a) => a.divisionCode.startsWith('150624102'));
    expect(new Set(mengxi.map((a) => a.status)).size).toBe(4);
  });
});
