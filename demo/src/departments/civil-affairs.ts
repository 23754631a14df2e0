/**
 * Civil-affairs department: social aid (社会救助) handled through the grid. Minimum living
 * allowance (低保) for whole households, extreme-poverty support (特困供养), temporary
 * assistance (临时救助), disability subsidies and the old-age allowance (高龄津贴); every
 * grant comes from an approved application, and open, under-review and rejected
 * applications are there too. Aid concentrates in the herding areas: herding households,
 * and above all the two sumu (Sumitu 150624200, Arbas 150624201).
 *
 * The rules of `subgraphs/civil-affairs/src/rules.ts` hold for the generated data: lines
 * of 775 (urban) / 650 (rural) yuan per person a month, each program's amount bounds, at
 * most one grant per person and program, at most one open application per person and
 * program and none for a program the person already receives.
 */
import { AID_PROGRAMS, ELDERLY_MIN_AGE, PROGRAM_RULES, addDays, addMonths, ageOn, monthlyLine, residenceOf, type AidProgram } from '@anmulong/civil-affairs';
import { addHours, chinaDate, place, type DepartmentContext } from '../context';
import { REFERENCE_DATE } from '../figures';
import { TOWNS } from '../geography';
import type { Rng } from '../random';
import type { AidApplicationDoc, AidGrantDoc, CivilAffairsData, HouseholdDoc, ObjectId, ResidentDoc } from '../types';
import type { RegistryWorld } from './registry';

/** Sizes at `--scale 1` (not in the article; plausible for a banner of 160,000). */
export const AID_ASSUMED = {
  /** Households on the minimum living allowance (every member covered). */
  minimumLivingHouseholds: 1_300,
  extremePoverty: 420,
  temporary: 1_100,
  disability: 2_100,
  /** Share of residents aged 80+ who draw the old-age allowance. */
  elderlyShare: 0.85,
  submitted: 90,
  underReview: 120,
  rejected: 380,
} as const;

const MENGXI = '150624102';
const QIPANJING = '150624101';
const SUMU = new Set(['150624200', '150624201']);
/** The demo's "today" (China date of the article). */
const TODAY = chinaDate(REFERENCE_DATE);
const CASEWORKER_OF_TOWN: Record<string, string> = Object.fromEntries(
  TOWNS.map((t) => [t.code, t.code === MENGXI ? 'caseworker' : `caseworker.${t.key}`]),
);

/** Aid need by household: herding households most, the two sumu above all. */
function needWeight(h: HouseholdDoc): number {
  const type = h.type === 'HERDING' ? 3 : h.type === 'FARMING' ? 1.6 : 0.6;
  const town = h.divisionCode.slice(0, 9);
  return type * (SUMU.has(town) ? 2.2 : town === MENGXI || town === QIPANJING ? 0.9 : 1);
}

/** Weighted picks without replacement over a fixed list (cumulative weights, binary search). */
function picker<T>(rng: Rng, items: readonly T[], weight: (t: T) => number) {
  const cumulative: number[] = [];
  let total = 0;
  for (const it of items) cumulative.push((total += Math.max(0, weight(it))));
  const taken = new Set<number>();
  return (accept: (t: T) => boolean = () => true): T | null => {
    for (let attempt = 0; attempt < 200 && taken.size < items.length; attempt++) {
      const r = rng.next() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      if (taken.has(lo) || !accept(items[lo]!)) continue;
      taken.add(lo);
      return items[lo]!;
    }
    return null;
  };
}

