/**
 * The files that list departments without importing the table (schemas' enums, the realm,
 * compose, codegen, the Dockerfile) hold exactly the table's departments: the check passes on
 * the repository, and a table with one department more makes it name every file as missing it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DEPARTMENT_TABLE, tableProblems, type DepartmentEntry } from '@anmulong/platform';
import { buildRealm, verifyPassword, type RealmRepresentation } from '@anmulong/identity';
import { describeStale, missingFolders, ROOT, staleFiles, targets } from '../departments';

const VETERANS: DepartmentEntry = {
  department: 'VETERANS_AFFAIRS',
  subgraph: 'veterans-affairs',
  label: 'veterans affairs',
  port: 4008,
  roles: [
    { name: 'veterans-caseworker', description: 'Veterans-affairs caseworker' },
    { name: 'veterans-affairs-admin', description: 'Veterans-affairs department administrator' },
  ],
  admin: 'veterans-affairs-admin',
  users: [
    { username: 'veterans.caseworker', role: 'veterans-caseworker', jurisdiction: '150624101', firstName: 'Veterans', lastName: 'Caseworker' },
    { username: 'veterans.admin', role: 'veterans-affairs-admin', jurisdiction: '150624', firstName: 'Veterans Affairs', lastName: 'Administrator' },
  ],
  rowConditionFields: { Pension: ['status'] },
  codegenMappers: { Pension: 'PensionRecord', Resident: 'ResidentRef' },
  demoTag: 7,
  householdView: { resident: 'pensions { id }' },
};
const WITH_VETERANS = [...DEPARTMENT_TABLE, VETERANS];
const FILES = [
  'subgraphs/access/src/schema.graphql', 'subgraphs/registry/src/schema.graphql', 'keycloak/realm-otog.json', 'docker-compose.yml', 'codegen.yml', 'Dockerfile',
];
const read = (f: string) => readFileSync(path.join(ROOT, f), 'utf8');
/** Every target file as the table makes it, from the files as they are. */
const rendered = (table: readonly DepartmentEntry[], from: (f: string) => string = read) =>
  Object.fromEntries(targets().map((t) => [t.file, t.render(from(t.file), table)]));

describe('the table of departments', () => {
  it('is consistent, and each department has its subgraph and its shipped policy', () => {
    expect(tableProblems(DEPARTMENT_TABLE)).toEqual([]);
    expect(missingFolders()).toEqual([]);
  });

  it('refuses a second department on a port, a role or a user already taken, and an enum value that is not its subgraph in capitals', () => {
    const clash: DepartmentEntry = { ...VETERANS, department: 'VETERANS', port: 4006, roles: [...VETERANS.roles, { name: 'judge', description: '' }], users: [{ ...VETERANS.users[0]!, username: 'judge', role: 'judge' }] };
    expect(tableProblems([...DEPARTMENT_TABLE, clash])).toEqual([
      'VETERANS: the enum value must be the subgraph\'s name in capitals (VETERANS_AFFAIRS)',
      "VETERANS: port 4006 is also PARTY_BUILDING's",
      "VETERANS: role judge is also COURT's",
      "VETERANS: username judge is also COURT's",
    ]);
  });
});

