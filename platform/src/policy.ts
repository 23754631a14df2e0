/*
 * Department access policies: the rules each department's admins set for their own data
 * (X-Road style: the data owner decides). A policy says, per role, which of the department's
 * fields it may read (ALLOW, MASK, DENY), which mutations it may call, its jurisdiction scope,
 * row conditions and whether a stated purpose is required. This module evaluates them; the
 * access subgraph stores and versions them; every subgraph enforces its own department's.
 */
import { BANNER_CODE } from './divisions';
import type { Principal } from './auth';
import { DEPARTMENT_TABLE, realmRolesOf, type Department } from './departments';

/** The departments (their table: departments.ts), in the order of the GraphQL enum. */
export const DEPARTMENTS: readonly Department[] = DEPARTMENT_TABLE.map((d) => d.department);
export const FIELD_ACCESS = ['ALLOW', 'MASK', 'DENY'] as const;
export type FieldAccess = (typeof FIELD_ACCESS)[number];
/** Own grid, own village, own town, the token's jurisdiction, the whole banner, or nothing. */
export const SCOPES = ['GRID', 'VILLAGE', 'TOWN', 'TOKEN', 'BANNER', 'NONE'] as const;
export type Scope = (typeof SCOPES)[number];

/** `*` as a role name means every authenticated caller. */
export const ANY_ROLE = '*';

export interface RolePolicy {
  scope?: Scope;
  /** `Type.field`, `Type.*` or `*` → access. The most specific key wins within a role. */
  read?: Record<string, FieldAccess>;
  /** Mutation names this role may call (`*` for all of the department's). */
  mutations?: string[];
  /** Reads need an `X-Access-Purpose` header. */
  purposeRequired?: boolean;
  /**
   * Row conditions per type: each named field equals the value (or one of the values), e.g.
   * `{ Dispute: { stage: 'COURT' } }`; only the fields of ROW_CONDITION_FIELDS may be named.
   */
  where?: Record<string, Record<string, ConditionValue | ConditionValue[]>>;
}

export type ConditionValue = string | number | boolean;

/**
 * The fields a row condition may name, per department and type: stored under the same name as
 * the GraphQL field, holding one plain value (an enum, a code). Anything else in a policy is
 * refused when it is set and, should it reach a subgraph, matches no record.
 */
export const ROW_CONDITION_FIELDS = Object.fromEntries(DEPARTMENT_TABLE.map((d) => [d.department, d.rowConditionFields])) as Record<
  Department,
  Readonly<Record<string, readonly string[]>>
>;

/** At most this many values in one condition (`$in`). */
export const MAX_CONDITION_VALUES = 20;

/** Why a row condition cannot be used, or null when it is plain equality on a known field. */
export function conditionProblem(department: Department, type: string, field: string, value: unknown): string | null {
  if (!ROW_CONDITION_FIELDS[department]?.[type]?.includes(field)) {
    const known = Object.entries(ROW_CONDITION_FIELDS[department] ?? {}).map(([t, fs]) => fs.map((f) => `${t}.${f}`).join(', ')).filter(Boolean).join(', ');
    return `${type}.${field} cannot carry a row condition in the ${department} policy (${known ? `fields that can: ${known}` : 'none of its fields can'})`;
  }
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0 || values.length > MAX_CONDITION_VALUES) return `${type}.${field}: a condition names 1 to ${MAX_CONDITION_VALUES} values`;
  // Plain values only: no operator object can be smuggled into a query through a policy.
  if (!values.every((v) => ['string', 'number', 'boolean'].includes(typeof v) && !(typeof v === 'string' && (v.length > 100 || v.startsWith('$'))))) {
    return `${type}.${field}: condition values must be plain strings, numbers or booleans`;
  }
  return null;
}

export interface PolicyDocument {
  department: Department;
  roles: Record<string, RolePolicy>;
  /** Fields (`Type.field`) whose unmasked reading needs a stated purpose, whatever the role. */
  purposeRequiredFor?: string[];
}

