/**
 * Mediation department (the judicial offices and the banner's dispute-resolution centre):
 * mediators of every rung of the ladder (village mediation committees, village deliberation
 * councils, judicial mediators, the labour and land-contract arbitrators), disputes with their
 * escalation steps, and one legal adviser per village (一村一法律顾问) with consultations.
 *
 * Disputes: exactly `figures.disputesScreened`, of which `disputesResolved` resolved (at the
 * village committee mostly), `disputesWithdrawn` withdrawn, `disputesInCourt` referred to court
 * after judicial mediation failed, the rest still open at some stage. Many come from police help
 * requests of category DISPUTE (their `disputeId` is set to the dispute's id), and they
 * concentrate in the industrial towns, where enterprise/herder conflicts arise.
 */
import { chinaDate, place, type DepartmentContext } from '../context';
import { REFERENCE_DATE } from '../figures';
import { BANNER, TOWNS, type TownDef } from '../geography';
import { hanName, mobile, mongolianName } from '../names';
import { apportion, type Rng } from '../random';
import type {
  ConsultationDoc, DisputeCategory, DisputeDoc, DisputeStage, DisputeStatus, EscalationStepDoc, HelpRequestDoc,
  LegalAdviserDoc, MediationData, MediationOutcome, MediatorDoc, ObjectId, PoliceData, ResidentDoc,
} from '../types';
import type { CourtBoundDispute } from './court';
import type { RegistryWorld, VillageInfo } from './registry';

type Profile = 'industrial' | 'seat' | 'pastoral';
const profileOf = (t: TownDef): Profile => (t.industrial ? 'industrial' : t.key === 'ulan' ? 'seat' : 'pastoral');

/** The mediation stages of the ladder (COURT is the court's). */
const MEDIATION_STAGES = ['VILLAGE_COMMITTEE', 'DELIBERATION_COUNCIL', 'JUDICIAL_MEDIATION'] as const;
type MediationStage = (typeof MEDIATION_STAGES)[number];

/** Disputes concentrate in the industrial towns Qipanjing and Mengxi. */
const TOWN_WEIGHTS: Record<TownDef['key'], number> = { ulan: 0.2, qipanjing: 0.31, mengxi: 0.23, mukainaoer: 0.08, sumitu: 0.09, arbas: 0.09 };
const CATEGORY_WEIGHTS: Record<Profile, Record<DisputeCategory, number>> = {
  industrial: { ENTERPRISE_HERDER: 34, GRASSLAND_CONTRACT: 18, LABOUR: 20, NEIGHBOURS: 12, FAMILY: 10, OTHER: 6 },
  seat: { NEIGHBOURS: 26, FAMILY: 24, GRASSLAND_CONTRACT: 20, LABOUR: 14, ENTERPRISE_HERDER: 4, OTHER: 12 },
  pastoral: { GRASSLAND_CONTRACT: 46, NEIGHBOURS: 18, FAMILY: 20, LABOUR: 3, ENTERPRISE_HERDER: 3, OTHER: 10 },
};

const LAW_FIRMS = [
  '内蒙古蒙益律师事务所', '内蒙古鄂托克旗天骄律师事务所', '鄂尔多斯市法律援助中心', '鄂托克旗法律援助中心',
  '内蒙古伊泰律师事务所', '内蒙古草原明珠律师事务所', '鄂托克旗乌兰法律服务所', '鄂托克旗棋盘井法律服务所',
];
const CENTRE = '鄂托克旗矛盾纠纷多元化解中心';
const LABOUR_ARBITRATION = '鄂托克旗劳动人事争议仲裁委员会';
const LAND_ARBITRATION = '鄂托克旗农村牧区土地承包经营纠纷仲裁委员会';
const FACTORIES = ['煤矿', '氯碱化工厂', '硅铁冶炼厂', '焦化厂', '电石厂', '水泥厂', '洗煤厂', '物流园'];