describe('scripts/departments.ts', () => {
  it('--check passes on the repository (exit 0, nothing printed)', () => {
    expect(staleFiles()).toEqual([]);
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'departments.ts'), '--check'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    expect(out).toBe('');
  });

  it('writes every file from the table: the files as they are, unchanged', () => {
    expect(targets().map((t) => t.file).sort()).toEqual([...FILES].sort());
    const files = rendered(DEPARTMENT_TABLE);
    for (const f of FILES) expect({ f, same: files[f] === read(f) }).toEqual({ f, same: true });
  });

  it('with one department more in the table, names every file as missing it', () => {
    const stale = staleFiles(WITH_VETERANS);
    expect(stale).toEqual(FILES.map((file) => ({ file, missing: ['VETERANS_AFFAIRS'], extra: [] })));
    expect(stale.map(describeStale)).toContain('keycloak/realm-otog.json: misses VETERANS_AFFAIRS');
    expect(missingFolders(WITH_VETERANS)).toEqual([
      'VETERANS_AFFAIRS: no subgraph subgraphs/veterans-affairs/src/index.ts',
      'VETERANS_AFFAIRS: no shipped policy subgraphs/access/policies/veterans-affairs.yaml',
    ]);
  });

  it('with one department fewer, names every file as holding one not in the table', () => {
    const without = DEPARTMENT_TABLE.filter((d) => d.department !== 'COURT');
    expect(staleFiles(without)).toEqual(FILES.filter((f) => f !== 'Dockerfile').map((file) => ({ file, missing: [], extra: ['COURT'] })).concat([{ file: 'Dockerfile', missing: [], extra: [] }]));
  });

  describe('regenerating with the new department', () => {
    const files = rendered(WITH_VETERANS);
    const from = (f: string) => files[f]!;

    it('then holds it everywhere, and a second run changes nothing', () => {
      expect(staleFiles(WITH_VETERANS, ROOT, from)).toEqual([]);
      expect(rendered(WITH_VETERANS, from)).toEqual(files);
    });

    it('and going back to the table gives the files as they were, byte for byte', () => {
      const back = rendered(DEPARTMENT_TABLE, from);
      for (const f of FILES) expect({ f, same: back[f] === read(f) }).toEqual({ f, same: true });
    });

    it('adds its enum value to each schema that declares Department', () => {
      for (const f of FILES.filter((x) => x.endsWith('.graphql'))) {
        expect(/enum Department \{([^}]*)\}/.exec(from(f))![1]!.split(/\s+/).filter(Boolean)).toEqual(WITH_VETERANS.map((d) => d.department));
      }
    });

    it('adds its compose service on its port, its URL for everyone, and the gateway waits for it', () => {
      const compose = parse(from('docker-compose.yml'), { merge: true }) as { services: Record<string, any> };
      const svc = compose.services['veterans-affairs'];
      expect(svc.command).toEqual(['node', '--import', 'tsx', 'subgraphs/veterans-affairs/src/index.ts']);
      expect(svc.environment.PORT).toBe('4008');
      expect(svc.ports).toEqual(['127.0.0.1:4008:4008']);
      expect(svc.depends_on.access).toEqual({ condition: 'service_healthy' });
      expect(compose.services.gateway.environment.VETERANS_AFFAIRS_URL).toBe('http://veterans-affairs:4008/graphql');
      expect(compose.services.gateway.depends_on['veterans-affairs']).toEqual({ condition: 'service_healthy' });
    });

    it("adds its codegen block with its models' records, and its port to the Dockerfile", () => {
      const codegen = parse(from('codegen.yml')) as { generates: Record<string, any> };
      expect(codegen.generates['subgraphs/veterans-affairs/src/__generated__/resolvers-types.ts']).toEqual({
        schema: 'subgraphs/veterans-affairs/src/schema.graphql',
        plugins: ['typescript', 'typescript-resolvers'],
        config: { contextType: '../loaders#Context', mappers: { Pension: '../models#PensionRecord', Resident: '../models#ResidentRef' } },
      });
      expect(Object.keys(codegen.generates)).toHaveLength(DEPARTMENT_TABLE.length + 2);
      expect(from('Dockerfile')).toMatch(/^EXPOSE 4000 4001 4002 4003 4004 4005 4006 4007 4008$/m);
    });

    it('adds its roles and its demo users to the realm, who log in with the demo password, and offers it as a department', async () => {
      const raw = JSON.parse(from('keycloak/realm-otog.json'));
      const roles = raw.roles.realm.map((r: { name: string }) => r.name);
      // New entries go after the departments already there, before the analyst and the auditor.
      expect(roles.slice(-4)).toEqual(['veterans-caseworker', 'veterans-affairs-admin', 'analyst', 'auditor']);
      const profile = JSON.parse(raw.components['org.keycloak.userprofile.UserProfileProvider'][0].config['kc.user.profile.config'][0]);
      expect(profile.attributes.find((a: { name: string }) => a.name === 'department').validations.options.options).toEqual(WITH_VETERANS.map((d) => d.subgraph));
      const realm = buildRealm(raw as RealmRepresentation);
      for (const u of VETERANS.users) {
        const user = realm.users.get(u.username)!;
        expect(user).toMatchObject({ enabled: true, roles: [u.role], attributes: { department: ['veterans-affairs'], jurisdiction: [u.jurisdiction] } });
        expect(await verifyPassword(user, 'anmulong')).toBe(true);
        expect(await verifyPassword(user, 'wrong')).toBe(false);
      }
    });
  });
});