export interface VersionedPolicy extends PolicyDocument {
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface Decision {
  access: FieldAccess;
  /** Which rule decided, for `explainAccess` and error messages. */
  reason: string;
}

const RANK: Record<FieldAccess, number> = { DENY: 0, MASK: 1, ALLOW: 2 };

/** The decision of one role's rules for `Type.field`, or null when none of its keys match. */
function roleDecision(p: RolePolicy, type: string, field: string): { access: FieldAccess; key: string } | null {
  for (const key of [`${type}.${field}`, `${type}.*`, '*']) {
    const access = p.read?.[key];
    if (access) return { access, key };
  }
  return null;
}

/** Across the caller's roles (and `*`), the most permissive matching rule decides; no rule → DENY. */
export function decideField(policy: PolicyDocument | undefined, roles: readonly string[], type: string, field: string): Decision {
  if (!policy) return { access: 'DENY', reason: 'no policy has been loaded: everything is denied' };
  let best: Decision | null = null;
  for (const role of [...roles, ANY_ROLE]) {
    const p = policy.roles[role];
    const d = p && roleDecision(p, type, field);
    if (d && (!best || RANK[d.access] > RANK[best.access])) {
      best = { access: d.access, reason: `rule "${d.key}: ${d.access}" of role ${role} in the ${policy.department} policy` };
    }
  }
  return best ?? { access: 'DENY', reason: `no rule of the ${policy.department} policy grants ${roles.join(', ') || 'this caller'} ${type}.${field}` };
}

export function mutationAllowed(policy: PolicyDocument | undefined, roles: readonly string[], name: string): boolean {
  if (!policy) return false;
  return [...roles, ANY_ROLE].some((r) => {
    const m = policy.roles[r]?.mutations;
    return !!m && (m.includes('*') || m.includes(name));
  });
}

export function purposeRequired(policy: PolicyDocument | undefined, roles: readonly string[]): boolean {
  return !!policy && roles.some((r) => policy.roles[r]?.purposeRequired);
}

/** The division code a scope gives a token's jurisdiction; null for NONE. */
export function scopeCode(scope: Scope, jurisdiction: string): string | null {
  switch (scope) {
    case 'NONE': return null;
    case 'BANNER': return BANNER_CODE;
    case 'TOKEN': return jurisdiction;
    case 'TOWN': return jurisdiction.slice(0, 9);
    case 'VILLAGE': return jurisdiction.slice(0, 12);
    case 'GRID': return jurisdiction.slice(0, 15);
  }
}

/**
 * The widest jurisdiction any of the caller's roles is given by the policy (codes nest, so the
 * shortest code is the widest); null when no role may see any record.
 */
export function effectiveJurisdiction(policy: PolicyDocument | undefined, principal: Pick<Principal, 'roles' | 'jurisdiction'>): string | null {
  if (!policy) return null;
  let widest: string | null = null;
  for (const role of [...principal.roles, ANY_ROLE]) {
    const scope = policy.roles[role]?.scope;
    const code = scope ? scopeCode(scope, principal.jurisdiction) : null;
    if (code && (widest === null || code.length < widest.length)) widest = code;
  }
  return widest;
}

/** A filter no record matches: what an unusable row condition becomes (fail closed). */
export const NO_ROWS: Readonly<Record<string, unknown>> = Object.freeze({ _id: { $in: [] } });

/** One role's conditions for a type as a query filter (equality, or `$in` for several values). */
function conditionFilter(department: Department, type: string, where: Record<string, unknown>): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(where)) {
    if (conditionProblem(department, type, field, value)) return { ...NO_ROWS };
    filter[field] = Array.isArray(value) ? { $in: [...value] } : value;
  }
  return filter;
}

/**
 * The row conditions of the caller's roles for a type, as a query filter to AND with the
 * caller's jurisdiction; null when some role sees every row of the type. Each role's conditions
 * hold within that role's own scope, so when roles differ they become alternatives (`$or`), each
 * with its role's jurisdiction: one role's scope never widens another role's conditions.
 */
