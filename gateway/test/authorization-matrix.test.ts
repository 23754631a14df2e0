import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { startStack, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';
import { shippedPolicy } from '@anmulong/access';
import {
  decideField, DEMO_USERS, type Department, DEPARTMENT_SUBGRAPH, DEPARTMENTS, effectiveJurisdiction, type PolicyDocument, ROW_CONDITION_FIELDS,
  type SubgraphName,
} from '@anmulong/platform';

/*
 * The authorization matrix, generated from the supergraph: every demo user × every field of
 * every record type reachable from a root list × a record inside and outside the user's
 * jurisdiction, each answer through the gateway compared with what the shipped policy of the
 * field's owning department says.
 */
const REALM_USER_ORDER = (JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'keycloak', 'realm-otog.json'), 'utf8')) as { users: { username: string }[] }).users.map((u) => u.username);
/** The demo users, in the realm file's order (which breaks ties when a user is chosen for the row cells below). */
const USERS: Record<string, { roles: string[]; jurisdiction: string }> = Object.fromEntries(
  [...DEMO_USERS]
    .sort((a, b) => REALM_USER_ORDER.indexOf(a.username) - REALM_USER_ORDER.indexOf(b.username))
    .map((u) => [u.username, { roles: [u.role], jurisdiction: u.jurisdiction }]),
);

/** Root lists through which each record type is reached (all take divisionCode, first). */
const ROOTS: Record<string, string> = {
  residents: 'Resident', households: 'Household', petitions: 'Petition', helpRequests: 'HelpRequest', patrols: 'Patrol',
  disputes: 'Dispute', courtCases: 'CourtCase', aidGrants: 'AidGrant', aidApplications: 'AidApplication',
};

const supergraph = parse(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
const types = new Map<string, ObjectTypeDefinitionNode>();
for (const d of supergraph.definitions) if (d.kind === Kind.OBJECT_TYPE_DEFINITION) types.set(d.name.value, d);

const graphArg = (dir: { arguments?: readonly { name: { value: string }; value: { kind: string; value?: unknown } }[] }) =>
  dir.arguments?.find((a) => a.name.value === 'graph')?.value.value as string | undefined;

/** The subgraph (as a department) that resolves a field, from the supergraph's join directives. */
function ownerOf(type: ObjectTypeDefinitionNode, field: FieldDefinitionNode): Department | null {
  const fieldGraph = field.directives?.find((d) => d.name.value === 'join__field' && graphArg(d as never));
  const typeGraphs = type.directives?.filter((d) => d.name.value === 'join__type').map((d) => graphArg(d as never)) ?? [];
  const graph = fieldGraph ? graphArg(fieldGraph as never) : typeGraphs.length === 1 ? typeGraphs[0] : null;
  return graph && (DEPARTMENTS as readonly string[]).includes(graph) ? (graph as Department) : null;
}

const named = (t: TypeNode): string => (t.kind === Kind.NAMED_TYPE ? t.name.value : named(t.type));
const isList = (t: TypeNode): boolean => (t.kind === Kind.NON_NULL_TYPE ? isList(t.type) : t.kind === Kind.LIST_TYPE);
const isLeaf = (name: string) => ['String', 'ID', 'Int', 'Float', 'Boolean'].includes(name) || supergraph.definitions.some((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === name);

function fieldsOf(typeName: string) {
  const type = types.get(typeName)!;
  return (type.fields ?? [])
    .filter((f) => !(f.arguments ?? []).some((a) => a.type.kind === Kind.NON_NULL_TYPE && !a.defaultValue))
    .map((f) => ({ name: f.name.value, owner: ownerOf(type, f), leaf: isLeaf(named(f.type)), list: isList(f.type) }));
}

const policies = Object.fromEntries(DEPARTMENTS.map((d) => [d, shippedPolicy(d)])) as Record<Department, PolicyDocument>;
const PURPOSE = { headers: { 'x-access-purpose': 'authorization matrix' } };
const KEYS = new Set(['id', 'code']);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  // The scale most whole-stack tests use: it still has a record of every type inside every
  // user's jurisdiction (checked below: no cell goes unchecked for want of one).
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
}, 180_000);
afterAll(async () => stack?.close());

const outsideOf = (j: string) => (j === '150624' ? null : j.startsWith('150624201') ? '150624200' : '150624201');

interface Tally { cells: number; checked: number; noRecord: number; mismatches: string[] }
const tally: Tally = { cells: 0, checked: 0, noRecord: 0, mismatches: [] };

