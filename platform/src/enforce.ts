import {
  defaultFieldResolver, getNullableType, GraphQLList, GraphQLObjectType, GraphQLError,
  type GraphQLField, type GraphQLSchema, type GraphQLFieldResolver, type GraphQLResolveInfo,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Principal } from './auth';
import { badInput, forbidden } from './errors';
import { maskIdNumber, maskPhone } from './identity-number';
import { isServiceAccount } from './service-token';
import {
  decideField, effectiveJurisdiction, mutationAllowed, purposeRequired, rowConditions,
  type Decision, type VersionedPolicy,
} from './policy';
import type { Department } from './departments';

/*
 * Enforcement of a department's policy inside its own subgraph (defence in depth: calling the
 * subgraph directly gives the same answers as going through the gateway). Every field of the
 * department's types is wrapped once at start-up; per request, decisions are memoised.
 */

/** Jurisdiction value that matches no division: the caller may see no records. */
export const NO_JURISDICTION = '-';

export interface AccessView {
  department: Department;
  policyVersion: number | null;
  decide(type: string, field: string): Decision;
  /** Whether reading this field unmasked needs a stated purpose the caller did not give. */
  lacksPurposeFor(coordinate: string): boolean;
  /** Whether the caller's roles may call a mutation of this department. */
  mayCall(mutation: string): boolean;
  /**
   * The policy's row conditions for a type as a query filter (null: none). Not for resolvers:
   * `recordFilter`/`listFilter` (scope.ts) AND it with the jurisdiction on every path.
   */
  where(type: string): Record<string, unknown> | null;
  /** Errors for fields served `[]` or masked in place of what was asked (added to the response). */
  denied: GraphQLError[];
  /** Which residents and households this response carried, and which of their fields. */
  carried: Carried;
}

/** Collected while resolving (sets: a field of many records is noted cheaply). */
export interface Carried {
  ids: Map<string, Set<string>>;
  fields: Map<string, Set<string>>;
  withheld: Set<string>;
  /** Writes refused because they collided with a record the caller may not see (for review). */
  collisions: string[];
}

/** What a response carried of personal data, reported to the gateway in `extensions.audit`. */
export interface AuditTrail {
  /** `Resident` / `Household` → the ids served. */
  ids: Record<string, string[]>;
  /** `Resident` / `Household` → the fields served (`idNumber (masked)` when masked). */
  fields: Record<string, string[]>;
  /** `Type.field` the policy withheld. */
  withheld: string[];
  /** Writes refused for colliding with a record outside the caller's view (the gateway logs them). */
  collisions?: string[];
}

/** The types whose records are personal data: reads of them are recorded. */
export const PERSONAL_TYPES = new Set(['Resident', 'Household']);

function noteServed(carried: Carried, type: string, source: unknown, field: string): void {
  const s = source as { id?: unknown; _id?: unknown } | null;
  const id = s && (s.id ?? s._id);
  if (id == null) return;
  let ids = carried.ids.get(type);
  if (!ids) carried.ids.set(type, (ids = new Set()));
  ids.add(String(id));
  let fields = carried.fields.get(type);
  if (!fields) carried.fields.set(type, (fields = new Set()));
  fields.add(field);
}

const toRecord = (m: Map<string, Set<string>>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v]]));

/** The principal as this department sees it: jurisdiction narrowed or widened by its policy's scope. */
export function scopedPrincipal(principal: Principal, policy: VersionedPolicy | undefined): Principal {
  const jurisdiction = effectiveJurisdiction(policy, principal) ?? NO_JURISDICTION;
  return jurisdiction === principal.jurisdiction ? principal : { ...principal, jurisdiction };
}

export function createAccessView(department: Department, policy: VersionedPolicy | undefined, principal: Principal, purpose: string | null): AccessView {
  if (purpose === null && purposeRequired(policy, principal.roles)) {
    const e = badInput(`The ${department} policy requires an X-Access-Purpose header stating why you read this data`, 'X-Access-Purpose');
    (e.extensions as Record<string, unknown>).http = { status: 400 };
    throw e;
  }
  const memo = new Map<string, Decision>();
  const rows = new Map<string, Record<string, unknown> | null>();
  return {
    department,
    policyVersion: policy?.version ?? null,
    denied: [],
    carried: { ids: new Map(), fields: new Map(), withheld: new Set(), collisions: [] },
    decide(type, field) {
      const key = `${type}.${field}`;
      let d = memo.get(key);
      if (!d) memo.set(key, (d = decideField(policy, principal.roles, type, field)));
      return d;
    },
    mayCall: (mutation) => mutationAllowed(policy, principal.roles, mutation),
    lacksPurposeFor: (coordinate) => purpose === null && !!policy?.purposeRequiredFor?.includes(coordinate),
    where(type) {
      if (!rows.has(type)) rows.set(type, rowConditions(policy, principal, type));
      return rows.get(type)!;
    },
  };
}

/** Types whose fields are governed by the policy: everything but plumbing and value types. */
function isGuarded(type: GraphQLObjectType): boolean {
  const n = type.name;
  return !n.startsWith('__') && !n.startsWith('_') && !/(Connection|Edge)$/.test(n) && n !== 'PageInfo' && n !== 'LocalizedName';
}

const KEY_FIELDS = new Set(['id', 'code']);

function maskValue(field: string, value: unknown): unknown {
  const one = (v: unknown) => (typeof v !== 'string' ? v : field === 'phone' ? maskPhone(v) : field === 'idNumber' ? maskIdNumber(v) : v.length <= 2 ? '*'.repeat(v.length) : v[0] + '*'.repeat(v.length - 2) + v[v.length - 1]);
  return Array.isArray(value) ? value.map(one) : one(value);
}

