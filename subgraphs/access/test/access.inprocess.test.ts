import { startSubgraphHarness, type SubgraphHarness } from '@anmulong/testkit';
import { access } from '../src/index';
import type { AccessModels } from '../src/models';

// The access service alone, in this process: the policy administration API (own department only,
// versioned, validated, rollback). That a change reaches the other subgraphs in force is a
// whole-stack matter, as is the access log the gateway ships (both in audit.test.ts).
let h: SubgraphHarness<AccessModels>;
beforeAll(async () => {
  h = await startSubgraphHarness(access);
});
afterAll(async () => h?.close());

const codes = (res: { errors?: { extensions?: { code?: string } }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);
const SET = `mutation($d: Department!, $r: String!, $t: String!, $f: String!, $a: FieldAccess!) {
  setFieldAccess(department: $d, role: $r, type: $t, field: $f, access: $a) { department version updatedBy change { kind summary diff { path from to } } } }`;
const VERSION = `query { accessPolicy(department: POLICE) { version } }`;
const versions = () => h.models.PolicyVersion.countDocuments({ department: 'POLICE' });

describe('reading policies', () => {
  it('serves each department’s shipped policy, seeded as version 1, to its admins and the auditor', async () => {
    for (const who of ['police.admin', 'admin', 'auditor']) {
      const res = await h.execute(who, `query { accessPolicy(department: POLICE) { department version updatedBy change { kind } } }`);
      expect(res.errors).toBeUndefined();
      expect(res.data.accessPolicy).toEqual({ department: 'POLICE', version: 1, updatedBy: 'policy-as-code', change: { kind: 'SEED' } });
    }
  });

  it('refuses another department’s policy to an admin, and any policy to staff', async () => {
    expect(codes(await h.execute('police.admin', `query { accessPolicy(department: COURT) { version } }`))).toEqual(['FORBIDDEN']);
    expect(codes(await h.execute('police.officer', VERSION))).toEqual(['FORBIDDEN']);
  });

  it('keeps the access log from everyone but the auditor', async () => {
    for (const who of ['admin', 'police.admin', 'analyst']) {
      const res = await h.execute(who, `query { accessLogByUser(username: "police.officer") { totalCount } }`);
      expect(codes(res)).toEqual(['FORBIDDEN']);
    }
    const auditor = await h.execute('auditor', `query { accessLogByUser(username: "police.officer") { totalCount } }`);
    expect(auditor.errors).toBeUndefined();
    expect(auditor.data.accessLogByUser.totalCount).toBe(0);
  });

  it('explainAccess names the deciding rule', async () => {
    const res = await h.execute('admin', `query { explainAccess(role: "analyst", department: REGISTRY, type: "Resident", field: "idNumber") { access reason } }`);
    expect(res.data.explainAccess.access).toBe('MASK');
    expect(res.data.explainAccess.reason).toMatch(/Resident\.idNumber: MASK.*analyst/);
  });
});

describe('administration', () => {
  it('an admin of one department is refused on another’s policy, and staff on any; nothing is stored', async () => {
    const before = await h.models.PolicyVersion.countDocuments();
    const other = await h.execute('police.admin', SET, { d: 'CIVIL_AFFAIRS', r: 'police-officer', t: 'Resident', f: 'aidGrants', a: 'ALLOW' });
    expect(codes(other)).toEqual(['FORBIDDEN']);
    const staff = await h.execute('police.officer', SET, { d: 'POLICE', r: 'police-officer', t: 'Patrol', f: 'route', a: 'DENY' });
    expect(codes(staff)).toEqual(['FORBIDDEN']);
    // The registry's own admin manages the REGISTRY policy only; the refusal names who does.
    const registry = await h.execute('registry.admin', SET, { d: 'POLICE', r: 'police-officer', t: 'Patrol', f: 'route', a: 'DENY' });
    expect(codes(registry)).toEqual(['FORBIDDEN']);
    expect(registry.errors?.[0]?.message).toBe('Only POLICE admins (police-admin) and platform-admin manage the POLICE policy');
    const police = await h.execute('police.admin', SET, { d: 'REGISTRY', r: 'police-officer', t: 'Resident', f: 'phone', a: 'ALLOW' });
    expect(police.errors?.[0]?.message).toBe('Only REGISTRY admins (registry-admin) and platform-admin manage the REGISTRY policy');
    const purge = await h.execute('police.admin', `mutation { purgeExpiredAccessLog { purged } }`);
    expect(codes(purge)).toContain('FORBIDDEN');
    expect(await h.models.PolicyVersion.countDocuments()).toBe(before);
  });

  it('rejects unknown roles, types, fields and versions with BAD_USER_INPUT and stores nothing', async () => {
    const before = await versions();
    for (const vars of [
      { d: 'POLICE', r: 'sheriff', t: 'Patrol', f: 'route', a: 'DENY' },
      { d: 'POLICE', r: 'police-officer', t: 'Aircraft', f: 'route', a: 'DENY' },
      { d: 'POLICE', r: 'police-officer', t: 'Patrol', f: 'altitude', a: 'DENY' },
      { d: 'POLICE', r: { $ne: '' }, t: 'Patrol', f: 'route', a: 'DENY' },
    ]) {
      const res = await h.execute('police.admin', SET, vars);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
    const rollback = await h.execute('police.admin', `mutation { rollbackAccessPolicy(department: POLICE, version: 999) { version } }`);
    expect(codes(rollback)).toEqual(['BAD_USER_INPUT']);
    const condition = await h.execute('police.admin', `mutation { setRowCondition(department: POLICE, role: "mediator", type: "HelpRequest", field: "description", values: ["x"]) { version } }`);
    expect(codes(condition)).toEqual(['BAD_USER_INPUT']);
    expect(condition.errors![0].message).toMatch(/HelpRequest.description cannot carry a row condition/);
    expect(await versions()).toBe(before);
  });

  it('stores a change as the next version with who and what, and rolls it back as another', async () => {
    const start = (await h.execute('police.admin', VERSION)).data.accessPolicy.version;
    const set = await h.execute('police.admin', SET, { d: 'POLICE', r: 'police-officer', t: 'Resident', f: 'helpRequests', a: 'DENY' });
    expect(set.errors).toBeUndefined();
    expect(set.data.setFieldAccess).toMatchObject({
      department: 'POLICE', version: start + 1, updatedBy: 'police.admin',
      change: { kind: 'SET_FIELD_ACCESS', diff: [{ path: 'roles.police-officer.read.Resident.helpRequests', from: null, to: '"DENY"' }] },
    });
    const explained = await h.execute('police.admin', `query { explainAccess(role: "police-officer", department: POLICE, type: "Resident", field: "helpRequests") { access reason } }`);
    expect(explained.data.explainAccess).toMatchObject({ access: 'DENY', reason: expect.stringMatching(/Resident\.helpRequests: DENY/) });
    const rolled = await h.execute('police.admin', `mutation($v: Int!) { rollbackAccessPolicy(department: POLICE, version: $v) { version change { kind } } }`, { v: start });
    expect(rolled.data.rollbackAccessPolicy).toEqual({ version: start + 2, change: { kind: 'ROLLBACK' } });
    const history = await h.execute('auditor', `query { accessPolicyHistory(department: POLICE, first: 3) { version updatedBy change { kind } } }`);
    expect(history.data.accessPolicyHistory.map((p: { change: { kind: string } }) => p.change.kind)).toEqual(['ROLLBACK', 'SET_FIELD_ACCESS', 'SEED']);
    const restored = await h.execute('admin', `query { explainAccess(role: "police-officer", department: POLICE, type: "Resident", field: "helpRequests") { access } }`);
    expect(restored.data.explainAccess.access).toBe('ALLOW');
  });
});
