/**
 * The departments: one row each, the only place a department is listed. Everything that lists
 * departments is derived from this table: at run time the configuration (ports, `<NAME>_URL`,
 * databases, the subgraphs and their start order: `config.ts`), the policy tables (`policy.ts`),
 * the realm's roles and demo users as the tests know them; and, for the files that cannot import
 * TypeScript (the `Department` enums of the schemas, `keycloak/realm-otog.json`,
 * `docker-compose.yml`, `codegen.yml`, the Dockerfile's ports), `scripts/departments.ts`, whose
 * `--check` runs in `npm test`.
 *
 * Naming convention, checked below: a department's subgraph `party-building` is its folder
 * `subgraphs/party-building/`, its service and compose service, its policy file
 * `subgraphs/access/policies/party-building.yaml`, its database `anmulong_party-building`, the
 * realm's `department` attribute; its enum value `PARTY_BUILDING` is also the prefix of its
 * variables (`PARTY_BUILDING_URL`, `PARTY_BUILDING_PORT`) and `extensions.department`.
 */

/** A realm role (keycloak/realm-otog.json). */
export interface RealmRoleEntry {
  name: string;
  description: string;
}

/** A demo user (password `anmulong`, development only): one realm role, a jurisdiction. */
export interface DemoUserEntry {
  username: string;
  role: string;
  /** A division code: 6, 9, 12 or 15 digits. */
  jurisdiction: string;
  firstName: string;
  lastName: string;
}

export interface DepartmentEntry {
  /** The GraphQL enum value (`Department`), the policy's `department:`, the variables' prefix. */
  department: string;
  /** The subgraph serving it (folder, service, database, realm attribute). */
  subgraph: string;
  /** In words, for the README's tables. */
  label: string;
  /** Its default port (the CONTRACT's). */
  port: number;
  /** Its realm roles: its staff, and its admin (who manages its policy) last. */
  roles: readonly RealmRoleEntry[];
  /** The role that manages this department's policy. */
  admin: string;
  users: readonly DemoUserEntry[];
  /**
   * The fields a row condition may name, per type: stored under the same name as the GraphQL
   * field, holding one plain value (an enum, a code).
   */
  rowConditionFields: Readonly<Record<string, readonly string[]>>;
  /** codegen.yml: GraphQL type → the record type its resolvers receive, in `src/models.ts`. */
  codegenMappers: Readonly<Record<string, string>>;
  /** ObjectId namespace byte of its demo data; a new department takes the next free tag. */
  demoTag: number;
  /**
   * What it adds to the household view the benchmarks open (fields of Resident, of Household).
   * Nullable fields only, as a frontend should select them: a non-null field of a department that
   * is down nulls the whole household, every other department's data with it.
   */
  householdView: { resident?: string; household?: string };
}

/**
 * In start order, after the access service (registry first: the others check division codes
 * with it). The order is also the order of the `Department` enum and of the README's columns.
 */