describe('authorization matrix (shipped policies)', () => {
  for (const [root, typeName] of Object.entries(ROOTS)) {
    it(`${typeName} via ${root}: every user × every field × inside and outside`, async () => {
      const rootOwner = ownerOf(types.get('Query')!, types.get('Query')!.fields!.find((f) => f.name.value === root)!)!;
      const fields = fieldsOf(typeName);
      const selection = fields.map((f) => (f.leaf ? f.name : `${f.name} { __typename }`)).join(' ');
      for (const [user, { roles, jurisdiction }] of Object.entries(USERS)) {
        const rootDecision = decideField(policies[rootOwner], roles, 'Query', root);
        for (const where of ['inside', 'outside'] as const) {
          const code = where === 'inside' ? jurisdiction : outsideOf(jurisdiction);
          tally.cells += fields.length;
          if (!code) continue; // banner-wide users have no "outside"
          const res = await stack.query(user, `query($c: String!) { list: ${root}(divisionCode: $c, first: 1) { totalCount edges { node { ${selection} } } } }`, { c: code }, PURPOSE);
          const at = `${user} ${root} ${where}`;
          if (rootDecision.access === 'DENY') {
            if (res.data?.list != null || !res.errors?.some((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.[0] === 'list')) {
              tally.mismatches.push(`${at}: root should be FORBIDDEN (${rootDecision.reason})`);
            }
            tally.checked += fields.length;
            continue;
          }
          if (!res.data?.list) {
            tally.mismatches.push(`${at}: root allowed but no data: ${JSON.stringify(res.errors)}`);
            continue;
          }
          if (where === 'outside') {
            if (res.data.list.totalCount !== 0 || res.data.list.edges.length !== 0) tally.mismatches.push(`${at}: outside the jurisdiction but got ${res.data.list.totalCount} records`);
            tally.checked += fields.length;
            continue;
          }
          const node = res.data.list.edges[0]?.node;
          if (!node) {
            tally.noRecord += fields.length;
            continue;
          }
          for (const f of fields) {
            tally.checked++;
            const errorsHere = (res.errors ?? []).filter((e) => e.path?.[4] === f.name);
            const forbidden = errorsHere.some((e) => e.extensions?.code === 'FORBIDDEN');
            const d = KEYS.has(f.name) || !f.owner ? { access: 'ALLOW' as const, reason: 'key or unowned field' } : decideField(policies[f.owner], roles, typeName, f.name);
            const value = node[f.name];
            if (d.access === 'DENY') {
              const empty = value === null || (Array.isArray(value) && value.length === 0);
              if (!forbidden || !empty) tally.mismatches.push(`${at}: ${typeName}.${f.name} should be withheld with FORBIDDEN (${d.reason}); got ${JSON.stringify(value)?.slice(0, 60)}`);
            } else if (forbidden) {
              tally.mismatches.push(`${at}: ${typeName}.${f.name} should be served (${d.access}: ${d.reason}) but was FORBIDDEN`);
            } else if (d.access === 'MASK' && typeof value === 'string' && !value.includes('*')) {
              tally.mismatches.push(`${at}: ${typeName}.${f.name} should be masked; got ${value}`);
            }
          }
        }
      }
    }, 120_000);
  }

  afterAll(() => {
    console.log(`authorization matrix: ${tally.cells} cells (users × fields × inside/outside), ${tally.checked} checked, ${tally.noRecord} without a record to check, ${tally.mismatches.length} mismatches`);
  });

  it('has no mismatches', () => {
    expect(tally.mismatches).toEqual([]);
    expect(tally.checked).toBeGreaterThan(1000);
    expect(tally.noRecord).toBe(0);
  });
});

/*
 * Row-condition cells. For every type that can carry a row condition (ROW_CONDITION_FIELDS), a
 * condition is set through the access service's own mutation (setRowCondition, as platform-admin)
 * for the analyst (banner-wide) and for one demo user whose role works a narrower jurisdiction,
 * and every path to the type, generated from the supergraph, must then serve only rows matching
 * it, inside that jurisdiction: the root lists (nodes and totalCount), look-ups by id, nested
 * fields of other records (entity references where the gateway fetches the type from its owner),
 * and the figures that count it.
 */
interface RowPath {
  label: string;
  kind: 'list' | 'by id' | 'nested' | 'entity reference';
  query: string;
  /** The type's records in the answer (id, the condition field, its division). */
  rows: (data: any) => Record<string, any>[];
  /**
   * A non-null single field, or a list of references the gateway resolves at the type's owner
   * with non-null items: a hidden record nulls its parent (GraphQL's non-null rule) instead of
   * being left out, so only "nothing outside the condition is served" can be checked there.
   */
  nonNull?: boolean;
  /** The policy decisions a user needs to be served this path at all: [department, type, field]. */
  needs: [Department, string, string][];
}

const queryFields = types.get('Query')!.fields ?? [];
const argNames = (f: FieldDefinitionNode) => (f.arguments ?? []).map((a) => a.name.value);
const onlyOptionalBut = (f: FieldDefinitionNode, keep: string[]) =>
  (f.arguments ?? []).every((a) => keep.includes(a.name.value) || a.type.kind !== Kind.NON_NULL_TYPE || a.defaultValue);
const hasField = (type: string, field: string) => !!types.get(type)?.fields?.some((f) => f.name.value === field);

/** Root lists by division: the record type each one lists, and how to read its nodes. */
const divisionRoots = queryFields
  .filter((f) => argNames(f).includes('divisionCode') && onlyOptionalBut(f, ['divisionCode']))
  .map((f) => {
    const name = named(f.type);
    const connection = name.endsWith('Connection') && types.has(name.slice(0, -'Connection'.length));
    return { root: f.name.value, of: connection ? name.slice(0, -'Connection'.length) : name, connection, paged: argNames(f).includes('first'), list: connection || isList(f.type) };
  })
  .filter((r) => r.list && types.has(r.of));

function rowPaths(department: Department, type: string, field: string): RowPath[] {
  const sel = `id ${field}${hasField(type, 'division') ? ' division { code }' : ''}`;
  const paths: RowPath[] = [];
  const listOf = (r: (typeof divisionRoots)[number], inner: string) =>
    `query($c: String!) { r: ${r.root}(divisionCode: $c${r.paged ? ', first: 50' : ''}) { ${r.connection ? `totalCount edges { node { ${inner} } }` : inner} } }`;
  const nodes = (r: (typeof divisionRoots)[number], data: any): any[] =>
    (r.connection ? (data?.r?.edges ?? []).map((e: any) => e?.node) : data?.r ?? []).filter(Boolean);
  const itemsNonNull = (t: TypeNode): boolean => (t.kind === Kind.NON_NULL_TYPE ? itemsNonNull(t.type) : t.kind === Kind.LIST_TYPE && t.type.kind === Kind.NON_NULL_TYPE);
  for (const r of divisionRoots) {
    const rootField = queryFields.find((q) => q.name.value === r.root)!;
    const rootOwner = ownerOf(types.get('Query')!, rootField)!;
    const root: [Department, string, string] = [rootOwner, 'Query', r.root];
    if (r.of === type) {
      const reference = rootOwner !== department;
      paths.push({
        label: r.root, kind: reference ? 'entity reference' : 'list', query: listOf(r, sel), rows: (d) => nodes(r, d),
        nonNull: reference && itemsNonNull(rootField.type), needs: [root],
      });
    }
    const parent = types.get(r.of)!;
    for (const f of parent.fields ?? []) {
      if (named(f.type) !== type || !onlyOptionalBut(f, [])) continue;
      const via = ownerOf(parent, f);
      const reference = via !== department;
      paths.push({
        label: `${r.root} → ${r.of}.${f.name.value}`,
        kind: reference ? 'entity reference' : 'nested',
        query: listOf(r, `id ${f.name.value} { ${sel} }`),
        rows: (d) => nodes(r, d).flatMap((n) => [n[f.name.value]].flat()).filter(Boolean),
        nonNull: (f.type.kind === Kind.NON_NULL_TYPE && !isList(f.type)) || (reference && itemsNonNull(f.type)),
        needs: via ? [root, [via, r.of, f.name.value]] : [root],
      });
    }
  }
  return paths;
}

/** Whether the shipped policies serve `user` this path at all (other paths are not their cells). */
const serves = (user: string, p: RowPath) => p.needs.every(([d, t, f]) => decideField(policies[d], USERS[user].roles, t, f).access !== 'DENY');

/** Look-ups by id returning the type. */
const byIdRoots = (type: string) => queryFields.filter((f) => named(f.type) === type && !isList(f.type) && argNames(f).join() === 'id').map((f) => f.name.value);

/** Figures that count the type, with how to read the count. */
const FIGURES: Record<string, { label: string; root: string; query: string; count: (data: any) => number }[]> = {
  GridWorker: [{ label: 'registryFigures.gridWorkers', root: 'registryFigures', query: 'query($c: String!) { f: registryFigures(divisionCode: $c) { gridWorkers } }', count: (d) => d.f.gridWorkers }],
  HelpRequest: [{ label: 'policeFigures.helpRequests', root: 'policeFigures', query: 'query($c: String!) { f: policeFigures(divisionCode: $c) { helpRequests } }', count: (d) => d.f.helpRequests }],
  Dispute: [{ label: 'disputeCounts.screened', root: 'disputeCounts', query: 'query($c: String!) { f: disputeCounts(divisionCode: $c) { screened } }', count: (d) => d.f.reduce((n: number, row: { screened: number }) => n + row.screened, 0) }],
};

/** The analyst and, per department, a demo user working a narrower jurisdiction who reads the type. */
function usersFor(department: Department, type: string, field: string, paths: RowPath[]): string[] {
  // Of the users working a narrower jurisdiction who read the field, the one with the most paths to it.
  const reach = (u: string) => paths.filter((p) => serves(u, p)).length + byIdRoots(type).filter((r) => mayAsk(u, r)).length;
  const scoped = Object.keys(USERS)
    .filter((u) => u !== 'analyst' && decideField(policies[department], USERS[u].roles, type, field).access === 'ALLOW'
      && effectiveJurisdiction(policies[department], USERS[u]) !== '150624')
    .sort((a, b) => reach(b) - reach(a))[0];
  return ['analyst', ...(scoped ? [scoped] : [])];
}

const rowTally = { cells: 0, users: [] as string[], byKind: {} as Record<string, number>, mismatches: [] as string[], notDiscriminating: [] as string[] };
const cell = (kind: string) => {
  rowTally.cells++;
  rowTally.byKind[kind] = (rowTally.byKind[kind] ?? 0) + 1;
};
const queryOwner = (root: string) => ownerOf(types.get('Query')!, queryFields.find((q) => q.name.value === root)!)!;
const mayAsk = (user: string, root: string) => decideField(policies[queryOwner(root)], USERS[user].roles, 'Query', root).access !== 'DENY';

describe('authorization matrix: row conditions on every path', () => {
  const policyVersion = async (department: Department) => stack.subgraphs[DEPARTMENT_SUBGRAPH[department] as SubgraphName].policies!.get(department)!.version;
  /** Sets the same condition for each role, then waits until the department's subgraph has it in force. */
  async function setConditions(department: Department, roles: string[], type: string, field: string, values: string[]) {
    let version = 0;
    for (const role of roles) {
      const res = await stack.query('admin', `mutation($d: Department!, $r: String!, $t: String!, $f: String!, $v: [String!]!) {
        setRowCondition(department: $d, role: $r, type: $t, field: $f, values: $v) { version } }`, { d: department, r: role, t: type, f: field, v: values });
      expect(res.errors).toBeUndefined();
      version = res.data.setRowCondition.version;
    }
    // In force once the department's subgraph has it from its long poll (a fraction of a second):
    // looked at every 10 ms, so the test does not idle for long after it is.
    for (let i = 0; i < 1000 && (await policyVersion(department)) < version; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await policyVersion(department)).toBeGreaterThanOrEqual(version);
  }

  for (const department of DEPARTMENTS) {
    for (const [type, fields] of Object.entries(ROW_CONDITION_FIELDS[department])) {
      const field = fields[0];
      it(`${department} ${type}.${field}: lists, totalCount, look-ups by id, nested fields, entity references and figures`, async () => {
        const paths = rowPaths(department, type, field);
        const users = usersFor(department, type, field, paths);
        rowTally.users.push(`${type}: ${users.join(', ')}`);
        const model = (stack.subgraphs[DEPARTMENT_SUBGRAPH[department] as SubgraphName].models as Record<string, any>)[type];
        expect(paths.length).toBeGreaterThan(0);
        // A hidden record must be left out, never null a non-null field (which nulls its parent):
        // so a type that can carry a row condition is never referenced through one.
        expect(paths.filter((p) => p.nonNull).map((p) => p.label)).toEqual([]);
        const scopes = Object.fromEntries(users.map((u) => [u, effectiveJurisdiction(policies[department], USERS[u])!]));
        const run = async (user: string, query: string, variables: Record<string, unknown>) => stack.query(user, query, variables, PURPOSE);

        // Before: what every path serves without a condition.
        const before = new Map<string, Record<string, any>[]>();
        for (const user of users) for (const p of paths.filter((q) => serves(user, q))) before.set(`${user} ${p.label}`, p.rows((await run(user, p.query, { c: scopes[user] })).data));
        const all = [...before.values()].flat();
        const counts = new Map<string, number>();
        for (const row of all) counts.set(String(row[field]), (counts.get(String(row[field])) ?? 0) + 1);
        const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([v]) => v);
        // Two values (an $in) where the data has three or more, else the commonest one.
        const values = ranked.length >= 3 ? ranked.slice(0, 2) : ranked.slice(0, 1);
        if (values.length === 0 || ranked.length < 2) rowTally.notDiscriminating.push(`${type}.${field}: the demo data has ${ranked.length} value(s) on these paths`);
        const matches = (row: Record<string, any>) => values.includes(String(row[field]));

        const roles = users.map((u) => USERS[u].roles[0]);
        await setConditions(department, roles, type, field, values);
        try {
          for (const user of users) {
            const scope = scopes[user];
            const at = `${user} ${type}.${field} in {${values}}`;
            const expected = await model.countDocuments({ divisionPath: scope, [field]: { $in: values } });
            const inside = (row: Record<string, any>) => !row.division || String(row.division.code).startsWith(scope);
            for (const p of paths.filter((q) => serves(user, q))) {
              cell(p.kind);
              const res = await run(user, p.query, { c: scope });
              const rows = p.rows(res.data);
              const wrong = rows.filter((row) => !matches(row) || !inside(row));
              if (wrong.length) rowTally.mismatches.push(`${at} via ${p.label} (${p.kind}): served ${wrong.length} row(s) outside the condition or jurisdiction, e.g. ${JSON.stringify(wrong[0])}`);
              const hadMatching = before.get(`${user} ${p.label}`)!.some(matches);
              if (hadMatching && rows.length === 0 && !p.nonNull) rowTally.mismatches.push(`${at} via ${p.label} (${p.kind}): matching rows were served before the condition, none after`);
              if (res.errors && !p.nonNull) rowTally.mismatches.push(`${at} via ${p.label}: ${JSON.stringify(res.errors).slice(0, 200)}`);
              if (p.kind === 'list' && res.data?.r?.totalCount !== undefined) {
                cell('totalCount');
                if (res.data.r.totalCount !== expected) rowTally.mismatches.push(`${at} ${p.label}.totalCount: ${res.data.r.totalCount}, expected ${expected}`);
              }
            }
            // Look-ups by id: one record on each side of the condition, seen before it was set.
            const seen = [...before].filter(([k]) => k.startsWith(`${user} `)).flatMap(([, rows]) => rows).filter(inside);
            // And one matching the condition but outside the user's jurisdiction (seen by the analyst).
            const outside = all.find((r) => matches(r) && r.division && !inside(r));
            for (const root of byIdRoots(type).filter((r) => mayAsk(user, r))) {
              for (const [row, what] of [[seen.find(matches), 'matching'], [seen.find((r) => !matches(r)), 'non-matching'], [outside, 'outside the jurisdiction']] as const) {
                if (!row) continue;
                cell(what === 'outside the jurisdiction' ? 'by id, outside' : 'by id');
                const res = await run(user, `query($id: ID!) { x: ${root}(id: $id) { id ${field} } }`, { id: row.id });
                const served = res.data?.x ?? null;
                if (what === 'matching' ? served?.id !== row.id : served !== null || res.errors) {
                  rowTally.mismatches.push(`${at} ${root}(id) of a ${what} record answered ${JSON.stringify(served)} ${JSON.stringify(res.errors ?? '')}`);
                }
              }
            }
            for (const figure of (FIGURES[type] ?? []).filter((f) => mayAsk(user, f.root))) {
              cell('figure');
              const res = await run(user, figure.query, { c: scope });
              const n = res.data ? figure.count(res.data) : null;
              if (n !== expected) rowTally.mismatches.push(`${at} ${figure.label}: ${n}, expected ${expected} (${JSON.stringify(res.errors)?.slice(0, 120)})`);
            }
          }
        } finally {
          await setConditions(department, roles, type, field, []);
        }
      }, 120_000);
    }
  }

  afterAll(() => {
    console.log(`authorization matrix, row conditions: ${rowTally.cells} cells (${JSON.stringify(rowTally.byKind)}; users ${rowTally.users.join('; ')}), ${rowTally.mismatches.length} mismatches${rowTally.notDiscriminating.length ? `; not discriminating: ${rowTally.notDiscriminating.join('; ')}` : ''}`);
  });

  it('has no row-condition mismatches', () => {
    expect(rowTally.mismatches).toEqual([]);
    expect(rowTally.notDiscriminating).toEqual([]);
    expect(rowTally.cells).toBeGreaterThan(50);
  });
});
