/**
 * The README's tables that state facts about the shipped access policies, generated from the
 * policy files (`subgraphs/access/policies/*.yaml`), the realm file and the supergraph, so a
 * claim is in the README exactly when the files make it true:
 *   - `roles`: what each role reads and writes in each department (scope, fields, row
 *     conditions, purpose, mutations);
 *   - `api`: every query and mutation of the supergraph, by department, with the roles the
 *     shipped policies let call it;
 *   - `packages`: the workspaces, lowest layer first, with what each depends on (package.json).
 * Each sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` in README.md.
 *
 *   npx tsx scripts/readme-tables.ts          rewrites them in README.md
 *   npx tsx scripts/readme-tables.ts --check  exits 1 when README.md is stale (also a test)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { shippedPolicy } from '@anmulong/access';
import {
  ANY_ROLE, decideField, DEPARTMENT_TABLE, DEPARTMENTS, mutationAllowed, type Department, type FieldAccess, type PolicyDocument, type RolePolicy,
} from '@anmulong/platform';
import { workspaceLayers } from './check-packages';

const ROOT = path.resolve(__dirname, '..');
export const README = path.join(ROOT, 'README.md');

const code = (s: string) => `\`${s}\``;
const DEPARTMENT_NAMES = Object.fromEntries(DEPARTMENT_TABLE.map((d) => [d.department, d.label])) as Record<Department, string>;

export function shippedPolicies(): Record<Department, PolicyDocument> {
  return Object.fromEntries(DEPARTMENTS.map((d) => [d, shippedPolicy(d)])) as Record<Department, PolicyDocument>;
}

const readRealm = () =>
  JSON.parse(readFileSync(path.join(ROOT, 'keycloak', 'realm-otog.json'), 'utf8')) as {
    roles: { realm: { name: string }[] };
    users: { username: string; realmRoles?: string[]; serviceAccountClientId?: string }[];
  };

/** The realm's roles, in the order the realm file lists them (the tables' row order). */
const realmRoles = () => readRealm().roles.realm.map((r) => r.name);

/** Realm role → the demo users holding it (keycloak/realm-otog.json). */
function demoUsers(): Map<string, string[]> {
  const realm = readRealm();
  const users = new Map<string, string[]>();
  for (const u of realm.users) {
    if (u.serviceAccountClientId) continue;
    for (const r of u.realmRoles ?? []) users.set(r, [...(users.get(r) ?? []), u.username]);
  }
  return users;
}

/** One role's read rules in words: "all" with its exceptions, or the types and fields granted. */
function reads(read: Record<string, FieldAccess>): string {
  const keys = Object.entries(read);
  const except = (prefix: string) => {
    const masked = keys.filter(([k, a]) => a === 'MASK' && k.startsWith(prefix) && !k.endsWith('.*')).map(([k]) => k.slice(prefix.length));
    const withheld = keys.filter(([k, a]) => a === 'DENY' && k.startsWith(prefix) && !k.endsWith('.*')).map(([k]) => k.slice(prefix.length));
    const parts = [masked.length ? `masked: ${masked.join(', ')}` : '', withheld.length ? `withheld: ${withheld.join(', ')}` : ''].filter(Boolean);
    return parts.length ? ` (${parts.join('; ')})` : '';
  };
  if (read['*'] === 'ALLOW') return `all${except('')}`;
  const queries = read['Query.*'] === 'ALLOW' ? ['all'] : keys.filter(([k, a]) => k.startsWith('Query.') && a !== 'DENY').map(([k]) => code(k.slice(6)));
  const types: string[] = [];
  for (const [k, a] of keys) {
    const [type, field] = k.split('.');
    if (type === 'Query' || a === 'DENY' && field !== '*') continue;
    if (field === '*') {
      if (a !== 'DENY') types.push(`${type}${a === 'MASK' ? ' (masked)' : except(`${type}.`)}`);
    } else if (read[`${type}.*`] === undefined) {
      types.push(`${k}${a === 'MASK' ? ' (masked)' : ''}`);
    }
  }
  return [queries.length ? `queries ${queries.join(', ')}` : '', types.join(', ')].filter(Boolean).join('; ');
}

function cell(p: RolePolicy | undefined): string {
  if (!p || (!p.scope && !p.read && !p.mutations)) return '—';
  const parts: string[] = [];
  if (p.scope) parts.push(`**${p.scope}**`);
  if (p.read) parts.push(reads(p.read));
  for (const [type, cond] of Object.entries(p.where ?? {})) {
    parts.push(`only ${type} where ${Object.entries(cond).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
  }
  if (p.purposeRequired) parts.push('purpose required');
  if (p.mutations?.length) parts.push(`writes ${p.mutations.includes('*') ? 'all' : p.mutations.map(code).join(', ')}`);
  return parts.join(' · ');
}

/** Roles × departments; roles whose rows are identical share one. */
export function roleTable(policies: Record<Department, PolicyDocument>): string {
  const users = demoUsers();
  const rows = new Map<string, string[]>();
  const cells = (role: string) => DEPARTMENTS.map((d) => cell(policies[d].roles[role])).join(' | ');
  for (const role of [ANY_ROLE, ...realmRoles()]) {
    const key = cells(role);
    rows.set(key, [...(rows.get(key) ?? []), role]);
  }
  const name = (role: string) => (role === ANY_ROLE ? 'every role (`*`)' : `${code(role)}${users.has(role) ? ` (${users.get(role)!.map(code).join(', ')})` : ''}`);
  const lines = [
    `| role (demo user) | ${DEPARTMENTS.map((d) => DEPARTMENT_NAMES[d]).join(' | ')} |`,
    `|---|${DEPARTMENTS.map(() => '---').join('|')}|`,
  ];
  for (const [key, roles] of rows) lines.push(`| ${roles.map(name).join(', ')} | ${key} |`);
  const purpose = DEPARTMENTS.flatMap((d) => (policies[d].purposeRequiredFor ?? []).map((f) => `${code(f)} (${d})`));
  if (purpose.length) {
    lines.push('', `Reading ${purpose.join(', ')} unmasked needs a stated purpose whatever the role: without one it is served masked, with a \`BAD_USER_INPUT\` error at its path saying why.`);
  }
  return lines.join('\n');
}

