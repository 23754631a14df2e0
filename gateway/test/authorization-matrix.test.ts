import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { startStack, type Stack } from '@anmulong/platform/src/testing/stack';
import { loadDemo } from '@anmulong/demo';
import { shippedPolicy } from '@anmulong/access';
import { decideField, DEPARTMENTS, type Department, type PolicyDocument } from '@anmulong/platform/src/policy';

/*
 * The authorization matrix, generated from the supergraph: every demo user × every field of
 * every record type reachable from a root list × a record inside and outside the user's
 * jurisdiction, each answer through the gateway compared with what the shipped policy of the
 * field's owning department says.
 */
const USERS: Record<string, { roles: string[]; jurisdiction: string }> = {
  admin: { roles: ['platform-admin'], jurisdiction: '150624' },
  'police.officer': { roles: ['police-officer'], jurisdiction: '150624101' },
  'police.admin': { roles: ['police-admin'], jurisdiction: '150624' },
  mediator: { roles: ['mediator'], jurisdiction: '150624100' },
  'mediation.admin': { roles: ['mediation-admin'], jurisdiction: '150624' },
  judge: { roles: ['judge'], jurisdiction: '150624' },
  'court.admin': { roles: ['court-admin'], jurisdiction: '150624' },
  caseworker: { roles: ['civil-affairs-caseworker'], jurisdiction: '150624102' },
  'civil.admin': { roles: ['civil-affairs-admin'], jurisdiction: '150624' },
  organizer: { roles: ['party-organizer'], jurisdiction: '150624' },
  'party.admin': { roles: ['party-building-admin'], jurisdiction: '150624' },
  gridworker: { roles: ['grid-worker'], jurisdiction: '150624100001001' },
  'registry.admin': { roles: ['registry-admin'], jurisdiction: '150624' },
  analyst: { roles: ['analyst'], jurisdiction: '150624' },
  auditor: { roles: ['auditor'], jurisdiction: '150624' },
};

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
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.02 });
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
  });
});