function describeDispute(rng: Rng, category: DisputeCategory, town: TownDef, village: VillageInfo): string {
  const firm = () => `${town.park ?? town.name.zh}${rng.pick(FACTORIES)}`;
  switch (category) {
    case 'ENTERPRISE_HERDER':
      return rng.pick([
        `${firm()}运输车辆碾压${village.def.zh}牧户草场，牧户要求赔偿`,
        `${firm()}施工占用${village.def.zh}草场，补偿标准未谈拢`,
        `牧户反映${firm()}粉尘影响放牧，要求企业治理并补偿`,
        `${firm()}取水致${village.def.zh}水井水位下降，牧户要求解决饮水`,
        `企业管线穿越${village.def.zh}草场，牧户与企业就恢复植被发生争议`,
      ]);
    case 'GRASSLAND_CONTRACT':
      return rng.pick([
        `${village.def.zh}两户牧民草场承包边界围栏争议`,
        '草场流转合同到期后转出方拒绝收回、承包费争议',
        '分户后草场承包经营权分割争议',
        '牲畜越界啃食邻户草场，赔偿草料争议',
        '耕地承包合同转包费拖欠争议',
      ]);
    case 'NEIGHBOURS':
      return rng.pick(['邻里饮水井使用争议', '宅基地界线争议', '棚圈排水影响邻户引发争执', '共用牧道通行争议', '邻里因噪音与占道发生纠纷']);
    case 'FAMILY':
      return rng.pick(['子女赡养老人纠纷', '离婚后子女抚养费纠纷', '兄弟分家析产纠纷', '继承草场与牲畜纠纷', '婚约彩礼返还纠纷']);
    case 'LABOUR':
      return rng.pick([`务工人员追讨${firm()}拖欠工资`, `${firm()}工伤赔偿争议`, '牧户雇工工钱结算纠纷', `${firm()}解除劳动合同经济补偿争议`]);
    case 'OTHER':
      return rng.pick(['买卖牲畜货款纠纷', '民间借贷纠纷', '车辆剐蹭赔偿纠纷', '合伙经营合作社分红纠纷']);
  }
}

const NOTES: Record<MediationOutcome, Record<MediationStage, string[]>> = {
  RESOLVED: {
    VILLAGE_COMMITTEE: ['嘎查调委会入户调解，双方达成口头协议', '调解成功，签订人民调解协议书', '网格员与调解员现场勘查后调解成功'],
    DELIBERATION_COUNCIL: ['村坊议事会评议，双方接受议事结果', '议事会调解成功，签订调解协议'],
    JUDICIAL_MEDIATION: ['司法所调解成功，出具人民调解协议书并申请司法确认', '纠纷化解中心联合仲裁机构调解成功', '线上远程调解达成协议'],
  },
  ESCALATED: {
    VILLAGE_COMMITTEE: ['调解未果，提交村坊议事会', '一方不接受调解方案，上报议事会'],
    DELIBERATION_COUNCIL: ['议事会调解未果，移交苏木镇司法所', '分歧较大，提请旗矛盾纠纷多元化解中心调解'],
    JUDICIAL_MEDIATION: ['多次调解未果，引导当事人诉讼', '调解不成，告知诉权，移交连心法庭'],
  },
  WITHDRAWN: {
    VILLAGE_COMMITTEE: ['申请人撤回调解申请', '双方自行和解，撤回申请'],
    DELIBERATION_COUNCIL: ['当事人自行和解，撤回'],
    JUDICIAL_MEDIATION: ['申请人撤回调解申请', '双方庭外自行和解'],
  },
};

const CONSULTATION_SUMMARIES: Record<ConsultationDoc['subject'], string[]> = {
  GRASSLAND_AND_LAND: ['草场流转合同条款咨询', '草原确权登记与承包期延包咨询', '征占草场补偿标准咨询'],
  FAMILY_AND_INHERITANCE: ['遗嘱与草场继承咨询', '离婚财产分割咨询', '赡养协议起草'],
  LABOUR: ['拖欠工资维权途径咨询', '工伤认定与赔偿咨询', '劳动合同审查'],
  CONTRACT_AND_DEBT: ['民间借贷借条效力咨询', '牲畜买卖合同审查', '合作社章程审查'],
  ENTERPRISE: ['企业用地协议审查', '企业污染损害赔偿咨询', '为嘎查与企业合作协议提供法律意见'],
  OTHER: ['法律援助申请条件咨询', '反诈骗法律宣传', '人民调解协议司法确认程序咨询'],
};

