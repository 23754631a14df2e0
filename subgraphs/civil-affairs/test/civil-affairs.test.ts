import { Types } from 'mongoose';
import { startStack, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';
import type { CivilAffairsModels } from '../src/models';
import { monthlyLine } from '../src/rules';

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
// What civil affairs decides with the registry's answers (the state machine, eligibility, every
// mutation's validation) runs in process: civil-affairs.inprocess.test.ts. Here what crosses
// departments through the gateway.
const APP_FIELDS = 'id status program requestedAmountYuan residence rejectionReason reviewedBy decidedBy assessment { householdMonthlyIncomePerPerson povertyLineMonthly underLine } grant { id program amountYuan startDate endDate status } resident { id } household { id } division { code }';
const SUBMIT = `mutation($input: SubmitAidApplicationInput!) { submitAidApplication(input: $input) { ${APP_FIELDS} } }`;
const REVIEW = `mutation($id: ID!) { startReview(id: $id) { ${APP_FIELDS} } }`;
const END = `mutation($id: ID!, $endDate: String!) { endAidGrant(id: $id, endDate: $endDate) { id status endDate startDate } }`;

/** Everything civil-affairs stores, to prove a refused mutation wrote nothing. */
async function snapshot() {
  const [apps, grants] = await Promise.all([
    models.AidApplication.find().sort({ _id: 1 }).lean(),
    models.AidGrant.find().sort({ _id: 1 }).lean(),
  ]);
  return JSON.stringify({ apps, grants });
}
async function expectRefused(as: string, query: string, variables: Record<string, unknown>, code: string, message?: RegExp) {
  const before = await snapshot();
  const res = await stack.query(as, query, variables);
  expect(codeOf(res)).toBe(code);
  if (message) expect(res.errors![0].message).toMatch(message);
  expect(await snapshot()).toBe(before);
  return res;
}

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
