import { divisionPlugin, placeFields, localizedName } from '@anmulong/platform';
import { Schema, Types, type Connection, type InferSchemaType, type HydratedDocument } from 'mongoose';

/** The escalation ladder, bottom first: a dispute moves up one rung at a time. */
export const DISPUTE_STAGES = ['VILLAGE_COMMITTEE', 'DELIBERATION_COUNCIL', 'JUDICIAL_MEDIATION', 'COURT'] as const;
export type DisputeStage = (typeof DISPUTE_STAGES)[number];
export const DISPUTE_CATEGORIES = ['GRASSLAND_CONTRACT', 'NEIGHBOURS', 'FAMILY', 'LABOUR', 'ENTERPRISE_HERDER', 'OTHER'] as const;
export type DisputeCategory = (typeof DISPUTE_CATEGORIES)[number];
export const DISPUTE_STATUSES = ['OPEN', 'RESOLVED', 'WITHDRAWN', 'REFERRED_TO_COURT'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
export const MEDIATION_MODES = ['ON_SITE', 'ONLINE'] as const;
export const MEDIATION_OUTCOMES = ['RESOLVED', 'ESCALATED', 'WITHDRAWN'] as const;
export type MediationOutcome = (typeof MEDIATION_OUTCOMES)[number];
export const MEDIATOR_KINDS = ['VILLAGE_MEDIATOR', 'COUNCIL_MEMBER', 'JUDICIAL_MEDIATOR', 'ARBITRATOR'] as const;
export const CONSULTATION_MODES = ['ON_SITE', 'ONLINE', 'PHONE'] as const;
export const CONSULTATION_SUBJECTS = ['GRASSLAND_AND_LAND', 'FAMILY_AND_INHERITANCE', 'LABOUR', 'CONTRACT_AND_DEBT', 'ENTERPRISE', 'OTHER'] as const;

/** A mediator: people's mediator, deliberation-council member, judicial mediator or arbitrator. */
export const mediatorSchema = new Schema(
  {
    ...placeFields,
    name: { type: localizedName, required: true },
    kind: { type: String, required: true, enum: MEDIATOR_KINDS },
    organisation: { type: String, required: true },
    languages: { type: [String], required: true },
  },
  { timestamps: true },
);

/** One rung of a dispute's ladder. Dates are `YYYY-MM-DD` (China time); date/mode/outcome null while pending. */
export const stepSchema = new Schema(
  {
    stage: { type: String, required: true, enum: DISPUTE_STAGES },
    openedOn: { type: String, required: true },
    date: { type: String, default: null },
    mode: { type: String, enum: [...MEDIATION_MODES, null], default: null },
    mediatorIds: { type: [Schema.Types.ObjectId], default: [] },
    outcome: { type: String, enum: [...MEDIATION_OUTCOMES, null], default: null },
    notes: { type: String, default: null },
  },
  { _id: false },
);

/** A dispute between two or more residents (registry ids), screened in a village or grid. */
export const disputeSchema = new Schema(
  {
    ...placeFields,
    category: { type: String, required: true, enum: DISPUTE_CATEGORIES },
    description: { type: String, default: '' },
    partyIds: { type: [Schema.Types.ObjectId], required: true, index: true },
    screenedOn: { type: String, required: true },
    /** The police help request it was screened from (police's id), if any. */
    helpRequestId: { type: Schema.Types.ObjectId, default: null },
    stage: { type: String, required: true, enum: DISPUTE_STAGES, default: 'VILLAGE_COMMITTEE' },
    status: { type: String, required: true, enum: DISPUTE_STATUSES, default: 'OPEN' },
    steps: { type: [stepSchema], required: true },
  },
  { timestamps: true },
);
// A help request becomes at most one dispute.
disputeSchema.index(
  { helpRequestId: 1 },
  { unique: true, partialFilterExpression: { helpRequestId: { $type: 'objectId' } } },
);
disputeSchema.index({ stage: 1, status: 1 });

/** The legal adviser of a village (一村一法律顾问). */
export const legalAdviserSchema = new Schema(
  {
    ...placeFields,
    name: { type: localizedName, required: true },
    lawFirm: { type: String, required: true },
    languages: { type: [String], required: true },
    phone: { type: String, default: null },
  },
  { timestamps: true },
);

/** A consultation given by a village's legal adviser. */
export const consultationSchema = new Schema(
  {
    ...placeFields,
    legalAdviserId: { type: Schema.Types.ObjectId, required: true, index: true },
    residentId: { type: Schema.Types.ObjectId, default: null, index: true },
    date: { type: String, required: true },
    mode: { type: String, required: true, enum: CONSULTATION_MODES },
    subject: { type: String, required: true, enum: CONSULTATION_SUBJECTS },
    summary: { type: String, required: true },
  },
  { timestamps: true },
);

for (const schema of [mediatorSchema, disputeSchema, legalAdviserSchema, consultationSchema]) {
  schema.plugin(divisionPlugin);
}
// One legal adviser per village.
legalAdviserSchema.index({ divisionCode: 1 }, { unique: true });

export type DisputeDoc = HydratedDocument<InferSchemaType<typeof disputeSchema>>;

export function mediationModels(conn: Connection) {
  return {
    Mediator: conn.model('Mediator', mediatorSchema, 'mediators'),
    Dispute: conn.model('Dispute', disputeSchema, 'disputes'),
    LegalAdviser: conn.model('LegalAdviser', legalAdviserSchema, 'legaladvisers'),
    Consultation: conn.model('Consultation', consultationSchema, 'consultations'),
  };
}

export type MediationModels = ReturnType<typeof mediationModels>;

/** Lean records as resolvers receive them (codegen maps GraphQL types to these). */
export type StepRecord = {
  stage: DisputeStage;
  openedOn: string;
  date: string | null;
  mode: (typeof MEDIATION_MODES)[number] | null;
  mediatorIds: Types.ObjectId[];
  outcome: MediationOutcome | null;
  notes: string | null;
};
export type DisputeRecord = Omit<InferSchemaType<typeof disputeSchema>, 'steps' | 'stage' | 'status'> & {
  _id: Types.ObjectId;
  stage: DisputeStage;
  status: DisputeStatus;
  steps: StepRecord[];
};
export type MediatorRecord = InferSchemaType<typeof mediatorSchema> & { _id: Types.ObjectId };
export type LegalAdviserRecord = InferSchemaType<typeof legalAdviserSchema> & { _id: Types.ObjectId };
export type ConsultationRecord = InferSchemaType<typeof consultationSchema> & { _id: Types.ObjectId };
/** One row of `disputeCounts`: a village's disputes screened in one month. */
export type DisputeCountRecord = {
  villageCode: string;
  month: string;
  screened: number;
  resolved: number;
  withdrawn: number;
  referredToCourt: number;
  open: number;
};
/** Entities owned by other subgraphs, as this subgraph refers to them. */
export type ResidentRef = { id: string };
export type DivisionRef = { code: string };
export type HelpRequestRef = { id: string };
