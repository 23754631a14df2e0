import { Types } from 'mongoose';
import { codeOf, inDivision, startSubgraphHarness, type SubgraphHarness } from '@anmulong/testkit';
import { mediation } from '../src/index';
import type { MediationModels } from '../src/models';

// Mediation alone, in this process: reads, the policy, and the ladder's steps on disputes it
// holds. Screening a dispute asks the registry (parties) and police (help request): those paths
// stay on the whole stack, in subgraphs/court/test/court.test.ts ('mediation', sharing the
// court's stack).
let h: SubgraphHarness<MediationModels>;
beforeAll(async () => {
  h = await startSubgraphHarness(mediation);
});
afterAll(async () => h?.close());

const ULAN = '150624100'; // the mediator's jurisdiction
const QIPANJING = '150624101';
const LIST = `query($d: String!) { disputes(divisionCode: $d, first: 100) { totalCount edges { node { id stage division { code } } } } }`;
const RECORD = `mutation($id: ID!, $input: RecordMediationInput!) { recordMediation(disputeId: $id, input: $input) { id status stage steps { stage outcome mode } } }`;
const ESCALATE = `mutation($id: ID!, $date: String!) { escalateDispute(disputeId: $id, date: $date) { id stage status } }`;

/** A fresh dispute at the village committee (the demo's own are in every state). */
async function openDispute(divisionCode: string): Promise<string> {
  const d = await h.models.Dispute.create({
    category: 'NEIGHBOURS', description: '邻里宅基地纠纷', partyIds: [new Types.ObjectId(), new Types.ObjectId()], screenedOn: '2023-05-01',
    helpRequestId: null, divisionCode, stage: 'VILLAGE_COMMITTEE', status: 'OPEN',
    steps: [{ stage: 'VILLAGE_COMMITTEE', openedOn: '2023-05-01', date: null, mode: null, mediatorIds: [], outcome: null, notes: null }],
  });
  return String(d._id);
}
const aMediator = async () => String((await h.models.Mediator.findOne().lean())!._id);

describe('reads', () => {
  it('lists every dispute of the mediator’s jurisdiction and none of another town', async () => {
    const own = await h.execute('mediator', LIST, { d: ULAN });
    expect(own.errors).toBeUndefined();
    const stored = await h.models.Dispute.countDocuments(inDivision(ULAN));
    expect(stored).toBeGreaterThan(0);
    expect(own.data.disputes.totalCount).toBe(stored);
    const other = await h.execute('mediator', LIST, { d: QIPANJING });
    expect(await h.models.Dispute.countDocuments(inDivision(QIPANJING))).toBeGreaterThan(0);
    expect(other.data.disputes).toEqual({ totalCount: 0, edges: [] });
    const elsewhere = await h.models.Dispute.findOne(inDivision(QIPANJING)).lean();
    const one = await h.execute('mediator', `query($id: ID!) { dispute(id: $id) { id } }`, { id: String(elsewhere!._id) });
    expect(one.errors).toBeUndefined();
    expect(one.data.dispute).toBeNull();
  });

  it('serves a judge only the disputes that reached court, banner-wide (the policy’s row condition)', async () => {
    const res = await h.execute('judge', LIST, { d: '150624' });
    expect(res.errors).toBeUndefined();
    const inCourt = await h.models.Dispute.countDocuments({ stage: 'COURT' });
    expect(inCourt).toBeGreaterThan(0);
    expect(res.data.disputes.totalCount).toBe(inCourt);
    expect(new Set(res.data.disputes.edges.map((e: { node: { stage: string } }) => e.node.stage))).toEqual(new Set(['COURT']));
  });

  it('withholds a dispute’s account from a police officer, and refuses a role with no rule', async () => {
    const officer = await h.execute('police.officer', `query($d: String!) { disputes(divisionCode: $d, first: 1) { edges { node { description } } } }`, { d: QIPANJING });
    expect(codeOf(officer)).toBe('FORBIDDEN');
    const caseworker = await h.execute('caseworker', LIST, { d: '150624102' });
    expect(codeOf(caseworker)).toBe('FORBIDDEN');
    expect(caseworker.errors![0].message).toMatch(/Query.disputes/);
  });

  it('requires the analyst to state a purpose', async () => {
    const res = await h.execute('analyst', `query { disputeCounts(divisionCode: "150624") { month screened } }`);
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    const ok = await h.execute('analyst', `query { disputeCounts(divisionCode: "150624") { screened } }`, {}, { purpose: 'dispute report' });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.disputeCounts.reduce((n: number, c: { screened: number }) => n + c.screened, 0)).toBe(await h.models.Dispute.countDocuments());
  });
});

