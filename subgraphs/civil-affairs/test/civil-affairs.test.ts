import { Types } from 'mongoose';
import { startStack, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';
import type { CivilAffairsModels } from '../src/models';
import { addDays, addMonths, ageOn, monthlyLine } from '../src/rules';

let stack: Stack;
let models: CivilAffairsModels;
const MENGXI = '150624102';
const QIPANJING = '150624101';

beforeAll(async () => {
  stack = await startStack();
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
  models = stack.subgraphs['civil-affairs'].models as CivilAffairsModels;
}, 120_000);
afterAll(async () => stack?.close());

const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const monthStart = () => `${today().slice(0, 7)}-01`;

const APP_FIELDS = 'id status program requestedAmountYuan residence rejectionReason reviewedBy decidedBy assessment { householdMonthlyIncomePerPerson povertyLineMonthly underLine } grant { id program amountYuan startDate endDate status } resident { id } household { id } division { code }';
const SUBMIT = `mutation($input: SubmitAidApplicationInput!) { submitAidApplication(input: $input) { ${APP_FIELDS} } }`;
const ASSESS = `mutation($id: ID!, $income: Float!) { recordMeansAssessment(id: $id, householdMonthlyIncomePerPerson: $income) { ${APP_FIELDS} } }`;
const REVIEW = `mutation($id: ID!) { startReview(id: $id) { ${APP_FIELDS} } }`;
const APPROVE = `mutation($id: ID!, $input: ApproveAidApplicationInput!) { approveAidApplication(id: $id, input: $input) { ${APP_FIELDS} } }`;
const REJECT = `mutation($id: ID!, $reason: String!) { rejectAidApplication(id: $id, reason: $reason) { ${APP_FIELDS} } }`;
const END = `mutation($id: ID!, $endDate: String!) { endAidGrant(id: $id, endDate: $endDate) { id status endDate startDate } }`;

interface Applicant { residentId: string; householdId: string; divisionCode: string; birthDate: string; householdType: string }
const used = new Set<string>();

/** A Mengxi resident with no aid records at all, not used by another test. */
async function freshApplicant(filter: (a: Applicant) => boolean = () => true): Promise<Applicant> {
  const { Resident, Household } = stack.registry.models;
  const residents = await Resident.find({ divisionPath: MENGXI, householdId: { $ne: null } }).sort({ _id: 1 }).lean<{ _id: Types.ObjectId; householdId: Types.ObjectId; birthDate: string }[]>();
  const withAid = new Set([
    ...(await models.AidGrant.distinct('residentId', { divisionPath: MENGXI })).map(String),
    ...(await models.AidApplication.distinct('residentId', { divisionPath: MENGXI })).map(String),
  ]);
  for (const r of residents) {
    if (used.has(String(r._id)) || withAid.has(String(r._id))) continue;
    const h = await Household.findById(r.householdId).lean<{ type: string; divisionCode: string }>();
    const a = { residentId: String(r._id), householdId: String(r.householdId), divisionCode: h!.divisionCode, birthDate: r.birthDate, householdType: h!.type };
    if (!filter(a)) continue;
    used.add(a.residentId);
    return a;
  }
  throw new Error('no fresh applicant left in Mengxi');
}

const submitInput = (a: Applicant, over: Record<string, unknown> = {}) => ({
  residentId: a.residentId, householdId: a.householdId, program: 'TEMPORARY', requestedAmountYuan: 800,
  divisionCode: MENGXI, reason: '家中突发火灾，生活暂时困难', ...over,
});

async function submitted(a: Applicant, over: Record<string, unknown> = {}): Promise<string> {
  const res = await stack.query('caseworker', SUBMIT, { input: submitInput(a, over) });
  expect(res.errors).toBeUndefined();
  return res.data.submitAidApplication.id;
}
async function underReview(a: Applicant, over: Record<string, unknown> = {}): Promise<string> {
  const id = await submitted(a, over);
  const res = await stack.query('caseworker', REVIEW, { id });
  expect(res.errors).toBeUndefined();
  return id;
}

/** Everything civil-affairs stores, to prove a refused mutation wrote nothing. */
async function snapshot() {
  const [apps, grants] = await Promise.all([
    models.AidApplication.find().sort({ _id: 1 }).lean(),
    models.AidGrant.find().sort({ _id: 1 }).lean(),
  ]);
  return JSON.stringify({ apps, grants });
}
async function expectRefused(as: string, query: string, variables: Record<string, unknown>, code: string, message?: RegExp, headers?: Record<string, string>) {
  const before = await snapshot();
  const res = await stack.query(as, query, variables, { headers });
  expect(codeOf(res)).toBe(code);
  if (message) expect(res.errors![0].message).toMatch(message);
  expect(await snapshot()).toBe(before);
  return res;
}

describe('demo data', () => {
  it('has every program, every application state, and aid for Mengxi and the herding sumu', async () => {
    const programs = await models.AidGrant.distinct('program');
    expect(programs.sort()).toEqual(['DISABILITY', 'ELDERLY', 'EXTREME_POVERTY', 'MINIMUM_LIVING', 'TEMPORARY']);
    expect((await models.AidApplication.distinct('status')).sort()).toEqual(['APPROVED', 'REJECTED', 'SUBMITTED', 'UNDER_REVIEW']);
    expect((await models.AidApplication.distinct('status', { divisionPath: MENGXI })).sort()).toEqual(['APPROVED', 'REJECTED', 'SUBMITTED', 'UNDER_REVIEW']);
    for (const town of [MENGXI, '150624200', '150624201']) expect(await models.AidGrant.countDocuments({ divisionPath: town })).toBeGreaterThan(0);
    // Every approved application names its grant, and every grant its approved application.
    const approved = await models.AidApplication.find({ status: 'APPROVED' }).lean();
    const grants = await models.AidGrant.find({ _id: { $in: approved.map((a) => a.grantId) } }).lean();
    expect(grants).toHaveLength(approved.length);
  });
});

describe('household → members → aid grants through the gateway', () => {
  it('serves the chain in one query, with Household.aidGrants the members\' grants', async () => {
    const top = await models.AidGrant.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { divisionPath: MENGXI, program: 'MINIMUM_LIVING' } },
      { $group: { _id: '$householdId', n: { $sum: 1 } } },
      { $sort: { n: -1 } },
    ]);
    expect(top[0]!.n).toBeGreaterThan(2);
    const householdId = String(top[0]!._id);
    const res = await stack.query('caseworker', `query($id: ID!) {
      household(id: $id) {
        id head { id }
        members { id name { zh } aidGrants { id program amountYuan startDate endDate status resident { id } division { code }
          application { id status grant { id } } } }
        aidGrants { id program resident { id name { zh } } household { id } }
      } }`, { id: householdId });
    expect(res.errors).toBeUndefined();
    const h = res.data.household;
    expect(h.members.length).toBe(top[0]!.n);
    for (const m of h.members) {
      const ml = m.aidGrants.filter((g: any) => g.program === 'MINIMUM_LIVING');
      expect(ml).toHaveLength(1);
      expect(ml[0].resident.id).toBe(m.id);
      expect(ml[0].amountYuan).toBeLessThanOrEqual(monthlyLine('URBAN'));
      expect(ml[0].application).toMatchObject({ status: 'APPROVED', grant: { id: ml[0].id } });
    }
    const memberGrantIds = h.members.flatMap((m: any) => m.aidGrants.map((g: any) => g.id)).sort();
    expect(h.aidGrants.map((g: any) => g.id).sort()).toEqual(memberGrantIds);
    expect(h.aidGrants.every((g: any) => g.household.id === householdId && typeof g.resident.name.zh === 'string')).toBe(true);
  });

  it('lists grants and applications by division, program and status, page by page', async () => {
    const all = await stack.query('caseworker', `{ aidGrants(divisionCode: "${MENGXI}", first: 100) { totalCount edges { node { id program } } } }`);
    expect(all.errors).toBeUndefined();
    expect(all.data.aidGrants.totalCount).toBe(await models.AidGrant.countDocuments({ divisionPath: MENGXI }));
    const ml = await stack.query('caseworker', `{ aidGrants(divisionCode: "${MENGXI}", program: MINIMUM_LIVING, first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id program } } } }`);
    expect(ml.data.aidGrants.edges.every((e: any) => e.node.program === 'MINIMUM_LIVING')).toBe(true);
    expect(ml.data.aidGrants.pageInfo.hasNextPage).toBe(true);
    const next = await stack.query('caseworker', `query($after: String) { aidGrants(divisionCode: "${MENGXI}", program: MINIMUM_LIVING, first: 2, after: $after) { edges { node { id } } } }`, { after: ml.data.aidGrants.pageInfo.endCursor });
    expect(next.data.aidGrants.edges[0].node.id).not.toBe(ml.data.aidGrants.edges[1].node.id);
    const review = await stack.query('caseworker', `{ aidApplications(divisionCode: "${MENGXI}", status: UNDER_REVIEW) { totalCount edges { node { status } } } }`);
    expect(review.data.aidApplications.totalCount).toBeGreaterThan(0);
    expect(review.data.aidApplications.edges.every((e: any) => e.node.status === 'UNDER_REVIEW')).toBe(true);
    const bad = await stack.query('caseworker', `query($p: AidProgram) { aidGrants(divisionCode: "${MENGXI}", program: $p) { totalCount } }`, { p: 'CASH' });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    const op = await stack.query('caseworker', `query($d: String!) { aidGrants(divisionCode: $d) { totalCount } }`, { d: { $ne: '' } });
    expect(codeOf(op)).toBe('BAD_USER_INPUT');
    const cursor = await stack.query('caseworker', `{ aidApplications(divisionCode: "${MENGXI}", after: "bm9wZQ") { totalCount } }`);
    expect(codeOf(cursor)).toBe('BAD_USER_INPUT');
  });
});

