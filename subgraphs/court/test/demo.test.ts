import { generateDemo, REFERENCE_DATE } from '@anmulong/demo';
import { CASE_NUMBER } from '../src/models';

/* The court part of the demo data set: the article's figures and plausible distributions. */
describe.each([0.01, 0.04, 0.1])('court demo data at scale %s', (scale) => {
  const data = generateDemo({ scale });
  const { judges, courtcases, casecounters } = data.court;

  it('has exactly the article’s 13 bilingual judges, plus Chinese-only judges', () => {
    const bilingual = judges.filter((j) => j.languages.includes('mn'));
    expect(bilingual).toHaveLength(13);
    for (const j of bilingual) expect([...j.languages].sort()).toEqual(['mn', 'zh']);
    expect(judges.length - bilingual.length).toBeGreaterThan(0);
  });

  it('files one case for every dispute that reached COURT, never two', () => {
    const atCourt = data.mediation.disputes.filter((d) => d.stage === 'COURT').map((d) => d._id.toHexString()).sort();
    const fromDisputes = courtcases.filter((c) => c.disputeId).map((c) => c.disputeId!.toHexString()).sort();
    expect(fromDisputes).toEqual(atCourt);
  });

  it('numbers cases in the Chinese format, sequentially per year and type, with counters to continue from', () => {
    const seen = new Map<string, number[]>();
    for (const c of courtcases) {
      const m = CASE_NUMBER.exec(c.caseNumber);
      expect(m).not.toBeNull();
      const key = `${m![1]}:${m![2]}`;
      seen.set(key, [...(seen.get(key) ?? []), Number(m![3])]);
      expect(c.filedOn.getTime()).toBeLessThan(REFERENCE_DATE.getTime());
    }
    for (const nums of seen.values()) expect(nums).toEqual(nums.map((_, i) => i + 1));
    expect(casecounters.reduce((s, c) => s + c.seq, 0)).toBe(courtcases.length);
  });

  it('keeps to the status machine: hearings for heard cases, none for FILED, judges on JUDGED', () => {
    for (const c of courtcases) {
      if (c.status === 'FILED') expect(c.hearings).toHaveLength(0);
      if (c.status === 'IN_HEARING' || c.status === 'JUDGED' || c.status === 'MEDIATED') expect(c.hearings.length).toBeGreaterThan(0);
      if (c.status === 'JUDGED') expect(c.judgeId).not.toBeNull();
      expect(c.closedOn === null).toBe(c.status === 'FILED' || c.status === 'IN_HEARING');
      for (const h of c.hearings) {
        expect(h.date.getTime()).toBeGreaterThanOrEqual(c.filedOn.getTime());
        if (h.mode === 'CIRCUIT') expect(h.legalAffairsRoom).toBe(c.divisionCode.slice(0, 12));
        else expect(h.legalAffairsRoom).toBeNull();
      }
    }
  });

  it('holds circuit hearings mostly in the sumu (Sumitu, Arbas), and online hearings too', () => {
    const hearings = courtcases.flatMap((c) => c.hearings.map((h) => ({ mode: h.mode, sumu: /^15062420[01]/.test(c.divisionCode) })));
    const circuit = hearings.filter((h) => h.mode === 'CIRCUIT');
    expect(circuit.length).toBeGreaterThan(0);
    expect(circuit.filter((h) => h.sumu).length / circuit.length).toBeGreaterThan(0.6);
    expect(hearings.some((h) => h.mode === 'ONLINE')).toBe(true);
  });
});

it('is deterministic: same seed, same court data', () => {
  expect(JSON.stringify(generateDemo({ scale: 0.01, seed: 7 }).court)).toBe(JSON.stringify(generateDemo({ scale: 0.01, seed: 7 }).court));
});