describe('the escalation ladder', () => {
  it('records a session that resolves a dispute; nothing can follow', async () => {
    const id = await openDispute(`${ULAN}001`);
    const res = await h.execute('mediator', RECORD, { id, input: { outcome: 'RESOLVED', mode: 'ON_SITE', date: '2023-05-03', mediatorIds: [await aMediator()] } });
    expect(res.errors).toBeUndefined();
    expect(res.data.recordMediation).toMatchObject({ id, status: 'RESOLVED', stage: 'VILLAGE_COMMITTEE', steps: [{ outcome: 'RESOLVED', mode: 'ON_SITE' }] });
    const again = await h.execute('mediator', ESCALATE, { id, date: '2023-05-04' });
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
    const stored = await h.models.Dispute.findById(id).lean();
    expect(stored).toMatchObject({ status: 'RESOLVED', stage: 'VILLAGE_COMMITTEE' });
    expect(stored!.steps).toHaveLength(1);
  });

  it('moves one step at a time, never straight to court', async () => {
    const id = await openDispute(`${ULAN}001`);
    const up = await h.execute('mediator', ESCALATE, { id, date: '2023-05-02' });
    expect(up.errors).toBeUndefined();
    expect(up.data.escalateDispute).toMatchObject({ stage: 'DELIBERATION_COUNCIL', status: 'OPEN' });
    const skip = await h.execute('mediator', `mutation($id: ID!) { escalateDispute(disputeId: $id, date: "2023-05-03", to: COURT) { id } }`, { id });
    expect(codeOf(skip)).toBe('BAD_USER_INPUT');
    expect(skip.errors![0].message).toMatch(/only move one step up, to JUDICIAL_MEDIATION/);
    expect((await h.models.Dispute.findById(id).lean())!.stage).toBe('DELIBERATION_COUNCIL');
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown outcome', { outcome: 'SETTLED' }, /input.outcome|SETTLED/],
    ['a date before the step opened', { date: '2023-04-01' }, /input.date 2023-04-01 is before/],
    ['a date in the future', { date: '2999-01-01' }, /input.date/],
    ['no mediator', { mediatorIds: [] }, /input.mediatorIds/],
    ['a mediator who does not exist', { mediatorIds: ['0123456789abcdef01234567'] }, /mediator who does not exist/],
    ['a malformed mediator id', { mediatorIds: ['nope'] }, /input.mediatorIds/],
  ];
  it.each(bad)('recordMediation: %s is BAD_USER_INPUT and writes nothing', async (_what, override, message) => {
    const id = await openDispute(`${ULAN}001`);
    const input = { outcome: 'RESOLVED', mode: 'ONLINE', date: '2023-05-03', mediatorIds: [await aMediator()], ...override };
    const res = await h.execute('mediator', RECORD, { id, input });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    const stored = await h.models.Dispute.findById(id).lean();
    expect(stored).toMatchObject({ status: 'OPEN', steps: [{ outcome: null }] });
  });

  it('refuses a role without the mutations, and a dispute outside the jurisdiction, writing nothing', async () => {
    const own = await openDispute(`${ULAN}001`);
    const judge = await h.execute('judge', ESCALATE, { id: own, date: '2023-05-02' });
    expect(codeOf(judge)).toBe('FORBIDDEN');
    expect(judge.errors![0].message).toMatch(/may not call escalateDispute: the MEDIATION policy/);
    const outside = await openDispute(`${QIPANJING}001`);
    const mediator = await h.execute('mediator', ESCALATE, { id: outside, date: '2023-05-02' });
    expect(codeOf(mediator)).toBe('BAD_USER_INPUT');
    for (const id of [own, outside]) expect((await h.models.Dispute.findById(id).lean())!.stage).toBe('VILLAGE_COMMITTEE');
  });

  it('refuses a screening in a town (not a village or grid) before asking anyone', async () => {
    const before = await h.models.Dispute.countDocuments();
    const res = await h.execute('mediator', `mutation($input: ScreenDisputeInput!) { screenDispute(input: $input) { id } }`,
      { input: { category: 'FAMILY', description: '家庭纠纷', partyIds: [String(new Types.ObjectId()), String(new Types.ObjectId())], divisionCode: ULAN } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/input.divisionCode must be a village or grid/);
    expect(await h.models.Dispute.countDocuments()).toBe(before);
  });
});

/*
 * The ladder's illegal moves, moved here from the whole-stack tests (the same assertions): a dispute
 * as screening stores it (two Ulan parties, at the village committee), made through the model.
 */
const FIELDS = `id category stage status screenedOn description division { code } parties { id }
  steps { stage openedOn date mode outcome notes mediators { id languages } } helpRequest { id }`;
const RECORD_STEP = `mutation($id: ID!, $input: RecordMediationInput!) { recordMediation(disputeId: $id, input: $input) { ${FIELDS} } }`;
const ESCALATE_TO = `mutation($id: ID!, $date: String!, $to: DisputeStage) { escalateDispute(disputeId: $id, date: $date, to: $to) { ${FIELDS} } }`;
const fx = { villageMediators: [] as string[], judicial: '' };
beforeAll(async () => {
  fx.villageMediators = (await h.models.Mediator.find({ divisionCode: `${ULAN}001`, kind: 'VILLAGE_MEDIATOR' }).lean()).map((m) => String(m._id));
  fx.judicial = String((await h.models.Mediator.findOne({ divisionCode: ULAN, kind: 'JUDICIAL_MEDIATOR' }).lean())!._id);
  expect(fx.villageMediators.length && fx.judicial).toBeTruthy();
});
async function screen(over: { screenedOn?: string } = {}) {
  const screenedOn = over.screenedOn ?? '2023-10-01';
  const d = await h.models.Dispute.create({
    category: 'GRASSLAND_CONTRACT', description: '两户牧民草场边界围栏争议', partyIds: [new Types.ObjectId(), new Types.ObjectId()], screenedOn,
    helpRequestId: null, divisionCode: `${ULAN}001001`, stage: 'VILLAGE_COMMITTEE', status: 'OPEN',
    steps: [{ stage: 'VILLAGE_COMMITTEE', openedOn: screenedOn, date: null, mode: null, mediatorIds: [], outcome: null, notes: null }],
  });
  return { id: String(d._id) };
}
async function record(id: string, input: Record<string, unknown>) {
  const res = await h.execute('mediator', RECORD_STEP, { id, input: { mode: 'ON_SITE', mediatorIds: fx.villageMediators.slice(0, 1), ...input } });
  expect(res.errors).toBeUndefined();
  return res.data.recordMediation;
}
async function escalate(id: string, date: string) {
  const res = await h.execute('mediator', ESCALATE_TO, { id, date });
  expect(res.errors).toBeUndefined();
  return res.data.escalateDispute;
}
const stored = (id: string) => h.models.Dispute.findById(id).lean();

describe('illegal transitions are refused and write nothing', () => {
  async function refused(query: string, vars: Record<string, unknown>, id: string, message: RegExp) {
    const before = await stored(id);
    const res = await h.execute('mediator', query, vars);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect(await stored(id)).toEqual(before);
  }
  const rec = (id: string, over: Record<string, unknown> = {}) => ({
    id, input: { outcome: 'RESOLVED', date: '2023-11-01', mode: 'ON_SITE', mediatorIds: fx.villageMediators.slice(0, 1), ...over },
  });

  it('refuses skipping a rung', async () => {
    const d = await screen();
    await refused(ESCALATE_TO, { id: d.id, date: '2023-10-02', to: 'JUDICIAL_MEDIATION' }, d.id, /one step up, to DELIBERATION_COUNCIL/);
    await refused(ESCALATE_TO, { id: d.id, date: '2023-10-02', to: 'COURT' }, d.id, /one step up/);
  });

  it('refuses COURT unless judicial mediation failed', async () => {
    const d = await screen();
    await escalate(d.id, '2023-10-02');
    await escalate(d.id, '2023-10-03');
    // At JUDICIAL_MEDIATION with no session recorded.
    await refused(ESCALATE_TO, { id: d.id, date: '2023-10-04' }, d.id, /only after judicial mediation failed/);
    await refused(ESCALATE_TO, { id: d.id, date: '2023-10-04', to: 'COURT' }, d.id, /only after judicial mediation failed/);
    // Judicial mediation resolved it: nothing follows.
    await record(d.id, { outcome: 'RESOLVED', date: '2023-10-10', mediatorIds: [fx.judicial] });
    await refused(ESCALATE_TO, { id: d.id, date: '2023-10-11' }, d.id, /resolved at JUDICIAL_MEDIATION; nothing can follow/);
  });

  it('refuses anything after resolution or withdrawal', async () => {
    const resolved = await screen();
    await record(resolved.id, { outcome: 'RESOLVED', date: '2023-10-02' });
    await refused(ESCALATE_TO, { id: resolved.id, date: '2023-10-03' }, resolved.id, /nothing can follow a resolution/);
    await refused(RECORD_STEP, rec(resolved.id, { outcome: 'ESCALATED' }), resolved.id, /nothing can follow a resolution/);
    const withdrawn = await screen();
    await record(withdrawn.id, { outcome: 'WITHDRAWN', date: '2023-10-02' });
    await refused(ESCALATE_TO, { id: withdrawn.id, date: '2023-10-03' }, withdrawn.id, /nothing can follow a withdrawal/);
    await refused(RECORD_STEP, rec(withdrawn.id), withdrawn.id, /nothing can follow a withdrawal/);
  });

  it('refuses a second session at the same rung, and anything once at COURT', async () => {
    const d = await screen();
    await record(d.id, { outcome: 'ESCALATED', date: '2023-10-02' });
    await refused(RECORD_STEP, rec(d.id), d.id, /already ended ESCALATED/);
    await escalate(d.id, '2023-10-03');
    await escalate(d.id, '2023-10-04');
    await record(d.id, { outcome: 'ESCALATED', date: '2023-10-05', mediatorIds: [fx.judicial] });
    await escalate(d.id, '2023-10-06');
    await refused(ESCALATE_TO, { id: d.id, date: '2023-10-07' }, d.id, /has reached COURT/);
    await refused(RECORD_STEP, rec(d.id), d.id, /has reached COURT/);
  });

  it('refuses dates that go back in time or into the future', async () => {
    const d = await screen({ screenedOn: '2023-10-10' });
    await refused(RECORD_STEP, rec(d.id, { date: '2023-10-09' }), d.id, /before the dispute reached VILLAGE_COMMITTEE/);
    await refused(ESCALATE_TO, { id: d.id, date: '2023-10-01' }, d.id, /before the dispute's last step/);
    await refused(ESCALATE_TO, { id: d.id, date: '2999-01-01' }, d.id, /in the future/);
    await refused(RECORD_STEP, rec(d.id, { date: '2023-02-30' }), d.id, /not a real date/);
  });

  it('lets only one of three concurrent escalations through', async () => {
    const d = await screen();
    const results = await Promise.all([1, 2, 3].map(() => h.execute('mediator', ESCALATE_TO, { id: d.id, date: '2023-10-02', to: 'DELIBERATION_COUNCIL' })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const doc = await stored(d.id);
    expect(doc!.stage).toBe('DELIBERATION_COUNCIL');
    expect(doc!.steps).toHaveLength(2);
  });
});