describe('the application state machine', () => {
  it('SUBMITTED → UNDER_REVIEW → APPROVED creates the grant; every illegal move is refused and writes nothing', async () => {
    const a = await freshApplicant();
    const id = await submitted(a, { program: 'DISABILITY', requestedAmountYuan: 200 });
    const app = await models.AidApplication.findById(id).lean();
    expect(app).toMatchObject({ status: 'SUBMITTED', program: 'DISABILITY', submittedBy: 'caseworker', divisionCode: MENGXI });
    expect(String(app!.householdId)).toBe(a.householdId);

    const approveInput = { amountYuan: 200, startDate: monthStart() };
    await expectRefused('caseworker', APPROVE, { id, input: approveInput }, 'BAD_USER_INPUT', /is SUBMITTED; only UNDER_REVIEW/);
    await expectRefused('caseworker', REJECT, { id, reason: '材料不全' }, 'BAD_USER_INPUT', /is SUBMITTED/);

    const reviewed = await stack.query('caseworker', REVIEW, { id });
    expect(reviewed.errors).toBeUndefined();
    expect(reviewed.data.startReview).toMatchObject({ status: 'UNDER_REVIEW', reviewedBy: 'caseworker', grant: null });
    await expectRefused('caseworker', REVIEW, { id }, 'BAD_USER_INPUT', /is UNDER_REVIEW; only SUBMITTED/);

    const grantsBefore = await models.AidGrant.countDocuments();
    const approved = await stack.query('caseworker', APPROVE, { id, input: approveInput });
    expect(approved.errors).toBeUndefined();
    const out = approved.data.approveAidApplication;
    expect(out).toMatchObject({ status: 'APPROVED', decidedBy: 'caseworker', grant: { program: 'DISABILITY', amountYuan: 200, startDate: monthStart(), endDate: null, status: 'ACTIVE' } });
    expect(await models.AidGrant.countDocuments()).toBe(grantsBefore + 1);
    const grant = await models.AidGrant.findById(out.grant.id).lean();
    expect(String(grant!.applicationId)).toBe(id);
    expect(String(grant!.residentId)).toBe(a.residentId);
    expect(String(grant!.householdId)).toBe(a.householdId);

    await expectRefused('caseworker', APPROVE, { id, input: approveInput }, 'BAD_USER_INPUT', /is APPROVED/);
    await expectRefused('caseworker', REJECT, { id, reason: '撤销' }, 'BAD_USER_INPUT', /is APPROVED/);
    await expectRefused('caseworker', REVIEW, { id }, 'BAD_USER_INPUT', /is APPROVED/);
    await expectRefused('caseworker', ASSESS, { id, income: 100 }, 'BAD_USER_INPUT', /is APPROVED/);

    // The grant shows on the resident, through the gateway.
    const chain = await stack.query('caseworker', `query($id: ID!) { resident(id: $id) { id aidGrants { id program } aidApplications { id status } } }`, { id: a.residentId });
    expect(chain.data.resident.aidGrants).toEqual([{ id: out.grant.id, program: 'DISABILITY' }]);
    expect(chain.data.resident.aidApplications).toEqual([{ id, status: 'APPROVED' }]);

    // Ending: once, not before the start, not beyond a planned end.
    await expectRefused('caseworker', END, { id: out.grant.id, endDate: addDays(monthStart(), -1) }, 'BAD_USER_INPUT', /must be after/);
    await expectRefused('caseworker', END, { id: out.grant.id, endDate: monthStart() }, 'BAD_USER_INPUT', /must be after/);
    const ended = await stack.query('caseworker', END, { id: out.grant.id, endDate: addMonths(monthStart(), 2) });
    expect(ended.errors).toBeUndefined();
    expect(ended.data.endAidGrant).toMatchObject({ status: 'ENDED', endDate: addMonths(monthStart(), 2) });
    await expectRefused('caseworker', END, { id: out.grant.id, endDate: addMonths(monthStart(), 1) }, 'BAD_USER_INPUT', /is ENDED; only an ACTIVE grant/);
  });

  it('UNDER_REVIEW → REJECTED keeps the reason; a rejected application cannot be approved, reviewed or rejected again', async () => {
    const a = await freshApplicant();
    const id = await underReview(a);
    const rejected = await stack.query('caseworker', REJECT, { id, reason: '困难情形已消除，无需救助' });
    expect(rejected.errors).toBeUndefined();
    expect(rejected.data.rejectAidApplication).toMatchObject({ status: 'REJECTED', rejectionReason: '困难情形已消除，无需救助', grant: null, decidedBy: 'caseworker' });
    const input = { amountYuan: 500, startDate: monthStart(), endDate: addMonths(monthStart(), 2) };
    await expectRefused('caseworker', APPROVE, { id, input }, 'BAD_USER_INPUT', /is REJECTED; only UNDER_REVIEW/);
    await expectRefused('caseworker', REVIEW, { id }, 'BAD_USER_INPUT', /is REJECTED/);
    await expectRefused('caseworker', REJECT, { id, reason: '再次' }, 'BAD_USER_INPUT', /is REJECTED/);
    expect(await models.AidGrant.countDocuments({ applicationId: new Types.ObjectId(id) })).toBe(0);
  });

  it('an approval that loses a race to a rejection leaves no grant behind', async () => {
    const a = await freshApplicant();
    const id = await underReview(a);
    const input = { amountYuan: 500, startDate: monthStart(), endDate: addMonths(monthStart(), 2) };
    const [approve, reject] = await Promise.all([
      stack.query('caseworker', APPROVE, { id, input }),
      stack.query('caseworker', REJECT, { id, reason: '同时处理' }),
    ]);
    const app = await models.AidApplication.findById(id).lean();
    const grants = await models.AidGrant.find({ residentId: new Types.ObjectId(a.residentId) }).lean();
    expect([approve.errors === undefined, reject.errors === undefined].filter(Boolean)).toHaveLength(1);
    if (app!.status === 'APPROVED') {
      expect(grants).toHaveLength(1);
      expect(String(app!.grantId)).toBe(String(grants[0]!._id));
    } else {
      expect(app!.status).toBe('REJECTED');
      expect(grants).toHaveLength(0);
    }
  });
});

