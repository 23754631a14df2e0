import { startStack, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';
import type { CourtModels } from '../src/models';
import { CASE_NUMBER } from '../src/models';

/*
 * The court subgraph against the real stack: docstore over TCP, RS256 tokens from the development
 * identity provider, every subgraph and the gateway; demo data at scale 0.01. Then federation
 * between mediation and court, on the same stack (below).
 */
let stack: Stack;
let court: CourtModels;
/** A Sumitu gacha and a Qipanjing village (both exist at every scale). */
const SUMITU_VILLAGE = '150624200001';
const QIPANJING_VILLAGE = '150624101001';
let residents: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
  court = stack.subgraphs.court.models as CourtModels;
  const found = await stack.registry.models.Resident.find({ divisionPath: SUMITU_VILLAGE }).sort({ _id: 1 }).limit(12).lean();
  residents = found.map((r: { _id: unknown }) => String(r._id));
}, 120_000);
afterAll(async () => stack?.close());

const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;

const CASE_FIELDS = `id caseNumber type status filedOn closedOn summary division { code } parties { id } dispute { id }
  judge { id name { zh mn } languages } hearings { date mode legalAffairsRoom { code } }`;
const FILE = `mutation($input: FileCaseInput!) { fileCase(input: $input) { ${CASE_FIELDS} } }`;
const SCHEDULE = `mutation($caseId: ID!, $input: ScheduleHearingInput!) { scheduleHearing(caseId: $caseId, input: $input) { ${CASE_FIELDS} } }`;
const ASSIGN = `mutation($caseId: ID!, $judgeId: ID!) { assignJudge(caseId: $caseId, judgeId: $judgeId) { ${CASE_FIELDS} } }`;
const CLOSE = `mutation($caseId: ID!, $outcome: CaseOutcome!, $summary: String) { closeCase(caseId: $caseId, outcome: $outcome, summary: $summary) { ${CASE_FIELDS} } }`;

/** Everything the court stores: a rejected mutation must leave it as it was. */
async function snapshot() {
  const cases = await court.CourtCase.find({}).sort({ _id: 1 }).lean();
  const counters = await court.CaseCounter.find({}).sort({ _id: 1 }).lean();
  return JSON.stringify({ cases, counters });
}

async function fileCase(overrides: Record<string, unknown> = {}) {
  const res = await stack.query('judge', FILE, { input: { parties: residents.slice(0, 2), type: 'CIVIL', divisionCode: SUMITU_VILLAGE, filedOn: '2025-06-01', ...overrides } });
  expect(res.errors).toBeUndefined();
  return res.data.fileCase as { id: string; caseNumber: string; status: string };
}
async function aJudge(bilingual = true): Promise<string> {
  const j = await court.Judge.findOne(bilingual ? { languages: 'mn' } : { languages: { $ne: 'mn' } }).lean();
  return String(j!._id);
}

describe('judges', () => {
  it('lists the article’s 13 bilingual (Mongolian/Chinese) judges, and Chinese-only judges besides', async () => {
    const all = await stack.query('judge', `query { judges { id name { zh mn } languages tribunal division { code } } }`);
    expect(all.errors).toBeUndefined();
    const bilingual = all.data.judges.filter((j: { languages: string[] }) => j.languages.includes('mn'));
    expect(bilingual).toHaveLength(13);
    for (const j of bilingual) {
      expect([...j.languages].sort()).toEqual(['mn', 'zh']);
      expect(j.name.mn).toBeTruthy();
    }
    expect(all.data.judges.length).toBeGreaterThan(13);
    const mn = await stack.query('analyst', `query { judges(language: "mn") { id } }`, {}, { headers: { 'x-access-purpose': 'bilingual staffing' } });
    expect(mn.data.judges).toHaveLength(13);
    const bad = await stack.query('judge', `query { judges(language: "mongolian") { id } }`);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  });
});

