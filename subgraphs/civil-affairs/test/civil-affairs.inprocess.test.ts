import { Types } from 'mongoose';
import { codeOf, inDivision, startSubgraphHarness, type SubgraphHarness } from '@anmulong/testkit';
import { civilAffairs } from '../src/index';
import type { CivilAffairsModels } from '../src/models';
import { addDays, addMonths, ageOn, monthlyLine } from '../src/rules';

// Civil affairs in this process, with the registry it asks about applicants' households served
// beside it over HTTP (the harness's peer): reads, the policy, the application state machine,
// eligibility and every mutation's validation. What the gateway composes across departments
// (household → members → grants, one query over two departments, store work across both) stays
// in subgraphs/party-building/test/party-building.test.ts ('civil affairs across departments', on its whole stack).
let h: SubgraphHarness<CivilAffairsModels>;
let models: CivilAffairsModels;
beforeAll(async () => {
  h = await startSubgraphHarness(civilAffairs, { peers: ['registry'] });
  models = h.models;
});
afterAll(async () => h?.close());
/** The registry's models (residents, households), on the same docstore. */
const registry = () => h.peers.registry!.models;

const MENGXI = '150624102'; // the caseworker's jurisdiction
const QIPANJING = '150624101';
const ULAN = '150624100';
const APPLICATION = `id status assessment { householdMonthlyIncomePerPerson assessedBy } rejectionReason`;

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
  const { Resident, Household } = registry();
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
  const res = await h.execute('caseworker', SUBMIT, { input: submitInput(a, over) });
  expect(res.errors).toBeUndefined();
  return res.data.submitAidApplication.id;
}
async function underReview(a: Applicant, over: Record<string, unknown> = {}): Promise<string> {
  const id = await submitted(a, over);
  const res = await h.execute('caseworker', REVIEW, { id });
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
async function expectRefused(as: string, query: string, variables: Record<string, unknown>, code: string, message?: RegExp, purpose?: string) {
  const before = await snapshot();
  const res = await h.execute(as, query, variables, { purpose });
  expect(codeOf(res)).toBe(code);
  if (message) expect(res.errors![0].message).toMatch(message);
  expect(await snapshot()).toBe(before);
  return res;
}

/** A fresh SUBMITTED application in a division. */
async function storedApplication(divisionCode: string): Promise<string> {
  const doc = await h.models.AidApplication.create({
    residentId: new Types.ObjectId(), householdId: new Types.ObjectId(), program: 'MINIMUM_LIVING', status: 'SUBMITTED',
    requestedAmountYuan: 600, reason: '收入低于低保线', residence: 'RURAL', submittedAt: new Date('2023-06-01'), submittedBy: 'caseworker', divisionCode,
  });
  return String(doc._id);
}

describe('reads', () => {
  it('lists the applications and grants of the caseworker’s town, and nothing of another', async () => {
    const Q = `query($d: String!) { aidApplications(divisionCode: $d, first: 1) { totalCount } aidGrants(divisionCode: $d, first: 1) { totalCount } }`;
    const own = await h.execute('caseworker', Q, { d: MENGXI });
    expect(own.errors).toBeUndefined();
    expect(own.data.aidApplications.totalCount).toBe(await h.models.AidApplication.countDocuments(inDivision(MENGXI)));
    expect(own.data.aidGrants.totalCount).toBe(await h.models.AidGrant.countDocuments(inDivision(MENGXI)));
    expect(own.data.aidGrants.totalCount).toBeGreaterThan(0);
    const other = await h.execute('caseworker', Q, { d: ULAN });
    expect(await h.models.AidGrant.countDocuments(inDivision(ULAN))).toBeGreaterThan(0);
    expect(other.data).toEqual({ aidApplications: { totalCount: 0 }, aidGrants: { totalCount: 0 } });
    const grant = await h.models.AidGrant.findOne(inDivision(ULAN)).lean();
    const one = await h.execute('caseworker', `query($id: ID!) { aidGrant(id: $id) { id } }`, { id: String(grant!._id) });
    expect(one.data.aidGrant).toBeNull();
  });

  it('serves the rules to caseworkers, refuses them to a grid worker, and requires the analyst’s purpose', async () => {
    const rules = await h.execute('caseworker', `query { aidRules { elderlyMinimumAge programs { program } } }`);
    expect(rules.errors).toBeUndefined();
    expect(rules.data.aidRules.programs.length).toBeGreaterThan(0);
    const grid = await h.execute('gridworker', `query { aidRules { elderlyMinimumAge } }`);
    expect(grid.data.aidRules).toBeNull();
    expect(codeOf(grid)).toBe('FORBIDDEN');
    const analyst = await h.execute('analyst', `query { aidRules { elderlyMinimumAge } }`);
    expect(analyst.status).toBe(400);
    expect(codeOf(analyst)).toBe('BAD_USER_INPUT');
  });
});

describe('reviewing an application', () => {
  it('takes it under review, records the means assessment and rejects it with a reason; then nothing more', async () => {
    const id = await storedApplication(`${MENGXI}001`);
    const review = await h.execute('caseworker', `mutation($id: ID!) { startReview(id: $id) { ${APPLICATION} } }`, { id });
    expect(review.errors).toBeUndefined();
    expect(review.data.startReview.status).toBe('UNDER_REVIEW');
    const assessed = await h.execute('caseworker', `mutation($id: ID!) { recordMeansAssessment(id: $id, householdMonthlyIncomePerPerson: 2400) { ${APPLICATION} } }`, { id });
    expect(assessed.errors).toBeUndefined();
    expect(assessed.data.recordMeansAssessment.assessment).toEqual({ householdMonthlyIncomePerPerson: 2400, assessedBy: 'caseworker' });
    const rejected = await h.execute('caseworker', `mutation($id: ID!) { rejectAidApplication(id: $id, reason: "收入高于低保线") { ${APPLICATION} } }`, { id });
    expect(rejected.errors).toBeUndefined();
    expect(rejected.data.rejectAidApplication).toMatchObject({ status: 'REJECTED', rejectionReason: '收入高于低保线' });
    const again = await h.execute('caseworker', `mutation($id: ID!) { startReview(id: $id) { id } }`, { id });
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
    expect(await h.models.AidApplication.findById(id).lean()).toMatchObject({ status: 'REJECTED', reviewedBy: 'caseworker', decidedBy: 'caseworker' });
  });

  const bad: [string, string, Record<string, unknown>, RegExp][] = [
    ['a negative income', `mutation($id: ID!, $v: Float!) { recordMeansAssessment(id: $id, householdMonthlyIncomePerPerson: $v) { id } }`, { v: -1 }, /householdMonthlyIncomePerPerson/],
    ['a rejection with no reason', `mutation($id: ID!) { rejectAidApplication(id: $id, reason: "  ") { id } }`, {}, /reason|UNDER_REVIEW/],
    ['an approval of an application not under review', `mutation($id: ID!) { approveAidApplication(id: $id, input: { amountYuan: 500, startDate: "2023-07-01" }) { id } }`, {}, /UNDER_REVIEW/],
    ['an approval ending before it starts', `mutation($id: ID!) { approveAidApplication(id: $id, input: { amountYuan: 500, startDate: "2023-07-01", endDate: "2023-06-01" }) { id } }`, {}, /input.endDate 2023-06-01 must be after/],
    ['a malformed id', `mutation { startReview(id: "nope") { id } }`, {}, /id/],
  ];
  it.each(bad)('%s is BAD_USER_INPUT and changes nothing', async (_what, mutation, variables, message) => {
    const id = await storedApplication(`${MENGXI}001`);
    const before = await h.models.AidApplication.findById(id).lean();
    const grants = await h.models.AidGrant.countDocuments();
    const res = await h.execute('caseworker', mutation, { id, ...variables });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect(await h.models.AidApplication.findById(id).lean()).toEqual(before);
    expect(await h.models.AidGrant.countDocuments()).toBe(grants);
  });

  it('refuses another town’s application (it does not exist for the caseworker) and other roles', async () => {
    const outside = await storedApplication(`${ULAN}001`);
    const res = await h.execute('caseworker', `mutation($id: ID!) { startReview(id: $id) { id } }`, { id: outside });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    const own = await storedApplication(`${MENGXI}001`);
    for (const who of ['gridworker', 'civil.admin', 'police.officer']) {
      const refused = await h.execute(who, `mutation($id: ID!) { startReview(id: $id) { id } }`, { id: own });
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.errors![0].message).toMatch(/may not call startReview: the CIVIL_AFFAIRS policy/);
    }
    for (const id of [outside, own]) expect((await h.models.AidApplication.findById(id).lean())!.status).toBe('SUBMITTED');
  });
});

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