describe('eligibility', () => {
  it('the minimum living allowance needs a means assessment under the local line, and an amount within it', async () => {
    const a = await freshApplicant();
    const line = monthlyLine(a.householdType === 'URBAN' ? 'URBAN' : 'RURAL');
    await expectRefused('caseworker', SUBMIT, { input: submitInput(a, { program: 'MINIMUM_LIVING', requestedAmountYuan: 300, householdMonthlyIncomePerPerson: line + 1 }) },
      'BAD_USER_INPUT', /not eligible for MINIMUM_LIVING/);
    const id = await underReview(a, { program: 'MINIMUM_LIVING', requestedAmountYuan: 300 });
    const input = { amountYuan: 300, startDate: monthStart() };
    await expectRefused('caseworker', APPROVE, { id, input }, 'BAD_USER_INPUT', /record the household means assessment first/);
    const high = await stack.query('caseworker', ASSESS, { id, income: line });
    expect(high.data.recordMeansAssessment.assessment).toMatchObject({ householdMonthlyIncomePerPerson: line, povertyLineMonthly: line, underLine: false });
    await expectRefused('caseworker', APPROVE, { id, input }, 'BAD_USER_INPUT', /not under the/);
    const low = await stack.query('caseworker', ASSESS, { id, income: 200 });
    expect(low.data.recordMeansAssessment.assessment.underLine).toBe(true);
    await expectRefused('caseworker', APPROVE, { id, input: { ...input, amountYuan: line + 10 } }, 'BAD_USER_INPUT', /MINIMUM_LIVING pays/);
    const ok = await stack.query('caseworker', APPROVE, { id, input });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.approveAidApplication.grant).toMatchObject({ program: 'MINIMUM_LIVING', amountYuan: 300, status: 'ACTIVE' });

    // No second application while the grant is active.
    await expectRefused('caseworker', SUBMIT, { input: submitInput(a, { program: 'MINIMUM_LIVING', requestedAmountYuan: 300 }) }, 'BAD_USER_INPUT', /already receives MINIMUM_LIVING/);
  });

  it('no two grants of the same program for the same person over overlapping periods', async () => {
    const a = await freshApplicant();
    const first = await underReview(a, { program: 'DISABILITY', requestedAmountYuan: 100 });
    const g = await stack.query('caseworker', APPROVE, { id: first, input: { amountYuan: 100, startDate: monthStart() } });
    expect(g.errors).toBeUndefined();
    // A second open application for the same program is refused while the first grant runs.
    await expectRefused('caseworker', SUBMIT, { input: submitInput(a, { program: 'DISABILITY', requestedAmountYuan: 100 }) }, 'BAD_USER_INPUT', /already receives DISABILITY/);
    const endDate = addDays(monthStart(), 20);
    expect((await stack.query('caseworker', END, { id: g.data.approveAidApplication.grant.id, endDate })).errors).toBeUndefined();
    const second = await underReview(a, { program: 'DISABILITY', requestedAmountYuan: 100 });
    await expectRefused('caseworker', APPROVE, { id: second, input: { amountYuan: 100, startDate: addDays(monthStart(), 10) } }, 'BAD_USER_INPUT', /already has a DISABILITY grant/);
    const ok = await stack.query('caseworker', APPROVE, { id: second, input: { amountYuan: 100, startDate: addDays(endDate, 1) } });
    expect(ok.errors).toBeUndefined();
    // Another program for the same person is fine; a second open application of one program is not.
    const temp = await submitted(a, { program: 'TEMPORARY' });
    expect(temp).toBeTruthy();
    await expectRefused('caseworker', SUBMIT, { input: submitInput(a, { program: 'TEMPORARY' }) }, 'BAD_USER_INPUT', /already has an open TEMPORARY application/);
  });

  it('checks program bounds, fixed periods, age and household membership', async () => {
    const a = await freshApplicant((x) => ageOn(x.birthDate, today()) < 80);
    const other = await freshApplicant((x) => x.householdId !== a.householdId);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['an amount above the program bound', { program: 'DISABILITY', requestedAmountYuan: 5000 }, /DISABILITY pays/],
      ['an amount below the program bound', { program: 'EXTREME_POVERTY', requestedAmountYuan: 100 }, /EXTREME_POVERTY pays/],
      ['the old-age allowance under 80', { program: 'ELDERLY', requestedAmountYuan: 100 }, /starts at 80/],
      ['a resident of another household', { residentId: other.residentId }, /is not a member of household/],
      ['a division that does not contain the household', { divisionCode: '150624102001' === a.divisionCode.slice(0, 12) ? '150624102002' : '150624102001' }, /does not contain the household/],
      ['a household outside the register (or jurisdiction)', { householdId: '0123456789abcdef01234567' }, /no household with id/],
    ];
    for (const [what, over, message] of cases) {
      const res = await expectRefused('caseworker', SUBMIT, { input: submitInput(a, over) }, 'BAD_USER_INPUT', message);
      expect(res.errors![0].message).toBeTruthy();
      void what;
    }
    const id = await underReview(a);
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ amountYuan: 800, startDate: monthStart() }, /endDate is required/],
      [{ amountYuan: 800, startDate: monthStart(), endDate: addMonths(monthStart(), 7) }, /at most 6 months/],
      [{ amountYuan: 800, startDate: monthStart(), endDate: monthStart() }, /must be after input.startDate/],
      [{ amountYuan: 800, startDate: addMonths(monthStart(), 1), endDate: monthStart() }, /must be after input.startDate/],
      [{ amountYuan: 800, startDate: addMonths(monthStart(), -2), endDate: addMonths(monthStart(), 1) }, /before the month the application was submitted/],
      [{ amountYuan: 800, startDate: addMonths(monthStart(), 5), endDate: addMonths(monthStart(), 6) }, /more than 3 months ahead/],
      [{ amountYuan: 50, startDate: monthStart(), endDate: addMonths(monthStart(), 1) }, /TEMPORARY pays/],
    ];
    for (const [input, message] of refusals) await expectRefused('caseworker', APPROVE, { id, input }, 'BAD_USER_INPUT', message);
  });
});

