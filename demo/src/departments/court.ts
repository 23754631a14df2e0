/**
 * Court: the mobile "heart-to-heart court" (连心法庭) of the Otog Banner People's Court.
 * The article's 13 bilingual (Mongolian/Chinese) judges at every scale, plus Chinese-only
 * judges; a court case for every mediation dispute that reached COURT (filed after it got
 * there), a few cases filed directly (administrative grassland cases, labour claims), and
 * their hearings: circuit hearings in the village legal-affairs rooms of the sumu (Sumitu,
 * Arbas), online hearings for the far pastures, courtroom hearings in the towns.
 */
import { addDays, addHours, chinaDate, place, randomInstant, type DepartmentContext } from '../context';
import { COURT_PERIOD_START, REFERENCE_DATE } from '../figures';
import { TOWNS, type TownDef } from '../geography';
import { hanName, mongolianName } from '../names';
import type { Rng } from '../random';
import type {
  CaseCounterDoc, CourtCaseDoc, CourtCaseStatus, CourtCaseType, CourtData, HearingDoc, HearingMode, JudgeDoc, ObjectId, ResidentDoc,
} from '../types';
import type { RegistryWorld } from './registry';

/** A mediation dispute that reached the COURT stage, as the court files it. */
export interface CourtBoundDispute {
  _id: ObjectId;
  /** The dispute's division (village or grid). */
  divisionCode: string;
  partyIds: ObjectId[];
  /** A mediation DisputeCategory value. */
  category: string;
  /** When the dispute reached COURT. */
  reachedCourtAt: Date;
}

/** Same as the court subgraph's models (`subgraphs/court/src/models.ts`). */
const CASE_TYPE_CODES: Record<CourtCaseType, string> = {
  CIVIL: '民初', ADMINISTRATIVE: '行初', CRIMINAL: '刑初', SPECIAL_PROCEDURE: '民特', ENFORCEMENT: '执',
};
export const caseNumberOf = (year: number, type: CourtCaseType, seq: number) => `(${year})蒙0624${CASE_TYPE_CODES[type]}${seq}号`;

/** The banner court and its tribunals (人民法庭), by town code. */
const TRIBUNALS: Record<TownDef['key'], string> = {
  ulan: '鄂托克旗人民法院',
  qipanjing: '棋盘井人民法庭',
  mengxi: '蒙西人民法庭',
  mukainaoer: '鄂托克旗人民法院',
  sumitu: '苏米图连心法庭',
  arbas: '阿尔巴斯连心法庭',
};
/** The 13 bilingual judges by town (sum 13), Chinese-only judges by town. */
const BILINGUAL_JUDGES: Record<TownDef['key'], number> = { ulan: 4, qipanjing: 2, mengxi: 1, mukainaoer: 1, sumitu: 3, arbas: 2 };
const ZH_JUDGES: Record<TownDef['key'], number> = { ulan: 3, qipanjing: 3, mengxi: 2, mukainaoer: 0, sumitu: 0, arbas: 0 };
export const BILINGUAL_JUDGE_COUNT = 13;
export const ZH_ONLY_JUDGE_COUNT = Object.values(ZH_JUDGES).reduce((a, b) => a + b, 0);

/** The sumu, where circuit hearings concentrate (far pastures, Mongolian herders). */
export const SUMU_CODES = ['150624200', '150624201'] as const;
const isSumu = (code: string) => SUMU_CODES.some((s) => code.startsWith(s));

/** Hearing modes: circuit hearings in the sumu's legal-affairs rooms; courtrooms in the towns. */
const MODE_WEIGHTS: Record<'sumu' | 'town', Record<HearingMode, number>> = {
  sumu: { CIRCUIT: 70, ONLINE: 22, COURTROOM: 8 },
  town: { COURTROOM: 66, ONLINE: 30, CIRCUIT: 4 },
};

/** Cases filed directly (not from mediation) per 1.0 scale: administrative grassland cases, labour claims. */
const DIRECT_CASES_PER_SCALE = 300;

const CATEGORY_TYPE: Record<string, CourtCaseType> = {
  GRASSLAND_CONTRACT: 'CIVIL', NEIGHBOURS: 'CIVIL', FAMILY: 'CIVIL', LABOUR: 'CIVIL', ENTERPRISE_HERDER: 'CIVIL', OTHER: 'CIVIL',
};