function pathOf(info: GraphQLResolveInfo): (string | number)[] {
  const path: (string | number)[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) path.unshift(p.key);
  return path;
}

interface EnforcedContext {
  access?: AccessView;
  principal: Principal;
  via?: string;
}

/**
 * Entity types this subgraph serves by key at the root (`household(id: ID!): Household`), with that
 * root query: the query a reader needs to look one up by id.
 */
function rootQueriesByKey(schema: GraphQLSchema): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    const type = getNullableType(f.type);
    if (f.args.length === 1 && ['id', 'code'].includes(f.args[0].name) && type instanceof GraphQLObjectType) out.set(type.name, f.name);
  }
  return out;
}

/**
 * A peer's look-up on a user's behalf (peer.ts: another department checking a record before a
 * mutation) reads records by id, so it needs what reading them by id here needs: the root query
 * (`Query.household`) as well as the fields. The gateway's own entity joins are not look-ups by
 * id of the user's choosing and stay governed by the fields alone.
 */
function guardPeerLookups(schema: GraphQLSchema, field: GraphQLField<unknown, EnforcedContext>): void {
  const byKey = rootQueriesByKey(schema);
  const resolve: GraphQLFieldResolver<unknown, EnforcedContext> = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, ctx, info) => {
    const access = ctx.access;
    if (access && ctx.via && isServiceAccount(ctx.via)) {
      const typenames = new Set((args.representations as { __typename?: string }[]).map((r) => r.__typename));
      for (const typename of typenames) {
        const root = typename && byKey.get(typename);
        const d = root ? access.decide('Query', root) : null;
        if (d?.access === 'DENY') throw forbidden(`Your role may not look up ${typename} records by id: the ${access.department} policy does not grant Query.${root} (${d.reason})`);
      }
    }
    return resolve(source, args, ctx, info);
  };
}

/** Wraps every guarded field's resolver with the policy check (in place; call once per schema). */
export function enforcePolicy(schema: GraphQLSchema): void {
  const mutationType = schema.getMutationType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || !isGuarded(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (type.name === 'Query' && field.name === '_entities') {
        guardPeerLookups(schema, field);
        continue;
      }
      if (type.name === 'Query' && field.name.startsWith('_')) continue; // _service; entity fields are checked one by one
      const resolve: GraphQLFieldResolver<unknown, EnforcedContext> = field.resolve ?? defaultFieldResolver;
      const isList = getNullableType(field.type) instanceof GraphQLList;
      const typeName = type.name;
      const fieldName = field.name;
      const personal = PERSONAL_TYPES.has(typeName);
      if (KEY_FIELDS.has(fieldName) && type !== mutationType) {
        // Keys join entities across subgraphs and are always served; on personal types they
        // still show which records the response carried.
        if (personal) {
          field.resolve = (source, args, ctx, info) => {
            if (ctx.access) noteServed(ctx.access.carried, typeName, source, fieldName);
            return resolve(source, args, ctx, info);
          };
        }
        continue;
      }
      if (type === mutationType) {
        field.resolve = (source, args, ctx, info) => {
          if (ctx.access && !ctx.access.mayCall(fieldName)) {
            throw forbidden(`Your role may not call ${fieldName}: the ${ctx.access.department} policy does not grant it`);
          }
          return resolve(source, args, ctx, info);
        };
        continue;
      }
      field.resolve = (source, args, ctx, info) => {
        const access = ctx.access;
        if (!access) return resolve(source, args, ctx, info);
        const d = access.decide(typeName, fieldName);
        // Without the purpose an unmasked read needs, the value is served masked, with an error
        // at its path saying why: the field is non-null, so refusing it would null its record.
        const purposeMissing = d.access === 'ALLOW' && access.lacksPurposeFor(`${typeName}.${fieldName}`);
        const masked = d.access === 'MASK' || purposeMissing;
        if (personal && d.access !== 'DENY') noteServed(access.carried, typeName, source, masked ? `${fieldName} (masked)` : fieldName);
        if (purposeMissing) {
          const e = badInput(`${typeName}.${fieldName} is served masked: reading it unmasked needs an X-Access-Purpose header stating why`, 'X-Access-Purpose');
          access.denied.push(new GraphQLError(e.message, { path: pathOf(info), extensions: e.extensions }));
        }
        if (d.access === 'ALLOW' && !purposeMissing) return resolve(source, args, ctx, info);
        if (masked) {
          const value = resolve(source, args, ctx, info);
          return value instanceof Promise ? value.then((v) => maskValue(fieldName, v)) : maskValue(fieldName, value);
        }
        const coordinate = `${typeName}.${fieldName}`;
        access.carried.withheld.add(coordinate);
        const error = forbidden(`You may not read ${coordinate} (${d.reason})`);
        if (isList) {
          // Denied lists answer [] with the FORBIDDEN error at their path; the rest is served.
          access.denied.push(new GraphQLError(error.message, { path: pathOf(info), extensions: error.extensions }));
          return [];
        }
        throw error;
      };
    }
  }
}

/**
 * Adds the errors of lists answered `[]` to the response, and reports in `extensions.audit`
 * which personal records it carried (the gateway records them in the access log).
 */
export const accessResponsePlugin: ApolloServerPlugin<EnforcedContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        const access = contextValue.access;
        if (!access || response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        if (access.denied.length) result.errors = [...(result.errors ?? []), ...access.denied.map((e) => e.toJSON())];
        const { ids, fields, withheld, collisions } = access.carried;
        if (ids.size || withheld.size || collisions.length) {
          const audit: AuditTrail = { ids: toRecord(ids), fields: toRecord(fields), withheld: [...withheld], ...(collisions.length ? { collisions } : {}) };
          result.extensions = { ...result.extensions, audit };
        }
      },
    };
  },
};
