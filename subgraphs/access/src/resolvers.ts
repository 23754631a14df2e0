import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { getNamedType, parse, GraphQLEnumType, GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  ADMIN_OF, ANY_ROLE, badInput, conditionProblem, decideField, type Department, DEPARTMENT_SUBGRAPH, DEPARTMENTS, FIELD_ACCESS, type FieldAccess,
  forbidden, MAX_CONDITION_VALUES, paginate, parseObjectId, type PlatformServices, type PolicyDocument, REALM_ROLES, type RolePolicy,
  ROW_CONDITION_FIELDS, type Scope, SCOPES, validatePolicy,
} from '@anmulong/platform';
import * as check from '@anmulong/platform';
import type { Resolvers } from './__generated__/resolvers-types';
import type { Context } from './loaders';
import { appendVersion, diffPolicies, policyFeedOf, type AccessModels, type AuditEntryRecord, type PolicyVersionRecord } from './models';
import { chainOf, VERIFY_RANGE } from './audit';

/** Processing records are kept at least 3 years (PIPL); a longer period may be configured. */
export const RETENTION_DAYS = Math.max(1095, Number(process.env.AUDIT_RETENTION_DAYS ?? 1095));

function assertAuditor(ctx: Context): void {
  if (!ctx.principal.roles.includes('auditor')) throw forbidden('Only auditors read the access log');
}

function logEntry(e: AuditEntryRecord) {
  return {
    seq: e.seq, at: new Date(e.at).toISOString(), kind: e.kind, username: e.username, roles: e.roles,
    department: e.department ?? null, jurisdiction: e.jurisdiction ?? null, purpose: e.purpose ?? null,
    operationName: e.operationName ?? null, documentHash: e.documentHash ?? null, residentIds: e.residentIds,
    householdIds: e.householdIds, fields: e.fields, withheld: e.withheld, detail: e.detail ?? null,
  };
}

async function logPage(models: AccessModels, filter: Record<string, unknown>, first: number | null | undefined, after: string | null | undefined) {
  const page = await paginate<AuditEntryRecord>(models.AuditEntry, filter, { first, after }, (id) => parseObjectId(id, 'after'));
  return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: logEntry(e.node) })) };
}

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** The object types and fields of each department's subgraph, so rules can only name real fields. */
const schemaOf = new Map<Department, GraphQLSchema | null>();
function departmentSchema(department: Department): GraphQLSchema | null {
  if (!schemaOf.has(department)) {
    const file = path.join(repoRoot, 'subgraphs', DEPARTMENT_SUBGRAPH[department], 'src', 'schema.graphql');
    schemaOf.set(department, existsSync(file) ? buildSubgraphSchema([{ typeDefs: parse(readFileSync(file, 'utf8')) }]) : null);
  }
  return schemaOf.get(department)!;
}
const fieldsOf = new Map<Department, Map<string, Set<string>>>();
function departmentFields(department: Department): Map<string, Set<string>> {
  let fields = fieldsOf.get(department);
  if (!fields) {
    fields = new Map();
    for (const t of Object.values(departmentSchema(department)?.getTypeMap() ?? {})) {
      if (t instanceof GraphQLObjectType && !t.name.startsWith('_')) fields.set(t.name, new Set(Object.keys(t.getFields())));
    }
    fieldsOf.set(department, fields);
  }
  return fields;
}

/** The values of an enum-typed field (so a row condition names real ones), or null for other fields. */
function enumValues(department: Department, type: string, field: string): string[] | null {
  const t = departmentSchema(department)?.getType(type);
  const f = t instanceof GraphQLObjectType ? t.getFields()[field] : undefined;
  const named = f && getNamedType(f.type);
  return named instanceof GraphQLEnumType ? named.getValues().map((v) => v.name) : null;
}

/** Who may manage (and read) a department's policy: its own admins and platform-admin. */
function assertManages(ctx: Context, department: Department): void {
  const roles = ctx.principal.roles;
  if (roles.includes('platform-admin') || roles.some((r) => ADMIN_OF[r] === department)) return;
  const admins = Object.keys(ADMIN_OF).filter((r) => ADMIN_OF[r] === department);
  throw forbidden(`Only ${department} admins (${admins.join(', ')}) and platform-admin manage the ${department} policy`);
}

function assertReads(ctx: Context, department: Department): void {
  if (ctx.principal.roles.includes('auditor')) return;
  assertManages(ctx, department);
}

