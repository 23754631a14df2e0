/**
 * The mediation part of the demo data: the article's "4,800+ screened, 4,500+ resolved" in
 * proportion, every path of the escalation ladder, links to police help requests, one legal
 * adviser per village, and determinism. Pure generator checks: no services needed.
 */
import mongoose from 'mongoose';
import { ARTICLE, courtBoundDisputes, demoFigures, generateDemo, REFERENCE_DATE } from '@anmulong/demo';
import { mediationModels, DISPUTE_STAGES } from '../src/models';

const LAST_DAY = '2023-11-27';

describe('figures at every scale', () => {
  it.each([1, 0.5, 0.04, 0.01, 0.001])('scale %p: screened ≥ 4,800 × scale, resolved ≥ 4,500 × scale, never below a handful', (scale) => {
    const f = demoFigures(scale);
    expect(f.disputesScreened).toBeGreaterThanOrEqual(ARTICLE.disputesScreened * scale);
    expect(f.disputesResolved).toBeGreaterThanOrEqual(ARTICLE.disputesResolved * scale);
    expect(f.disputesResolved + f.disputesWithdrawn + f.disputesInCourt + f.disputesOpen).toBe(f.disputesScreened);
    expect(f.disputesInCourt).toBeGreaterThanOrEqual(3);
    expect(f.disputesWithdrawn).toBeGreaterThanOrEqual(3);
    expect(f.disputesOpen).toBeGreaterThanOrEqual(4);
    if (scale === 1) {
      // "4,800+ / 4,500+": just above the article's round figures.
      expect(f.disputesScreened).toBeLessThan(5_000);
      expect(f.disputesResolved).toBeLessThan(4_700);
    }
  });
});