const SUBJECT_WEIGHTS: Record<Profile, Record<ConsultationDoc['subject'], number>> = {
  industrial: { ENTERPRISE: 25, LABOUR: 25, GRASSLAND_AND_LAND: 18, CONTRACT_AND_DEBT: 14, FAMILY_AND_INHERITANCE: 10, OTHER: 8 },
  seat: { FAMILY_AND_INHERITANCE: 25, CONTRACT_AND_DEBT: 22, GRASSLAND_AND_LAND: 18, LABOUR: 15, ENTERPRISE: 5, OTHER: 15 },
  pastoral: { GRASSLAND_AND_LAND: 45, FAMILY_AND_INHERITANCE: 22, CONTRACT_AND_DEBT: 14, LABOUR: 4, ENTERPRISE: 4, OTHER: 11 },
};

// ---- days: `YYYY-MM-DD` arithmetic on day numbers ----
const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** 09:00 China time of a day: when records of that day were written. */
const instantOf = (date: string) => new Date(`${date}T09:00:00+08:00`);
/** The last day before the article's date: every demo record lies before it. */
const LAST_DAY = dayNumber(chinaDate(new Date(REFERENCE_DATE.getTime() - 60_000)));
const FIRST_DAY = dayNumber('2022-01-01');

/** Splits `total` over `weights`, first giving one to each part (in order) while the total lasts. */
function splitAtLeastOne(total: number, weights: readonly number[]): number[] {
  const base = weights.map((_, i): number => (i < total ? 1 : 0));
  const rest = total - base.reduce((s, x) => s + x, 0);
  const extra = rest > 0 ? apportion(rest, weights) : weights.map(() => 0);
  return base.map((b, i) => b + extra[i]!);
}

/** Where a dispute's ladder ends in the demo: final stage, its status, and the current step's outcome. */
interface Plan {
  stage: DisputeStage;
  status: DisputeStatus;
  /** Outcome of the last step (null: pending). */
  outcome: MediationOutcome | null;
  /** Placed in Ulan (the `mediator` demo user's jurisdiction). */
  ulan?: boolean;
}

function plans(ctx: DepartmentContext): Plan[] {
  const { disputesResolved, disputesWithdrawn, disputesInCourt, disputesOpen } = ctx.figures;
  const out: Plan[] = [];
  const [rv, rd, rj] = splitAtLeastOne(disputesResolved, [0.72, 0.18, 0.1]) as [number, number, number];
  const [wv, wd, wj] = splitAtLeastOne(disputesWithdrawn, [0.5, 0.3, 0.2]) as [number, number, number];
  const push = (n: number, p: Plan) => {
    for (let k = 0; k < n; k++) out.push({ ...p });
  };
  // Open ones first: pending at each stage, then waiting to be escalated after a failed session.
  const openKinds: Plan[] = [
    { stage: 'VILLAGE_COMMITTEE', status: 'OPEN', outcome: null },
    { stage: 'DELIBERATION_COUNCIL', status: 'OPEN', outcome: null },
    { stage: 'JUDICIAL_MEDIATION', status: 'OPEN', outcome: null },
    { stage: 'JUDICIAL_MEDIATION', status: 'OPEN', outcome: 'ESCALATED' },
    { stage: 'VILLAGE_COMMITTEE', status: 'OPEN', outcome: 'ESCALATED' },
    { stage: 'DELIBERATION_COUNCIL', status: 'OPEN', outcome: 'ESCALATED' },
  ];
  splitAtLeastOne(disputesOpen, [0.4, 0.2, 0.15, 0.05, 0.1, 0.1]).forEach((n, i) => push(n, openKinds[i]!));
  push(disputesInCourt, { stage: 'COURT', status: 'REFERRED_TO_COURT', outcome: null });
  push(rv, { stage: 'VILLAGE_COMMITTEE', status: 'RESOLVED', outcome: 'RESOLVED' });
  push(rd, { stage: 'DELIBERATION_COUNCIL', status: 'RESOLVED', outcome: 'RESOLVED' });
  push(rj, { stage: 'JUDICIAL_MEDIATION', status: 'RESOLVED', outcome: 'RESOLVED' });
  push(wv, { stage: 'VILLAGE_COMMITTEE', status: 'WITHDRAWN', outcome: 'WITHDRAWN' });
  push(wd, { stage: 'DELIBERATION_COUNCIL', status: 'WITHDRAWN', outcome: 'WITHDRAWN' });
  push(wj, { stage: 'JUDICIAL_MEDIATION', status: 'WITHDRAWN', outcome: 'WITHDRAWN' });
  // Ulan (the `mediator` user's town) gets one dispute of each open kind, one in court and resolved ones.
  const ulanKinds = new Set<string>();
  for (const p of out) {
    const key = `${p.stage}/${p.status}/${p.outcome}`;
    if (!ulanKinds.has(key)) {
      ulanKinds.add(key);
      p.ulan = true;
    }
  }
  return out;
}

