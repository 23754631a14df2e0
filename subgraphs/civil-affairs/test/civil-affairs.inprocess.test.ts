import { Types } from 'mongoose';
import { codeOf, inDivision, startSubgraphHarness, type SubgraphHarness } from '@anmulong/testkit';
import { civilAffairs } from '../src/index';
import type { CivilAffairsModels } from '../src/models';

// Civil affairs alone, in this process: reads, the policy and an application's review. Taking in
// an application asks the registry about the applicant's household: that stays in
// civil-affairs.test.ts (the whole stack).
let h: SubgraphHarness<CivilAffairsModels>;
beforeAll(async () => {
  h = await startSubgraphHarness(civilAffairs);
});
afterAll(async () => h?.close());

const MENGXI = '150624102'; // the caseworker's jurisdiction
const ULAN = '150624100';
const APPLICATION = `id status assessment { householdMonthlyIncomePerPerson assessedBy } rejectionReason`;

/** A fresh SUBMITTED application in a division. */
async function submitted(divisionCode: string): Promise<string> {
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
    const id = await submitted(`${MENGXI}001`);
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
    const id = await submitted(`${MENGXI}001`);
    const before = await h.models.AidApplication.findById(id).lean();
    const grants = await h.models.AidGrant.countDocuments();
    const res = await h.execute('caseworker', mutation, { id, ...variables });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect(await h.models.AidApplication.findById(id).lean()).toEqual(before);
    expect(await h.models.AidGrant.countDocuments()).toBe(grants);
  });

  it('refuses another town’s application (it does not exist for the caseworker) and other roles', async () => {
    const outside = await submitted(`${ULAN}001`);
    const res = await h.execute('caseworker', `mutation($id: ID!) { startReview(id: $id) { id } }`, { id: outside });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    const own = await submitted(`${MENGXI}001`);
    for (const who of ['gridworker', 'civil.admin', 'police.officer']) {
      const refused = await h.execute(who, `mutation($id: ID!) { startReview(id: $id) { id } }`, { id: own });
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.errors![0].message).toMatch(/may not call startReview: the CIVIL_AFFAIRS policy/);
    }
    for (const id of [outside, own]) expect((await h.models.AidApplication.findById(id).lean())!.status).toBe('SUBMITTED');
  });
});