const department = (v: unknown) => check.oneOf(v, DEPARTMENTS, 'department');
function role(v: unknown): string {
  if (v === ANY_ROLE) return v;
  return check.oneOf(v, REALM_ROLES, 'role');
}

function toGraphQL(p: PolicyVersionRecord) {
  const roles = p.roles as Record<string, RolePolicy>;
  return {
    department: p.department as Department,
    version: p.version,
    updatedAt: new Date(p.updatedAt).toISOString(),
    updatedBy: p.updatedBy,
    change: { kind: p.change.kind, summary: p.change.summary, diff: p.change.diff.map((d) => ({ path: d.path, from: d.from ?? null, to: d.to ?? null })) },
    purposeRequiredFor: p.purposeRequiredFor ?? [],
    roles: Object.entries(roles).sort(([a], [b]) => a.localeCompare(b)).map(([name, r]) => ({
      role: name,
      scope: (r.scope ?? null) as Scope | null,
      purposeRequired: !!r.purposeRequired,
      fieldRules: Object.entries(r.read ?? {}).map(([key, access]) => ({ key, access })),
      mutations: r.mutations ?? [],
      rowConditions: Object.entries(r.where ?? {}).flatMap(([type, cond]) =>
        Object.entries(cond).map(([field, equals]) => {
          const values = (Array.isArray(equals) ? equals : [equals]).map(String);
          return { type, field, equals: values.join(','), values };
        })),
    })),
    rowConditionFields: Object.entries(ROW_CONDITION_FIELDS[p.department as Department] ?? {}).flatMap(([type, fields]) => fields.map((f) => `${type}.${f}`)),
  };
}

/** The argument of each kind of change that carries the new value (named when it changes nothing). */
const VALUE_ARGUMENT: Record<string, string> = {
  SET_FIELD_ACCESS: 'access', SET_MUTATION_ACCESS: 'allowed', SET_SCOPE: 'scope', SET_PURPOSE: 'required', SET_FIELD_PURPOSE: 'required', ROLLBACK: 'version',
};

