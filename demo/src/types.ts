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

// ---- registry -------------------------------------------------------------------------
export interface DivisionDoc {
  _id: string;
  name: LocalizedName;
  level: 'BANNER' | 'TOWN' | 'VILLAGE' | 'GRID';
  kind: 'banner' | 'town' | 'sumu' | 'gacha' | 'village' | 'community' | 'grid';
  parentCode: string | null;
}
export interface ResidentDoc extends Timestamps {
  _id: ObjectId;
  idNumber: string;
  name: LocalizedName;
  gender: Gender;
  birthDate: string;
  ethnicity: string;
  phone: string | null;
  householdId: ObjectId | null;
  relationToHead: string;
  divisionCode: string;
  languages: string[];
}
export interface HouseholdDoc extends Timestamps {
  _id: ObjectId;
  headId: ObjectId;
  address: string;
  divisionCode: string;
  type: 'HERDING' | 'FARMING' | 'URBAN';
}
export interface GridWorkerDoc extends Timestamps {
  _id: ObjectId;
  name: LocalizedName;
  phone: string | null;
  gridCode: string;
  employment: 'FULL_TIME' | 'PART_TIME';
  annualStipendYuan: number;
  username: string | null;
}
export interface RegistryData {
  divisions: DivisionDoc[];
  residents: ResidentDoc[];
  households: HouseholdDoc[];
  gridworkers: GridWorkerDoc[];
}

// ---- police ---------------------------------------------------------------------------
export interface OfficerDoc extends Timestamps {
  _id: ObjectId;
  name: LocalizedName;
  badgeNumber: string;
  languages: string[];
  station: string;
  divisionCode: string;
}
export interface PatrolDoc extends Timestamps {
  _id: ObjectId;
  route: string;
  officerIds: ObjectId[];
  mobilePoliceRoom: string | null;
  distanceKm: number;
  startedAt: Date;
  endedAt: Date;
  divisionCode: string;
}
export type HelpRequestCategory =
  | 'DISPUTE' | 'LOST_LIVESTOCK' | 'TRAFFIC' | 'THEFT' | 'FAMILY' | 'LABOUR_WAGES' | 'EMERGENCY' | 'OTHER';
export interface HelpRequestDoc extends Timestamps {
  _id: ObjectId;
  category: HelpRequestCategory;
  description: string;
  status: 'OPEN' | 'RESOLVED';
  reportedAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
  residentId: ObjectId | null;
  divisionCode: string;
  disputeId: ObjectId | null;
}
export interface VolunteerDoc extends Timestamps {
  _id: ObjectId;
  residentId: ObjectId;
  divisionCode: string;
  enrolledOn: string;
  active: boolean;
}
export interface SecurityCommitteeDoc extends Timestamps {
  _id: ObjectId;
  divisionCode: string;
  directorResidentId: ObjectId | null;
  memberResidentIds: ObjectId[];
}
export interface CameraSiteDoc {
  _id: ObjectId;
  divisionCode: string;
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