const firstOfMonth = (date: string) => `${date.slice(0, 7)}-01`;
const round10 = (n: number) => Math.round(n / 10) * 10;
const atDay = (date: string, hour: number) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`);

const REASONS: Record<AidProgram, string[]> = {
  MINIMUM_LIVING: ['家庭成员患病，收入低于当地低保标准', '牧户遭受雪灾牲畜死亡，家庭收入锐减', '家庭主要劳动力丧失劳动能力，无稳定收入', '草场禁牧后收入不足，申请低保'],
  EXTREME_POVERTY: ['无劳动能力、无生活来源、无法定赡养人', '独居老人，无赡养人，申请特困供养', '重度残疾，无生活来源'],
  TEMPORARY: ['家中突发火灾，生活暂时困难', '家庭成员突发重病，医疗支出大', '暴风雪致牲畜损失，临时生活困难', '务工人员被拖欠工资，生活暂时困难'],
  DISABILITY: ['持有残疾人证，申请残疾人生活补贴', '重度残疾，申请护理补贴'],
  ELDERLY: ['年满八十周岁，申请高龄津贴'],
};
const REJECTIONS: Record<AidProgram, string[]> = {
  MINIMUM_LIVING: ['经家庭经济状况核对，人均收入高于当地低保标准', '家庭拥有两辆以上机动车，不符合条件'],
  EXTREME_POVERTY: ['有法定赡养人且具备赡养能力', '经核对有稳定生活来源'],
  TEMPORARY: ['困难情形已消除，无需救助', '已获同一事由其他救助'],
  DISABILITY: ['未持有第二代残疾人证', '残疾等级不符合补贴条件'],
  ELDERLY: ['申请人未满八十周岁'],
};

export function generateCivilAffairs(ctx: DepartmentContext, world: RegistryWorld): CivilAffairsData {
  const { rng, ids, scale } = ctx;
  const aidgrants: AidGrantDoc[] = [];
  const aidapplications: AidApplicationDoc[] = [];
  const households = world.data.households;
  const householdOf = new Map(households.map((h) => [h._id.toHexString(), h]));
  const members = (h: HouseholdDoc) => world.membersByHousehold.get(h._id.toHexString()) ?? [];
  const count = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  /** program → resident ids (hex) already holding a grant / an application of it. */
  const granted = new Map<AidProgram, Set<string>>(AID_PROGRAMS.map((p) => [p, new Set()]));
  const applied = new Map<AidProgram, Set<string>>(AID_PROGRAMS.map((p) => [p, new Set()]));
  const free = (p: AidProgram, r: ResidentDoc) => !granted.get(p)!.has(r._id.toHexString()) && !applied.get(p)!.has(r._id.toHexString());

  /** The application a grant was approved on: submitted a few weeks before the grant starts. */
  function application(
    r: ResidentDoc, program: AidProgram, status: AidApplicationDoc['status'], requested: number,
    submittedOn: string, extra: { income?: number | null; rejection?: string; grantId?: ObjectId } = {},
  ): AidApplicationDoc {
    const household = householdOf.get(r.householdId!.toHexString())!;
    const residence = residenceOf(household.type);
    const worker = CASEWORKER_OF_TOWN[r.divisionCode.slice(0, 9)]!;
    const submittedAt = atDay(submittedOn, rng.int(8, 17));
    const reviewStartedAt = status === 'SUBMITTED' ? null : addHours(submittedAt, rng.int(20, 24 * 6));
    const decidedAt = status === 'APPROVED' || status === 'REJECTED' ? addHours(reviewStartedAt!, rng.int(24 * 3, 24 * 15)) : null;
    const updatedAt = decidedAt ?? reviewStartedAt ?? submittedAt;
    const doc: AidApplicationDoc = {
      _id: ids.next(),
      residentId: r._id,
      householdId: household._id,
      program,
      status,
      requestedAmountYuan: requested,
      reason: rng.pick(REASONS[program]),
      residence,
      assessment: extra.income == null ? null : { householdMonthlyIncomePerPerson: extra.income, assessedAt: addHours(submittedAt, rng.int(2, 72)), assessedBy: worker },
      submittedAt,
      submittedBy: worker,
      reviewStartedAt,
      reviewedBy: reviewStartedAt ? worker : null,
      decidedAt,
      decidedBy: decidedAt ? worker : null,
      rejectionReason: status === 'REJECTED' ? (extra.rejection ?? rng.pick(REJECTIONS[program])) : null,
      grantId: extra.grantId ?? null,
      ...place(r.divisionCode),
      createdAt: submittedAt,
      updatedAt,
    };
    aidapplications.push(doc);
    applied.get(program)!.add(r._id.toHexString());
    return doc;
  }

  /** A grant and the approved application it came from. */
  function grant(r: ResidentDoc, program: AidProgram, amountYuan: number, startDate: string, endDate: string | null, income: number | null = null) {
    const _id = ids.next();
    const submittedOn = addDays(startDate, -rng.int(10, 40));
    const app = application(r, program, 'APPROVED', amountYuan, submittedOn, { income, grantId: _id });
    const ended = endDate !== null && endDate < TODAY;
    const at = app.decidedAt!;
    aidgrants.push({
      _id,
      residentId: r._id,
      householdId: r.householdId!,
      program,
      amountYuan,
      startDate,
      endDate,
      status: ended ? 'ENDED' : 'ACTIVE',
      applicationId: app._id,
      endedAt: ended ? atDay(endDate, 10) : null,
      endedBy: ended ? app.decidedBy : null,
      ...place(r.divisionCode),
      createdAt: at,
      updatedAt: ended ? atDay(endDate, 10) : at,
    });
    granted.get(program)!.add(r._id.toHexString());
  }

  const randomStart = (from: string, to: string) => firstOfMonth(addDays(from, rng.int(0, Math.max(0, (Date.parse(to) - Date.parse(from)) / 86_400_000))));

  // ---- minimum living allowance: whole households, the amount tops income up to the line ----
  function minimumLiving(h: HouseholdDoc, active: boolean) {
    const line = monthlyLine(residenceOf(h.type));
    const income = round10(rng.real(0, line * 0.75));
    const amount = Math.min(line, Math.max(PROGRAM_RULES.MINIMUM_LIVING.min, round10(line - income)));
    const start = randomStart('2019-01-01', '2023-10-01');
    const end = active ? null : (() => {
      const e = addMonths(start, rng.int(6, 36));
      return e < TODAY ? e : addDays(TODAY, -rng.int(20, 200));
    })();
    const endDate = end !== null && end <= start ? addMonths(start, 1) : end;
    for (const m of members(h)) if (free('MINIMUM_LIVING', m)) grant(m, 'MINIMUM_LIVING', amount, start, endDate, income);
  }

  const mengxiHouseholds = households.filter((h) => h.divisionCode.startsWith(MENGXI));
  const largestMengxi = mengxiHouseholds.reduce<HouseholdDoc | null>((best, h) => (!best || members(h).length > members(best).length ? h : best), null);
  if (largestMengxi) minimumLiving(largestMengxi, true);
  const pickHousehold = picker(rng, households, needWeight);
  const mlHouseholds = count(AID_ASSUMED.minimumLivingHouseholds, 4);
  for (let k = 0; k < mlHouseholds; k++) {
    const h = pickHousehold((x) => x !== largestMengxi && members(x).length > 0);
    if (h) minimumLiving(h, rng.chance(0.78));
  }

  // ---- person-level programs ----
  const allResidents = world.data.residents.filter((r) => r.householdId !== null);
  const personWeight = (r: ResidentDoc) => needWeight(householdOf.get(r.householdId!.toHexString())!);
  const ages = new Map<ResidentDoc, number>();
  const age = (r: ResidentDoc) => {
    let a = ages.get(r);
    if (a === undefined) ages.set(r, (a = ageOn(r.birthDate, TODAY)));
    return a;
  };

  const extreme = picker(rng, allResidents, (r) => personWeight(r) * (age(r) >= 60 ? 4 : age(r) < 16 ? 0.5 : 0.3));
  const temporary = picker(rng, allResidents, (r) => personWeight(r) * (age(r) >= 18 ? 1 : 0));
  const disability = picker(rng, allResidents, (r) => personWeight(r) * (age(r) >= 50 ? 2 : 1));

  function extremeGrant(r: ResidentDoc) {
    const line = monthlyLine(residenceOf(householdOf.get(r.householdId!.toHexString())!.type));
    grant(r, 'EXTREME_POVERTY', round10(rng.real(1_100, 1_800)), randomStart('2018-06-01', '2023-10-01'), rng.chance(0.08) ? addDays(TODAY, -rng.int(30, 300)) : null, round10(rng.real(0, line * 0.4)));
  }
  function temporaryGrant(r: ResidentDoc) {
    const start = randomStart('2022-01-01', '2023-11-01');
    grant(r, 'TEMPORARY', rng.int(3, 25) * 100, start, addDays(addMonths(start, rng.int(1, 6)), -1));
  }
  function disabilityGrant(r: ResidentDoc) {
    grant(r, 'DISABILITY', rng.pick([100, 100, 150, 200, 300]), randomStart('2017-01-01', '2023-10-01'), rng.chance(0.06) ? addDays(TODAY, -rng.int(30, 400)) : null);
  }
  function elderlyGrant(r: ResidentDoc) {
    const a = age(r);
    const eightieth = `${Number(r.birthDate.slice(0, 4)) + ELDERLY_MIN_AGE}${r.birthDate.slice(4)}`;
    const start = firstOfMonth(addMonths(eightieth > '2016-01-01' ? eightieth : '2016-01-01', 1));
    if (start > TODAY) return;
    grant(r, 'ELDERLY', a >= 100 ? 800 : a >= 90 ? 300 : 100, start, null);
  }

  // Guaranteed records where the demo users and tests look: Mengxi (caseworker) and Qipanjing.
  const inTown = (town: string) => (r: ResidentDoc) => r.divisionCode.startsWith(town) && age(r) >= 18;
  const mengxiPerson = (p: AidProgram) => allResidents.find((r) => inTown(MENGXI)(r) && free(p, r) && (p !== 'ELDERLY' || age(r) >= ELDERLY_MIN_AGE));
  for (const [p, make] of [['DISABILITY', disabilityGrant], ['TEMPORARY', temporaryGrant], ['EXTREME_POVERTY', extremeGrant]] as const) {
    const r = mengxiPerson(p);
    if (r) make(r);
  }
  const qipanjingPerson = allResidents.find((r) => inTown(QIPANJING)(r) && free('TEMPORARY', r));
  if (qipanjingPerson) temporaryGrant(qipanjingPerson);

  for (let k = 0; k < count(AID_ASSUMED.extremePoverty, 3); k++) {
    const r = extreme((x) => free('EXTREME_POVERTY', x));
    if (r) extremeGrant(r);
  }
  for (let k = 0; k < count(AID_ASSUMED.temporary, 3); k++) {
    const r = temporary((x) => free('TEMPORARY', x));
    if (r) temporaryGrant(r);
  }
  for (let k = 0; k < count(AID_ASSUMED.disability, 3); k++) {
    const r = disability((x) => free('DISABILITY', x));
    if (r) disabilityGrant(r);
  }
  const elders = allResidents.filter((r) => age(r) >= ELDERLY_MIN_AGE);
  elders.forEach((r, i) => {
    if (free('ELDERLY', r) && (i === 0 || rng.chance(AID_ASSUMED.elderlyShare))) elderlyGrant(r);
  });
  const mengxiElder = mengxiPerson('ELDERLY');
  if (mengxiElder) elderlyGrant(mengxiElder);

  // ---- applications not (yet) approved: submitted, under review, rejected ----
  const anyone = picker(rng, allResidents, (r) => personWeight(r) * (age(r) >= 18 ? 1 : 0.1));
  const requestFor = (p: AidProgram, r: ResidentDoc) => {
    const residence = residenceOf(householdOf.get(r.householdId!.toHexString())!.type);
    if (p === 'MINIMUM_LIVING') return round10(rng.real(200, monthlyLine(residence)));
    if (p === 'EXTREME_POVERTY') return round10(rng.real(1_100, 1_800));
    if (p === 'TEMPORARY') return rng.int(3, 25) * 100;
    if (p === 'DISABILITY') return rng.pick([100, 200]);
    return 100;
  };
  const programFor = (r: ResidentDoc): AidProgram | null => {
    const options = AID_PROGRAMS.filter((p) => free(p, r) && (p !== 'ELDERLY' || age(r) >= ELDERLY_MIN_AGE));
    return options.length ? rng.pick(options) : null;
  };
  function pending(r: ResidentDoc, status: 'SUBMITTED' | 'UNDER_REVIEW' | 'REJECTED', forced?: AidProgram) {
    const p = forced ?? programFor(r);
    if (!p || !free(p, r)) return;
    const residence = residenceOf(householdOf.get(r.householdId!.toHexString())!.type);
    const line = monthlyLine(residence);
    const meansTested = PROGRAM_RULES[p].meansTested;
    let income: number | null = null;
    let rejection: string | undefined;
    if (status === 'REJECTED' && meansTested && rng.chance(0.7)) {
      income = round10(rng.real(line * 1.05, line * 2.5));
      rejection = REJECTIONS[p][0];
    } else if (meansTested && (status !== 'SUBMITTED' || rng.chance(0.4))) {
      income = round10(rng.real(0, line * 0.8));
    }
    const submittedOn = status === 'REJECTED'
      ? addDays('2022-01-01', rng.int(0, 660))
      : status === 'UNDER_REVIEW' ? addDays(TODAY, -rng.int(8, 45)) : addDays(TODAY, -rng.int(0, 10));
    application(r, p, status, requestFor(p, r), submittedOn, { income, rejection });
  }
  const mengxiAdults = allResidents.filter(inTown(MENGXI));
  for (const [status, p] of [['SUBMITTED', 'MINIMUM_LIVING'], ['UNDER_REVIEW', 'TEMPORARY'], ['UNDER_REVIEW', 'MINIMUM_LIVING'], ['REJECTED', 'MINIMUM_LIVING']] as const) {
    const r = mengxiAdults.find((x) => free(p, x));
    if (r) pending(r, status, p);
  }
  for (const [status, n] of [['SUBMITTED', AID_ASSUMED.submitted], ['UNDER_REVIEW', AID_ASSUMED.underReview], ['REJECTED', AID_ASSUMED.rejected]] as const) {
    for (let k = 0; k < count(n, 2); k++) {
      const r = anyone((x) => programFor(x) !== null);
      if (r) pending(r, status);
    }
  }

  aidgrants.sort((a, b) => (a._id.toHexString() < b._id.toHexString() ? -1 : 1));
  aidapplications.sort((a, b) => (a._id.toHexString() < b._id.toHexString() ? -1 : 1));
  return { aidgrants, aidapplications };
}