export const DEPARTMENT_TABLE = [
  {
    department: 'REGISTRY',
    subgraph: 'registry',
    label: 'registry',
    port: 4001,
    roles: [
      { name: 'grid-worker', description: 'Grid worker (网格员) of the resident register' },
      { name: 'registry-admin', description: "Registry administrator: manages the registry's access rules (the register, the grid, petitions)" },
    ],
    admin: 'registry-admin',
    users: [
      // The first grid of the first village of Ulan (150624100).
      { username: 'gridworker', role: 'grid-worker', jurisdiction: '150624100001001', firstName: 'Grid', lastName: 'Worker' },
      { username: 'registry.admin', role: 'registry-admin', jurisdiction: '150624', firstName: 'Registry', lastName: 'Administrator' },
    ],
    // Residents and households are not among them: every department refers to them through
    // non-null fields (a household's head, a dispute's parties), where a hidden one would null the
    // whole answer instead of being left out. Jurisdiction alone decides which of them a caller sees.
    rowConditionFields: { Petition: ['status', 'department'], GridWorker: ['employment'] },
    codegenMappers: {
      Division: 'DivisionRecord', Resident: 'ResidentRecord', Household: 'HouseholdRecord', GridWorker: 'GridWorkerRecord', Petition: 'PetitionRecord',
    },
    demoTag: 1,
    householdView: { resident: 'petitions { id }' },
  },
  {
    department: 'POLICE',
    subgraph: 'police',
    label: 'police',
    port: 4002,
    roles: [
      { name: 'police-officer', description: 'Police officer (派出所民警)' },
      { name: 'police-admin', description: 'Police department administrator: manages the police access rules' },
    ],
    admin: 'police-admin',
    users: [
      { username: 'police.officer', role: 'police-officer', jurisdiction: '150624101', firstName: 'Police', lastName: 'Officer' },
      { username: 'police.admin', role: 'police-admin', jurisdiction: '150624', firstName: 'Police', lastName: 'Administrator' },
    ],
    rowConditionFields: { HelpRequest: ['category', 'status'] },
    codegenMappers: {
      HelpRequest: 'HelpRequestRecord', Patrol: 'PatrolRecord', Officer: 'OfficerRecord', Resident: 'ResidentRef', Division: 'DivisionRef',
    },
    demoTag: 2,
    householdView: { resident: 'helpRequests { id category status reportedAt resolvedAt }' },
  },
  {
    department: 'MEDIATION',
    subgraph: 'mediation',
    label: 'mediation',
    port: 4003,
    roles: [
      { name: 'mediator', description: "People's mediator (人民调解员)" },
      { name: 'mediation-admin', description: 'Mediation department administrator' },
    ],
    admin: 'mediation-admin',
    users: [
      { username: 'mediator', role: 'mediator', jurisdiction: '150624100', firstName: 'Mediator', lastName: 'Ulan' },
      { username: 'mediation.admin', role: 'mediation-admin', jurisdiction: '150624', firstName: 'Mediation', lastName: 'Administrator' },
    ],
    rowConditionFields: { Dispute: ['stage', 'status', 'category'], Consultation: ['mode', 'subject'] },
    codegenMappers: {
      Dispute: 'DisputeRecord', DisputeCount: 'DisputeCountRecord', EscalationStep: 'StepRecord', Mediator: 'MediatorRecord',
      LegalAdviser: 'LegalAdviserRecord', Consultation: 'ConsultationRecord', Resident: 'ResidentRef', HelpRequest: 'HelpRequestRef', Division: 'DivisionRef',
    },
    demoTag: 3,
    householdView: { resident: 'disputes { id category stage status }' },
  },
  {
    department: 'COURT',
    subgraph: 'court',
    label: 'court',
    port: 4004,
    roles: [
      { name: 'judge', description: 'Judge of the banner court' },
      { name: 'court-admin', description: 'Court department administrator' },
    ],
    admin: 'court-admin',
    users: [
      { username: 'judge', role: 'judge', jurisdiction: '150624', firstName: 'Judge', lastName: 'Banner Court' },
      { username: 'court.admin', role: 'court-admin', jurisdiction: '150624', firstName: 'Court', lastName: 'Administrator' },
    ],
    rowConditionFields: { CourtCase: ['type', 'status'] },
    codegenMappers: {
      CourtCase: 'CourtCaseRecord', Hearing: 'HearingRecord', Judge: 'JudgeRecord', Resident: 'ResidentRef', Dispute: 'DisputeRef', Division: 'DivisionRef',
    },
    demoTag: 4,
    householdView: { resident: 'courtCases { id caseNumber status hearings { date mode } judge { id name { zh mn } } }' },
  },
  {
    department: 'CIVIL_AFFAIRS',
    subgraph: 'civil-affairs',
    label: 'civil affairs',
    port: 4005,
    roles: [
      { name: 'civil-affairs-caseworker', description: 'Civil-affairs caseworker (social aid)' },
      { name: 'civil-affairs-admin', description: 'Civil-affairs department administrator' },
    ],
    admin: 'civil-affairs-admin',
    users: [
      { username: 'caseworker', role: 'civil-affairs-caseworker', jurisdiction: '150624102', firstName: 'Caseworker', lastName: 'Mengxi' },
      { username: 'civil.admin', role: 'civil-affairs-admin', jurisdiction: '150624', firstName: 'Civil Affairs', lastName: 'Administrator' },
    ],
    rowConditionFields: { AidGrant: ['program', 'status'], AidApplication: ['program', 'status'] },
    codegenMappers: {
      AidGrant: 'AidGrantRecord', AidApplication: 'AidApplicationRecord', MeansAssessment: 'AssessmentRecord', Resident: 'ResidentRef',
      Household: 'HouseholdRef', Division: 'DivisionRef',
    },
    demoTag: 5,
    householdView: { resident: 'aidGrants { id program amountYuan startDate endDate status }', household: 'aidGrants { id program amountYuan status }' },
  },
  {
    department: 'PARTY_BUILDING',
    subgraph: 'party-building',
    label: 'party building',
    port: 4006,
    roles: [
      { name: 'party-organizer', description: 'Party-building organizer' },
      { name: 'party-building-admin', description: 'Party-building department administrator' },
    ],
    admin: 'party-building-admin',
    users: [
      { username: 'organizer', role: 'party-organizer', jurisdiction: '150624', firstName: 'Party', lastName: 'Organizer' },
      { username: 'party.admin', role: 'party-building-admin', jurisdiction: '150624', firstName: 'Party Building', lastName: 'Administrator' },
    ],
    // Party-building records carry ids, dates and names only: nothing a condition could name.
    rowConditionFields: {},
    codegenMappers: {
      PartyBranch: 'PartyBranchRecord', JointBuildingUnit: 'JointBuildingUnitRecord', PartyMember: 'PartyMemberRecord', PartyMembership: 'PartyMemberRecord',
      CentralHousehold: 'CentralHouseholdRecord', ModelHouseholdRecognition: 'ModelHouseholdRecord', Cooperative: 'CooperativeRecord',
      AidProject: 'AidProjectRecord', PartyBuildingFigures: 'FiguresRecord', Resident: 'ResidentRef', Household: 'HouseholdRef', Division: 'DivisionRef',
    },
    demoTag: 6,
    // `modelHousehold` (null when it is none) rather than the non-null `isModelHousehold`: see above
    householdView: { resident: 'partyMembership { joinedOn branch isCentralHousehold }', household: 'modelHousehold { year } centralHousehold { id }' },
  },
] as const satisfies readonly DepartmentEntry[];

