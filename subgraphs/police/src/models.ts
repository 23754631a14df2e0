import { divisionPlugin, placeFields, localizedName } from '@anmulong/platform';
import { Schema, Types, type Connection, type InferSchemaType, type HydratedDocument } from 'mongoose';


/** A police officer of a "Fengqiao-style" station; languages let bilingual officers be found. */
export const officerSchema = new Schema(
  {
    ...placeFields,
    name: { type: localizedName, required: true },
    badgeNumber: { type: String, required: true, unique: true },
    languages: { type: [String], required: true },
    station: { type: String, required: true },
  },
  { timestamps: true },
);

/** A patrol (mobile policing): route, officers, the mobile police room it served, distance. */
export const patrolSchema = new Schema(
  {
    ...placeFields,
    route: { type: String, required: true },
    officerIds: { type: [Schema.Types.ObjectId], required: true },
    mobilePoliceRoom: { type: String, default: null },
    distanceKm: { type: Number, required: true, min: 0 },
    startedAt: { type: Date, required: true },
    endedAt: { type: Date, required: true },
  },
  { timestamps: true },
);

export const HELP_REQUEST_CATEGORIES = [
  'DISPUTE', 'LOST_LIVESTOCK', 'TRAFFIC', 'THEFT', 'FAMILY', 'LABOUR_WAGES', 'EMERGENCY', 'OTHER',
] as const;

/** A resident's request for help (求助) to the police; the first step of the dispute path. */
export const helpRequestSchema = new Schema(
  {
    ...placeFields,
    category: { type: String, required: true, enum: HELP_REQUEST_CATEGORIES },
    description: { type: String, default: '' },
    status: { type: String, required: true, enum: ['OPEN', 'RESOLVED'], default: 'OPEN' },
    reportedAt: { type: Date, required: true },
    resolvedAt: { type: Date, default: null },
    resolution: { type: String, default: null },
    residentId: { type: Schema.Types.ObjectId, default: null, index: true },
    /** Set when the request was screened into a dispute (mediation's id). */
    disputeId: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true },
);

/** A resident enrolled as volunteer police (义警). */
export const volunteerSchema = new Schema(
  {
    ...placeFields,
    residentId: { type: Schema.Types.ObjectId, required: true, unique: true },
    enrolledOn: { type: String, required: true },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);

/** A village security committee (治保会) with its security director. */
export const securityCommitteeSchema = new Schema(
  {
    ...placeFields,
    directorResidentId: { type: Schema.Types.ObjectId, default: null },
    memberResidentIds: { type: [Schema.Types.ObjectId], default: [] },
  },
  { timestamps: true },
);

/** Public-security cameras of a village on the video private network (reference data). */
export const cameraSiteSchema = new Schema(
  {
    ...placeFields,
    cameras: { type: Number, required: true, min: 0 },
  },
  { versionKey: false },
);

/**
 * A department granted access to the video private network (视频专网), reference data. The
 * grant's division is the area whose cameras it may use: a banner-wide grant (`150624`) covers
 * every town, village and grid.
 */
export const videoNetworkShareSchema = new Schema(
  {
    ...placeFields,
    /** The department's name (Chinese), e.g. 鄂托克旗应急管理局. */
    department: { type: String, required: true },
    /** Day the access was granted, YYYY-MM-DD. */
    since: { type: String, required: true },
  },
  { versionKey: false },
);

// Records that belong to a place carry divisionCode + the indexed divisionPath.
for (const schema of [officerSchema, patrolSchema, helpRequestSchema, volunteerSchema, securityCommitteeSchema, cameraSiteSchema, videoNetworkShareSchema]) {
  schema.plugin(divisionPlugin);
}
// One security committee and one camera site record per village.
securityCommitteeSchema.index({ divisionCode: 1 }, { unique: true });
cameraSiteSchema.index({ divisionCode: 1 }, { unique: true });
// One grant per department and area.
videoNetworkShareSchema.index({ department: 1, divisionCode: 1 }, { unique: true });

export type OfficerDoc = HydratedDocument<InferSchemaType<typeof officerSchema>>;
export type PatrolDoc = HydratedDocument<InferSchemaType<typeof patrolSchema>>;
export type HelpRequestDoc = HydratedDocument<InferSchemaType<typeof helpRequestSchema>>;
export type VolunteerDoc = HydratedDocument<InferSchemaType<typeof volunteerSchema>>;

export function policeModels(conn: Connection) {
  return {
    Officer: conn.model('Officer', officerSchema, 'officers'),
    Patrol: conn.model('Patrol', patrolSchema, 'patrols'),
    HelpRequest: conn.model('HelpRequest', helpRequestSchema, 'helprequests'),
    Volunteer: conn.model('Volunteer', volunteerSchema, 'volunteers'),
    SecurityCommittee: conn.model('SecurityCommittee', securityCommitteeSchema, 'securitycommittees'),
    CameraSite: conn.model('CameraSite', cameraSiteSchema, 'camerasites'),
    VideoNetworkShare: conn.model('VideoNetworkShare', videoNetworkShareSchema, 'videonetworkshares'),
  };
}

export type PoliceModels = ReturnType<typeof policeModels>;

/** Lean records as resolvers receive them (codegen maps GraphQL types to these). */
export type OfficerRecord = InferSchemaType<typeof officerSchema> & { _id: Types.ObjectId };
export type PatrolRecord = InferSchemaType<typeof patrolSchema> & { _id: Types.ObjectId };
export type HelpRequestRecord = InferSchemaType<typeof helpRequestSchema> & { _id: Types.ObjectId };
/** Entities owned by the registry, as this subgraph refers to them. */
export type ResidentRef = { id: string };
export type DivisionRef = { code: string };
