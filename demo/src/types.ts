import type { Types } from 'mongoose';

/**
 * Plain documents as stored, one interface per collection; the fields are those of the
 * mongoose schemas in `subgraphs/<name>/src/models.ts` (the source of truth), with
 * defaults filled in so the documents can be inserted through the raw driver.
 */

export type ObjectId = Types.ObjectId;
export interface LocalizedName {
  zh: string;
  mn?: string;
}
export type Gender = 'MALE' | 'FEMALE';
interface Timestamps {
  createdAt: Date;
  updatedAt: Date;
}
/**
 * Records that belong to a place: the division code and the codes of every level that
 * contains it (platform `divisionPathOf`), which mongoose derives on save and a raw
 * insert must carry itself.
 */
export interface Place {
  divisionCode: string;
  divisionPath: string[];
}

// ---- registry -------------------------------------------------------------------------
export interface DivisionDoc {
  _id: string;
  name: LocalizedName;
  level: 'BANNER' | 'TOWN' | 'VILLAGE' | 'GRID';
  kind: 'banner' | 'town' | 'sumu' | 'gacha' | 'village' | 'community' | 'grid';
  parentCode: string | null;
  /** TOWN divisions: the industrial park the town hosts (the article's 2 parks); null elsewhere. */
  industrialPark: LocalizedName | null;
}
export interface ResidentDoc extends Timestamps, Place {
  _id: ObjectId;
  idNumber: string;
  name: LocalizedName;
  gender: Gender;
  birthDate: string;
  ethnicity: string;
  phone: string | null;
  householdId: ObjectId | null;
  relationToHead: string;
  languages: string[];
}
export interface HouseholdDoc extends Timestamps, Place {
  _id: ObjectId;
  headId: ObjectId;
  address: string;
  type: 'HERDING' | 'FARMING' | 'URBAN';
}
export interface GridWorkerDoc extends Timestamps, Place {
  _id: ObjectId;
  name: LocalizedName;
  phone: string | null;
  employment: 'FULL_TIME' | 'PART_TIME';
  annualStipendYuan: number;
  username: string | null;
}
export type PetitionStatus = 'FILED' | 'RECEIVED' | 'ROUTED' | 'IN_PROGRESS' | 'CLOSED';
/**
 * The departments the demo's petitions are routed to: demo content, chosen here, not the table of
 * departments (a new department does not change the petitions drawn for the others).
 */
export type Department = 'REGISTRY' | 'POLICE' | 'MEDIATION' | 'COURT' | 'CIVIL_AFFAIRS' | 'PARTY_BUILDING';
export interface PetitionTransition {
  status: PetitionStatus;
  at: Date;
  /** Username of who made the step. */
  by: string;
  note: string | null;
  department: Department | null;
}
export interface PetitionDoc extends Timestamps, Place {
  _id: ObjectId;
  residentId: ObjectId;
  subject: string;
  content: string;
  status: PetitionStatus;
  department: Department | null;
  outcome: string | null;
  transitions: PetitionTransition[];
}
export interface RegistryData {
  divisions: DivisionDoc[];
  residents: ResidentDoc[];
  households: HouseholdDoc[];
  gridworkers: GridWorkerDoc[];
  petitions: PetitionDoc[];
}

// ---- police ---------------------------------------------------------------------------
export interface OfficerDoc extends Timestamps, Place {
  _id: ObjectId;
  name: LocalizedName;
  badgeNumber: string;
  languages: string[];
  station: string;
}
export interface PatrolDoc extends Timestamps, Place {
  _id: ObjectId;
  route: string;
  officerIds: ObjectId[];
  mobilePoliceRoom: string | null;
  distanceKm: number;
  startedAt: Date;
  endedAt: Date;
}
export type HelpRequestCategory =
  | 'DISPUTE' | 'LOST_LIVESTOCK' | 'TRAFFIC' | 'THEFT' | 'FAMILY' | 'LABOUR_WAGES' | 'EMERGENCY' | 'OTHER';
export interface HelpRequestDoc extends Timestamps, Place {
  _id: ObjectId;
  category: HelpRequestCategory;
  description: string;
  status: 'OPEN' | 'RESOLVED';
  reportedAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
  residentId: ObjectId | null;
  disputeId: ObjectId | null;
}
export interface VolunteerDoc extends Timestamps, Place {
  _id: ObjectId;
  residentId: ObjectId;
  enrolledOn: string;
  active: boolean;
}
export interface SecurityCommitteeDoc extends Timestamps, Place {
  _id: ObjectId;
  directorResidentId: ObjectId | null;
  memberResidentIds: ObjectId[];
}
export interface CameraSiteDoc extends Place {
  _id: ObjectId;
  cameras: number;
}
/** A department granted access to the video private network (视频专网), over the area of its division. */
export interface VideoNetworkShareDoc extends Place {
  _id: ObjectId;
  department: string;
  since: string;
}
export interface PoliceData {
  officers: OfficerDoc[];
  patrols: PatrolDoc[];
  helprequests: HelpRequestDoc[];
  volunteers: VolunteerDoc[];
  securitycommittees: SecurityCommitteeDoc[];
  camerasites: CameraSiteDoc[];
  videonetworkshares: VideoNetworkShareDoc[];
}