/** Who the access service itself lets call its operations (its rules are code, not a policy file). */
const ACCESS_RULES: Record<string, string> = {
  accessPolicy: "the department's admin, `platform-admin`, `auditor`",
  accessPolicyHistory: "the department's admin, `platform-admin`, `auditor`",
  explainAccess: "the department's admin, `platform-admin`, `auditor`",
  accessLog: '`auditor`',
  accessLogByUser: '`auditor`',
  verifyAuditChain: '`auditor`',
  purgeExpiredAccessLog: '`platform-admin`',
};
const ACCESS_MUTATION_DEFAULT = "the department's admin, `platform-admin`";

/** Every query and mutation of the supergraph, by owning department, with who may call it. */
export function apiTable(policies: Record<Department, PolicyDocument>, supergraphSdl: string): string {
  const doc = parse(supergraphSdl);
  const root = (name: string) => doc.definitions.find((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === name)!;
  const ownerOf = (f: ObjectTypeDefinitionNode['fields'] extends readonly (infer F)[] | undefined ? F : never) => {
    const join = f.directives?.find((d) => d.name.value === 'join__field');
    const graph = join?.arguments?.find((a) => a.name.value === 'graph')?.value;
    return graph && graph.kind === Kind.ENUM ? graph.value : 'ACCESS';
  };
  const roleOrder = realmRoles();
  /** Fields grouped by the roles allowed them: "`a`, `b`: role, role". */
  const grouped = (fields: string[], allowed: (field: string) => string) => {
    const groups = new Map<string, string[]>();
    for (const f of fields) groups.set(allowed(f), [...(groups.get(allowed(f)) ?? []), f]);
    return [...groups].map(([who, fs]) => `${fs.map(code).join(', ')}: ${who}`).join('<br>');
  };
  const rolesWho = (ok: (role: string) => boolean) => {
    const roles = roleOrder.filter(ok);
    return roles.length === roleOrder.length ? 'every role' : roles.length ? roles.map(code).join(', ') : 'no role (until an admin grants it)';
  };
  const lines = ['| department | queries: who may call them (shipped) | mutations: who may call them (shipped) |', '|---|---|---|'];
  for (const graph of [...DEPARTMENTS, 'ACCESS'] as const) {
    const fields = (type: string) => (root(type).fields ?? []).filter((f) => ownerOf(f) === graph).map((f) => f.name.value);
    const [queries, mutations] = [fields('Query'), fields('Mutation')];
    if (graph === 'ACCESS') {
      lines.push(`| access | ${grouped(queries, (f) => ACCESS_RULES[f])} | ${grouped(mutations, (f) => ACCESS_RULES[f] ?? ACCESS_MUTATION_DEFAULT)} |`);
      continue;
    }
    const policy = policies[graph];
    lines.push(`| ${DEPARTMENT_NAMES[graph]} | ${grouped(queries, (f) => rolesWho((r) => decideField(policy, [r], 'Query', f).access !== 'DENY'))} | ${grouped(mutations, (m) => rolesWho((r) => mutationAllowed(policy, [r], m)))} |`);
  }
  return lines.join('\n');
}

/** The workspaces, lowest layer first, and the workspaces each depends on (package.json `dependencies`). */
export function packageTable(): string {
  const rows = workspaceLayers(ROOT).map(({ name, folder, description, layer, dependsOn }) =>
    `| ${code(name)} | ${code(`${folder}/`)} | ${layer} | ${description} | ${dependsOn.map((d) => code(d.replace('@anmulong/', ''))).join(', ') || 'nothing of ours'} |`);
  return ['| Package | Folder | Layer | What it is | Depends on |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function generatedSections(): Record<string, string> {
  const policies = shippedPolicies();
  const sdl = readFileSync(path.join(ROOT, 'gateway', 'supergraph.graphql'), 'utf8');
  return { roles: roleTable(policies), api: apiTable(policies, sdl), packages: packageTable() };
}

/** README text with each generated section replaced by `sections[name]`; throws when a marker is missing. */
export function withSections(readme: string, sections: Record<string, string>): string {
  let out = readme;
  for (const [name, body] of Object.entries(sections)) {
    const re = new RegExp(`(<!-- generated:${name} -->)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!re.test(out)) throw new Error(`README.md has no <!-- generated:${name} --> … <!-- /generated:${name} --> section`);
    out = out.replace(re, (_m, open: string, close: string) => `${open}\n${body}\n${close}`);
  }
  return out;
}

if (require.main === module) {
  const readme = readFileSync(README, 'utf8');
  const updated = withSections(readme, generatedSections());
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      process.stderr.write('README.md: the generated tables are stale; run `npx tsx scripts/readme-tables.ts`\n');
      process.exit(1);
    }
  } else if (updated !== readme) {
    writeFileSync(README, updated);
    process.stdout.write('README.md: generated tables rewritten\n');
  }
}
