import { divisionPlugin, placeFields } from '@anmulong/platform';
import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/*
 * Party building keeps its own records and refers to the registry's residents and households by
 * their ids. Every record carries the division code of the place it belongs to (a branch, a
 * cooperative, a joint-building unit, an aid project: the village; a member, a central household, a
 * model household, a link: the grid of the household), so jurisdiction scoping is a query filter.
 */

/** A village party branch (嘎查村党支部): one per gacha/village/community. */
export const partyBranchSchema = new Schema(
  {
    ...placeFields,
    name: { type: String, required: true },
    secretaryResidentId: { type: Schema.Types.ObjectId, default: null },
    foundedOn: { type: String, required: true },
  },
  { timestamps: true },
);

export const JOINT_BUILDING_UNIT_KINDS = [
  'POLICE_STATION', 'JUDICIAL_OFFICE', 'LEGAL_ORGANISATION', 'RESIDENT_ENTERPRISE', 'COURT_TRIBUNAL', 'PUBLIC_INSTITUTION', 'OTHER',
] as const;

/** A unit that joined a branch in joint building (融合党建). */
export const jointBuildingUnitSchema = new Schema(
  {
    ...placeFields,
    branchId: { type: Schema.Types.ObjectId, required: true, index: true },
    kind: { type: String, required: true, enum: JOINT_BUILDING_UNIT_KINDS },
    name: { type: String, required: true },
    joinedOn: { type: String, required: true },
  },
  { timestamps: true },
);

/** A party member: a registry resident, member of their village's branch. */
export const partyMemberSchema = new Schema(
  {
    ...placeFields,
    residentId: { type: Schema.Types.ObjectId, required: true, unique: true },
    householdId: { type: Schema.Types.ObjectId, default: null, index: true },
    branchId: { type: Schema.Types.ObjectId, required: true, index: true },
    joinedOn: { type: String, required: true },
  },
  { timestamps: true },
);

/** A party-member central household (党员中心户): a registry household with a party member. */
export const centralHouseholdSchema = new Schema(
  {
    ...placeFields,
    householdId: { type: Schema.Types.ObjectId, required: true, unique: true },
    partyMemberResidentId: { type: Schema.Types.ObjectId, required: true },
    branchId: { type: Schema.Types.ObjectId, required: true, index: true },
    designatedOn: { type: String, required: true },
  },
  { timestamps: true },
);

/** A household looked after by a central household of its village (one link per household). */
export const householdLinkSchema = new Schema(
  {
    ...placeFields,
    householdId: { type: Schema.Types.ObjectId, required: true, unique: true },
    /** The registry id of the central household's household. */
    centralHouseholdId: { type: Schema.Types.ObjectId, required: true, index: true },
    linkedOn: { type: String, required: true },
  },
  { timestamps: true },
);

/** An Anmulong model household (安睦隆典型户): the year it was named and why. */
export const modelHouseholdSchema = new Schema(
  {
    ...placeFields,
    householdId: { type: Schema.Types.ObjectId, required: true, unique: true },
    year: { type: Number, required: true },
    citation: { type: String, required: true },
  },
  { timestamps: true },
);

/** A cooperative: party branch + leading enterprise + cooperative + herder households (one per village). */
export const cooperativeSchema = new Schema(
  {
    ...placeFields,
    name: { type: String, required: true },
    branchId: { type: Schema.Types.ObjectId, required: true },
    leadingEnterprise: { type: String, required: true },
    business: { type: String, required: true },
    foundedOn: { type: String, required: true },
    memberHouseholdIds: { type: [Schema.Types.ObjectId], default: [] },
  },
  { timestamps: true },
);

/** An aid project of "100 firms help 100 villages" (百企帮百村) and the jobs it created. */
export const aidProjectSchema = new Schema(
  {
    ...placeFields,
    name: { type: String, required: true },
    enterprise: { type: String, required: true },
    cooperativeId: { type: Schema.Types.ObjectId, default: null, index: true },
    jobsCreated: { type: Number, required: true, min: 0 },
    budgetYuan: { type: Number, required: true, min: 0 },
    startedOn: { type: String, required: true },
  },
  { timestamps: true },
);

for (const schema of [
  partyBranchSchema, jointBuildingUnitSchema, partyMemberSchema, centralHouseholdSchema, householdLinkSchema,
  modelHouseholdSchema, cooperativeSchema, aidProjectSchema,
]) {
  schema.plugin(divisionPlugin);
}
// One branch and one cooperative per village; a unit joins a branch once.
partyBranchSchema.index({ divisionCode: 1 }, { unique: true });
cooperativeSchema.index({ divisionCode: 1 }, { unique: true });
jointBuildingUnitSchema.index({ branchId: 1, name: 1 }, { unique: true });

export function partyBuildingModels(conn: Connection) {
  return {
    PartyBranch: conn.model('PartyBranch', partyBranchSchema, 'partybranches'),
    JointBuildingUnit: conn.model('JointBuildingUnit', jointBuildingUnitSchema, 'jointbuildingunits'),
    PartyMember: conn.model('PartyMember', partyMemberSchema, 'partymembers'),
    CentralHousehold: conn.model('CentralHousehold', centralHouseholdSchema, 'centralhouseholds'),
    HouseholdLink: conn.model('HouseholdLink', householdLinkSchema, 'householdlinks'),
    ModelHousehold: conn.model('ModelHousehold', modelHouseholdSchema, 'modelhouseholds'),
    Cooperative: conn.model('Cooperative', cooperativeSchema, 'cooperatives'),
    AidProject: conn.model('AidProject', aidProjectSchema, 'aidprojects'),
  };
}

export type PartyBuildingModels = ReturnType<typeof partyBuildingModels>;

/** Lean records as resolvers receive them (codegen maps GraphQL types to these). */
type Lean<S> = InferSchemaType<S> & { _id: Types.ObjectId };
export type PartyBranchRecord = Lean<typeof partyBranchSchema>;
export type JointBuildingUnitRecord = Lean<typeof jointBuildingUnitSchema>;
export type PartyMemberRecord = Lean<typeof partyMemberSchema>;
export type CentralHouseholdRecord = Lean<typeof centralHouseholdSchema>;
export type HouseholdLinkRecord = Lean<typeof householdLinkSchema>;
export type ModelHouseholdRecord = Lean<typeof modelHouseholdSchema>;
export type CooperativeRecord = Lean<typeof cooperativeSchema>;
export type AidProjectRecord = Lean<typeof aidProjectSchema>;
/** Figures are computed, not stored. */
export interface FiguresRecord {
  divisionCode: string;
  partyBranches: number;
  partyMembers: number;
  jointBuildingUnits: number;
  centralHouseholds: number;
  linkedHouseholds: number;
  modelHouseholds: number;
  cooperatives: number;
  aidProjects: number;
  jobsCreated: number;
  aidBudgetYuan: number;
}
/** Entities owned by the registry, as this subgraph refers to them. */
export type ResidentRef = { id: string };
export type HouseholdRef = { id: string };
export type DivisionRef = { code: string };