describe('lists', () => {
  it('lists grants and applications by division, program and status, page by page', async () => {
    const all = await h.execute('caseworker', `{ aidGrants(divisionCode: "${MENGXI}", first: 100) { totalCount edges { node { id program } } } }`);
    expect(all.errors).toBeUndefined();
    expect(all.data.aidGrants.totalCount).toBe(await models.AidGrant.countDocuments({ divisionPath: MENGXI }));
    const ml = await h.execute('caseworker', `{ aidGrants(divisionCode: "${MENGXI}", program: MINIMUM_LIVING, first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id program } } } }`);
    expect(ml.data.aidGrants.edges.every((e: any) => e.node.program === 'MINIMUM_LIVING')).toBe(true);
    expect(ml.data.aidGrants.pageInfo.hasNextPage).toBe(true);
    const next = await h.execute('caseworker', `query($after: String) { aidGrants(divisionCode: "${MENGXI}", program: MINIMUM_LIVING, first: 2, after: $after) { edges { node { id } } } }`, { after: ml.data.aidGrants.pageInfo.endCursor });
    expect(next.data.aidGrants.edges[0].node.id).not.toBe(ml.data.aidGrants.edges[1].node.id);
    const review = await h.execute('caseworker', `{ aidApplications(divisionCode: "${MENGXI}", status: UNDER_REVIEW) { totalCount edges { node { status } } } }`);
    expect(review.data.aidApplications.totalCount).toBeGreaterThan(0);
    expect(review.data.aidApplications.edges.every((e: any) => e.node.status === 'UNDER_REVIEW')).toBe(true);
    const bad = await h.execute('caseworker', `query($p: AidProgram) { aidGrants(divisionCode: "${MENGXI}", program: $p) { totalCount } }`, { p: 'CASH' });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    const op = await h.execute('caseworker', `query($d: String!) { aidGrants(divisionCode: $d) { totalCount } }`, { d: { $ne: '' } });
    expect(codeOf(op)).toBe('BAD_USER_INPUT');
    const cursor = await h.execute('caseworker', `{ aidApplications(divisionCode: "${MENGXI}", after: "bm9wZQ") { totalCount } }`);
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

    const reviewed = await h.execute('caseworker', REVIEW, { id });
    expect(reviewed.errors).toBeUndefined();
    expect(reviewed.data.startReview).toMatchObject({ status: 'UNDER_REVIEW', reviewedBy: 'caseworker', grant: null });
    await expectRefused('caseworker', REVIEW, { id }, 'BAD_USER_INPUT', /is UNDER_REVIEW; only SUBMITTED/);

    const grantsBefore = await models.AidGrant.countDocuments();
    const approved = await h.execute('caseworker', APPROVE, { id, input: approveInput });
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

    // The grant shows on the resident (the Resident entity's fields civil affairs serves; the
    // gateway's composition of them is the household chain in party-building.test.ts).
    const chain = await h.execute('caseworker', `query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { id aidGrants { id program } aidApplications { id status } } } }`,
      { r: [{ __typename: 'Resident', id: a.residentId }] });
    expect(chain.data._entities[0].aidGrants).toEqual([{ id: out.grant.id, program: 'DISABILITY' }]);
    expect(chain.data._entities[0].aidApplications).toEqual([{ id, status: 'APPROVED' }]);

    // Ending: once, not before the start, not beyond a planned end.
    await expectRefused('caseworker', END, { id: out.grant.id, endDate: addDays(monthStart(), -1) }, 'BAD_USER_INPUT', /must be after/);
    await expectRefused('caseworker', END, { id: out.grant.id, endDate: monthStart() }, 'BAD_USER_INPUT', /must be after/);
    const ended = await h.execute('caseworker', END, { id: out.grant.id, endDate: addMonths(monthStart(), 2) });
    expect(ended.errors).toBeUndefined();
    expect(ended.data.endAidGrant).toMatchObject({ status: 'ENDED', endDate: addMonths(monthStart(), 2) });
    await expectRefused('caseworker', END, { id: out.grant.id, endDate: addMonths(monthStart(), 1) }, 'BAD_USER_INPUT', /is ENDED; only an ACTIVE grant/);
  });

  it('UNDER_REVIEW → REJECTED keeps the reason; a rejected application cannot be approved, reviewed or rejected again', async () => {
    const a = await freshApplicant();
    const id = await underReview(a);
    const rejected = await h.execute('caseworker', REJECT, { id, reason: '困难情形已消除，无需救助' });
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
      h.execute('caseworker', APPROVE, { id, input }),
      h.execute('caseworker', REJECT, { id, reason: '同时处理' }),
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
    const high = await h.execute('caseworker', ASSESS, { id, income: line });
    expect(high.data.recordMeansAssessment.assessment).toMatchObject({ householdMonthlyIncomePerPerson: line, povertyLineMonthly: line, underLine: false });
    await expectRefused('caseworker', APPROVE, { id, input }, 'BAD_USER_INPUT', /not under the/);
    const low = await h.execute('caseworker', ASSESS, { id, income: 200 });
    expect(low.data.recordMeansAssessment.assessment.underLine).toBe(true);
    await expectRefused('caseworker', APPROVE, { id, input: { ...input, amountYuan: line + 10 } }, 'BAD_USER_INPUT', /MINIMUM_LIVING pays/);
    const ok = await h.execute('caseworker', APPROVE, { id, input });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.approveAidApplication.grant).toMatchObject({ program: 'MINIMUM_LIVING', amountYuan: 300, status: 'ACTIVE' });

    // No second application while the grant is active.
    await expectRefused('caseworker', SUBMIT, { input: submitInput(a, { program: 'MINIMUM_LIVING', requestedAmountYuan: 300 }) }, 'BAD_USER_INPUT', /already receives MINIMUM_LIVING/);
  });

  it('no two grants of the same program for the same person over overlapping periods', async () => {
    const a = await freshApplicant();
    const first = await underReview(a, { program: 'DISABILITY', requestedAmountYuan: 100 });
    const g = await h.execute('caseworker', APPROVE, { id: first, input: { amountYuan: 100, startDate: monthStart() } });
    expect(g.errors).toBeUndefined();
    // A second open application for the same program is refused while the first grant runs.
    await expectRefused('caseworker', SUBMIT, { input: submitInput(a, { program: 'DISABILITY', requestedAmountYuan: 100 }) }, 'BAD_USER_INPUT', /already receives DISABILITY/);
    const endDate = addDays(monthStart(), 20);
    expect((await h.execute('caseworker', END, { id: g.data.approveAidApplication.grant.id, endDate })).errors).toBeUndefined();
    const second = await underReview(a, { program: 'DISABILITY', requestedAmountYuan: 100 });
    await expectRefused('caseworker', APPROVE, { id: second, input: { amountYuan: 100, startDate: addDays(monthStart(), 10) } }, 'BAD_USER_INPUT', /already has a DISABILITY grant/);
    const ok = await h.execute('caseworker', APPROVE, { id: second, input: { amountYuan: 100, startDate: addDays(endDate, 1) } });
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
      'aid approval spot check');
    await expectRefused('judge', REJECT, { id: openId, reason: '不予' }, 'FORBIDDEN');
    await expectRefused('organizer', ASSESS, { id: openId, income: 10 }, 'FORBIDDEN');
    await expectRefused('gridworker', END, { id: grantId, endDate: '2030-01-01' }, 'FORBIDDEN');
  });
});

