import { DEPARTMENTS, divisionPlugin, localizedName, placeFields } from '@anmulong/platform';
import { Schema, Types, type Connection, type InferSchemaType, type HydratedDocument } from 'mongoose';


/**
 * The four-level grid: banner → sumu/town → gacha/village/community → grid.
 * The division code is the key: every record elsewhere carries one, and a jurisdiction
 * covers every code that starts with it, so `_id` is the code itself.
 */
export const divisionSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: localizedName, required: true },
    level: { type: String, required: true, enum: ['BANNER', 'TOWN', 'VILLAGE', 'GRID'] },
    /** TOWN divisions: town (镇) or sumu (苏木); VILLAGE: gacha (嘎查), village (村) or community (社区). */
    kind: { type: String, required: true },
    parentCode: { type: String, default: null, index: true },
    /** TOWN divisions only: the industrial park (工业园区) the town hosts, if any; null elsewhere. */
    industrialPark: { type: localizedName, default: null },
  },
  { versionKey: false },
);

/** A resident (person) in the register; the join key of every department. */
export const residentSchema = new Schema(
  {
    ...placeFields,
    idNumber: { type: String, required: true, unique: true },
    name: { type: localizedName, required: true },
    gender: { type: String, required: true, enum: ['MALE', 'FEMALE'] },
    birthDate: { type: String, required: true },
    ethnicity: { type: String, required: true },
    phone: { type: String, default: null },
    householdId: { type: Schema.Types.ObjectId, default: null, index: true },
    // Empty while the resident belongs to no household.
    relationToHead: { type: String, default: '' },
    /** Languages spoken (ISO 639-1), so Mongolian speakers can be matched to bilingual staff. */
    languages: { type: [String], default: ['zh'] },
  },
  { timestamps: true },
);

/** A household (户): a head, members (residents pointing at it), an address in a grid. */
export const householdSchema = new Schema(
  {
    ...placeFields,
    headId: { type: Schema.Types.ObjectId, required: true },
    address: { type: String, required: true },
    type: { type: String, required: true, enum: ['HERDING', 'FARMING', 'URBAN'] },
  },
  { timestamps: true },
);

/** A grid worker (网格员), full- or part-time, paid from the banner's grid funding. */
export const gridWorkerSchema = new Schema(
  {
    ...placeFields,
    name: { type: localizedName, required: true },
    phone: { type: String, default: null },
    employment: { type: String, required: true, enum: ['FULL_TIME', 'PART_TIME'] },
    annualStipendYuan: { type: Number, required: true, min: 0 },
    username: { type: String, default: null },
  },
  { timestamps: true },
);

export const PETITION_STATUSES = ['FILED', 'RECEIVED', 'ROUTED', 'IN_PROGRESS', 'CLOSED'] as const;
/** The departments a petition can be routed to: all of them (platform/src/departments.ts). */
export { DEPARTMENTS };

/** One attributed, timestamped step of a petition's life. */
const petitionTransitionSchema = new Schema(
  {
    status: { type: String, required: true, enum: PETITION_STATUSES },
    at: { type: Date, required: true },
    by: { type: String, required: true },
    note: { type: String, default: null },
    department: { type: String, enum: [...DEPARTMENTS, null], default: null },
  },
  { _id: false },
);

/**
 * A petition handled by proxy (信访代办): the resident asks ("点单"), a grid worker takes it in
 * ("揽收"), routes it to a department and follows it to closure ("全程跟踪").
 */
export const petitionSchema = new Schema(
  {
    ...placeFields,
    residentId: { type: Schema.Types.ObjectId, required: true, index: true },
    subject: { type: String, required: true },
    content: { type: String, required: true },
    status: { type: String, required: true, enum: PETITION_STATUSES },
    department: { type: String, enum: [...DEPARTMENTS, null], default: null },
    outcome: { type: String, default: null },
    transitions: { type: [petitionTransitionSchema], required: true },
  },
  { timestamps: true },
);

// Records that belong to a place carry divisionCode + the indexed divisionPath.
for (const schema of [residentSchema, householdSchema, gridWorkerSchema, petitionSchema]) schema.plugin(divisionPlugin);

export type DivisionDoc = HydratedDocument<InferSchemaType<typeof divisionSchema>>;
export type ResidentDoc = HydratedDocument<InferSchemaType<typeof residentSchema>>;
export type HouseholdDoc = HydratedDocument<InferSchemaType<typeof householdSchema>>;
export type GridWorkerDoc = HydratedDocument<InferSchemaType<typeof gridWorkerSchema>>;

/** Models are bound to the subgraph's own connection (its own database), never the global one. */
export function registryModels(conn: Connection) {
  return {
    Division: conn.model('Division', divisionSchema, 'divisions'),
    Resident: conn.model('Resident', residentSchema, 'residents'),
    Household: conn.model('Household', householdSchema, 'households'),
    GridWorker: conn.model('GridWorker', gridWorkerSchema, 'gridworkers'),
    Petition: conn.model('Petition', petitionSchema, 'petitions'),
  };
}

export type RegistryModels = ReturnType<typeof registryModels>;

/** Lean records as resolvers receive them (codegen maps GraphQL types to these). */
export type DivisionRecord = InferSchemaType<typeof divisionSchema>;
export type ResidentRecord = InferSchemaType<typeof residentSchema> & { _id: Types.ObjectId };
export type HouseholdRecord = InferSchemaType<typeof householdSchema> & { _id: Types.ObjectId };
export type PetitionRecord = InferSchemaType<typeof petitionSchema> & { _id: Types.ObjectId };
export type GridWorkerRecord = InferSchemaType<typeof gridWorkerSchema> & { _id: Types.ObjectId };
