/**
 * The files that list the departments but cannot import TypeScript, written from the table of
 * departments (`platform/src/departments.ts`):
 *   - the `Department` enum of every subgraph schema that declares one;
 *   - `keycloak/realm-otog.json`: each department's roles and demo users, and the departments
 *     its user profile offers (entries already there keep their ids, passwords and places;
 *     a new user gets the demo password `anmulong`);
 *   - `docker-compose.yml`: the subgraphs' URLs, one service per department, the gateway's
 *     dependencies (between `# generated:NAME` and `# /generated:NAME`);
 *   - `codegen.yml`: one block per department (between the same markers);
 *   - the Dockerfile's `EXPOSE` line.
 * It also checks that each department has its subgraph (`subgraphs/<name>/src/index.ts`) and its
 * shipped policy (`subgraphs/access/policies/<name>.yaml`), which no script can write.
 *
 *   npm run departments               rewrites the files (then: npm run codegen && npm run compose)
 *   npm run departments -- --check    exits 1 naming each stale file and the departments it misses
 *                                     (CI; scripts/test/departments.test.ts runs it in npm test)
 */
import { createHash, pbkdf2Sync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ACCESS_SERVICE, DEPARTMENT_TABLE, demoUsersOf, envPrefix, realmRolesOf, tableProblems, type DepartmentEntry,
} from '@anmulong/platform';

export const ROOT = path.resolve(__dirname, '..');
const GATEWAY_PORT = 4000;

/** A file written from the table: its content for a table, and the departments (enum values) it holds now. */
export interface Target {
  file: string;
  render(current: string, table: readonly DepartmentEntry[]): string;
  present(current: string, table: readonly DepartmentEntry[]): string[];
}

const subgraphsOf = (table: readonly DepartmentEntry[]) => [ACCESS_SERVICE, ...table];
const byName = (table: readonly DepartmentEntry[], subgraph: string) => table.find((d) => d.subgraph === subgraph)?.department ?? envPrefix(subgraph);

/** The text between `# generated:NAME` and `# /generated:NAME` (the marker lines kept). */
function region(text: string, name: string, file: string): { before: string; body: string; after: string } {
  const open = new RegExp(`^[ \\t]*# generated:${name}[^\\n]*\\n`, 'm').exec(text);
  const close = new RegExp(`^[ \\t]*# /generated:${name}\\b`, 'm').exec(text);
  if (!open || !close || close.index < open.index) throw new Error(`${file}: no "# generated:${name}" … "# /generated:${name}" lines`);
  const start = open.index + open[0].length;
  return { before: text.slice(0, start), body: text.slice(start, close.index), after: text.slice(close.index) };
}
const replaceRegion = (text: string, name: string, file: string, body: string) => {
  const r = region(text, name, file);
  return r.before + body + r.after;
};

// ---- schema enums ----------------------------------------------------------------------------

const ENUM = /^enum Department \{\n([\s\S]*?)^\}/m;

function enumTarget(file: string): Target {
  return {
    file,
    render: (text, table) => text.replace(ENUM, `enum Department {\n${table.map((d) => `  ${d.department}\n`).join('')}}`),
    present: (text) => (ENUM.exec(text)?.[1] ?? '').split('\n').map((l) => l.trim()).filter(Boolean),
  };
}

/** Every subgraph schema that declares `enum Department`. */
function schemaFiles(root: string): string[] {
  return subgraphsOf(DEPARTMENT_TABLE)
    .map((s) => path.join('subgraphs', s.subgraph, 'src', 'schema.graphql'))
    .filter((f) => existsSync(path.join(root, f)) && ENUM.test(readFileSync(path.join(root, f), 'utf8')));
}

// ---- the realm -------------------------------------------------------------------------------