describe.each([0.01, 0.04])('the generated mediation data at scale %p', (scale) => {
  const data = generateDemo({ scale });
  const f = demoFigures(scale);
  const { disputes, mediators, legaladvisers, consultations } = data.mediation;
  const residents = new Map(data.registry.residents.map((r) => [r._id.toHexString(), r]));
  const mediatorIds = new Set(mediators.map((m) => m._id.toHexString()));

  it('has the figures exactly', () => {
    const count = (status: string) => disputes.filter((d) => d.status === status).length;
    expect(disputes).toHaveLength(f.disputesScreened);
    expect(count('RESOLVED')).toBe(f.disputesResolved);
    expect(count('WITHDRAWN')).toBe(f.disputesWithdrawn);
    expect(count('REFERRED_TO_COURT')).toBe(f.disputesInCourt);
    expect(count('OPEN')).toBe(f.disputesOpen);
  });

  it('represents every path of the ladder', () => {
    const paths = new Set(disputes.map((d) => `${d.stage} ${d.status} ${d.steps[d.steps.length - 1]!.outcome}`));
    for (const stage of ['VILLAGE_COMMITTEE', 'DELIBERATION_COUNCIL', 'JUDICIAL_MEDIATION']) {
      expect(paths).toContain(`${stage} RESOLVED RESOLVED`);
      expect(paths).toContain(`${stage} WITHDRAWN WITHDRAWN`);
      expect(paths).toContain(`${stage} OPEN null`);
    }
    expect(paths).toContain('JUDICIAL_MEDIATION OPEN ESCALATED');
    expect(paths).toContain('COURT REFERRED_TO_COURT null');
  });

  it('keeps every ladder legal: consecutive rungs, failed sessions below, ordered dates before the article', () => {
    for (const d of disputes) {
      expect(d.steps.map((s) => s.stage)).toEqual(DISPUTE_STAGES.slice(0, d.steps.length));
      expect(d.stage).toBe(d.steps[d.steps.length - 1]!.stage);
      expect(d.steps[0]!.openedOn).toBe(d.screenedOn);
      let prev = d.screenedOn;
      d.steps.forEach((s, i) => {
        const isLast = i === d.steps.length - 1;
        if (!isLast) expect(s.outcome).toBe('ESCALATED');
        expect(s.openedOn >= prev).toBe(true);
        prev = s.openedOn;
        if (s.outcome === null) {
          expect(isLast).toBe(true);
          expect([s.date, s.mode, s.mediatorIds.length]).toEqual([null, null, 0]);
        } else {
          expect(s.date! >= s.openedOn).toBe(true);
          expect(['ON_SITE', 'ONLINE']).toContain(s.mode);
          expect(s.mediatorIds.length).toBeGreaterThan(0);
          for (const m of s.mediatorIds) expect(mediatorIds.has(m.toHexString())).toBe(true);
          prev = s.date!;
        }
        expect(prev <= LAST_DAY).toBe(true);
      });
      const last = d.steps[d.steps.length - 1]!;
      const expected = d.stage === 'COURT' ? 'REFERRED_TO_COURT' : last.outcome === 'RESOLVED' ? 'RESOLVED' : last.outcome === 'WITHDRAWN' ? 'WITHDRAWN' : 'OPEN';
      expect(d.status).toBe(expected);
      if (d.stage === 'COURT') expect(d.steps[2]!.outcome).toBe('ESCALATED');
    }
  });

  it('has two or more distinct resident parties in a village or grid', () => {
    for (const d of disputes) {
      expect(d.partyIds.length).toBeGreaterThanOrEqual(2);
      expect(new Set(d.partyIds.map(String)).size).toBe(d.partyIds.length);
      for (const p of d.partyIds) expect(residents.has(p.toHexString())).toBe(true);
      expect([12, 15]).toContain(d.divisionCode.length);
    }
    expect(disputes.some((d) => d.partyIds.length >= 4)).toBe(true);
  });

  it('concentrates disputes, and enterprise/herder ones above all, in Qipanjing and Mengxi', () => {
    const industrial = (code: string) => code.startsWith('150624101') || code.startsWith('150624102');
    expect(disputes.filter((d) => industrial(d.divisionCode)).length / disputes.length).toBeGreaterThan(0.4);
    const eh = disputes.filter((d) => d.category === 'ENTERPRISE_HERDER');
    expect(eh.length).toBeGreaterThan(0);
    expect(eh.filter((d) => industrial(d.divisionCode)).length / eh.length).toBeGreaterThan(0.8);
  });

  it('screens many disputes from police help requests of category DISPUTE, linked both ways', () => {
    const helps = new Map(data.police.helprequests.map((h) => [h._id.toHexString(), h]));
    const linked = disputes.filter((d) => d.helpRequestId);
    expect(linked.length / disputes.length).toBeGreaterThan(0.15);
    for (const d of linked) {
      const h = helps.get(d.helpRequestId!.toHexString())!;
      expect(h.category).toBe('DISPUTE');
      expect(h.disputeId!.equals(d._id)).toBe(true);
      expect(d.partyIds[0]!.equals(h.residentId!)).toBe(true);
      expect(d.screenedOn >= h.reportedAt.toISOString().slice(0, 10) || d.screenedOn === LAST_DAY).toBe(true);
    }
    expect(data.police.helprequests.filter((h) => h.disputeId)).toHaveLength(linked.length);
  });

  it('gives Ulan (the mediator demo user) disputes at every stage', () => {
    const ulan = disputes.filter((d) => d.divisionCode.startsWith('150624100'));
    expect(new Set(ulan.map((d) => d.stage)).size).toBe(4);
  });

  it('has bilingual mediators in every town and every kind of mediator', () => {
    for (const town of ['150624100', '150624101', '150624102', '150624103', '150624200', '150624201']) {
      expect(mediators.some((m) => m.divisionCode.startsWith(town) && m.languages.includes('mn') && m.languages.includes('zh'))).toBe(true);
    }
    expect(new Set(mediators.map((m) => m.kind))).toEqual(new Set(['VILLAGE_MEDIATOR', 'COUNCIL_MEMBER', 'JUDICIAL_MEDIATOR', 'ARBITRATOR']));
    for (const m of mediators) for (const l of m.languages) expect(l).toMatch(/^[a-z]{2}$/);
  });

  it('has one legal adviser per village, each with consultations', () => {
    const villages = data.registry.divisions.filter((d) => d.level === 'VILLAGE').map((d) => d._id).sort();
    expect(legaladvisers.map((a) => a.divisionCode).sort()).toEqual(villages);
    expect(consultations).toHaveLength(f.consultations);
    const byAdviser = new Set(consultations.map((c) => c.legalAdviserId.toHexString()));
    for (const a of legaladvisers) expect(byAdviser.has(a._id.toHexString())).toBe(true);
    const adviserVillage = new Map(legaladvisers.map((a) => [a._id.toHexString(), a.divisionCode]));
    for (const c of consultations) {
      expect(c.divisionCode).toBe(adviserVillage.get(c.legalAdviserId.toHexString()));
      if (c.residentId) expect(residents.get(c.residentId.toHexString())!.divisionCode.startsWith(c.divisionCode)).toBe(true);
      expect(c.date <= LAST_DAY).toBe(true);
    }
  });

  it('hands the court the disputes that reached COURT', () => {
    const bound = courtBoundDisputes(data.mediation);
    expect(bound.map((b) => b._id.toHexString()).sort()).toEqual(disputes.filter((d) => d.stage === 'COURT').map((d) => d._id.toHexString()).sort());
    for (const b of bound) expect(b.reachedCourtAt.getTime()).toBeLessThan(REFERENCE_DATE.getTime());
  });

  it('validates against the mediation models (demo/test/schema.test.ts checks the fields)', async () => {
    const conn = mongoose.createConnection();
    try {
      const models = mediationModels(conn);
      const docs = data.mediation as unknown as Record<string, Record<string, unknown>[]>;
      for (const model of Object.values(models)) {
        const list = docs[model.collection.collectionName]!;
        expect(list.length).toBeGreaterThan(0);
        for (const doc of list) {
          // validate(), not the deprecated validateSync() (mongoose 9 warns once per call).
          await new (model as unknown as mongoose.Model<unknown>)(doc).validate().catch((err: Error) => {
            throw new Error(`${model.collection.collectionName}: ${err.message}`);
          });
        }
      }
    } finally {
      void conn.close();
    }
  });
});

describe('determinism', () => {
  it('gives the same mediation data for the same seed, different for another', () => {
    const a = generateDemo({ seed: 7, scale: 0.01 });
    const b = generateDemo({ seed: 7, scale: 0.01 });
    const c = generateDemo({ seed: 8, scale: 0.01 });
    expect(JSON.stringify(a.mediation)).toEqual(JSON.stringify(b.mediation));
    expect(JSON.stringify(a.police.helprequests)).toEqual(JSON.stringify(b.police.helprequests));
    expect(JSON.stringify(a.mediation.disputes)).not.toEqual(JSON.stringify(c.mediation.disputes));
  });
});