describe('looking the applicant up in the registry', () => {
  it("needs the caller's registry grant of Query.household, not only its fields: revoked, submitting is FORBIDDEN in the registry's words and writes nothing", async () => {
    const a = await freshApplicant();
    const shipped = h.policy('REGISTRY');
    const revoked = structuredClone({ department: shipped.department, roles: shipped.roles, purposeRequiredFor: shipped.purposeRequiredFor });
    revoked.roles['civil-affairs-caseworker'] = { ...revoked.roles['civil-affairs-caseworker'], read: { ...revoked.roles['civil-affairs-caseworker'].read, 'Query.household': 'DENY' } };
    h.setPolicy(revoked);
    try {
      await expectRefused('caseworker', SUBMIT, { input: submitInput(a) }, 'FORBIDDEN', /may not look up Household records by id: the REGISTRY policy does not grant Query\.household/);
    } finally {
      h.setPolicy({ department: shipped.department, roles: shipped.roles, purposeRequiredFor: shipped.purposeRequiredFor });
    }
    await submitted(a); // the grant back: the same application goes through
  });
});

describe('rules', () => {
  it('publishes the rules it applies', async () => {
    const res = await h.execute('caseworker', `{ aidRules { minimumLivingLineYearlyUrban minimumLivingLineYearlyRural elderlyMinimumAge temporaryMaxMonths programs { program minAmountYuan maxAmountYuan meansTested endDateRequired } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.aidRules).toMatchObject({ minimumLivingLineYearlyUrban: 9300, minimumLivingLineYearlyRural: 7800, elderlyMinimumAge: 80, temporaryMaxMonths: 6 });
    expect(res.data.aidRules.programs.map((p: any) => p.program)).toEqual(['MINIMUM_LIVING', 'EXTREME_POVERTY', 'TEMPORARY', 'DISABILITY', 'ELDERLY']);
  });
});