const SUMMARIES: Record<'JUDGED' | 'MEDIATED' | 'WITHDRAWN', string[]> = {
  JUDGED: ['判决被告赔偿草场损失', '判决确认草场承包经营权归属', '判决支付拖欠劳动报酬', '判决驳回原告诉讼请求', '判决按约定履行赡养义务'],
  MEDIATED: ['庭审中调解结案，双方签订调解协议', '巡回审判现场调解，企业赔偿牧户损失', '在线调解达成协议，当庭履行', '经法律事务室调解，双方和解'],
  WITHDRAWN: ['原告撤诉', '双方庭外和解，原告申请撤诉'],
};

function pickStatus(rng: Rng, filedOn: Date): CourtCaseStatus {
  const ageDays = (REFERENCE_DATE.getTime() - filedOn.getTime()) / 86_400_000;
  if (ageDays < 20) return rng.chance(0.6) ? 'FILED' : 'IN_HEARING';
  if (ageDays < 90) return rng.weighted({ FILED: 10, IN_HEARING: 45, JUDGED: 15, MEDIATED: 22, WITHDRAWN: 8 });
  return rng.weighted({ IN_HEARING: 4, JUDGED: 40, MEDIATED: 45, WITHDRAWN: 11 });
}

export function generateCourt(ctx: DepartmentContext, world: RegistryWorld, disputes: readonly CourtBoundDispute[]): CourtData {
  const { rng, ids, scale } = ctx;
  const end = new Date(REFERENCE_DATE.getTime() - 60_000);
  const townOf = (code: string) => TOWNS.find((t) => code.startsWith(t.code)) ?? TOWNS[0]!;

  // ---- judges: the article's 13 bilingual judges, and Chinese-only judges, at every scale ----
  const judges: JudgeDoc[] = [];
  const judgesByTown = new Map<string, JudgeDoc[]>();
  for (const town of TOWNS) {
    const list: JudgeDoc[] = [];
    const make = (bilingual: boolean) => {
      const gender = rng.chance(0.6) ? 'MALE' : 'FEMALE';
      const nm = bilingual ? mongolianName(rng, gender) : hanName(rng, gender);
      const judge: JudgeDoc = {
        _id: ids.next(),
        name: bilingual ? { zh: nm.zh, mn: nm.mn! } : { zh: nm.zh },
        languages: bilingual ? ['mn', 'zh'] : ['zh'],
        tribunal: TRIBUNALS[town.key],
        ...place(town.code),
        createdAt: COURT_PERIOD_START,
        updatedAt: COURT_PERIOD_START,
      };
      judges.push(judge);
      list.push(judge);
    };
    for (let k = 0; k < BILINGUAL_JUDGES[town.key]; k++) make(true);
    for (let k = 0; k < ZH_JUDGES[town.key]; k++) make(false);
    judgesByTown.set(town.code, list);
  }
  const bilingualJudges = judges.filter((j) => j.languages.includes('mn'));
  const assignJudge = (divisionCode: string, mongolianParty: boolean): JudgeDoc => {
    const local = judgesByTown.get(townOf(divisionCode).code) ?? [];
    const pool = mongolianParty ? local.filter((j) => j.languages.includes('mn')) : local;
    return rng.pick(pool.length ? pool : mongolianParty ? bilingualJudges : judges);
  };

  // ---- drafts: one case per dispute that reached COURT, plus direct filings ----
  interface Draft { disputeId: ObjectId | null; divisionCode: string; partyIds: ObjectId[]; type: CourtCaseType; filedOn: Date; circuit?: boolean }
  const drafts: Draft[] = [];
  for (const d of [...disputes].sort((a, b) => a.reachedCourtAt.getTime() - b.reachedCourtAt.getTime() || a._id.toHexString().localeCompare(b._id.toHexString()))) {
    let filedOn = addDays(d.reachedCourtAt, rng.real(1, 20));
    if (filedOn > end) filedOn = end;
    drafts.push({ disputeId: d._id, divisionCode: d.divisionCode, partyIds: d.partyIds, type: CATEGORY_TYPE[d.category] ?? 'CIVIL', filedOn });
  }
  const direct = Math.max(1, Math.round(DIRECT_CASES_PER_SCALE * scale));
  const residentById = new Map<string, ResidentDoc>();
  for (const list of world.adultsByTown.values()) for (const r of list) residentById.set(r._id.toHexString(), r);
  const sumu = TOWNS.filter((t) => t.kind === 'sumu');
  for (let k = 0; k < direct + sumu.length; k++) {
    // The first ones: a circuit-heard case in each sumu, at every scale. Then administrative cases
    // concentrate in the pastoral areas (grassland use), labour claims in the industrial towns.
    const forced = k < sumu.length;
    const town = forced ? sumu[k]! : TOWNS[rng.weightedIndex(TOWNS.map((t) => (t.industrial ? 3 : t.kind === 'sumu' ? 4 : 1.5)))]!;
    const adults = world.adultsByTown.get(town.code) ?? [];
    if (adults.length === 0) continue;
    const type: CourtCaseType = forced ? 'CIVIL' : rng.weighted(town.industrial ? { CIVIL: 70, ADMINISTRATIVE: 10, SPECIAL_PROCEDURE: 12, ENFORCEMENT: 8 } : { CIVIL: 50, ADMINISTRATIVE: 25, SPECIAL_PROCEDURE: 15, ENFORCEMENT: 10 });
    const parties = type === 'CIVIL' ? rng.sample(adults, 2) : rng.sample(adults, 1);
    drafts.push({
      disputeId: null,
      divisionCode: parties[0]!.divisionCode,
      partyIds: parties.map((p) => p._id),
      type,
      filedOn: randomInstant(rng, COURT_PERIOD_START, forced ? new Date('2023-06-01T00:00:00+08:00') : end),
      circuit: forced,
    });
  }
  drafts.sort((a, b) => a.filedOn.getTime() - b.filedOn.getTime());

  // ---- cases: numbered in filing order per year and type; hearings by place ----
  const seq = new Map<string, number>();
  const courtcases: CourtCaseDoc[] = drafts.map((d) => {
    const year = Number(chinaDate(d.filedOn).slice(0, 4)); // case numbers count by the year in China time
    const key = `${year}:${d.type}`;
    const n = (seq.get(key) ?? 0) + 1;
    seq.set(key, n);
    const status: CourtCaseStatus = d.circuit ? rng.pick(['JUDGED', 'MEDIATED'] as const) : pickStatus(rng, d.filedOn);
    const mongolianParty = d.partyIds.some((p) => !!residentById.get(p.toHexString())?.name.mn);
    const judge = status === 'FILED' && rng.chance(0.5) ? null : assignJudge(d.divisionCode, mongolianParty);
    const hearings: HearingDoc[] = [];
    if (status !== 'FILED' && !(status === 'WITHDRAWN' && rng.chance(0.5))) {
      const count = status === 'IN_HEARING' ? rng.int(1, 2) : rng.int(1, 3);
      const weights = MODE_WEIGHTS[isSumu(d.divisionCode) ? 'sumu' : 'town'];
      let at = d.filedOn;
      for (let h = 0; h < count; h++) {
        at = addDays(at, rng.real(7, 40));
        if (at > end) at = addHours(end, -rng.real(1, 48));
        if (at < d.filedOn) at = d.filedOn;
        const mode: HearingMode = d.circuit && h === 0 ? 'CIRCUIT' : rng.weighted(weights);
        const date = new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
        hearings.push({ date: date < d.filedOn ? d.filedOn : date, mode, legalAffairsRoom: mode === 'CIRCUIT' ? d.divisionCode.slice(0, 12) : null });
      }
    }
    const closed = status === 'JUDGED' || status === 'MEDIATED' || status === 'WITHDRAWN';
    const last = hearings.length ? hearings[hearings.length - 1]!.date : d.filedOn;
    let closedOn: Date | null = closed ? addDays(last, rng.real(1, 15)) : null;
    if (closedOn && closedOn > end) closedOn = end;
    const finalJudge = status === 'JUDGED' && !judge ? assignJudge(d.divisionCode, mongolianParty) : judge;
    return {
      _id: ids.next(),
      caseNumber: caseNumberOf(year, d.type, n),
      type: d.type,
      status,
      disputeId: d.disputeId,
      partyIds: d.partyIds,
      judgeId: finalJudge ? finalJudge._id : null,
      hearings,
      filedOn: d.filedOn,
      closedOn,
      summary: closed ? rng.pick(SUMMARIES[status as 'JUDGED' | 'MEDIATED' | 'WITHDRAWN']) : null,
      ...place(d.divisionCode),
      createdAt: d.filedOn,
      updatedAt: closedOn ?? last,
    };
  });

  const casecounters: CaseCounterDoc[] = [...seq.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([_id, n]) => ({ _id, seq: n }));
  return { judges, courtcases, casecounters };
}
