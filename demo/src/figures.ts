/**
 * The article's headline figures (README, "Cross-department queries") at `--scale 1`, and the
 * exact totals the generator produces at a given scale. Analysts' queries and the tests compare
 * against `demoFigures(scale)`.
 */

export const DEFAULT_SEED = 20231128;
/** ≈ 2,000 households: loads in seconds. */
export const DEFAULT_SCALE = 0.04;

/** Day of the article; the demo's "now" (generatedAt of every seed). */
export const REFERENCE_DATE = new Date('2023-11-28T00:00:00+08:00');
/** When the register "was imported": createdAt/updatedAt of registry records. */
export const REGISTER_CREATED_AT = new Date('2022-01-01T00:00:00+08:00');
/** Police records fall inside [POLICE_PERIOD_START, REFERENCE_DATE). */
export const POLICE_PERIOD_START = new Date('2022-01-01T00:00:00+08:00');
/** Court cases are filed inside [COURT_PERIOD_START, REFERENCE_DATE). */
export const COURT_PERIOD_START = new Date('2022-01-01T00:00:00+08:00');

export const ARTICLE = {
  towns: 6,
  industrialParks: 2,
  residents: 160_000,
  households: 50_000,
  gridWorkers: 1_789,
  gridFundingYuan: 4_346_000,
  cameras: 43_000,
  /** "shared with ~40 departments" (the video private network): 40, the same at every scale. */
  videoNetworkDepartments: 40,
  /** "1,800,000+ km" */
  patrolKm: 1_800_000,
  /** "9,000+ help requests resolved" */
  resolvedHelpRequests: 9_000,
  /** "4,800+ disputes screened, 4,500+ resolved" (mobile judicial mediation) */
  disputesScreened: 4_800,
  disputesResolved: 4_500,
  /** "13 bilingual (Mongolian/Chinese) judges": the same at every scale. */
  bilingualJudges: 13,
  /** "39 Anmulong model households" (安睦隆典型户): the same at every scale. */
  modelHouseholds: 39,
  /** "35 aid projects" (发展堡垒村, 百企帮百村): the same at every scale. */
  aidProjects: 35,
  /** "4,300 jobs" created by the aid projects ("4,300+": lands slightly above at scale 1). */
  jobsCreated: 4_300,
} as const;

/** "1.8 million+", "9,000+": the generator lands slightly above the round figure. */
const PLUS = 1.02;

/** Officers, volunteers, patrols are not in the article; sizes chosen for a banner of 160k. */
export const ASSUMED = {
  officers: 380,
  volunteers: 1_500,
  patrols: 12_000,
  /** Petitions handled by proxy (信访代办) in 2022-2023. */
  petitions: 1_000,
  /** Open (unresolved) help requests as a share of resolved ones. */
  openHelpRequestShare: 0.03,
  /** Consultations given by the village legal advisers (一村一法律顾问) in 2022-2023. */
  consultations: 6_000,
} as const;

export interface DemoFigures {
  scale: number;
  towns: number;
  /** The article's 2 industrial parks, at every scale. */
  industrialParks: number;
  households: number;
  gridWorkers: number;
  gridFundingYuan: number;
  cameras: number;
  /** Departments sharing the video private network: the article's ~40 (40), at every scale. */
  videoNetworkDepartments: number;
  patrolKm: number;
  patrols: number;
  resolvedHelpRequests: number;
  openHelpRequests: number;
  officers: number;
  volunteers: number;
  /** The article's 13 bilingual judges, at every scale. */
  bilingualJudges: number;
  petitions: number;
  /** Disputes screened = resolved + withdrawn + still open + referred to court. */
  disputesScreened: number;
  disputesResolved: number;
  disputesWithdrawn: number;
  /** Disputes that reached COURT after judicial mediation failed (the court files a case for each). */
  disputesInCourt: number;
  /** Still being mediated (at any of the three mediation stages). */
  disputesOpen: number;
  consultations: number;
  /** The article's 39 model households, at every scale (fewer only if there are fewer households). */
  modelHouseholds: number;
  /** The article's 35 aid projects, at every scale. */
  aidProjects: number;
  /** Jobs created by the aid projects: 4,386 at scale 1, in proportion below. */
  jobsCreated: number;
}

const atLeast1 = (x: number) => Math.max(1, Math.round(x));

export function demoFigures(scale: number): DemoFigures {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`scale must be a positive number, got ${scale}`);
  const resolved = Math.max(1, Math.ceil(ARTICLE.resolvedHelpRequests * PLUS * scale));
  return {
    scale,
    towns: ARTICLE.towns,
    industrialParks: ARTICLE.industrialParks,
    households: atLeast1(ARTICLE.households * scale),
    gridWorkers: atLeast1(ARTICLE.gridWorkers * scale),
    gridFundingYuan: atLeast1(ARTICLE.gridFundingYuan * scale),
    cameras: atLeast1(ARTICLE.cameras * scale),
    videoNetworkDepartments: ARTICLE.videoNetworkDepartments,
    patrolKm: Math.max(1, Math.ceil(ARTICLE.patrolKm * PLUS * scale)),
    patrols: Math.max(6, Math.round(ASSUMED.patrols * scale)),
    resolvedHelpRequests: resolved,
    openHelpRequests: atLeast1(resolved * ASSUMED.openHelpRequestShare),
    officers: Math.max(12, Math.round(ASSUMED.officers * scale)),
    volunteers: atLeast1(ASSUMED.volunteers * scale),
    bilingualJudges: ARTICLE.bilingualJudges,
    petitions: Math.max(5, Math.round(ASSUMED.petitions * scale)),
    ...disputeFigures(scale),
    // At least one consultation per village legal adviser (75 villages).
    consultations: Math.max(80, Math.round(ASSUMED.consultations * scale)),
    modelHouseholds: ARTICLE.modelHouseholds,
    aidProjects: ARTICLE.aidProjects,
    jobsCreated: Math.max(1, Math.ceil(ARTICLE.jobsCreated * PLUS * scale)),
  };
}

/**
 * "4,800+ screened, 4,500+ resolved": both land slightly above the round figures at scale 1
 * (4,590 resolved of 4,896). The unresolved rest never shrinks below a dozen, so every path of
 * the ladder (withdrawn, still open at each stage, referred to court) exists at any scale.
 */
function disputeFigures(scale: number) {
  const resolved = Math.max(6, Math.ceil(ARTICLE.disputesResolved * PLUS * scale));
  const unresolved = Math.max(12, Math.ceil((ARTICLE.disputesScreened - ARTICLE.disputesResolved) * PLUS * scale));
  const inCourt = Math.max(3, Math.round(unresolved * 0.25));
  const withdrawn = Math.max(3, Math.round(unresolved * 0.3));
  return {
    disputesScreened: resolved + unresolved,
    disputesResolved: resolved,
    disputesWithdrawn: withdrawn,
    disputesInCourt: inCourt,
    disputesOpen: unresolved - inCourt - withdrawn,
  };
}