/** `_services`: the access service asks no other department (the signature every subgraph shares). */
export function createResolvers(models: AccessModels, _services: PlatformServices): Resolvers {
  const chain = chainOf(models);
  async function current(ctx: Context, dept: Department): Promise<PolicyVersionRecord> {
    const p = await ctx.loaders.currentPolicy.load(dept);
    if (!p) throw new Error(`no policy stored for ${dept}`); // seeded at start-up: a missing one is a fault
    return p;
  }

  /** Applies `edit` to a copy of the current policy and stores it as the next version. */
  async function change(ctx: Context, dept: Department, kind: string, summary: string, edit: (doc: PolicyDocument) => void) {
    assertManages(ctx, dept);
    const before = await current(ctx, dept);
    const doc: PolicyDocument = {
      department: dept,
      roles: structuredClone(before.roles as Record<string, RolePolicy>),
      purposeRequiredFor: [...(before.purposeRequiredFor ?? [])],
    };
    edit(doc);
    validatePolicy(doc);
    const diff = diffPolicies(
      { roles: before.roles, purposeRequiredFor: before.purposeRequiredFor ?? [] },
      { roles: doc.roles, purposeRequiredFor: doc.purposeRequiredFor ?? [] },
    );
    if (diff.length === 0) throw badInput(`nothing to change: the ${dept} policy already says that`, VALUE_ARGUMENT[kind]);
    const saved = await appendVersion(models, {
      department: dept, roles: doc.roles, purposeRequiredFor: doc.purposeRequiredFor ?? [], updatedBy: ctx.principal.username, previous: before.version,
      change: { kind, summary, diff },
    });
    ctx.loaders.currentPolicy.clear(dept);
    void policyFeedOf(models).changed(); // long-polling services get it now
    // Policy changes are entries of the same tamper-evident chain as the reads they govern.
    await chain.append({
      kind: 'POLICY_CHANGE', subject: ctx.principal.subject, username: ctx.principal.username, roles: [...ctx.principal.roles],
      department: dept, jurisdiction: ctx.principal.jurisdiction, requestId: ctx.requestId, purpose: ctx.purpose,
      detail: `${dept} policy version ${saved.version}: ${summary}`,
    });
    return toGraphQL(saved);
  }

  function roleEntry(doc: PolicyDocument, name: string): RolePolicy {
    return (doc.roles[name] ??= {});
  }

  return {
    Query: {
      accessPolicy: async (_p, args, ctx) => {
        const dept = department(args.department);
        assertReads(ctx, dept);
        return toGraphQL(await current(ctx, dept));
      },
      accessPolicyHistory: async (_p, args, ctx) => {
        const dept = department(args.department);
        assertReads(ctx, dept);
        const first = check.amount(args.first ?? 20, 'first', { min: 1, max: 100 });
        const versions = await models.PolicyVersion.find({ department: dept }).sort({ version: -1 }).limit(first).lean<PolicyVersionRecord[]>();
        return versions.map(toGraphQL);
      },
      explainAccess: async (_p, args, ctx) => {
        const dept = department(args.department);
        assertReads(ctx, dept);
        const r = role(args.role);
        const { type, field } = fieldRef(dept, args.type, args.field);
        const p = await current(ctx, dept);
        const decision = decideField({ department: dept, roles: p.roles as Record<string, RolePolicy> }, r === ANY_ROLE ? [] : [r], type, field);
        return { access: decision.access, reason: `${decision.reason} (version ${p.version})` };
      },
      accessLog: async (_p, { residentId, first, after }, ctx) => {
        assertAuditor(ctx);
        const id = String(parseObjectId(residentId, 'residentId'));
        return logPage(models, { residentIds: id }, first, after);
      },
      accessLogByUser: async (_p, { username, from, to, first, after }, ctx) => {
        assertAuditor(ctx);
        const user = check.text(username, 'username', { max: 100 });
        const at: Record<string, Date> = {};
        if (from != null) at.$gte = check.dateTime(from, 'from');
        if (to != null) at.$lt = check.dateTime(to, 'to');
        if (at.$gte && at.$lt && at.$gte >= at.$lt) throw badInput('to must be after from', 'to');
        return logPage(models, { username: user, ...(Object.keys(at).length ? { at } : {}) }, first, after);
      },
      verifyAuditChain: async (_p, { after, first }, ctx) => {
        assertAuditor(ctx);
        const n = check.amount(first ?? VERIFY_RANGE.defaultFirst, 'first', { min: 1, max: VERIFY_RANGE.maxFirst });
        return chain.verify({ after: after ?? null, first: n });
      },
    },

    Mutation: {
      setFieldAccess: async (_p, args, ctx) => {
        const dept = department(args.department);
        assertManages(ctx, dept);
        const r = role(args.role);
        const { type, field } = fieldRef(dept, args.type, args.field, true);
        const access = check.oneOf(args.access, FIELD_ACCESS, 'access') as FieldAccess;
        const key = field === '*' ? `${type}.*` : `${type}.${field}`;
        return change(ctx, dept, 'SET_FIELD_ACCESS', `${r}: ${key} → ${access}`, (doc) => {
          const entry = roleEntry(doc, r);
          entry.read = { ...entry.read, [key]: access };
        });
      },
      setMutationAccess: async (_p, args, ctx) => {
        const dept = department(args.department);
        assertManages(ctx, dept);
        const r = role(args.role);
        const mutations = departmentFields(dept).get('Mutation') ?? new Set<string>();
        if (args.mutation !== '*' && !mutations.has(args.mutation)) {
          throw badInput(`mutation: the ${dept} subgraph has no mutation ${JSON.stringify(args.mutation)}`, 'mutation');
        }
        return change(ctx, dept, 'SET_MUTATION_ACCESS', `${r}: ${args.mutation} ${args.allowed ? 'granted' : 'withdrawn'}`, (doc) => {
          const entry = roleEntry(doc, r);
          const set = new Set(entry.mutations ?? []);
          if (args.allowed) set.add(args.mutation);
          else set.delete(args.mutation);
          entry.mutations = [...set].sort();
        });
      },
      setJurisdictionScope: async (_p, args, ctx) => {
        const dept = department(args.department);
        assertManages(ctx, dept);
        const r = role(args.role);
        if (r === ANY_ROLE) throw badInput('role: a jurisdiction scope is set per realm role, not for *', 'role');
        const scope = check.oneOf(args.scope, SCOPES, 'scope');
        return change(ctx, dept, 'SET_SCOPE', `${r}: scope → ${scope}`, (doc) => {
          roleEntry(doc, r).scope = scope;
        });
      },
      setPurposeRequired: async (_p, args, ctx) => {
        const dept = department(args.department);
        assertManages(ctx, dept);
        const r = role(args.role);
        return change(ctx, dept, 'SET_PURPOSE', `${r}: purpose ${args.required ? 'required' : 'not required'}`, (doc) => {
          roleEntry(doc, r).purposeRequired = args.required;
        });
      },
      purgeExpiredAccessLog: async (_p, _a, ctx) => {
        if (!ctx.principal.roles.includes('platform-admin')) throw forbidden('Only platform-admin purges expired access-log entries');
        const before = new Date(Date.now() - RETENTION_DAYS * 86_400_000);
        const { purged, checkpoint } = await chain.purge(before, ctx.principal.username);
        return { purged, retentionDays: RETENTION_DAYS, purgedThroughSeq: checkpoint?.purgedThroughSeq ?? null };
      },
      setFieldPurposeRequired: async (_p, args, ctx) => {
        const dept = department(args.department);
        assertManages(ctx, dept);
        const { type, field } = fieldRef(dept, args.type, args.field);
        const key = `${type}.${field}`;
        return change(ctx, dept, 'SET_FIELD_PURPOSE', `${key}: purpose ${args.required ? 'required' : 'not required'} to read it unmasked`, (doc) => {
          const set = new Set(doc.purposeRequiredFor ?? []);
          if (args.required) set.add(key);
          else set.delete(key);
          doc.purposeRequiredFor = [...set].sort();
        });
      },
      setRowCondition: async (_p, args, ctx) => {
        const dept = department(args.department);
        assertManages(ctx, dept);
        const r = role(args.role);
        const { type, field } = fieldRef(dept, args.type, args.field);
        if (!Array.isArray(args.values) || args.values.length > MAX_CONDITION_VALUES) {
          throw badInput(`values: name 0 to ${MAX_CONDITION_VALUES} values (none removes the condition)`, 'values');
        }
        const values = [...new Set(args.values.map((v, i) => check.text(v, `values[${i}]`, { max: 100 })))];
        const problem = conditionProblem(dept, type, field, values.length ? values : ['-']);
        if (problem) throw badInput(problem, values.length && ROW_CONDITION_FIELDS[dept][type]?.includes(field) ? 'values' : 'field');
        const allowed = enumValues(dept, type, field);
        const stranger = allowed && values.find((v) => !allowed.includes(v));
        if (stranger) throw badInput(`values: ${type}.${field} is one of ${allowed!.join(', ')}; got ${JSON.stringify(stranger)}`, 'values');
        const summary = `${r}: ${type}.${field} ${values.length ? `in {${values.join(', ')}}` : 'unconditioned'}`;
        return change(ctx, dept, 'SET_ROW_CONDITION', summary, (doc) => {
          const entry = roleEntry(doc, r);
          const where = { ...entry.where };
          const condition = { ...where[type] };
          if (values.length === 0) delete condition[field];
          else condition[field] = values.length === 1 ? values[0] : values;
          if (Object.keys(condition).length) where[type] = condition;
          else delete where[type];
          if (Object.keys(where).length) entry.where = where;
          else delete entry.where;
        });
      },
      rollbackAccessPolicy: async (_p, args, ctx) => {
        const dept = department(args.department);
        assertManages(ctx, dept);
        const version = check.amount(args.version, 'version', { min: 1 });
        const target = await models.PolicyVersion.findOne({ department: dept, version }).lean<PolicyVersionRecord>();
        if (!target) throw badInput(`version: the ${dept} policy has no version ${version}`, 'version');
        return change(ctx, dept, 'ROLLBACK', `rolled back to version ${version}`, (doc) => {
          doc.roles = structuredClone(target.roles as Record<string, RolePolicy>);
          doc.purposeRequiredFor = [...(target.purposeRequiredFor ?? [])];
        });
      },
    },
  };
}

/** A type and field that exist in the department's subgraph (`*` allowed for the field when editing). */
function fieldRef(dept: Department, type: unknown, field: unknown, wildcard = false): { type: string; field: string } {
  const t = check.text(type, 'type', { max: 100 });
  const f = check.text(field, 'field', { max: 100 });
  const fields = departmentFields(dept).get(t);
  if (!fields) throw badInput(`type: the ${dept} subgraph has no type ${JSON.stringify(t)}`, 'type');
  if (!(fields.has(f) || (wildcard && f === '*'))) throw badInput(`field: ${t} has no field ${JSON.stringify(f)} in the ${dept} subgraph`, 'field');
  return { type: t, field: f };
}