// ---- court ----------------------------------------------------------------------------
export interface JudgeDoc extends Timestamps, Place {
  _id: ObjectId;
  name: LocalizedName;
  languages: string[];
  tribunal: string;
}
export type CourtCaseType = 'CIVIL' | 'ADMINISTRATIVE' | 'CRIMINAL' | 'SPECIAL_PROCEDURE' | 'ENFORCEMENT';
export type CourtCaseStatus = 'FILED' | 'IN_HEARING' | 'JUDGED' | 'MEDIATED' | 'WITHDRAWN';
export type HearingMode = 'COURTROOM' | 'CIRCUIT' | 'ONLINE';
export interface HearingDoc {
  date: Date;
  mode: HearingMode;
  /** Village code of the legal-affairs room (CIRCUIT hearings only). */
  legalAffairsRoom: string | null;
}
export interface CourtCaseDoc extends Timestamps, Place {
  _id: ObjectId;
  caseNumber: string;
  type: CourtCaseType;
  status: CourtCaseStatus;
  disputeId: ObjectId | null;
  partyIds: ObjectId[];
  judgeId: ObjectId | null;
  hearings: HearingDoc[];
  filedOn: Date;
  closedOn: Date | null;
  summary: string | null;
}
/** Last case-number sequence per `year:type`, so filings continue after the demo's numbers. */
export interface CaseCounterDoc {
  _id: string;
  seq: number;
}
export interface CourtData {
  judges: JudgeDoc[];
  courtcases: CourtCaseDoc[];
  casecounters: CaseCounterDoc[];
}

// ---- mediation ------------------------------------------------------------------------
export type DisputeStage = 'VILLAGE_COMMITTEE' | 'DELIBERATION_COUNCIL' | 'JUDICIAL_MEDIATION' | 'COURT';
export type DisputeCategory = 'GRASSLAND_CONTRACT' | 'NEIGHBOURS' | 'FAMILY' | 'LABOUR' | 'ENTERPRISE_HERDER' | 'OTHER';
export type DisputeStatus = 'OPEN' | 'RESOLVED' | 'WITHDRAWN' | 'REFERRED_TO_COURT';
export type MediationOutcome = 'RESOLVED' | 'ESCALATED' | 'WITHDRAWN';
/** One rung of a dispute's ladder; dates `YYYY-MM-DD`; date/mode/outcome null while pending. */
export interface EscalationStepDoc {
  stage: DisputeStage;
  openedOn: string;
  date: string | null;
  mode: 'ON_SITE' | 'ONLINE' | null;
  mediatorIds: ObjectId[];
  outcome: MediationOutcome | null;
  notes: string | null;
}
export interface DisputeDoc extends Timestamps, Place {
  _id: ObjectId;
  category: DisputeCategory;
  description: string;
  partyIds: ObjectId[];
  screenedOn: string;
  helpRequestId: ObjectId | null;
  stage: DisputeStage;
  status: DisputeStatus;
  steps: EscalationStepDoc[];
}
export interface MediatorDoc extends Timestamps, Place {
  _id: ObjectId;
  name: LocalizedName;
  kind: 'VILLAGE_MEDIATOR' | 'COUNCIL_MEMBER' | 'JUDICIAL_MEDIATOR' | 'ARBITRATOR';
  organisation: string;
  languages: string[];
}
export interface LegalAdviserDoc extends Timestamps, Place {
  _id: ObjectId;
  name: LocalizedName;
  lawFirm: string;
  languages: string[];
  phone: string | null;
}
export interface ConsultationDoc extends Timestamps, Place {
  _id: ObjectId;
  legalAdviserId: ObjectId;
  residentId: ObjectId | null;
  date: string;
  mode: 'ON_SITE' | 'ONLINE' | 'PHONE';
  subject: 'GRASSLAND_AND_LAND' | 'FAMILY_AND_INHERITANCE' | 'LABOUR' | 'CONTRACT_AND_DEBT' | 'ENTERPRISE' | 'OTHER';
  summary: string;
}
export interface MediationData {
  mediators: MediatorDoc[];
  disputes: DisputeDoc[];
  legaladvisers: LegalAdviserDoc[];
  consultations: ConsultationDoc[];
}

