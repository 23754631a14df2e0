import { idNumberCheckChar } from '@anmulong/platform';
import { startStack, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';

/**
 * The answer without `extensions.cost` (the gateway reports its estimate outside production):
 * the estimate is computed from the query alone, the same for any id, so it reveals nothing.
 */
function withoutCost<T extends { extensions?: Record<string, unknown> }>(answer: T): Omit<T, 'extensions'> {
  const { extensions, ...rest } = answer;
  const { cost: _cost, ...others } = extensions ?? {};
  return Object.keys(others).length ? { ...rest, extensions: others } : rest;
}

/*
 * No existence leaks, through the gateway on the real stack: a write that collides with a record
 * the caller may not see (outside their jurisdiction, or hidden by a row condition) is refused
 * without saying that or where the record exists, and the attempt is in the access log for the
 * auditor; a collision with a record the caller may see is refused plainly. Look-ups of records
 * outside the caller's view answer null, as for ids that do not exist.
 */
let stack: Stack;
const GRID = '150624100001001'; // the demo grid worker's grid

beforeAll(async () => {
  stack = await startStack();
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
}, 180_000);
afterAll(async () => stack?.close());

const REGISTER = 'mutation Register($input: RegisterResidentInput!) { registerResident(input: $input) { id } }';
const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;
const LOG = `query($id: ID!) { accessLog(residentId: $id, first: 100) { edges { node { kind username operationName residentIds detail } } } }`;

async function setCondition(department: string, role: string, type: string, field: string, values: string[]) {
  const res = await stack.query('admin', `mutation($d: Department!, $r: String!, $t: String!, $f: String!, $v: [String!]!) {
    setRowCondition(department: $d, role: $r, type: $t, field: $f, values: $v) { version } }`, { d: department, r: role, t: type, f: field, v: values });
  expect(res.errors).toBeUndefined();
  const subgraph = stack.subgraphs[department.toLowerCase() as 'court' | 'mediation'];
  for (let i = 0; i < 100 && subgraph.policies!.get(department as 'COURT' | 'MEDIATION')!.version < res.data.setRowCondition.version; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('registerResident with an identity number already registered', () => {
  it('outside the caller’s jurisdiction: a neutral refusal that says what to do next, nothing written, the attempt in the access log', async () => {
    const { Resident } = stack.registry.models;
    const elsewhere = (await Resident.findOne({ divisionPath: '150624101' }).lean())!;
    const before = await Resident.countDocuments();
    const res = await stack.query('gridworker', REGISTER, { input: { idNumber: elsewhere.idNumber, name: { zh: '张三' }, ethnicity: '汉族', divisionCode: GRID } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    const message = res.errors![0].message;
    expect(message).toMatch(/cannot be registered in your jurisdiction/);
    expect(message).toMatch(/registry office/);
    // Nothing about the person: not that they are registered, nor where, nor their record's id.
    expect(message).not.toMatch(/already|registered elsewhere|150624101|Qipanjing/);
    expect(message).not.toContain(String(elsewhere._id));
    expect(res.errors![0].extensions).not.toHaveProperty('residentId');
    expect(await Resident.countDocuments()).toBe(before);

    // The same answer for another hidden person: the message does not vary with who they are.
    const other = (await Resident.findOne({ divisionPath: '150624102' }).lean())!;
    const again = await stack.query('gridworker', REGISTER, { input: { idNumber: other.idNumber, name: { zh: '李四' }, ethnicity: '汉族', divisionCode: GRID } });
    expect(again.errors![0].message).toBe(message);

    // The auditor finds the attempt in that resident's access log, with the collision spelled out.
    const log = await stack.query('auditor', LOG, { id: String(elsewhere._id) });
    const entry = log.data.accessLog.edges.map((e: any) => e.node).find((n: any) => n.username === 'gridworker' && n.operationName === 'Register');
    expect(entry).toMatchObject({ kind: 'MUTATION', residentIds: [String(elsewhere._id)] });
    expect(entry.detail).toMatch(new RegExp(`collision: input\\.idNumber collides with Resident ${elsewhere._id} outside the caller's view`));
    const byUser = await stack.query('auditor', `query { accessLogByUser(username: "gridworker", first: 100) { edges { node { detail residentIds } } } }`);
    expect(byUser.data.accessLogByUser.edges.some((e: any) => e.node.detail?.includes(String(other._id)))).toBe(true);
  });

  it('inside the caller’s jurisdiction: refused plainly, naming the resident they may see', async () => {
    const { Resident } = stack.registry.models;
    const neighbour = (await Resident.findOne({ divisionPath: GRID }).lean())!;
    const res = await stack.query('gridworker', REGISTER, { input: { idNumber: neighbour.idNumber, name: { zh: '王五' }, ethnicity: '汉族', divisionCode: GRID } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toBe(`input.idNumber: a resident with this identity number is already registered (resident ${neighbour._id})`);
  });

  it('a fresh identity number is still registered (the check costs nothing to the legitimate case)', async () => {
    const first17 = '15062419881212357';
    const res = await stack.query('gridworker', REGISTER, { input: { idNumber: first17 + idNumberCheckChar(first17), name: { zh: '赵六' }, ethnicity: '汉族', divisionCode: GRID } });
    expect(res.errors).toBeUndefined();
  });
});

describe('fileCase from a dispute that already has a court case', () => {
  const FILE = 'mutation File($input: FileCaseInput!) { fileCase(input: $input) { id } }';
  async function filedDispute() {
    const courtCase = (await stack.subgraphs.court.models.CourtCase.findOne({ disputeId: { $type: 'objectId' } }).lean())!;
    const dispute = (await stack.subgraphs.mediation.models.Dispute.findById(courtCase.disputeId).lean())!;
    return { courtCase, input: { disputeId: String(dispute._id), parties: dispute.partyIds.map(String).slice(0, 1), type: 'CIVIL', divisionCode: dispute.divisionCode } };
  }

  it('a case the judge may see: refused plainly with its case number', async () => {
    const { courtCase, input } = await filedDispute();
    const res = await stack.query('judge', FILE, { input });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain(`already has a court case (${courtCase.caseNumber})`);
  });

  it('a case a row condition hides from the judge: a neutral refusal and an access-log entry; look-ups of it answer null', async () => {
    const { courtCase, input } = await filedDispute();
    const other = ['CIVIL', 'ADMINISTRATIVE', 'CRIMINAL'].find((t) => t !== courtCase.type)!;
    await setCondition('COURT', 'judge', 'CourtCase', 'type', [other]);
    try {
      const before = await stack.subgraphs.court.models.CourtCase.countDocuments();
      const res = await stack.query('judge', FILE, { input });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(/cannot be filed .* by you; the court's filing office/);
      expect(res.errors![0].message).not.toMatch(new RegExp(`already|${courtCase.caseNumber.replace(/[()]/g, '\\$&')}|${courtCase._id}`));
      expect(await stack.subgraphs.court.models.CourtCase.countDocuments()).toBe(before);
      const log = await stack.query('auditor', `query { accessLogByUser(username: "judge", first: 100) { edges { node { operationName detail } } } }`);
      const entry = log.data.accessLogByUser.edges.map((e: any) => e.node).find((n: any) => n.operationName === 'File' && n.detail);
      expect(entry.detail).toBe(`collision: input.disputeId collides with CourtCase ${courtCase._id} outside the caller's view`);

      const lookup = await stack.query('judge', 'query($id: ID!) { courtCase(id: $id) { id } }', { id: String(courtCase._id) });
      expect(lookup.errors).toBeUndefined();
      expect(lookup.data.courtCase).toBeNull();
      const viaDispute = await stack.query('judge', 'query($id: ID!) { dispute(id: $id) { id courtCase { id } } }', { id: input.disputeId });
      expect(viaDispute.data.dispute).toEqual({ id: input.disputeId, courtCase: null });
    } finally {
      await setCondition('COURT', 'judge', 'CourtCase', 'type', []);
    }
  });
});

describe('screenDispute from a help request already screened into a dispute the mediator may not see', () => {
  it('refused without naming the dispute, recorded for review; the dispute itself answers null', async () => {
    const { Dispute } = stack.subgraphs.mediation.models;
    // A help request about a dispute in Ulan (police shows mediators those), screened once by the mediator.
    const resident = (await stack.registry.models.Resident.findOne({ divisionPath: GRID }).lean())!;
    const helpRequest = await stack.police.models.HelpRequest.create({
      category: 'DISPUTE', description: '邻里纠纷', status: 'OPEN', reportedAt: new Date('2024-04-30T08:00:00Z'), residentId: resident._id, divisionCode: GRID,
    });
    const parties = (await stack.registry.models.Resident.find({ divisionPath: GRID }).limit(2).lean()).map((r) => String(r._id));
    const SCREEN = 'mutation Screen($input: ScreenDisputeInput!) { screenDispute(input: $input) { id } }';
    const input = { category: 'NEIGHBOURS', description: '邻里纠纷', partyIds: parties, divisionCode: GRID, screenedOn: '2024-05-01', helpRequestId: String(helpRequest._id) };
    const first = await stack.query('mediator', SCREEN, { input });
    expect(first.errors).toBeUndefined();
    const existing = { _id: first.data.screenDispute.id };
    // The mediator's role now sees only disputes that reached COURT: this one is hidden from them.
    await setCondition('MEDIATION', 'mediator', 'Dispute', 'stage', ['COURT']);
    try {
      const before = await Dispute.countDocuments();
      const res = await stack.query('mediator', SCREEN, { input });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(/cannot be screened by you; the banner's dispute-resolution centre/);
      expect(res.errors![0].message).not.toMatch(new RegExp(`already|${existing._id}`));
      expect(await Dispute.countDocuments()).toBe(before);
      const log = await stack.query('auditor', `query { accessLogByUser(username: "mediator", first: 100) { edges { node { operationName detail } } } }`);
      expect(log.data.accessLogByUser.edges.map((e: any) => e.node).filter((n: any) => n.operationName === 'Screen').map((n: any) => n.detail))
        .toEqual([null, `collision: input.helpRequestId collides with Dispute ${existing._id} outside the caller's view`]);
      const lookup = await stack.query('mediator', 'query($id: ID!) { dispute(id: $id) { id } }', { id: String(existing._id) });
      expect(withoutCost(lookup)).toEqual({ status: 200, data: { dispute: null } });
    } finally {
      await setCondition('MEDIATION', 'mediator', 'Dispute', 'stage', []);
    }
  });
});

describe('look-ups of records outside the caller’s view answer null, like ids that do not exist', () => {
  it('a resident outside the grid worker’s grid, and one that does not exist: the same null, no error', async () => {
    const elsewhere = (await stack.registry.models.Resident.findOne({ divisionPath: '150624101' }).lean())!;
    for (const id of [String(elsewhere._id), '0123456789abcdef01234567']) {
      const res = await stack.query('gridworker', 'query($id: ID!) { resident(id: $id) { id name { zh } } }', { id });
      expect(withoutCost(res)).toEqual({ status: 200, data: { resident: null } });
    }
  });
});

describe('setRowCondition', () => {
  const SET = 'mutation($v: [String!]!, $f: String!) { setRowCondition(department: COURT, role: "judge", type: "CourtCase", field: $f, values: $v) { version } }';
  it('is refused to roles that do not manage the department’s policy', async () => {
    for (const user of ['judge', 'police.admin', 'auditor', 'analyst']) {
      const res = await stack.query(user, SET, { f: 'type', v: ['CIVIL'] }, { headers: { 'x-access-purpose': 'test' } });
      expect([user, codeOf(res)]).toEqual([user, 'FORBIDDEN']);
    }
  });

  it('names only fields that can carry a condition, and only their real values', async () => {
    const field = await stack.query('court.admin', SET, { f: 'caseNumber', v: ['x'] });
    expect(codeOf(field)).toBe('BAD_USER_INPUT');
    expect(field.errors![0].message).toMatch(/CourtCase\.caseNumber cannot carry a row condition .*CourtCase\.type, CourtCase\.status/);
    const value = await stack.query('court.admin', SET, { f: 'type', v: ['{"$ne":""}'] });
    expect(codeOf(value)).toBe('BAD_USER_INPUT');
    expect(value.errors![0].message).toMatch(/CourtCase\.type is one of CIVIL, /);
    const policy = await stack.query('court.admin', 'query { accessPolicy(department: COURT) { rowConditionFields roles { role rowConditions { type } } } }');
    expect(policy.data.accessPolicy.rowConditionFields).toEqual(['CourtCase.type', 'CourtCase.status']);
  });
});