describe('validation of each mutation', () => {
  let a: Applicant;
  let openId: string;
  let grantId: string;
  beforeAll(async () => {
    a = await freshApplicant();
    openId = await underReview(a);
    const g = await models.AidGrant.findOne({ divisionPath: MENGXI, status: 'ACTIVE' }).lean();
    grantId = String(g!._id);
  });

  const submitCases: [string, Record<string, unknown>][] = [
    ['a malformed resident id', { residentId: 'abc' }],
    ['a malformed household id', { householdId: '12345' }],
    ['an operator as the resident id', { residentId: { $ne: null } }],
    ['an unknown program', { program: 'CASH' }],
    ['a negative amount', { requestedAmountYuan: -5 }],
    ['an amount that is not a number', { requestedAmountYuan: 'lots' }],
    ['a negative income', { householdMonthlyIncomePerPerson: -1 }],
    ['an empty reason', { reason: '   ' }],
    ['an operator as the division', { divisionCode: { $gt: '' } }],
    ['a malformed division', { divisionCode: '1506' }],
    ['an unknown division', { divisionCode: '150624102999' }],
  ];
  it.each(submitCases)('submitAidApplication refuses %s (BAD_USER_INPUT, nothing written)', async (_what, over) => {
    await expectRefused('caseworker', SUBMIT, { input: submitInput(a, over) }, 'BAD_USER_INPUT');
  });

  it('submitAidApplication outside the jurisdiction is FORBIDDEN', async () => {
    await expectRefused('caseworker', SUBMIT, { input: submitInput(a, { divisionCode: QIPANJING }) }, 'FORBIDDEN');
  });

  it('the other mutations refuse malformed ids, operators, bad amounts and bad dates', async () => {
    const cases: [string, Record<string, unknown>][] = [
      [REVIEW, { id: 'abc' }],
      [REVIEW, { id: { $ne: null } }],
      [REVIEW, { id: '0123456789abcdef01234567' }],
      [ASSESS, { id: 'zzz', income: 100 }],
      [ASSESS, { id: openId, income: -1 }],
      [ASSESS, { id: openId, income: { $gt: 0 } }],
      [APPROVE, { id: 'nope', input: { amountYuan: 500, startDate: monthStart(), endDate: addMonths(monthStart(), 1) } }],
      [APPROVE, { id: openId, input: { amountYuan: -500, startDate: monthStart(), endDate: addMonths(monthStart(), 1) } }],
      [APPROVE, { id: openId, input: { amountYuan: 500, startDate: '2026-02-30', endDate: '2026-03-30' } }],
      [APPROVE, { id: openId, input: { amountYuan: 500, startDate: 'tomorrow', endDate: addMonths(monthStart(), 1) } }],
      [APPROVE, { id: openId, input: { amountYuan: 500, startDate: `${monthStart()}T00:00:00Z`, endDate: addMonths(monthStart(), 1) } }],
      [APPROVE, { id: openId, input: { amountYuan: 500, startDate: monthStart(), endDate: { $gt: '' } } }],
      [REJECT, { id: openId, reason: '' }],
      [REJECT, { id: '1', reason: '理由' }],
      [REJECT, { id: openId, reason: { $ne: '' } }],
      [END, { id: 'x', endDate: '2030-01-01' }],
      [END, { id: grantId, endDate: '2030-13-01' }],
      [END, { id: grantId, endDate: '01/02/2030' }],
      [END, { id: '0123456789abcdef01234567', endDate: '2030-01-01' }],
    ];
    for (const [query, variables] of cases) await expectRefused('caseworker', query, variables, 'BAD_USER_INPUT');
  });

  it('refuses staff who are not civil-affairs caseworkers (FORBIDDEN, nothing written)', async () => {
    await expectRefused('police.officer', SUBMIT, { input: submitInput(a) }, 'FORBIDDEN');
    await expectRefused('civil.admin', SUBMIT, { input: submitInput(a) }, 'FORBIDDEN');
    await expectRefused('mediator', REVIEW, { id: openId }, 'FORBIDDEN');
    await expectRefused('analyst', APPROVE, { id: openId, input: { amountYuan: 500, startDate: monthStart(), endDate: addMonths(monthStart(), 1) } }, 'FORBIDDEN', undefined,
      { 'X-Access-Purpose': 'aid approval spot check' });
    await expectRefused('judge', REJECT, { id: openId, reason: '不予' }, 'FORBIDDEN');
    await expectRefused('organizer', ASSESS, { id: openId, income: 10 }, 'FORBIDDEN');
    await expectRefused('gridworker', END, { id: grantId, endDate: '2030-01-01' }, 'FORBIDDEN');
  });
});