// ---- civil-affairs --------------------------------------------------------------------
export type AidProgramName = 'MINIMUM_LIVING' | 'EXTREME_POVERTY' | 'TEMPORARY' | 'DISABILITY' | 'ELDERLY';
export interface AidApplicationDoc extends Timestamps, Place {
  _id: ObjectId;
  residentId: ObjectId;
  householdId: ObjectId;
  program: AidProgramName;
  status: 'SUBMITTED' | 'UNDER_REVIEW' | 'APPROVED' | 'REJECTED';
  requestedAmountYuan: number;
  reason: string;
  residence: 'URBAN' | 'RURAL';
  assessment: { householdMonthlyIncomePerPerson: number; assessedAt: Date; assessedBy: string } | null;
  submittedAt: Date;
  submittedBy: string;
  reviewStartedAt: Date | null;
  reviewedBy: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  rejectionReason: string | null;
  grantId: ObjectId | null;
}
export interface AidGrantDoc extends Timestamps, Place {
  _id: ObjectId;
  residentId: ObjectId;
  householdId: ObjectId;
  program: AidProgramName;
  /** Yuan per month. */
  amountYuan: number;
  /** `YYYY-MM-DD`. */
  startDate: string;
  endDate: string | null;
  status: 'ACTIVE' | 'ENDED';
  applicationId: ObjectId | null;
  endedAt: Date | null;
  endedBy: string | null;
}
export interface CivilAffairsData {
  aidgrants: AidGrantDoc[];
  aidapplications: AidApplicationDoc[];
}

// ---- party-building -------------------------------------------------------------------
/** Dates of party-building records are `YYYY-MM-DD` (China time). */
export interface PartyBranchDoc extends Timestamps, Place {
  _id: ObjectId;
  name: string;
  secretaryResidentId: ObjectId | null;
  foundedOn: string;
}
export type JointBuildingUnitKind =
  | 'POLICE_STATION' | 'JUDICIAL_OFFICE' | 'LEGAL_ORGANISATION' | 'RESIDENT_ENTERPRISE' | 'COURT_TRIBUNAL' | 'PUBLIC_INSTITUTION' | 'OTHER';
export interface JointBuildingUnitDoc extends Timestamps, Place {
  _id: ObjectId;
  branchId: ObjectId;
  kind: JointBuildingUnitKind;
  name: string;
  joinedOn: string;
}
export interface PartyMemberDoc extends Timestamps, Place {
  _id: ObjectId;
  residentId: ObjectId;
  householdId: ObjectId | null;
  branchId: ObjectId;
  joinedOn: string;
}
export interface CentralHouseholdDoc extends Timestamps, Place {
  _id: ObjectId;
  householdId: ObjectId;
  partyMemberResidentId: ObjectId;
  branchId: ObjectId;
  designatedOn: string;
}
export interface HouseholdLinkDoc extends Timestamps, Place {
  _id: ObjectId;
  householdId: ObjectId;
  /** Registry id of the central household's household. */
  centralHouseholdId: ObjectId;
  linkedOn: string;
}
export interface ModelHouseholdDoc extends Timestamps, Place {
  _id: ObjectId;
  householdId: ObjectId;
  year: number;
  citation: string;
}
export interface CooperativeDoc extends Timestamps, Place {
  _id: ObjectId;
  name: string;
  branchId: ObjectId;
  leadingEnterprise: string;
  business: string;
  foundedOn: string;
  memberHouseholdIds: ObjectId[];
}
export interface AidProjectDoc extends Timestamps, Place {
  _id: ObjectId;
  name: string;
  enterprise: string;
  cooperativeId: ObjectId | null;
  jobsCreated: number;
  budgetYuan: number;
  startedOn: string;
}
export interface PartyBuildingData {
  partybranches: PartyBranchDoc[];
  jointbuildingunits: JointBuildingUnitDoc[];
  partymembers: PartyMemberDoc[];
  centralhouseholds: CentralHouseholdDoc[];
  householdlinks: HouseholdLinkDoc[];
  modelhouseholds: ModelHouseholdDoc[];
  cooperatives: CooperativeDoc[];
  aidprojects: AidProjectDoc[];
}

/** Documents per subgraph database, per collection. One key per department module. */
export interface DemoData {
  registry: RegistryData;
  police: PoliceData;
  mediation: MediationData;
  court: CourtData;
  'civil-affairs': CivilAffairsData;
  'party-building': PartyBuildingData;
}
