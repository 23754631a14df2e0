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
export interface PoliceData {
  officers: OfficerDoc[];
  patrols: PatrolDoc[];
  helprequests: HelpRequestDoc[];
  volunteers: VolunteerDoc[];
  securitycommittees: SecurityCommitteeDoc[];
  camerasites: CameraSiteDoc[];
}

/** Documents per subgraph database, per collection. One key per department module. */
export interface DemoData {
  registry: RegistryData;
  police: PoliceData;
}
