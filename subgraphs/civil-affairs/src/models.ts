import { divisionPlugin, placeFields } from '@anmulong/platform';
import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';
import { AID_PROGRAMS, APPLICATION_STATUSES, GRANT_STATUSES } from './rules';

/** The household means assessment (家庭经济状况核对) recorded by a caseworker. */
const assessmentSchema = new Schema(
  {
    householdMonthlyIncomePerPerson: { type: Number, required: true, min: 0 },
    assessedAt: { type: Date, required: true },
    assessedBy: { type: String, required: true },
  },
  { _id: false },
);

/**
 * An application for aid: SUBMITTED → UNDER_REVIEW → APPROVED (with the grant it created) or
 * REJECTED (with a reason). Carries the household so a household's applications are one query.
 */
export const aidApplicationSchema = new Schema(
  {
    ...placeFields,
    residentId: { type: Schema.Types.ObjectId, required: true, index: true },
    householdId: { type: Schema.Types.ObjectId, required: true, index: true },
    program: { type: String, required: true, enum: AID_PROGRAMS },
    status: { type: String, required: true, enum: APPLICATION_STATUSES, default: 'SUBMITTED' },
    requestedAmountYuan: { type: Number, required: true, min: 0 },
    reason: { type: String, required: true },
    /** URBAN or RURAL: which minimum living line applies (from the register's household type). */
    residence: { type: String, required: true, enum: ['URBAN', 'RURAL'] },
    assessment: { type: assessmentSchema, default: null },
    submittedAt: { type: Date, required: true },
    submittedBy: { type: String, required: true },
    reviewStartedAt: { type: Date, default: null },
    reviewedBy: { type: String, default: null },
    decidedAt: { type: Date, default: null },
    decidedBy: { type: String, default: null },
    rejectionReason: { type: String, default: null },
    grantId: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true },
);

/** A grant: a monthly amount (yuan) paid to a resident over a period (`YYYY-MM-DD` dates). */
export const aidGrantSchema = new Schema(
  {
    ...placeFields,
    residentId: { type: Schema.Types.ObjectId, required: true, index: true },
    householdId: { type: Schema.Types.ObjectId, required: true, index: true },
    program: { type: String, required: true, enum: AID_PROGRAMS },
    amountYuan: { type: Number, required: true, min: 0 },
    startDate: { type: String, required: true },
    endDate: { type: String, default: null },
    status: { type: String, required: true, enum: GRANT_STATUSES, default: 'ACTIVE' },
    applicationId: { type: Schema.Types.ObjectId, default: null },
    endedAt: { type: Date, default: null },
    endedBy: { type: String, default: null },
  },
  { timestamps: true },
);

for (const schema of [aidApplicationSchema, aidGrantSchema]) schema.plugin(divisionPlugin);
aidGrantSchema.index({ residentId: 1, program: 1 });
aidApplicationSchema.index({ residentId: 1, program: 1 });

export function civilAffairsModels(conn: Connection) {
  return {
    AidApplication: conn.model('AidApplication', aidApplicationSchema, 'aidapplications'),
    AidGrant: conn.model('AidGrant', aidGrantSchema, 'aidgrants'),
  };
}

export type CivilAffairsModels = ReturnType<typeof civilAffairsModels>;

/** Lean records as resolvers receive them (codegen maps GraphQL types to these). */
export type AidApplicationRecord = InferSchemaType<typeof aidApplicationSchema> & { _id: Types.ObjectId };
export type AidGrantRecord = InferSchemaType<typeof aidGrantSchema> & { _id: Types.ObjectId };
export type AssessmentRecord = { householdMonthlyIncomePerPerson: number; assessedAt: Date; assessedBy: string; residence: string };
/** Entities owned by the registry, as this subgraph refers to them. */
export type ResidentRef = { id: string };
export type HouseholdRef = { id: string };
export type DivisionRef = { code: string };