interface RealmRole { id: string; name: string; description: string; [k: string]: unknown }
interface RealmUser {
  id: string; username: string; email?: string; firstName?: string; lastName?: string;
  attributes?: Record<string, string[]>; realmRoles?: string[]; serviceAccountClientId?: string; [k: string]: unknown;
}
interface Realm {
  roles: { realm: RealmRole[] };
  users: RealmUser[];
  components: Record<string, { config: Record<string, string[]> }[]>;
  [k: string]: unknown;
}
const PROFILE = 'org.keycloak.userprofile.UserProfileProvider';
const CREATED = 1735689600000;

/** A stable UUID-shaped id (version 5 layout) for an entry the generator adds. */
function stableId(kind: string, name: string): string {
  const h = createHash('sha1').update(`otog ${kind} ${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The demo password as Keycloak exports it (PBKDF2-SHA256), with a salt fixed per user so the file is reproducible. */
function demoCredential(username: string) {
  const salt = createHash('sha256').update(`otog demo password ${username}`).digest().subarray(0, 16);
  const value = pbkdf2Sync('anmulong', salt, 27500, 64, 'sha256');
  return {
    type: 'password',
    userLabel: 'development password',
    createdDate: CREATED,
    secretData: JSON.stringify({ value: value.toString('base64'), salt: salt.toString('base64'), additionalParameters: {} }),
    credentialData: JSON.stringify({ hashIterations: 27500, algorithm: 'pbkdf2-sha256', additionalParameters: {} }),
  };
}

/**
 * `wanted` in its order, merged into `existing`: entries already there stay where they are (updated
 * by `update`), those not wanted go (unless `keep` says so), a new one goes before the next wanted
 * entry already there, else at the end.
 */
function mergeInPlace<T>(existing: T[], wanted: string[], key: (e: T) => string, make: (k: string) => T, update: (e: T) => void, keep: (e: T) => boolean): T[] {
  const out = existing.filter((e) => keep(e) || wanted.includes(key(e)));
  wanted.forEach((k, i) => {
    if (out.some((e) => key(e) === k)) return;
    const next = wanted.slice(i + 1).map((n) => out.findIndex((e) => key(e) === n)).find((j) => j >= 0);
    const firstKept = out.findIndex((e) => keep(e) && !wanted.includes(key(e)));
    const at = next ?? (firstKept >= 0 ? firstKept : out.length);
    out.splice(at, 0, make(k));
  });
  out.forEach((e) => wanted.includes(key(e)) && update(e));
  return out;
}

function profileOf(realm: Realm): { attributes: { name: string; validations?: { options?: { options: string[] } } }[] } {
  return JSON.parse(realm.components[PROFILE]![0]!.config['kc.user.profile.config']![0]!);
}

const realmTarget: Target = {
  file: 'keycloak/realm-otog.json',
  render(text, table) {
    const realm = JSON.parse(text) as Realm;
    const roles = realmRolesOf(table);
    realm.roles.realm = mergeInPlace(
      realm.roles.realm,
      roles.map((r) => r.name),
      (r) => r.name,
      (name) => ({ id: stableId('role', name), name, description: '', composite: false, clientRole: false, containerId: String(realm.id ?? 'otog'), attributes: {} }),
      (r) => { r.description = roles.find((w) => w.name === r.name)!.description; },
      () => false,
    );
    const users = demoUsersOf(table);
    realm.users = mergeInPlace(
      realm.users,
      users.map((u) => u.username),
      (u) => u.username,
      (username) => ({
        id: stableId('user', username), username, email: '', emailVerified: true, firstName: '', lastName: '', enabled: true, createdTimestamp: CREATED,
        attributes: {}, credentials: [demoCredential(username)], requiredActions: [], realmRoles: [], clientRoles: {}, groups: [],
      }),
      (u) => {
        const w = users.find((x) => x.username === u.username)!;
        Object.assign(u, { email: `${w.username}@otog.example`, firstName: w.firstName, lastName: w.lastName });
        u.attributes = { ...(w.department ? { department: [w.department] } : {}), jurisdiction: [w.jurisdiction] };
        u.realmRoles = [w.role];
      },
      (u) => Boolean(u.serviceAccountClientId),
    );
    const config = realm.components[PROFILE]![0]!.config;
    const profile = profileOf(realm);
    const department = profile.attributes.find((a) => a.name === 'department');
    if (!department?.validations?.options) throw new Error(`${realmTarget.file}: the user profile declares no department options`);
    department.validations.options.options = table.map((d) => d.subgraph);
    config['kc.user.profile.config'] = [JSON.stringify(profile)];
    return `${JSON.stringify(realm, null, 2)}\n`;
  },
  present(text, table) {
    const realm = JSON.parse(text) as Realm;
    const options = profileOf(realm).attributes.find((a) => a.name === 'department')?.validations?.options?.options ?? [];
    const roles = new Set(realm.roles.realm.map((r) => r.name));
    const users = new Set(realm.users.map((u) => u.username));
    return options
      .filter((o) => {
        const d = table.find((t) => t.subgraph === o);
        return !d || (d.roles.every((r) => roles.has(r.name)) && d.users.every((u) => users.has(u.username)));
      })
      .map((o) => byName(table, o));
  },
};

// ---- docker-compose.yml ----------------------------------------------------------------------

const composeService = (d: DepartmentEntry) => `  ${d.subgraph}:
    <<: *app
    command: ["node", "--import", "tsx", "subgraphs/${d.subgraph}/src/index.ts"]
    environment:
      <<: *service-urls
      PORT: "${d.port}"
      MONGODB_URI: mongodb://mongodb:27017
      KEYCLOAK_URL: http://keycloak:8080
      NODE_ENV: \${NODE_ENV:-development}
      LOG_LEVEL: \${LOG_LEVEL:-info}
    ports:
      - "127.0.0.1:${d.port}:${d.port}"
    healthcheck: *app-healthcheck
    depends_on:
      <<: *subgraph-depends-on
      ${ACCESS_SERVICE.subgraph}:
        condition: service_healthy
`;

const composeTarget: Target = {
  file: 'docker-compose.yml',
  render(text, table) {
    const f = composeTarget.file;
    text = replaceRegion(text, 'urls', f, subgraphsOf(table).map((s) => `  ${envPrefix(s.subgraph)}_URL: http://${s.subgraph}:${s.port}/graphql\n`).join(''));
    text = replaceRegion(text, 'departments', f, table.map(composeService).join('\n'));
    return replaceRegion(text, 'gateway-depends-on', f, subgraphsOf(table).map((s) => `      ${s.subgraph}:\n        condition: service_healthy\n`).join(''));
  },
  present(text, table) {
    const f = composeTarget.file;
    const services = [...region(text, 'departments', f).body.matchAll(/^ {2}([a-z][a-z-]*):$/gm)].map((m) => m[1]!);
    const urls = region(text, 'urls', f).body;
    const deps = region(text, 'gateway-depends-on', f).body;
    return services
      .filter((s) => urls.includes(`${envPrefix(s)}_URL:`) && new RegExp(`^ {6}${s}:$`, 'm').test(deps))
      .map((s) => byName(table, s));
  },
};