/** Category of a dispute screened from a police help request, from what the police wrote. */
function categoryOfHelpRequest(h: HelpRequestDoc): DisputeCategory {
  if (/企业|厂|征占|粉尘/.test(h.description)) return 'ENTERPRISE_HERDER';
  if (/草场|围栏|牲畜/.test(h.description)) return 'GRASSLAND_CONTRACT';
  return 'NEIGHBOURS';
}

export function generateMediation(ctx: DepartmentContext, world: RegistryWorld, police: PoliceData): MediationData {
  const { rng, ids, figures } = ctx;
  const townByCode = new Map(TOWNS.map((t) => [t.code, t]));
  const townOf = (code: string) => townByCode.get(code.slice(0, 9))!;
  const created = new Date('2022-01-01T00:00:00+08:00');
  const bilingualChance = (v: VillageInfo | null, town: TownDef | null) =>
    v ? (v.def.kind === 'gacha' ? 0.85 : Math.min(0.8, v.town.mongolianShare)) : town ? Math.min(0.9, town.mongolianShare + 0.2) : 0.5;

  // ---- mediators ----
  const mediators: MediatorDoc[] = [];
  const person = (bilingual: boolean, kind: MediatorDoc['kind'], organisation: string, code: string): MediatorDoc => {
    const gender = rng.chance(0.55) ? 'MALE' : 'FEMALE';
    const mongolian = bilingual ? rng.chance(0.85) : false;
    const nm = mongolian ? mongolianName(rng, gender) : hanName(rng, gender);
    const m: MediatorDoc = {
      _id: ids.next(),
      name: mongolian ? { zh: nm.zh, mn: nm.mn! } : { zh: nm.zh },
      kind,
      organisation,
      languages: bilingual ? ['mn', 'zh'] : ['zh'],
      ...place(code),
      createdAt: created,
      updatedAt: created,
    };
    mediators.push(m);
    return m;
  };
  const villageMediators = new Map<string, MediatorDoc[]>();
  const councilMembers = new Map<string, MediatorDoc[]>();
  for (const v of world.villages) {
    const p = bilingualChance(v, null);
    villageMediators.set(v.code, [0, 1].map(() => person(rng.chance(p), 'VILLAGE_MEDIATOR', `${v.def.zh}人民调解委员会`, v.code)));
    councilMembers.set(v.code, [0, 1].map(() => person(rng.chance(p), 'COUNCIL_MEMBER', `${v.def.zh}村坊议事会`, v.code)));
  }
  const judicialByTown = new Map<string, MediatorDoc[]>();
  for (const t of TOWNS) {
    judicialByTown.set(t.code, [0, 1, 2].map((k) => person(k === 0 || rng.chance(bilingualChance(null, t)), 'JUDICIAL_MEDIATOR', `${t.name.zh}司法所`, t.code)));
  }
  const centre = [0, 1, 2, 3, 4, 5].map((k) => person(k < 3, 'JUDICIAL_MEDIATOR', CENTRE, BANNER.code));
  const labourArbitrators = [0, 1].map((k) => person(k === 0, 'ARBITRATOR', LABOUR_ARBITRATION, BANNER.code));
  const landArbitrators = [0, 1].map((k) => person(k === 0, 'ARBITRATOR', LAND_ARBITRATION, BANNER.code));

  // ---- legal advisers: one per village, with consultations ----
  const legaladvisers: LegalAdviserDoc[] = world.villages.map((v) => {
    const bilingual = rng.chance(bilingualChance(v, null));
    const gender = rng.chance(0.5) ? 'MALE' : 'FEMALE';
    const nm = bilingual && rng.chance(0.8) ? mongolianName(rng, gender) : hanName(rng, gender);
    return {
      _id: ids.next(),
      name: nm.mn ? { zh: nm.zh, mn: nm.mn } : { zh: nm.zh },
      lawFirm: rng.pick(LAW_FIRMS),
      languages: bilingual ? ['mn', 'zh'] : ['zh'],
      phone: mobile(rng),
      ...place(v.code),
      createdAt: created,
      updatedAt: created,
    };
  });
  const consultationCounts = splitAtLeastOne(
    figures.consultations,
    world.villages.map((v) => 1 + (world.adultsByVillage.get(v.code)?.length ?? 0)),
  );
  const consultations: ConsultationDoc[] = [];
  world.villages.forEach((v, i) => {
    const adviser = legaladvisers[i]!;
    const adults = world.adultsByVillage.get(v.code) ?? [];
    const profile = profileOf(v.town);
    for (let k = 0; k < consultationCounts[i]!; k++) {
      const subject = rng.weighted(SUBJECT_WEIGHTS[profile]);
      const date = dateOf(rng.int(FIRST_DAY, LAST_DAY));
      const resident = adults.length && rng.chance(0.85) ? rng.pick(adults) : null;
      consultations.push({
        _id: ids.next(),
        legalAdviserId: adviser._id,
        residentId: resident ? resident._id : null,
        date,
        mode: rng.weighted(profile === 'pastoral' ? { ON_SITE: 45, ONLINE: 30, PHONE: 25 } : { ON_SITE: 60, ONLINE: 25, PHONE: 15 }),
        subject,
        summary: rng.pick(CONSULTATION_SUMMARIES[subject]),
        ...place(v.code),
        createdAt: instantOf(date),
        updatedAt: instantOf(date),
      });
    }
  });
  consultations.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // ---- disputes ----
  const all = plans(ctx);
  // Police help requests of category DISPUTE with a known resident: a good share were screened
  // into disputes. Recent ones go to disputes still open, older ones to settled disputes.
  const candidates = police.helprequests.filter((h) => h.category === 'DISPUTE' && h.residentId && !h.disputeId);
  const linked = rng.sample(candidates, Math.min(candidates.length, Math.round(all.length * 0.45)));
  const recentCut = dayNumber('2023-08-01');
  const recent = linked.filter((h) => dayNumber(chinaDate(h.reportedAt)) >= recentCut);
  const older = linked.filter((h) => dayNumber(chinaDate(h.reportedAt)) < recentCut);
  const residentsById = new Map<string, ResidentDoc>();
  for (const list of world.adultsByTown.values()) for (const r of list) residentsById.set(r._id.toHexString(), r);

  // Adults of each town's urban communities: the enterprises' side of enterprise/herder and labour disputes.
  const urbanAdults = new Map(
    TOWNS.map((t) => [t.code, world.villages.filter((v) => v.town.code === t.code && v.def.kind === 'community').flatMap((v) => world.adultsByVillage.get(v.code) ?? [])]),
  );
  const townWeights = TOWNS.map((t) => TOWN_WEIGHTS[t.key]);
  const ulan = townByCode.get('150624100')!;
  const drafts: Array<{ doc: Omit<DisputeDoc, '_id'>; help: HelpRequestDoc | null }> = [];
  // Plans in a random order, so linked and unlinked disputes mix across every path.
  const order = rng.sample(all.map((_, i) => i), all.length);
  for (const i of order) {
    const plan = all[i]!;
    const open = plan.status === 'OPEN';
    let help: HelpRequestDoc | null = null;
    if (!plan.ulan) {
      const pool = open ? recent : older;
      if (pool.length && rng.chance(0.6)) help = pool.pop()!;
    }
    const primary = help ? residentsById.get(help.residentId!.toHexString()) ?? null : null;
    let town: TownDef;
    let first: ResidentDoc;
    if (help && primary) {
      town = townOf(help.divisionCode);
      first = primary;
    } else {
      help = null;
      town = plan.ulan ? ulan : TOWNS[rng.weightedIndex(townWeights)]!;
      first = rng.pick(world.adultsByTown.get(town.code)!);
    }
    const village = world.villageByCode.get(first.divisionCode.slice(0, 12))!;
    const category = help ? categoryOfHelpRequest(help) : rng.weighted(CATEGORY_WEIGHTS[profileOf(town)]);
    const parties = chooseParties(rng, world, category, first, town, urbanAdults);

    // Timeline: gaps in days between screening, each session and each escalation.
    const reached = MEDIATION_STAGES.slice(0, plan.stage === 'COURT' ? 3 : MEDIATION_STAGES.indexOf(plan.stage as MediationStage) + 1);
    const gaps: number[] = [];
    reached.forEach((s, k) => {
      if (k > 0) gaps.push(rng.int(1, 6)); // previous failed session → arrival here
      const isLast = k === reached.length - 1;
      if (!isLast || plan.stage === 'COURT' || plan.outcome !== null) gaps.push(s === 'VILLAGE_COMMITTEE' ? rng.int(0, 10) : s === 'DELIBERATION_COUNCIL' ? rng.int(3, 20) : rng.int(5, 35));
    });
    if (plan.stage === 'COURT') gaps.push(rng.int(2, 15));
    let total = gaps.reduce((s, g) => s + g, 0);
    let start: number;
    if (help) {
      start = Math.min(LAST_DAY, dayNumber(chinaDate(help.reportedAt)) + rng.int(0, 3));
      if (start + total > LAST_DAY) {
        const room = LAST_DAY - start;
        for (let k = 0; k < gaps.length; k++) gaps[k] = Math.floor((gaps[k]! * room) / Math.max(1, total));
        total = gaps.reduce((s, g) => s + g, 0);
      }
    } else if (open) {
      start = Math.max(FIRST_DAY, LAST_DAY - total - rng.int(0, 60));
    } else {
      start = rng.int(FIRST_DAY, Math.max(FIRST_DAY, LAST_DAY - total));
    }

    const mongolianParty = parties.some((p) => p.languages.includes('mn'));
    const pickMediators = (stage: MediationStage): ObjectId[] => {
      let pool: MediatorDoc[];
      let n: number;
      if (stage === 'VILLAGE_COMMITTEE') {
        pool = villageMediators.get(village.code)!;
        n = rng.int(1, 2);
      } else if (stage === 'DELIBERATION_COUNCIL') {
        pool = [...councilMembers.get(village.code)!, ...villageMediators.get(village.code)!.slice(0, 1)];
        n = rng.int(1, 3);
      } else {
        pool = rng.chance(0.6) ? judicialByTown.get(town.code)! : centre;
        n = rng.int(1, 2);
      }
      if (mongolianParty) {
        const bilingual = pool.filter((m) => m.languages.includes('mn'));
        if (bilingual.length) pool = [...bilingual, ...pool.filter((m) => !m.languages.includes('mn'))];
      }
      const chosen = mongolianParty ? pool.slice(0, n) : rng.sample(pool, n);
      if (stage === 'JUDICIAL_MEDIATION' && rng.chance(0.4)) {
        if (category === 'LABOUR') chosen.push(rng.pick(labourArbitrators));
        if (category === 'GRASSLAND_CONTRACT') chosen.push(rng.pick(landArbitrators));
      }
      return chosen.map((m) => m._id);
    };
    const modeFor = (stage: MediationStage): 'ON_SITE' | 'ONLINE' =>
      rng.chance(stage === 'VILLAGE_COMMITTEE' ? 0.05 : stage === 'DELIBERATION_COUNCIL' ? 0.08 : profileOf(town) === 'pastoral' ? 0.4 : 0.3) ? 'ONLINE' : 'ON_SITE';

    const steps: EscalationStepDoc[] = [];
    let cursor = start;
    let g = 0;
    reached.forEach((stage, k) => {
      if (k > 0) cursor += gaps[g++]!;
      const openedOn = dateOf(cursor);
      const isLast = k === reached.length - 1;
      const outcome: MediationOutcome | null = !isLast || plan.stage === 'COURT' ? 'ESCALATED' : plan.outcome;
      if (outcome === null) {
        steps.push({ stage, openedOn, date: null, mode: null, mediatorIds: [], outcome: null, notes: null });
        return;
      }
      cursor += gaps[g++]!;
      steps.push({
        stage,
        openedOn,
        date: dateOf(cursor),
        mode: modeFor(stage),
        mediatorIds: pickMediators(stage),
        outcome,
        notes: rng.pick(NOTES[outcome][stage]),
      });
    });
    if (plan.stage === 'COURT') {
      cursor += gaps[g++]!;
      steps.push({ stage: 'COURT', openedOn: dateOf(cursor), date: null, mode: null, mediatorIds: [], outcome: null, notes: null });
    }

    const screenedOn = dateOf(start);
    const doc: Omit<DisputeDoc, '_id'> = {
      category,
      description: help ? `${describeDispute(rng, category, town, village)}（由警情转入：${help.description}）` : describeDispute(rng, category, town, village),
      partyIds: parties.map((p) => p._id),
      screenedOn,
      helpRequestId: help ? help._id : null,
      stage: plan.stage,
      status: plan.status,
      steps,
      ...place(rng.chance(0.8) ? first.divisionCode : village.code),
      createdAt: instantOf(screenedOn),
      updatedAt: instantOf(dateOf(cursor)),
    };
    drafts.push({ doc, help });
  }
  // Ids in screening order, so pages (in _id order) read oldest first; the help requests they
  // came from point back at them.
  drafts.sort((a, b) => (a.doc.screenedOn < b.doc.screenedOn ? -1 : a.doc.screenedOn > b.doc.screenedOn ? 1 : 0));
  const disputes: DisputeDoc[] = drafts.map(({ doc, help }) => {
    const d: DisputeDoc = { _id: ids.next(), ...doc };
    if (help) help.disputeId = d._id;
    return d;
  });

  return { mediators, disputes, legaladvisers, consultations };
}

