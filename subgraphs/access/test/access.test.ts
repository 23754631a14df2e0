import { startStack, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';

/*
 * Department policies end to end: the CONTRACT's guaranteed defaults for the register and the
 * police, live propagation of an admin's change, and requests that try to widen their scope (the
 * admin API on its own, in process: access.inprocess.test.ts).
 */
let stack: Stack;
const PURPOSE = { headers: { 'x-access-purpose': 'quarterly dispute statistics' } };
const codes = (res: { errors?: { extensions?: { code?: string } }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);
let qipanjingResident: string;
let ulanGridResident: string;

beforeAll(async () => {
  stack = await startStack();
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
  const { Resident } = stack.registry.models;
  const withPhone = await Resident.findOne({ divisionPath: '150624101', phone: { $ne: null } }).lean();
  qipanjingResident = String(withPhone!._id);
  ulanGridResident = String((await Resident.findOne({ divisionCode: '150624100001001' }).lean())!._id);
}, 120_000);
afterAll(async () => stack?.close());

const RESIDENT = `query($id: ID!) { resident(id: $id) { id idNumber phone name { zh } household { id } } }`;

describe('guaranteed defaults of the shipped policies', () => {
  it('department staff read registry basics in their jurisdiction with identity number and phone masked', async () => {
    const res = await stack.query('police.officer', RESIDENT, { id: qipanjingResident });
    expect(res.errors).toBeUndefined();
    expect(res.data.resident.idNumber).toMatch(/^150624\*{8}\d{3}[\dX]$/);
    expect(res.data.resident.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
  });

  it('the grid worker reads the full register of their own grid, and null outside it', async () => {
    const own = await stack.query('gridworker', RESIDENT, { id: ulanGridResident }, PURPOSE);
    expect(own.data.resident.idNumber).toMatch(/^\d{17}[\dX]$/);
    // Unmasked identity numbers and phones need a stated purpose, whatever the role: without one
    // they are served masked, each with its own error saying why (the rest of the answer stands:
    // idNumber is non-null, so refusing it would null the whole resident).
    const noPurpose = await stack.query('gridworker', `query($id: ID!) { resident(id: $id) { name { zh } idNumber phone } }`, { id: ulanGridResident });
    expect(noPurpose.data.resident.idNumber).toMatch(/^150624\*{8}\d{3}[\dX]$/);
    expect(noPurpose.data.resident.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(noPurpose.data.resident.name.zh).toBeTruthy();
    expect(noPurpose.errors).toEqual(['idNumber', 'phone'].map((f) => expect.objectContaining({
      path: ['resident', f], message: expect.stringContaining('served masked'), extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    })));
    const outside = await stack.query('gridworker', RESIDENT, { id: qipanjingResident }, PURPOSE);
    expect(outside.errors).toBeUndefined();
    expect(outside.data.resident).toBeNull();
  });

  it('the caseworker gets an empty connection for another town', async () => {
    const res = await stack.query('caseworker', `query { residents(divisionCode: "150624101") { totalCount edges { node { id } } } }`);
    expect(res.data.residents).toEqual({ totalCount: 0, edges: [] });
  });

  it('an analyst without X-Access-Purpose gets BAD_USER_INPUT and nothing else', async () => {
    const res = await stack.query('analyst', RESIDENT, { id: qipanjingResident });
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].message).toMatch(/X-Access-Purpose/);
    expect(res.data ?? null).toBeNull();
  });

  it('an analyst with a purpose reads banner-wide, identity numbers masked', async () => {
    const res = await stack.query('analyst', RESIDENT, { id: qipanjingResident }, PURPOSE);
    expect(res.errors).toBeUndefined();
    expect(res.data.resident.idNumber).toMatch(/^150624\*{8}\d{3}[\dX]$/);
  });

  it.each(['admin', 'police.admin', 'civil.admin', 'auditor'])('%s may not read personal records (FORBIDDEN)', async (user) => {
    const res = await stack.query(user, RESIDENT, { id: qipanjingResident });
    expect(res.data.resident).toBeNull();
    expect(codes(res)).toContain('FORBIDDEN');
    expect(res.errors![0].path).toEqual(['resident']);
  });

  it('a subgraph called directly gives the same decisions as the gateway', async () => {
    const direct = await stack.query('police.officer', RESIDENT.replace('household { id }', ''), { id: qipanjingResident }, { url: stack.registry.url });
    const viaGateway = await stack.query('police.officer', RESIDENT.replace('household { id }', ''), { id: qipanjingResident });
    expect(direct.data).toEqual(viaGateway.data);
    const admin = await stack.query('admin', RESIDENT, { id: qipanjingResident }, { url: stack.registry.url });
    expect(admin.data.resident).toBeNull();
    expect(codes(admin)).toContain('FORBIDDEN');
  });
});

describe('requests that try to widen their scope get nothing more', () => {
  it('a banner-wide division code counts only the caller’s jurisdiction', async () => {
    const q = (code: string) => `query { residents(divisionCode: "${code}", first: 100) { totalCount edges { node { division { code } } } } }`;
    const banner = await stack.query('police.officer', q('150624'));
    const own = await stack.query('police.officer', q('150624101'));
    expect(banner.data.residents.totalCount).toBe(own.data.residents.totalCount);
    expect(banner.data.residents.edges.every((e: any) => e.node.division.code.startsWith('150624101'))).toBe(true);
  });

  it('a forged department or jurisdiction header changes nothing', async () => {
    const res = await stack.query('caseworker', `query { residents(divisionCode: "150624101") { totalCount } }`, {}, {
      headers: { department: 'police', 'x-department': 'police', 'x-jurisdiction': '150624', jurisdiction: '150624' },
    });
    expect(res.data.residents.totalCount).toBe(0);
  });

  it('ids of records elsewhere resolve to null, through the gateway and directly', async () => {
    for (const url of [undefined, stack.registry.url]) {
      const res = await stack.query('caseworker', RESIDENT.replace('household { id }', ''), { id: qipanjingResident }, { url });
      expect(res.data.resident).toBeNull();
    }
  });
});

describe('administration API', () => {
  const SET = `mutation($d: Department!, $r: String!, $t: String!, $f: String!, $a: FieldAccess!) {
    setFieldAccess(department: $d, role: $r, type: $t, field: $f, access: $a) { department version updatedBy change { kind summary diff { path from to } } } }`;

  // Refusals, validation, versions and rollback of the API itself: access.inprocess.test.ts.
  it('a change is in force within 2 seconds without a restart, versioned with who and what; rollback restores it', async () => {
    const HELP = `query($id: ID!) { resident(id: $id) { id helpRequests { id } } }`;
    const withHelp = await stack.police.models.HelpRequest.findOne({ divisionPath: '150624101', residentId: { $ne: null } }).lean();
    const id = String(withHelp!.residentId);
    const before = await stack.query('police.officer', HELP, { id });
    expect(before.data.resident.helpRequests.length).toBeGreaterThan(0);
    const start = await stack.query('police.admin', `query { accessPolicy(department: POLICE) { version } }`);

    const t0 = Date.now();
    const set = await stack.query('police.admin', SET, { d: 'POLICE', r: 'police-officer', t: 'Resident', f: 'helpRequests', a: 'DENY' });
    expect(set.errors).toBeUndefined();
    expect(set.data.setFieldAccess).toMatchObject({
      department: 'POLICE', version: start.data.accessPolicy.version + 1, updatedBy: 'police.admin',
      change: { kind: 'SET_FIELD_ACCESS', diff: [{ path: 'roles.police-officer.read.Resident.helpRequests', from: null, to: '"DENY"' }] },
    });
    let denied: any;
    while (Date.now() - t0 < 5000) {
      denied = await stack.query('police.officer', HELP, { id });
      if (denied.data.resident.helpRequests.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const took = Date.now() - t0;
    expect(took).toBeLessThan(2000);
    expect(denied.data.resident).toEqual({ id, helpRequests: [] });
    expect(denied.errors).toEqual([expect.objectContaining({ path: ['resident', 'helpRequests'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    const explained = await stack.query('police.admin', `query { explainAccess(role: "police-officer", department: POLICE, type: "Resident", field: "helpRequests") { access reason } }`);
    expect(explained.data.explainAccess.access).toBe('DENY');
    expect(explained.data.explainAccess.reason).toMatch(/Resident\.helpRequests: DENY/);

    const rolled = await stack.query('police.admin', `mutation($v: Int!) { rollbackAccessPolicy(department: POLICE, version: $v) { version change { kind } } }`, { v: start.data.accessPolicy.version });
    expect(rolled.data.rollbackAccessPolicy).toEqual({ version: start.data.accessPolicy.version + 2, change: { kind: 'ROLLBACK' } });
    const t1 = Date.now();
    let served: any;
    while (Date.now() - t1 < 5000) {
      served = await stack.query('police.officer', HELP, { id });
      if (served.data.resident.helpRequests.length > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(Date.now() - t1).toBeLessThan(2000);
    expect(served.errors).toBeUndefined();
    const history = await stack.query('auditor', `query { accessPolicyHistory(department: POLICE, first: 3) { version updatedBy change { kind } } }`);
    expect(history.data.accessPolicyHistory.map((h: any) => h.change.kind)).toEqual(['ROLLBACK', 'SET_FIELD_ACCESS', 'SEED']);
    console.log(`policy change in force after ${took} ms`);
  });
});