// ---- codegen.yml -----------------------------------------------------------------------------

const codegenBlock = (d: DepartmentEntry) => {
  const mappers = Object.entries(d.codegenMappers);
  return `  subgraphs/${d.subgraph}/src/__generated__/resolvers-types.ts:
    schema: subgraphs/${d.subgraph}/src/schema.graphql
    plugins: [typescript, typescript-resolvers]
    config:
      contextType: ../loaders#Context
${mappers.length ? `      mappers:\n${mappers.map(([type, record]) => `        ${type}: ../models#${record}\n`).join('')}` : ''}`;
};

const codegenTarget: Target = {
  file: 'codegen.yml',
  render: (text, table) => replaceRegion(text, 'departments', codegenTarget.file, table.map(codegenBlock).join('')),
  present: (text, table) =>
    [...region(text, 'departments', codegenTarget.file).body.matchAll(/^ {4}schema: subgraphs\/([a-z-]+)\/src\/schema\.graphql$/gm)].map((m) => byName(table, m[1]!)),
};

// ---- Dockerfile ------------------------------------------------------------------------------

const EXPOSE = /^EXPOSE .*$/m;
const dockerfileTarget: Target = {
  file: 'Dockerfile',
  render: (text, table) => text.replace(EXPOSE, `EXPOSE ${[GATEWAY_PORT, ...subgraphsOf(table).map((s) => s.port)].sort((a, b) => a - b).join(' ')}`),
  present(text, table) {
    const ports = new Set((EXPOSE.exec(text)?.[0] ?? '').split(/\s+/).slice(1).map(Number));
    return table.filter((d) => ports.has(d.port)).map((d) => d.department);
  },
};