/** The subgraph that is no department: the policies and the access log. It starts first. */
export const ACCESS_SERVICE = { subgraph: 'access', port: 4007 } as const;

/** Roles and demo users of no department: they work across all of them. */
export const PLATFORM_ROLES: readonly RealmRoleEntry[] = [
  { name: 'platform-admin', description: 'Platform administrator: manages platform-wide access rules; does not read personal records' },
  { name: 'analyst', description: 'Analyst: reads data with a stated purpose, masked' },
  { name: 'auditor', description: 'Auditor: reads the access log, not personal records' },
];
export const PLATFORM_USERS: readonly DemoUserEntry[] = [
  { username: 'admin', role: 'platform-admin', jurisdiction: '150624', firstName: 'Platform', lastName: 'Administrator' },
  { username: 'analyst', role: 'analyst', jurisdiction: '150624', firstName: 'Data', lastName: 'Analyst' },
  { username: 'auditor', role: 'auditor', jurisdiction: '150624', firstName: 'Access', lastName: 'Auditor' },
];

export type DepartmentRow = (typeof DEPARTMENT_TABLE)[number];
export type Department = DepartmentRow['department'];
export type DepartmentSubgraph = DepartmentRow['subgraph'];

/** `civil-affairs` → `CIVIL_AFFAIRS`, for per-service variables such as `CIVIL_AFFAIRS_URL`. */
export const envPrefix = (service: string) => service.toUpperCase().replace(/-/g, '_');

/** Why a table of departments is inconsistent, or [] (run on this table at load, and by the generator on any). */
export function tableProblems(table: readonly DepartmentEntry[], others: { subgraph: string; port: number }[] = [ACCESS_SERVICE]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const once = (kind: string, value: string | number, who: string) => {
    const key = `${kind} ${value}`;
    if (seen.has(key)) problems.push(`${who}: ${kind} ${value} is also ${seen.get(key)}'s`);
    seen.set(key, who);
  };
  for (const o of others) {
    once('subgraph', o.subgraph, o.subgraph);
    once('port', o.port, o.subgraph);
  }
  for (const r of PLATFORM_ROLES) once('role', r.name, 'the platform');
  for (const u of PLATFORM_USERS) once('username', u.username, 'the platform');
  for (const d of table) {
    const who = d.department;
    if (d.department !== envPrefix(d.subgraph)) problems.push(`${who}: the enum value must be the subgraph's name in capitals (${envPrefix(d.subgraph)})`);
    if (!/^[a-z][a-z-]*[a-z]$/.test(d.subgraph)) problems.push(`${who}: subgraph ${JSON.stringify(d.subgraph)} is not lower-case words joined by hyphens`);
    once('subgraph', d.subgraph, who);
    once('port', d.port, who);
    once('demo tag', d.demoTag, who);
    for (const r of d.roles) once('role', r.name, who);
    for (const u of d.users) once('username', u.username, who);
    if (!d.roles.some((r) => r.name === d.admin)) problems.push(`${who}: its admin ${d.admin} is not among its roles`);
    for (const u of d.users) if (!d.roles.some((r) => r.name === u.role)) problems.push(`${who}: user ${u.username} holds ${u.role}, not one of its roles`);
  }
  return problems;
}

const problems = tableProblems(DEPARTMENT_TABLE);
if (problems.length) throw new Error(`platform/src/departments.ts: ${problems.join('; ')}`);

/** Every realm role: the platform's admin, each department's, then the analyst and the auditor. */
export function realmRolesOf(table: readonly DepartmentEntry[]): RealmRoleEntry[] {
  const [admin, ...rest] = PLATFORM_ROLES;
  return [admin!, ...table.flatMap((d) => d.roles), ...rest];
}

/** Every demo user with the department (its subgraph name, the realm attribute) it belongs to, or null. */
export function demoUsersOf(table: readonly DepartmentEntry[]): (DemoUserEntry & { department: string | null })[] {
  const [admin, ...rest] = PLATFORM_USERS;
  return [
    { ...admin!, department: null },
    ...table.flatMap((d) => d.users.map((u) => ({ ...u, department: d.subgraph }))),
    ...rest.map((u) => ({ ...u, department: null })),
  ];
}

/** The demo users (keycloak/realm-otog.json), for tests and tools that log in as them. */
export const DEMO_USERS = demoUsersOf(DEPARTMENT_TABLE);