describe('filing', () => {
  it('files cases with sequential Chinese case numbers per year and type', async () => {
    const a = await fileCase({ filedOn: '2024-03-01' });
    const b = await fileCase({ filedOn: '2024-03-02' });
    const c = await fileCase({ type: 'ADMINISTRATIVE', parties: [residents[2]], filedOn: '2024-03-03' });
    for (const x of [a, b, c]) expect(x.caseNumber).toMatch(CASE_NUMBER);
    const seq = (n: string) => Number(CASE_NUMBER.exec(n)![3]);
    expect(a.caseNumber.startsWith('(2024)蒙0624民初')).toBe(true);
    expect(seq(b.caseNumber)).toBe(seq(a.caseNumber) + 1);
    expect(c.caseNumber).toMatch(/^\(2024\)蒙0624行初\d+号$/);
    expect(a.status).toBe('FILED');
    const stored = await court.CourtCase.findById(a.id).lean();
    expect(stored!.divisionPath).toEqual(['150624', '150624200', SUMITU_VILLAGE]);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['no parties', { parties: [] }, 'BAD_USER_INPUT'],
    ['a malformed party id', { parties: ['abc'] }, 'BAD_USER_INPUT'],
    ['the same party twice', { parties: ['0123456789abcdef01234567', '0123456789abcdef01234567'] }, 'BAD_USER_INPUT'],
    ['an unknown case type', { type: 'CIVIL_WAR' }, 'BAD_USER_INPUT'],
    ['a malformed dispute id', { disputeId: 'dispute-1' }, 'BAD_USER_INPUT'],
    ['an unknown division', { divisionCode: '150624200999' }, 'BAD_USER_INPUT'],
    ['a malformed division', { divisionCode: '9999' }, 'BAD_USER_INPUT'],
    ['an operator instead of a division', { divisionCode: { $ne: '' } }, 'BAD_USER_INPUT'],
    ['a filing date in the future', { filedOn: '2999-01-01' }, 'BAD_USER_INPUT'],
    ['a filing date that is not a date', { filedOn: 'last Tuesday' }, 'BAD_USER_INPUT'],
  ];
  it.each(bad)('rejects %s, naming the argument, and writes nothing', async (_what, override, code) => {
    const before = await snapshot();
    const res = await stack.query('judge', FILE, { input: { parties: residents.slice(0, 2), type: 'CIVIL', divisionCode: SUMITU_VILLAGE, ...override } });
    expect(codeOf(res)).toBe(code);
    const arg = Object.keys(override)[0];
    expect(res.errors![0].message).toContain(arg === 'type' ? 'CIVIL_WAR' : arg);
    expect(await snapshot()).toBe(before);
  });

  it('refuses a caller who is not a judge (FORBIDDEN) and writes nothing', async () => {
    const before = await snapshot();
    for (const user of ['caseworker', 'mediator', 'court.admin', 'analyst']) {
      const res = await stack.query(user, FILE, { input: { parties: residents.slice(0, 2), type: 'CIVIL', divisionCode: SUMITU_VILLAGE } },
        { headers: { 'x-access-purpose': 'filing attempt' } });
      expect([user, codeOf(res)]).toEqual([user, 'FORBIDDEN']);
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('hearings, judges and the status machine', () => {
  it('schedules circuit and online hearings, assigns a judge and judges the case', async () => {
    const c = await fileCase();
    const judgeId = await aJudge();
    const circuit = await stack.query('judge', SCHEDULE, { caseId: c.id, input: { date: '2025-08-10T02:00:00Z', mode: 'CIRCUIT', legalAffairsRoom: SUMITU_VILLAGE } });
    expect(circuit.errors).toBeUndefined();
    expect(circuit.data.scheduleHearing.status).toBe('IN_HEARING');
    expect(circuit.data.scheduleHearing.hearings).toEqual([{ date: '2025-08-10T02:00:00.000Z', mode: 'CIRCUIT', legalAffairsRoom: { code: SUMITU_VILLAGE } }]);
    const online = await stack.query('judge', SCHEDULE, { caseId: c.id, input: { date: '2025-08-05T02:00:00Z', mode: 'ONLINE' } });
    expect(online.data.scheduleHearing.hearings.map((h: { mode: string }) => h.mode)).toEqual(['ONLINE', 'CIRCUIT']);
    const assigned = await stack.query('judge', ASSIGN, { caseId: c.id, judgeId });
    expect(assigned.errors).toBeUndefined();
    expect(assigned.data.assignJudge.judge).toMatchObject({ id: judgeId, languages: expect.arrayContaining(['mn', 'zh']) });
    const judged = await stack.query('judge', CLOSE, { caseId: c.id, outcome: 'JUDGED', summary: '判决被告赔偿草场损失' });
    expect(judged.errors).toBeUndefined();
    expect(judged.data.closeCase).toMatchObject({ status: 'JUDGED', summary: '判决被告赔偿草场损失' });
    expect(judged.data.closeCase.closedOn).toBeTruthy();
  });

  // The status machine and argument checks the court makes alone are in court.inprocess.test.ts;
  // a circuit hearing's room is a village the registry must know.
  it('refuses a circuit hearing in a village the registry does not know, and writes nothing', async () => {
    const c = await fileCase({ filedOn: '2025-06-01' });
    const before = await snapshot();
    const res = await stack.query('judge', SCHEDULE, { caseId: c.id, input: { date: '2025-08-10T02:00:00Z', mode: 'CIRCUIT', legalAffairsRoom: '150624200999' } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain('input.legalAffairsRoom');
    expect(await snapshot()).toBe(before);
  });
});

describe('reading court records', () => {
  it('serves courtCases in the caller’s jurisdiction and Resident.courtCases through the gateway', async () => {
    const c = await fileCase();
    const list = await stack.query('judge', `query { courtCases(divisionCode: "${SUMITU_VILLAGE}", first: 100) { totalCount edges { node { id division { code name { zh } } } } } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data.courtCases.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(c.id);
    expect(list.data.courtCases.edges[0].node.division.name.zh).toBeTruthy();
    const resident = await stack.query('judge', `query($id: ID!) { resident(id: $id) { id name { zh } courtCases { id caseNumber } } }`, { id: residents[0] });
    expect(resident.errors).toBeUndefined();
    expect(resident.data.resident.courtCases.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  it('gives the mediator (Ulan) nothing outside Ulan: an Ulan case resolves, a Sumitu case is null', async () => {
    const sumitu = await fileCase();
    const ulan = await fileCase({ divisionCode: '150624100001', parties: residents.slice(0, 2) });
    // Asked directly at the court subgraph, as the gateway does for CourtCase entities.
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on CourtCase { id caseNumber status } } }`;
    const res = await stack.query('mediator', q, { r: [{ __typename: 'CourtCase', id: ulan.id }, { __typename: 'CourtCase', id: sumitu.id }] }, { url: stack.subgraphs.court.url });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([{ id: ulan.id, caseNumber: ulan.caseNumber, status: 'FILED' }, null]);
  });

  it('caseworker: Resident.courtCases is [] (with FORBIDDEN at that path under the policy); the rest is served', async () => {
    // A resident of Mengxi (the caseworker's jurisdiction) who is party to a case.
    const mengxi = await stack.registry.models.Resident.findOne({ divisionPath: '150624102' }).lean();
    const id = String(mengxi!._id);
    await fileCase({ parties: [id], type: 'ADMINISTRATIVE', divisionCode: mengxi!.divisionCode });
    const res = await stack.query('caseworker', `query($id: ID!) { resident(id: $id) { id name { zh } courtCases { id } } }`, { id });
    expect(res.data.resident).toMatchObject({ id, courtCases: [] });
    expect(res.data.resident.name.zh).toBeTruthy();
    const err = res.errors!.find((e) => e.extensions?.code === 'FORBIDDEN');
    expect(err?.path).toEqual(['resident', 'courtCases']);
    // A resident outside the caseworker's jurisdiction is not revealed at all.
    const outside = await stack.query('caseworker', `query($id: ID!) { resident(id: $id) { id courtCases { id } } }`, { id: residents[0] });
    expect(outside.data?.resident ?? null).toBeNull();
  });

  it('a judge who may read sees the same resident’s cases', async () => {
    const mengxi = await stack.registry.models.Resident.findOne({ divisionPath: '150624102' }).lean();
    const res = await stack.query('judge', `query($id: ID!) { resident(id: $id) { id courtCases { id caseNumber } } }`, { id: String(mengxi!._id) });
    expect(res.errors).toBeUndefined();
    expect(res.data.resident.courtCases.length).toBeGreaterThan(0);
  });

  it('administrators do not read court records', async () => {
    const res = await stack.query('court.admin', `query { courtCases(divisionCode: "150624") { totalCount } }`);
    expect(codeOf(res)).toBe('FORBIDDEN');
  });
});

describe('DataLoader keeps store work flat', () => {
  async function commandsFor(first: number): Promise<number> {
    const q = `query($code: String!, $first: Int) { courtCases(divisionCode: $code, first: $first) { totalCount edges { node {
      id caseNumber dispute { id } judge { id name { zh mn } languages division { code } }
      hearings { date mode legalAffairsRoom { code name { zh } } }
      parties { id name { zh } courtCases { id judge { id } } } division { code name { zh } } } } } }`;
    await stack.query('judge', q, { code: QIPANJING_VILLAGE, first });
    stack.docstore.resetCounters();
    const res = await stack.query('judge', q, { code: QIPANJING_VILLAGE, first });
    expect(res.errors).toBeUndefined();
    expect(res.data.courtCases.edges).toHaveLength(first);
    const c = stack.docstore.counters();
    if (process.env.COURT_DEBUG) console.log(first, JSON.stringify(c.byDb));
    return Object.entries(c.byDb)
      // The access store is polled for policy changes in the background: not this request's work.
      .filter(([db]) => db.startsWith('anmulong_') && db !== 'anmulong_access')
      .reduce((sum, [, cmds]) => sum + Object.values(cmds).reduce((a, b) => a + b, 0), 0);
  }

  it('12 cases with hearings, judges and parties cost the same store commands as 2', async () => {
    const people = (await stack.registry.models.Resident.find({ divisionPath: QIPANJING_VILLAGE }).sort({ _id: 1 }).limit(24).lean()).map((r: { _id: unknown }) => String(r._id));
    expect(people.length).toBeGreaterThanOrEqual(4);
    const judges = (await court.Judge.find({}).lean()).map((j) => String(j._id));
    for (let i = 0; i < 12; i++) {
      const c = await fileCase({ divisionCode: QIPANJING_VILLAGE, parties: [people[(2 * i) % people.length], people[(2 * i + 1) % people.length]] });
      await stack.query('judge', ASSIGN, { caseId: c.id, judgeId: judges[i % judges.length] });
      for (let h = 0; h < 1 + (i % 3); h++) {
        const circuit = h % 2 === 0;
        await stack.query('judge', SCHEDULE, { caseId: c.id, input: { date: `2025-0${h + 7}-1${i % 10}T02:00:00Z`, mode: circuit ? 'CIRCUIT' : 'ONLINE', ...(circuit ? { legalAffairsRoom: QIPANJING_VILLAGE } : {}) } });
      }
    }
    const small = await commandsFor(2);
    const big = await commandsFor(12);
    expect(small).toBeGreaterThan(0);
    expect(big).toBe(small);
  });
});

/*
 * Federation both ways between mediation (owns Dispute) and court (adds Dispute.courtCase, links
 * CourtCase.dispute), and the cross-department dispute path: resident → help requests (police) →
 * dispute (mediation) → court case with hearings and judge (court), in single gateway queries.
 * On this file's stack: its cases are filed in Ulan, the tests above file theirs in Sumitu and
 * Qipanjing, and case numbers are checked relative to each other.
 */
/** Ulan (the mediator's town): a gacha with enough residents. */
const ULAN_VILLAGE = '150624100001';
let ulanResidents: string[] = [];
let mediatorId = '';
const SCREEN = `mutation($input: ScreenDisputeInput!) { screenDispute(input: $input) { id stage } }`;
const ESCALATE = `mutation($id: ID!, $date: String!) { escalateDispute(disputeId: $id, date: $date) { id stage status } }`;
const RECORD = `mutation($id: ID!, $input: RecordMediationInput!) { recordMediation(disputeId: $id, input: $input) { id stage status } }`;
const FILE_FROM_DISPUTE = `mutation($input: FileCaseInput!) { fileCase(input: $input) { id caseNumber status dispute { id stage } parties { id } } }`;

/** Through mediation's own API, as the Ulan mediator: screened, up the ladder to `until`. */
async function disputeAt(until: 'VILLAGE_COMMITTEE' | 'JUDICIAL_MEDIATION' | 'COURT', parties: string[], helpRequestId?: string): Promise<string> {
  const screened = await stack.query('mediator', SCREEN, {
    input: { category: 'GRASSLAND_CONTRACT', partyIds: parties, divisionCode: ULAN_VILLAGE, description: '草场边界纠纷', screenedOn: '2025-03-01', ...(helpRequestId ? { helpRequestId } : {}) },
  });
  expect(screened.errors).toBeUndefined();
  const id = screened.data.screenDispute.id as string;
  if (until === 'VILLAGE_COMMITTEE') return id;
  for (const date of ['2025-03-10', '2025-03-20']) expect((await stack.query('mediator', ESCALATE, { id, date })).errors).toBeUndefined();
  if (until === 'JUDICIAL_MEDIATION') return id;
  const failed = await stack.query('mediator', RECORD, { id, input: { outcome: 'ESCALATED', date: '2025-04-01', mode: 'ONLINE', mediatorIds: [mediatorId] } });
  expect(failed.errors).toBeUndefined();
  const toCourt = await stack.query('mediator', ESCALATE, { id, date: '2025-04-05' });
  expect(toCourt.errors).toBeUndefined();
  expect(toCourt.data.escalateDispute.stage).toBe('COURT');
  return id;
}

describe('federation between mediation and court', () => {
  beforeAll(async () => {
    const found = await stack.registry.models.Resident.find({ divisionPath: ULAN_VILLAGE }).sort({ _id: 1 }).limit(10).lean();
    ulanResidents = found.map((r: { _id: unknown }) => String(r._id));
    const mediation = (stack.subgraphs as Record<string, { models: any }>).mediation.models;
    const m = await mediation.Mediator.findOne({ divisionPath: '150624100' }).lean();
    mediatorId = String((m ?? (await mediation.Mediator.findOne({}).lean()))._id);
  });

  it('demo cases: CourtCase.dispute (from mediation) and Dispute.courtCase (from court) in one gateway query', async () => {
    const demoCase = await court.CourtCase.findOne({ disputeId: { $ne: null } }).lean();
    expect(demoCase).toBeTruthy();
    const res = await stack.query('judge', `query($id: ID!) { courtCase(id: $id) { id caseNumber
        dispute { id stage status category parties { id name { zh } } courtCase { id caseNumber judge { id } } } } }`, { id: String(demoCase!._id) });
    expect(res.errors).toBeUndefined();
    const c = res.data.courtCase;
    expect(c.dispute).toMatchObject({ id: String(demoCase!.disputeId), stage: 'COURT' });
    expect(c.dispute.courtCase).toMatchObject({ id: c.id, caseNumber: c.caseNumber });
    expect(c.dispute.parties.map((p: { id: string }) => p.id).sort()).toEqual(demoCase!.partyIds.map(String).sort());

    // Every dispute that reached COURT in the demo has its case, with hearings and judge.
    const list = await stack.query('judge', `query { disputes(divisionCode: "150624", stage: COURT, first: 100) { totalCount edges { node { id stage
        courtCase { id caseNumber status hearings { date mode legalAffairsRoom { code } } judge { name { zh mn } languages } dispute { id } } } } } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data.disputes.totalCount).toBeGreaterThan(0);
    for (const { node } of list.data.disputes.edges) {
      expect(node.courtCase).not.toBeNull();
      expect(node.courtCase.dispute.id).toBe(node.id);
    }
  });

  it('files a case only from a dispute that reached COURT, and only once', async () => {
    const parties = ulanResidents.slice(0, 2);
    // Not at COURT yet: refused, nothing written.
    for (const stage of ['VILLAGE_COMMITTEE', 'JUDICIAL_MEDIATION'] as const) {
      const early = await disputeAt(stage, parties);
      const before = await snapshot();
      const res = await stack.query('judge', FILE_FROM_DISPUTE, { input: { disputeId: early, parties, type: 'CIVIL', divisionCode: ULAN_VILLAGE } });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      // Judges may not even see a dispute below COURT under the shipped MEDIATION policy ("no dispute").
      expect(res.errors![0].message).toMatch(new RegExp(`input.disputeId: (.* stage ${stage}|no dispute)`));
      expect(await snapshot()).toBe(before);
      const back = await stack.query('mediator', `query($id: ID!) { dispute(id: $id) { id stage courtCase { id } } }`, { id: early });
      expect(back.errors).toBeUndefined();
      expect(back.data.dispute).toEqual({ id: early, stage, courtCase: null });
    }
    // Unknown dispute: refused.
    let before = await snapshot();
    const unknown = await stack.query('judge', FILE_FROM_DISPUTE, { input: { disputeId: '0123456789abcdef01234567', parties, type: 'CIVIL', divisionCode: ULAN_VILLAGE } });
    expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
    expect(unknown.errors![0].message).toMatch(/input.disputeId: no dispute/);
    expect(await snapshot()).toBe(before);

    const atCourt = await disputeAt('COURT', parties);
    // A resident who is not a party of the dispute: refused.
    const stranger = await stack.query('judge', FILE_FROM_DISPUTE, { input: { disputeId: atCourt, parties: [parties[0], ulanResidents[5]], type: 'CIVIL', divisionCode: ULAN_VILLAGE } });
    expect(codeOf(stranger)).toBe('BAD_USER_INPUT');
    expect(stranger.errors![0].message).toMatch(/input.parties\[1\] is not a party/);
    expect(await snapshot()).toBe(before);

    const filed = await stack.query('judge', FILE_FROM_DISPUTE, { input: { disputeId: atCourt, parties, type: 'CIVIL', divisionCode: ULAN_VILLAGE } });
    expect(filed.errors).toBeUndefined();
    expect(filed.data.fileCase).toMatchObject({ status: 'FILED', dispute: { id: atCourt, stage: 'COURT' } });
    before = await snapshot();
    const twice = await stack.query('judge', FILE_FROM_DISPUTE, { input: { disputeId: atCourt, parties, type: 'CIVIL', divisionCode: ULAN_VILLAGE } });
    expect(codeOf(twice)).toBe('BAD_USER_INPUT');
    expect(twice.errors![0].message).toMatch(/already has a court case/);
    expect(await snapshot()).toBe(before);
    // The store itself refuses a second case for the dispute (unique index), whatever the caller.
    const { _id: _ignored, ...existing } = (await court.CourtCase.findOne({ disputeId: filed.data.fileCase.dispute.id }).lean())!;
    await expect(court.CourtCase.create({ ...existing, caseNumber: '(2025)蒙0624民初99999号' })).rejects.toMatchObject({ code: 11000 });
    expect(await court.CourtCase.countDocuments({ disputeId: filed.data.fileCase.dispute.id })).toBe(1);
  });

  it('the dispute path in one query: resident → help requests → dispute → court case with hearings and judge', async () => {
    const [plaintiff, defendant] = [ulanResidents[2], ulanResidents[3]];
    // A help request of the plaintiff (police fixture: no demo police user works in Ulan).
    const help = await stack.police.models.HelpRequest.create({
      category: 'DISPUTE', description: '两户牧民因草场边界围栏发生纠纷', status: 'RESOLVED', reportedAt: new Date('2025-02-20T03:00:00Z'),
      resolvedAt: new Date('2025-02-21T03:00:00Z'), resolution: '已转入矛盾纠纷调处', residentId: plaintiff, divisionCode: ULAN_VILLAGE,
    });
    const disputeId = await disputeAt('COURT', [plaintiff, defendant]);
    // The screening link, written directly: under the shipped POLICE policy a mediator may not read
    // help requests, so screenDispute(helpRequestId) is refused for the demo mediator.
    const mediation = (stack.subgraphs as Record<string, { models: any }>).mediation.models;
    await mediation.Dispute.updateOne({ _id: disputeId }, { $set: { helpRequestId: help._id } });
    await stack.police.models.HelpRequest.updateOne({ _id: help._id }, { $set: { disputeId } });
    const filed = await stack.query('judge', FILE_FROM_DISPUTE, { input: { disputeId, parties: [plaintiff, defendant], type: 'CIVIL', divisionCode: ULAN_VILLAGE, filedOn: '2025-04-10' } });
    expect(filed.errors).toBeUndefined();
    const caseId = filed.data.fileCase.id;
    const judge = await court.Judge.findOne({ languages: 'mn' }).lean();
    await stack.query('judge', `mutation($c: ID!, $j: ID!) { assignJudge(caseId: $c, judgeId: $j) { id } }`, { c: caseId, j: String(judge!._id) });
    const hearing = await stack.query('judge', `mutation($c: ID!, $i: ScheduleHearingInput!) { scheduleHearing(caseId: $c, input: $i) { id status } }`,
      { c: caseId, i: { date: '2025-05-06T02:00:00Z', mode: 'CIRCUIT', legalAffairsRoom: ULAN_VILLAGE } });
    expect(hearing.errors).toBeUndefined();

    // Analysts work across departments (with a stated purpose); judges do not read police records.
    const res = await stack.query('analyst', `query($id: ID!) { resident(id: $id) { id name { zh }
        helpRequests { id category dispute { id stage status
          courtCase { caseNumber status hearings { date mode legalAffairsRoom { code name { zh } } } judge { name { zh mn } languages } } } }
        courtCases { id } } }`, { id: plaintiff }, { headers: { 'x-access-purpose': 'dispute path review' } });
    expect(res.errors).toBeUndefined();
    const request = res.data.resident.helpRequests.find((h: { id: string }) => h.id === String(help._id));
    expect(request.dispute).toMatchObject({ id: disputeId, stage: 'COURT' });
    expect(request.dispute.courtCase).toMatchObject({
      status: 'IN_HEARING',
      hearings: [{ date: '2025-05-06T02:00:00.000Z', mode: 'CIRCUIT', legalAffairsRoom: { code: ULAN_VILLAGE, name: { zh: expect.any(String) } } }],
      judge: { languages: ['mn', 'zh'] },
    });
    expect(request.dispute.courtCase.caseNumber).toMatch(/^\(2025\)蒙0624民初\d+号$/);
    expect(res.data.resident.courtCases.map((c: { id: string }) => c.id)).toContain(caseId);
  });

  it('Dispute.courtCase is batched: the store work does not grow with the number of disputes', async () => {
    const q = `query($first: Int) { disputes(divisionCode: "150624", stage: COURT, first: $first) { edges { node { id
      courtCase { id caseNumber hearings { mode } judge { id name { zh } } } } } } }`;
    const total = (await stack.query('judge', q, { first: 100 })).data.disputes.edges.length;
    expect(total).toBeGreaterThanOrEqual(3);
    async function commandsFor(first: number) {
      stack.docstore.resetCounters();
      const res = await stack.query('judge', q, { first });
      expect(res.errors).toBeUndefined();
      const c = stack.docstore.counters();
      return Object.entries(c.byDb).filter(([db]) => db === 'anmulong_court').reduce((s, [, cmds]) => s + Object.values(cmds).reduce((a, b) => a + b, 0), 0);
    }
    const one = await commandsFor(1);
    const all = await commandsFor(total);
    expect(one).toBeGreaterThan(0);
    expect(all).toBe(one);
  });
});