describe('jurisdiction', () => {
  it('a Mengxi caseworker sees nothing of Qipanjing: empty lists, null look-ups, refused writes', async () => {
    const there = await models.AidGrant.findOne({ divisionPath: QIPANJING }).lean();
    const thereApp = await models.AidApplication.findOne({ divisionPath: QIPANJING, status: 'UNDER_REVIEW' }).lean()
      ?? await models.AidApplication.findOne({ divisionPath: QIPANJING }).lean();
    expect(there && thereApp).toBeTruthy();
    const res = await stack.query('caseworker', `query($g: ID!, $a: ID!) {
      aidGrants(divisionCode: "${QIPANJING}") { totalCount edges { node { id } } }
      aidApplications(divisionCode: "${QIPANJING}") { totalCount }
      banner: aidGrants(divisionCode: "150624") { totalCount }
      aidGrant(id: $g) { id }
      aidApplication(id: $a) { id }
      resident(id: "${String(there!.residentId)}") { id }
    }`, { g: String(there!._id), a: String(thereApp!._id) });
    expect(res.errors).toBeUndefined();
    expect(res.data.aidGrants).toEqual({ totalCount: 0, edges: [] });
    expect(res.data.aidApplications.totalCount).toBe(0);
    expect(res.data.banner.totalCount).toBe(await models.AidGrant.countDocuments({ divisionPath: MENGXI }));
    expect(res.data.aidGrant).toBeNull();
    expect(res.data.aidApplication).toBeNull();
    expect(res.data.resident).toBeNull();
    // Existence elsewhere is not revealed: the same answer as for an id that does not exist.
    await expectRefused('caseworker', REVIEW, { id: String(thereApp!._id) }, 'BAD_USER_INPUT', /no aid application with id/);
    await expectRefused('caseworker', END, { id: String(there!._id), endDate: '2030-01-01' }, 'BAD_USER_INPUT', /no aid grant with id/);
    // A Qipanjing household cannot be applied for from Mengxi.
    const { Resident } = stack.registry.models;
    const r = await Resident.findOne({ divisionPath: QIPANJING, householdId: { $ne: null } }).lean<{ _id: Types.ObjectId; householdId: Types.ObjectId }>();
    await expectRefused('caseworker', SUBMIT, { input: { residentId: String(r!._id), householdId: String(r!.householdId), program: 'TEMPORARY', requestedAmountYuan: 500, divisionCode: MENGXI, reason: '困难' } },
      'BAD_USER_INPUT', /no household with id/);
  });
});