/** Two or more distinct adult parties, chosen to fit the category. */
function chooseParties(
  rng: Rng,
  world: RegistryWorld,
  category: DisputeCategory,
  first: ResidentDoc,
  town: TownDef,
  urbanAdults: Map<string, ResidentDoc[]>,
): ResidentDoc[] {
  const village = first.divisionCode.slice(0, 12);
  const seen = new Set<string>([first._id.toHexString()]);
  const parties = [first];
  const add = (r: ResidentDoc | undefined) => {
    if (r && !seen.has(r._id.toHexString())) {
      seen.add(r._id.toHexString());
      parties.push(r);
    }
  };
  const villageAdults = world.adultsByVillage.get(village) ?? [];
  const townAdults = world.adultsByTown.get(town.code)!;
  const others = (n: number, pool: ResidentDoc[]) => {
    // Random picks (not a shuffle of the whole pool: town pools are large at scale 1).
    for (let k = 0; k < 3 * n + 3 && parties.length < n + 1 && pool.length; k++) add(rng.pick(pool));
  };
  // Most disputes have two parties; group disputes (wages, a gacha against a firm) many more.
  const size = rng.chance(0.8) ? 1 : rng.chance(0.7) ? rng.int(2, 3) : rng.int(4, 7);
  if (category === 'FAMILY') {
    const kin = (first.householdId ? world.membersByHousehold.get(first.householdId.toHexString()) ?? [] : []).filter((m) => world.ageOf(m) >= 18);
    others(size, kin.length > 1 ? kin : villageAdults);
  } else if (category === 'ENTERPRISE_HERDER' || category === 'LABOUR') {
    // The other side: an enterprise's representative, living in the town's urban communities.
    const urban = urbanAdults.get(town.code) ?? [];
    if (size > 1) others(size - 1, category === 'LABOUR' ? townAdults : villageAdults);
    add(rng.pick(urban.length ? urban : townAdults));
  } else {
    others(size, villageAdults.length > 1 ? villageAdults : townAdults);
  }
  // Fall back to the town when the village is too small to provide a second party.
  while (parties.length < 2) add(rng.pick(townAdults));
  return parties;
}

/** The disputes that reached COURT after judicial mediation failed: the court files a case for each. */
export function courtBoundDisputes(data: MediationData): CourtBoundDispute[] {
  return data.disputes
    .filter((d) => d.stage === 'COURT')
    .map((d) => ({
      _id: d._id,
      divisionCode: d.divisionCode,
      partyIds: d.partyIds,
      category: d.category,
      reachedCourtAt: instantOf(d.steps[d.steps.length - 1]!.openedOn),
    }));
}
