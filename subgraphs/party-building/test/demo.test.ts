import { demoFigures, generateDemo } from '@anmulong/demo';

/*
 * The party-building part of the demo data, generated without a store: the article's figures at
 * every scale, the structure the subgraph promises (a branch and a cooperative per village, central
 * households looking after neighbours of their own village), and determinism.
 */
const villageOf = (code: string) => code.slice(0, 12);

describe.each([0.002, 0.01])('party-building demo data at scale %p', (scale) => {
  const data = generateDemo({ scale });
  const pb = data['party-building'];
  const { registry } = data;
  const villages = registry.divisions.filter((d) => d.level === 'VILLAGE').map((d) => d._id);
  const households = new Map(registry.households.map((h) => [h._id.toHexString(), h]));
  const residents = new Map(registry.residents.map((r) => [r._id.toHexString(), r]));

  it('has exactly 39 model households and 35 aid projects, and the jobs figure', () => {
    const figures = demoFigures(scale);
    expect(pb.modelhouseholds).toHaveLength(39);
    expect(new Set(pb.modelhouseholds.map((m) => m.householdId.toHexString())).size).toBe(39);
    expect(pb.aidprojects).toHaveLength(35);
    expect(pb.aidprojects.reduce((s, p) => s + p.jobsCreated, 0)).toBe(figures.jobsCreated);
    expect(pb.aidprojects.every((p) => p.jobsCreated >= 0 && p.budgetYuan >= 0 && p.divisionCode.length === 12)).toBe(true);
    for (const m of pb.modelhouseholds) {
      expect(households.get(m.householdId.toHexString())!.divisionCode).toBe(m.divisionCode);
      expect(m.year).toBeGreaterThanOrEqual(2021);
      expect(m.citation.length).toBeGreaterThan(4);
    }
  });

  it('has a branch and a cooperative in every village, with joint-building units', () => {
    expect(pb.partybranches.map((b) => b.divisionCode).sort()).toEqual([...villages].sort());
    expect(pb.cooperatives.map((c) => c.divisionCode).sort()).toEqual([...villages].sort());
    const branchById = new Map(pb.partybranches.map((b) => [b._id.toHexString(), b]));
    for (const c of pb.cooperatives) expect(branchById.get(c.branchId.toHexString())!.divisionCode).toBe(c.divisionCode);
    for (const b of pb.partybranches) {
      const kinds = pb.jointbuildingunits.filter((u) => u.branchId.equals(b._id)).map((u) => u.kind);
      expect(kinds).toEqual(expect.arrayContaining(['POLICE_STATION', 'JUDICIAL_OFFICE', 'LEGAL_ORGANISATION']));
    }
  });

  it('party members are residents of their branch village, 18 or older when they joined', () => {
    const branchById = new Map(pb.partybranches.map((b) => [b._id.toHexString(), b]));
    expect(pb.partymembers.length).toBeGreaterThan(villages.length);
    expect(new Set(pb.partymembers.map((m) => m.residentId.toHexString())).size).toBe(pb.partymembers.length);
    for (const m of pb.partymembers) {
      const r = residents.get(m.residentId.toHexString())!;
      expect(r.divisionCode).toBe(m.divisionCode);
      expect(m.householdId!.equals(r.householdId!)).toBe(true);
      expect(branchById.get(m.branchId.toHexString())!.divisionCode).toBe(villageOf(r.divisionCode));
      const eighteen = `${Number(r.birthDate.slice(0, 4)) + 18}${r.birthDate.slice(4)}`;
      expect(m.joinedOn >= eighteen.replace(/-02-29$/, '-02-28')).toBe(true);
      expect(m.joinedOn <= '2023-11-28').toBe(true);
    }
  });

  it('central households have a party member and look after several neighbours of their own village', () => {
    const memberHouseholds = new Set(pb.partymembers.map((m) => m.householdId!.toHexString()));
    const centrals = new Set(pb.centralhouseholds.map((c) => c.householdId.toHexString()));
    for (const c of pb.centralhouseholds) expect(memberHouseholds.has(c.householdId.toHexString())).toBe(true);
    const perCentral = new Map<string, number>();
    const linked = new Set<string>();
    for (const l of pb.householdlinks) {
      const h = l.householdId.toHexString();
      expect(linked.has(h)).toBe(false); // one central household per household
      linked.add(h);
      expect(centrals.has(h)).toBe(false);
      expect(centrals.has(l.centralHouseholdId.toHexString())).toBe(true);
      expect(villageOf(households.get(h)!.divisionCode)).toBe(villageOf(households.get(l.centralHouseholdId.toHexString())!.divisionCode));
      perCentral.set(l.centralHouseholdId.toHexString(), (perCentral.get(l.centralHouseholdId.toHexString()) ?? 0) + 1);
    }
    // Each looks after 3 to 7 households; fewer only when its village has no household left to give.
    for (const c of pb.centralhouseholds) {
      const n = perCentral.get(c.householdId.toHexString()) ?? 0;
      expect(n).toBeLessThanOrEqual(7);
      if (n < 3) {
        const village = villageOf(c.divisionCode);
        const free = registry.households.filter((h) => villageOf(h.divisionCode) === village && !centrals.has(h._id.toHexString()) && !linked.has(h._id.toHexString()));
        expect(free).toEqual([]);
      }
    }
    if (scale >= 0.01) expect([...perCentral.values()].filter((n) => n >= 3).length / pb.centralhouseholds.length).toBeGreaterThan(0.5);
  });
});

it('is deterministic: the same seed and scale give the same party-building data', () => {
  const a = generateDemo({ scale: 0.004, seed: 7 })['party-building'];
  const b = generateDemo({ scale: 0.004, seed: 7 })['party-building'];
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  expect(JSON.stringify(generateDemo({ scale: 0.004, seed: 8 })['party-building'])).not.toBe(JSON.stringify(a));
});

it('jobs created reach the article figure at scale 1 (4,300+) and shrink in proportion', () => {
  expect(demoFigures(1)).toMatchObject({ modelHouseholds: 39, aidProjects: 35 });
  expect(demoFigures(1).jobsCreated).toBeGreaterThanOrEqual(4300);
  expect(demoFigures(1).jobsCreated).toBeLessThan(4500);
  expect(demoFigures(0.1).jobsCreated).toBe(Math.ceil(demoFigures(1).jobsCreated / 10));
});