export function rowConditions(
  policy: PolicyDocument | undefined,
  principal: Pick<Principal, 'roles' | 'jurisdiction'>,
  type: string,
): Record<string, unknown> | null {
  if (!policy) return null;
  const widest = effectiveJurisdiction(policy, principal);
  const alternatives: { code: string; filter: Record<string, unknown> }[] = [];
  for (const role of [...principal.roles, ANY_ROLE]) {
    const p = policy.roles[role];
    const code = p?.scope ? scopeCode(p.scope, principal.jurisdiction) : null;
    if (!code) continue;
    const where = p.where?.[type];
    if (!where && code === widest) return null; // this role sees every row the caller can reach
    alternatives.push({ code, filter: where ? conditionFilter(policy.department, type, where) : {} });
  }
  if (alternatives.length === 0) return null;
  if (alternatives.length === 1) return alternatives[0].filter;
  return { $or: alternatives.map((a) => (a.code === widest ? a.filter : { divisionPath: a.code, ...a.filter })) };
}

/** Checks a policy document's shape (files, API edits, rollbacks): throws with what is wrong. */
export function validatePolicy(doc: unknown): PolicyDocument {
  const fail = (why: string): never => {
    throw new Error(`invalid access policy: ${why}`);
  };
  if (!doc || typeof doc !== 'object') fail('not an object');
  const d = doc as PolicyDocument;
  if (!DEPARTMENTS.includes(d.department)) fail(`unknown department ${JSON.stringify(d.department)}`);
  if (!d.roles || typeof d.roles !== 'object') fail('roles must be an object');
  for (const c of d.purposeRequiredFor ?? []) if (!/^[A-Z_][A-Za-z0-9_]*\.[_A-Za-z][A-Za-z0-9_]*$/.test(c)) fail(`purposeRequiredFor: bad field ${JSON.stringify(c)}`);
  for (const [role, p] of Object.entries(d.roles)) {
    if (!/^[a-z*][a-z-]*$/.test(role)) fail(`bad role name ${JSON.stringify(role)}`);
    if (p.scope !== undefined && !SCOPES.includes(p.scope)) fail(`role ${role}: unknown scope ${p.scope}`);
    for (const [key, access] of Object.entries(p.read ?? {})) {
      if (!/^(\*|[A-Z_][A-Za-z0-9_]*\.(\*|[_A-Za-z][A-Za-z0-9_]*))$/.test(key)) fail(`role ${role}: bad field key ${JSON.stringify(key)}`);
      if (!FIELD_ACCESS.includes(access)) fail(`role ${role}: ${key} has unknown access ${JSON.stringify(access)}`);
    }
    for (const m of p.mutations ?? []) if (!/^(\*|[a-z][A-Za-z0-9]*)$/.test(m)) fail(`role ${role}: bad mutation name ${JSON.stringify(m)}`);
    for (const [type, cond] of Object.entries(p.where ?? {})) {
      if (!cond || typeof cond !== 'object' || Array.isArray(cond)) fail(`role ${role}: bad condition on ${type}`);
      for (const [k, v] of Object.entries(cond)) {
        const problem = conditionProblem(d.department, type, k, v);
        if (problem) fail(`role ${role}: bad condition on ${type}.${k}: ${problem}`);
      }
    }
  }
  return d;
}

/** The realm's roles (keycloak/realm-otog.json); policy rules may name these or `*`. */
export const REALM_ROLES: readonly string[] = realmRolesOf(DEPARTMENT_TABLE).map((r) => r.name);

/** The subgraph whose data each department's policy governs. */
export const DEPARTMENT_SUBGRAPH = Object.fromEntries(DEPARTMENT_TABLE.map((d) => [d.department, d.subgraph])) as Record<Department, string>;

/** Which department's rules each admin role manages; platform-admin manages all. */
export const ADMIN_OF: Record<string, Department> = Object.fromEntries(DEPARTMENT_TABLE.map((d) => [d.admin, d.department]));
