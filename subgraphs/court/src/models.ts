import { divisionPlugin, placeFields, localizedName } from '@anmulong/platform';
import { Schema, Types, type Connection, type InferSchemaType, type HydratedDocument } from 'mongoose';

export const CASE_TYPES = ['CIVIL', 'ADMINISTRATIVE', 'CRIMINAL', 'SPECIAL_PROCEDURE', 'ENFORCEMENT'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CASE_STATUSES = ['FILED', 'IN_HEARING', 'JUDGED', 'MEDIATED', 'WITHDRAWN'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_OUTCOMES = ['JUDGED', 'MEDIATED', 'WITHDRAWN'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];
export const OPEN_STATUSES: readonly CaseStatus[] = ['FILED', 'IN_HEARING'];
export const HEARING_MODES = ['COURTROOM', 'CIRCUIT', 'ONLINE'] as const;
export type HearingMode = (typeof HEARING_MODES)[number];

/** Court code of the Otog Banner People's Court in case numbers: 蒙 (Inner Mongolia) + 0624. */
export const COURT_CODE = '蒙0624';
/** Case-type codes of the Chinese case number (案号). */
export const CASE_TYPE_CODES: Record<CaseType, string> = {
  CIVIL: '民初',
  ADMINISTRATIVE: '行初',
  CRIMINAL: '刑初',
  SPECIAL_PROCEDURE: '民特',
  ENFORCEMENT: '执',
};
/** `(2024)蒙0624民初123号`: year in half-width parentheses, court, type code, sequence (no leading zeros), 号. */
export const CASE_NUMBER = /^\((\d{4})\)蒙0624(民初|行初|刑初|民特|执)([1-9]\d{0,5})号$/;

export function caseNumber(year: number, type: CaseType, sequence: number): string {
  const n = `(${year})${COURT_CODE}${CASE_TYPE_CODES[type]}${sequence}号`;
  if (!CASE_NUMBER.test(n)) throw new Error(`not a valid case number: ${n}`);
  return n;
}

/** Key of the per-year, per-type sequence of case numbers. */
export const counterKey = (year: number, type: CaseType) => `${year}:${type}`;

/** A judge of the banner court or one of its tribunals; languages let bilingual judges be found. */
export const judgeSchema = new Schema(
  {
    ...placeFields,
    name: { type: localizedName, required: true },
    languages: { type: [String], required: true },
    tribunal: { type: String, required: true },
  },
  { timestamps: true },
);

/** A hearing of a case (embedded: a case's hearings come with it, in one read). */
export const hearingSchema = new Schema(
  {
    date: { type: Date, required: true },
    mode: { type: String, required: true, enum: HEARING_MODES },
    /** Village division code of the legal-affairs room (CIRCUIT hearings only). */
    legalAffairsRoom: { type: String, default: null },
  },
  { _id: false },
);

/** A court case (案件): filed, heard, closed; optionally filed from a mediation dispute. */
export const courtCaseSchema = new Schema(
  {
    ...placeFields,
    caseNumber: { type: String, required: true, unique: true, match: CASE_NUMBER },
    type: { type: String, required: true, enum: CASE_TYPES },
    status: { type: String, required: true, enum: CASE_STATUSES, default: 'FILED' },
    /** Mediation's dispute id; at most one case per dispute (unique where set). */
    disputeId: { type: Schema.Types.ObjectId, default: null },
    partyIds: { type: [Schema.Types.ObjectId], required: true },
    judgeId: { type: Schema.Types.ObjectId, default: null },
    hearings: { type: [hearingSchema], default: [] },
    filedOn: { type: Date, required: true },
    closedOn: { type: Date, default: null },
    summary: { type: String, default: null },
  },
  { timestamps: true },
);
courtCaseSchema.index(
  { disputeId: 1 },
  { unique: true, partialFilterExpression: { disputeId: { $type: 'objectId' } }, name: 'disputeId_unique' },
);
courtCaseSchema.index({ partyIds: 1 });

/** Sequence of case numbers per year and case type (`_id` = counterKey). */
export const caseCounterSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true, min: 0 },
  },
  { versionKey: false },
);

for (const schema of [judgeSchema, courtCaseSchema]) schema.plugin(divisionPlugin);

export type JudgeDoc = HydratedDocument<InferSchemaType<typeof judgeSchema>>;
export type CourtCaseDoc = HydratedDocument<InferSchemaType<typeof courtCaseSchema>>;

export function courtModels(conn: Connection) {
  return {
    Judge: conn.model('Judge', judgeSchema, 'judges'),
    CourtCase: conn.model('CourtCase', courtCaseSchema, 'courtcases'),
    CaseCounter: conn.model('CaseCounter', caseCounterSchema, 'casecounters'),
  };
}

export type CourtModels = ReturnType<typeof courtModels>;

/** Lean records as resolvers receive them (codegen maps GraphQL types to these). */
export type JudgeRecord = InferSchemaType<typeof judgeSchema> & { _id: Types.ObjectId };
export type HearingRecord = { date: Date; mode: string; legalAffairsRoom?: string | null };
export type CourtCaseRecord = Omit<InferSchemaType<typeof courtCaseSchema>, 'hearings'> & {
  _id: Types.ObjectId;
  hearings: HearingRecord[];
};
/** Entities owned elsewhere, as this subgraph refers to them. */
export type ResidentRef = { id: string };
export type DisputeRef = { id: string };
export type DivisionRef = { code: string };