export function targets(root = ROOT): Target[] {
  return [...schemaFiles(root).map(enumTarget), realmTarget, composeTarget, codegenTarget, dockerfileTarget];
}

export interface Stale {
  file: string;
  /** Departments of the table the file lacks. */
  missing: string[];
  /** Departments in the file that are not in the table. */
  extra: string[];
}

/** The files that differ from what the table makes of them, each with what it misses. */
export function staleFiles(table: readonly DepartmentEntry[] = DEPARTMENT_TABLE, root = ROOT, read = (f: string) => readFileSync(path.join(root, f), 'utf8')): Stale[] {
  const stale: Stale[] = [];
  for (const t of targets(root)) {
    const current = read(t.file);
    if (t.render(current, table) === current) continue;
    const present = t.present(current, table);
    const ids = table.map((d) => d.department);
    stale.push({ file: t.file, missing: ids.filter((d) => !present.includes(d)), extra: present.filter((d) => !ids.includes(d)) });
  }
  return stale;
}

/** What each department needs in its own files, which the script cannot write. */
export function missingFolders(table: readonly DepartmentEntry[] = DEPARTMENT_TABLE, root = ROOT): string[] {
  const problems: string[] = [];
  for (const d of table) {
    const index = path.join('subgraphs', d.subgraph, 'src', 'index.ts');
    const policy = path.join('subgraphs', ACCESS_SERVICE.subgraph, 'policies', `${d.subgraph}.yaml`);
    if (!existsSync(path.join(root, index))) problems.push(`${d.department}: no subgraph ${index}`);
    else if (!readFileSync(path.join(root, index), 'utf8').includes(`department: '${d.department}'`)) problems.push(`${d.department}: ${index} does not declare department: '${d.department}'`);
    if (!existsSync(path.join(root, policy))) problems.push(`${d.department}: no shipped policy ${policy}`);
    else if (!new RegExp(`^department: ${d.department}$`, 'm').test(readFileSync(path.join(root, policy), 'utf8'))) problems.push(`${d.department}: ${policy} is not the ${d.department} policy`);
  }
  return problems;
}

/** One line of `--check`'s report. */
export const describeStale = (s: Stale) =>
  `${s.file}: ${[s.missing.length ? `misses ${s.missing.join(', ')}` : '', s.extra.length ? `has ${s.extra.join(', ')}, not in the table` : ''].filter(Boolean).join('; ') || 'differs from the table'}`;

if (require.main === module) {
  const check = process.argv.includes('--check');
  const problems = [...tableProblems(DEPARTMENT_TABLE), ...missingFolders()];
  const stale = staleFiles();
  if (check) {
    for (const p of problems) console.error(p);
    for (const s of stale) console.error(`${describeStale(s)} (run: npm run departments)`);
    process.exit(problems.length || stale.length ? 1 : 0);
  }
  for (const t of targets()) {
    const file = path.join(ROOT, t.file);
    const current = readFileSync(file, 'utf8');
    const next = t.render(current, DEPARTMENT_TABLE);
    if (next !== current) {
      writeFileSync(file, next);
      console.log(`wrote ${t.file}`);
    }
  }
  for (const p of problems) console.error(p);
  if (stale.some((s) => s.file.endsWith('schema.graphql') || s.file === 'codegen.yml')) console.log('schemas or codegen.yml changed: npm run codegen and npm run compose next (npm run regenerate runs them all)');
  process.exit(problems.length ? 1 : 0);
}