describe('direct calls and rules', () => {
  it('refuses a call without a valid token directly at the subgraph (401 UNAUTHENTICATED)', async () => {
    const url = stack.subgraphs['civil-affairs'].url;
    for (const authorization of [undefined, 'Bearer not.a.token']) {
      const res = await stack.query({ authorization }, `{ aidGrants(divisionCode: "150624") { totalCount } }`, {}, { url });
      expect(res.status).toBe(401);
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    }
    const ok = await stack.query('caseworker', `{ aidGrants(divisionCode: "150624") { totalCount } }`, {}, { url });
    expect(ok.data.aidGrants.totalCount).toBe(await models.AidGrant.countDocuments({ divisionPath: MENGXI }));
  });

  it('publishes the rules it applies', async () => {
    const res = await stack.query('caseworker', `{ aidRules { minimumLivingLineYearlyUrban minimumLivingLineYearlyRural elderlyMinimumAge temporaryMaxMonths programs { program minAmountYuan maxAmountYuan meansTested endDateRequired } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.aidRules).toMatchObject({ minimumLivingLineYearlyUrban: 9300, minimumLivingLineYearlyRural: 7800, elderlyMinimumAge: 80, temporaryMaxMonths: 6 });
    expect(res.data.aidRules.programs.map((p: any) => p.program)).toEqual(['MINIMUM_LIVING', 'EXTREME_POVERTY', 'TEMPORARY', 'DISABILITY', 'ELDERLY']);
  });
});

describe('DataLoader keeps store work flat', () => {
  async function commandsFor(householdId: string): Promise<number> {
    stack.docstore.resetCounters();
    const res = await stack.query('caseworker', `query($id: ID!) { household(id: $id) {
      id aidGrants { id program resident { id } }
      members { id name { zh } aidGrants { id program amountYuan status division { code } } aidApplications { id status } }
    } }`, { id: householdId });
    expect(res.errors).toBeUndefined();
    expect(res.data.household.id).toBe(householdId);
    const c = stack.docstore.counters();
    return Object.entries(c.byDb)
      // The databases this query reads; the access log is written after responses, asynchronously.
      .filter(([db]) => db === 'anmulong_registry' || db === 'anmulong_civil-affairs')
      .reduce((sum, [, cmds]) => sum + Object.values(cmds).reduce((x, y) => x + y, 0), 0);
  }

  it('a household of many members with grants costs the same store commands as a household of one or two', async () => {
    const { Resident } = stack.registry.models;
    const sizes = await Resident.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { divisionPath: MENGXI, householdId: { $ne: null } } },
      { $group: { _id: '$householdId', n: { $sum: 1 } } },
      { $sort: { n: -1 } },
    ]);
    const big = sizes[0]!;
    const small = sizes.find((s) => s.n <= 2)!;
    expect(big.n).toBeGreaterThanOrEqual(5);
    expect(small).toBeTruthy();
    expect(await models.AidGrant.countDocuments({ householdId: big._id })).toBeGreaterThanOrEqual(big.n);
    const bigCost = await commandsFor(String(big._id));
    const smallCost = await commandsFor(String(small._id));
    expect(bigCost).toBeGreaterThan(0);
    expect(bigCost).toBe(smallCost);
  });
});
