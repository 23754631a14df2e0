import { startStack, type Stack } from '@anmulong/testkit';
import { demoFigures, loadDemo } from '@anmulong/demo';
import type { CourtModels } from '../src/models';
import type { MediationModels } from '@anmulong/mediation';
import { CASE_NUMBER } from '../src/models';

/*
 * The court subgraph against the real stack: docstore over TCP, RS256 tokens from the development
 * identity provider, every subgraph and the gateway; demo data at scale 0.01. Then, on the same
 * stack, the mediation subgraph and the federation between mediation and court (below).
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

describe('mediation: the article\'s figures through the gateway (before any test writes disputes)', () => {
  const PURPOSE = { headers: { 'X-Access-Purpose': 'quarterly dispute statistics' } };
  const f = demoFigures(0.01);

  it('an analyst counts 4,800+ screened and 4,500+ resolved disputes, in proportion', async () => {
    const res = await stack.query('analyst', `{ all: disputes(divisionCode: "150624", first: 0) { totalCount }
      resolved: disputes(divisionCode: "150624", status: RESOLVED, first: 0) { totalCount }
      court: disputes(divisionCode: "150624", stage: COURT, first: 0) { totalCount } }`, {}, PURPOSE);
    expect(res.errors).toBeUndefined();
    expect(res.data.all.totalCount).toBe(f.disputesScreened);
    expect(res.data.resolved.totalCount).toBe(f.disputesResolved);
    expect(res.data.court.totalCount).toBe(f.disputesInCourt);
    const without = await stack.query('analyst', `{ disputes(divisionCode: "150624") { totalCount } }`);
    expect(codeOf(without)).toBe('BAD_USER_INPUT');
  });

  it('counts disputes by village and month, the same totals, concentrated in the industrial towns', async () => {
    const res = await stack.query('analyst', `{ disputeCounts(divisionCode: "150624") { division { code name { zh } } month screened resolved withdrawn referredToCourt open } }`, {}, PURPOSE);
    expect(res.errors).toBeUndefined();
    const rows = res.data.disputeCounts as { division: { code: string; name: { zh: string } }; month: string; screened: number; resolved: number; withdrawn: number; referredToCourt: number; open: number }[];
    const sum = (pick: (r: (typeof rows)[number]) => number, where = (_r: (typeof rows)[number]) => true) => rows.filter(where).reduce((a, r) => a + pick(r), 0);
    expect(sum((r) => r.screened)).toBe(f.disputesScreened);
    expect(sum((r) => r.resolved)).toBe(f.disputesResolved);
    expect(sum((r) => r.referredToCourt)).toBe(f.disputesInCourt);
    for (const r of rows) {
      expect(r.division.code).toMatch(/^150624\d{6}$/);
      expect(r.division.name.zh).toBeTruthy();
      expect(r.month).toMatch(/^20(22|23)-\d{2}$/);
      expect(r.resolved + r.withdrawn + r.referredToCourt + r.open).toBe(r.screened);
    }
    const industrial = sum((r) => r.screened, (r) => /^15062410[12]/.test(r.division.code));
    expect(industrial / f.disputesScreened).toBeGreaterThan(0.4);
    const autumn = await stack.query('analyst', `{ disputeCounts(divisionCode: "150624101", from: "2023-09", to: "2023-11") { month division { code } } }`, {}, PURPOSE);
    expect(autumn.errors).toBeUndefined();
    for (const r of autumn.data.disputeCounts) {
      expect(r.month >= '2023-09' && r.month <= '2023-11').toBe(true);
      expect(r.division.code.startsWith('150624101')).toBe(true);
    }
    const bad = await stack.query('analyst', `{ disputeCounts(divisionCode: "150624", from: "2023-13") { month } }`, {}, PURPOSE);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
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

/*
 * The mediation subgraph through the gateway, on this stack (its figures are checked above, before
 * any test writes a dispute; the federation's demo-case check before its escalations to COURT).
 * The `mediator` demo user works in Ulan (150624100).
 */
describe('mediation', () => {
  let models: MediationModels;
  const ULAN_VILLAGE = '150624100001';
  const ULAN_GRID = '150624100001001';
  beforeAll(() => {
    models = stack.subgraphs.mediation.models as MediationModels;
  });

  const FIELDS = `id category stage status screenedOn description division { code } parties { id }
    steps { stage openedOn date mode outcome notes mediators { id languages } } helpRequest { id }`;
  const SCREEN = `mutation($input: ScreenDisputeInput!) { screenDispute(input: $input) { ${FIELDS} } }`;
  const RECORD = `mutation($id: ID!, $input: RecordMediationInput!) { recordMediation(disputeId: $id, input: $input) { ${FIELDS} } }`;
  const ESCALATE = `mutation($id: ID!, $date: String!, $to: DisputeStage) { escalateDispute(disputeId: $id, date: $date, to: $to) { ${FIELDS} } }`;
  const CONSULT = `mutation($input: RecordConsultationInput!) { recordConsultation(input: $input) { id date mode subject summary adviser { id } resident { id } division { code } } }`;

  interface Fixtures {
    residents: string[];
    qipanjingResident: string;
    villageMediators: string[];
    councilMembers: string[];
    judicial: string;
  }
  let fx: Fixtures;

  beforeAll(async () => {
    const { Resident } = stack.registry.models;
    const residents = await Resident.find({ divisionPath: ULAN_GRID }).sort({ _id: 1 }).limit(12).lean();
    const qipanjing = await Resident.findOne({ divisionPath: QIPANJING_VILLAGE }).lean();
    const village = await models.Mediator.find({ divisionCode: ULAN_VILLAGE, kind: 'VILLAGE_MEDIATOR' }).lean();
    const council = await models.Mediator.find({ divisionCode: ULAN_VILLAGE, kind: 'COUNCIL_MEMBER' }).lean();
    const judicial = await models.Mediator.findOne({ divisionCode: '150624100', kind: 'JUDICIAL_MEDIATOR' }).lean();
    expect(residents.length).toBeGreaterThanOrEqual(10);
    expect(qipanjing && judicial && village.length && council.length).toBeTruthy();
    fx = {
      residents: residents.map((r) => String(r._id)),
      qipanjingResident: String(qipanjing!._id),
      villageMediators: village.map((m) => String(m._id)),
      councilMembers: council.map((m) => String(m._id)),
      judicial: String(judicial!._id),
    };
  });

  const screenInput = (over: Record<string, unknown> = {}) => ({
    category: 'GRASSLAND_CONTRACT',
    partyIds: fx.residents.slice(0, 2),
    divisionCode: ULAN_GRID,
    description: '两户牧民草场边界围栏争议',
    screenedOn: '2023-10-01',
    ...over,
  });

  async function screen(over: Record<string, unknown> = {}) {
    const res = await stack.query('mediator', SCREEN, { input: screenInput(over) });
    expect(res.errors).toBeUndefined();
    return res.data.screenDispute as { id: string; [k: string]: any };
  }
  async function record(id: string, input: Record<string, unknown>) {
    const res = await stack.query('mediator', RECORD, { id, input: { mode: 'ON_SITE', mediatorIds: fx.villageMediators.slice(0, 1), ...input } });
    expect(res.errors).toBeUndefined();
    return res.data.recordMediation;
  }
  async function escalate(id: string, date: string) {
    const res = await stack.query('mediator', ESCALATE, { id, date });
    expect(res.errors).toBeUndefined();
    return res.data.escalateDispute;
  }
  const stored = (id: string) => models.Dispute.findById(id).lean();
  /**
   * An Ulan help request about a dispute (the kind the shipped POLICE policy lets mediators see),
   * with a resident, that no dispute was screened from yet; recorded as police would if the demo
   * has none left.
   */
  async function freshHelpRequest() {
    const { HelpRequest } = stack.police.models;
    const used = (await models.Dispute.find({ helpRequestId: { $ne: null } }).lean()).map((d) => d.helpRequestId);
    const found = await HelpRequest.findOne({ divisionPath: '150624100', category: 'DISPUTE', residentId: { $ne: null }, _id: { $nin: used } }).sort({ _id: 1 }).lean();
    if (found) return found;
    const resident = await stack.registry.models.Resident.findOne({ divisionPath: '150624100' }).sort({ _id: -1 }).lean();
    const created = await HelpRequest.create({
      category: 'DISPUTE', description: '邻里纠纷', status: 'OPEN', reportedAt: new Date('2023-10-01T08:00:00Z'),
      residentId: resident!._id, divisionCode: resident!.divisionCode,
    });
    return created.toObject();
  }

  describe('the escalation ladder through the gateway', () => {
    it('screens a dispute and takes it up every rung to COURT', async () => {
      const d = await screen();
      expect(d).toMatchObject({
        category: 'GRASSLAND_CONTRACT', stage: 'VILLAGE_COMMITTEE', status: 'OPEN', screenedOn: '2023-10-01',
        division: { code: ULAN_GRID }, parties: fx.residents.slice(0, 2).map((id) => ({ id })), helpRequest: null,
        steps: [{ stage: 'VILLAGE_COMMITTEE', openedOn: '2023-10-01', date: null, mode: null, outcome: null, mediators: [] }],
      });

      let r = await record(d.id, { outcome: 'ESCALATED', date: '2023-10-03', mediatorIds: fx.villageMediators, notes: '调解未果' });
      expect(r).toMatchObject({ stage: 'VILLAGE_COMMITTEE', status: 'OPEN' });
      expect(r.steps[0]).toMatchObject({ date: '2023-10-03', mode: 'ON_SITE', outcome: 'ESCALATED', notes: '调解未果' });
      expect(r.steps[0].mediators.map((m: { id: string }) => m.id)).toEqual(fx.villageMediators);

      r = await escalate(d.id, '2023-10-05');
      expect(r).toMatchObject({ stage: 'DELIBERATION_COUNCIL', status: 'OPEN' });
      expect(r.steps[1]).toMatchObject({ stage: 'DELIBERATION_COUNCIL', openedOn: '2023-10-05', outcome: null });

      await record(d.id, { outcome: 'ESCALATED', date: '2023-10-12', mediatorIds: fx.councilMembers });
      r = await escalate(d.id, '2023-10-15');
      expect(r).toMatchObject({ stage: 'JUDICIAL_MEDIATION', status: 'OPEN' });

      r = await record(d.id, { outcome: 'ESCALATED', date: '2023-10-30', mode: 'ONLINE', mediatorIds: [fx.judicial] });
      expect(r.steps[2]).toMatchObject({ stage: 'JUDICIAL_MEDIATION', mode: 'ONLINE', outcome: 'ESCALATED' });
      r = await escalate(d.id, '2023-11-02');
      expect(r).toMatchObject({ stage: 'COURT', status: 'REFERRED_TO_COURT' });
      expect(r.steps.map((s: { stage: string; outcome: string | null }) => [s.stage, s.outcome])).toEqual([
        ['VILLAGE_COMMITTEE', 'ESCALATED'], ['DELIBERATION_COUNCIL', 'ESCALATED'], ['JUDICIAL_MEDIATION', 'ESCALATED'], ['COURT', null],
      ]);

      // Read back with the registry's residents and divisions joined in by the gateway.
      const read = await stack.query('mediator', `query($id: ID!) { dispute(id: $id) { stage parties { id name { zh } } division { code name { zh } }
        steps { stage mediators { name { zh } kind organisation } } } }`, { id: d.id });
      expect(read.errors).toBeUndefined();
      expect(read.data.dispute.parties).toHaveLength(2);
      expect(read.data.dispute.parties[0].name.zh).toBeTruthy();
      expect(read.data.dispute.division.name.zh).toBeTruthy();
      expect(read.data.dispute.steps[2].mediators[0].kind).toBe('JUDICIAL_MEDIATOR');
      const list = await stack.query('mediator', `{ disputes(divisionCode: "${ULAN_GRID}", stage: COURT, first: 100) { totalCount edges { node { id stage } } } }`);
      expect(list.data.disputes.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(d.id);
      expect(list.data.disputes.edges.every((e: { node: { stage: string } }) => e.node.stage === 'COURT')).toBe(true);
    });

    it('resolves a dispute at the village committee and one withdrawn at the deliberation council', async () => {
      const a = await screen({ category: 'NEIGHBOURS' });
      const r = await record(a.id, { outcome: 'RESOLVED', date: '2023-10-02' });
      expect(r).toMatchObject({ stage: 'VILLAGE_COMMITTEE', status: 'RESOLVED' });
      const b = await screen({ category: 'FAMILY' });
      // A village committee may pass a dispute up without a session: its step closes as ESCALATED.
      const up = await escalate(b.id, '2023-10-04');
      expect(up.steps[0]).toMatchObject({ outcome: 'ESCALATED', date: '2023-10-04' });
      const w = await record(b.id, { outcome: 'WITHDRAWN', date: '2023-10-06', mediatorIds: fx.councilMembers.slice(0, 1) });
      expect(w).toMatchObject({ stage: 'DELIBERATION_COUNCIL', status: 'WITHDRAWN' });
    });
  });

  // The ladder's illegal moves, refused by mediation alone: mediation.inprocess.test.ts.

  describe('mutation validation', () => {
    const bad: [string, Record<string, unknown>, string][] = [
      ['a malformed party id', { partyIds: ['abc', '0123456789abcdef01234567'] }, 'BAD_USER_INPUT'],
      ['a single party', { partyIds: ['0123456789abcdef01234567'] }, 'BAD_USER_INPUT'],
      ['no parties', { partyIds: [] }, 'BAD_USER_INPUT'],
      ['the same party twice', { partyIds: 'dup' }, 'BAD_USER_INPUT'],
      ['a resident that does not exist', { partyIds: 'ghost' }, 'BAD_USER_INPUT'],
      ['a resident outside the jurisdiction', { partyIds: 'qipanjing' }, 'BAD_USER_INPUT'],
      ['an operator instead of a party id', { partyIds: [{ $ne: null }, 'x'] }, 'BAD_USER_INPUT'],
      ['an unknown division', { divisionCode: '150624100999' }, 'BAD_USER_INPUT'],
      ['a town instead of a village or grid', { divisionCode: '150624100' }, 'BAD_USER_INPUT'],
      ['an operator instead of a division', { divisionCode: { $ne: '' } }, 'BAD_USER_INPUT'],
      ['an unknown category', { category: 'ALIENS' }, 'BAD_USER_INPUT'],
      ['an empty description', { description: '  ' }, 'BAD_USER_INPUT'],
      ['a date that is not a date', { screenedOn: 'yesterday' }, 'BAD_USER_INPUT'],
      ['a date in the future', { screenedOn: '2999-01-01' }, 'BAD_USER_INPUT'],
      ['a malformed help request id', { helpRequestId: 'nope' }, 'BAD_USER_INPUT'],
      ['a help request that does not exist', { helpRequestId: '0123456789abcdef01234567' }, 'BAD_USER_INPUT'],
      ['an operator instead of a help request id', { helpRequestId: { $gt: '' } }, 'BAD_USER_INPUT'],
      ['a division outside the jurisdiction', { divisionCode: QIPANJING_VILLAGE }, 'FORBIDDEN'],
    ];
    it.each(bad)('screenDispute rejects %s and writes nothing', async (_what, over, code) => {
      const partyIds = over.partyIds === 'dup' ? [fx.residents[0], fx.residents[0]]
        : over.partyIds === 'ghost' ? [fx.residents[0], '0123456789abcdef01234567']
          : over.partyIds === 'qipanjing' ? [fx.residents[0], fx.qipanjingResident] : over.partyIds;
      const before = await models.Dispute.countDocuments();
      const res = await stack.query('mediator', SCREEN, { input: screenInput({ ...over, ...(partyIds ? { partyIds } : {}) }) });
      expect(codeOf(res)).toBe(code);
      expect(res.data?.screenDispute ?? null).toBeNull();
      expect(await models.Dispute.countDocuments()).toBe(before);
    });

    it('validates recordMediation and escalateDispute input, writing nothing', async () => {
      const d = await screen();
      const before = await stored(d.id);
      const base = { outcome: 'RESOLVED', date: '2023-10-02', mode: 'ON_SITE', mediatorIds: fx.villageMediators.slice(0, 1) };
      const cases: [string, Record<string, unknown>][] = [
        [RECORD, { id: 'abc', input: base }],
        [RECORD, { id: '0123456789abcdef01234567', input: base }],
        [RECORD, { id: { $ne: null }, input: base }],
        [RECORD, { id: d.id, input: { ...base, mediatorIds: [] } }],
        [RECORD, { id: d.id, input: { ...base, mediatorIds: ['0123456789abcdef01234567'] } }],
        [RECORD, { id: d.id, input: { ...base, mediatorIds: ['xyz'] } }],
        [RECORD, { id: d.id, input: { ...base, mediatorIds: [fx.villageMediators[0], fx.villageMediators[0]] } }],
        [RECORD, { id: d.id, input: { ...base, outcome: 'SETTLED' } }],
        [RECORD, { id: d.id, input: { ...base, mode: { $ne: 'ONLINE' } } }],
        [RECORD, { id: d.id, input: { ...base, date: { $gt: '' } } }],
        [ESCALATE, { id: 'abc', date: '2023-10-02' }],
        [ESCALATE, { id: d.id, date: 'yesterday' }],
        [ESCALATE, { id: d.id, date: '2023-10-02', to: 'SUPREME_COURT' }],
      ];
      for (const [query, vars] of cases) {
        const res = await stack.query('mediator', query, vars);
        if (codeOf(res) !== 'BAD_USER_INPUT') throw new Error(`${JSON.stringify(vars)} gave ${JSON.stringify(res.errors ?? res.data)}`);
      }
      expect(await stored(d.id)).toEqual(before);
    });

    it('records a consultation of a village legal adviser and validates its input', async () => {
      const adviser = await models.LegalAdviser.findOne({ divisionCode: ULAN_VILLAGE }).lean();
      const foreign = await models.LegalAdviser.findOne({ divisionCode: QIPANJING_VILLAGE }).lean();
      const input = { legalAdviserId: String(adviser!._id), residentId: fx.residents[0], date: '2023-11-01', mode: 'ONLINE', subject: 'GRASSLAND_AND_LAND', summary: '草场流转合同条款咨询' };
      const ok = await stack.query('mediator', CONSULT, { input });
      expect(ok.errors).toBeUndefined();
      expect(ok.data.recordConsultation).toMatchObject({ date: '2023-11-01', mode: 'ONLINE', adviser: { id: String(adviser!._id) }, resident: { id: fx.residents[0] }, division: { code: ULAN_VILLAGE } });
      const listed = await stack.query('mediator', `{ legalAdvisers(divisionCode: "${ULAN_VILLAGE}") { id languages consultations { id } } }`);
      expect(listed.data.legalAdvisers).toHaveLength(1);
      expect(listed.data.legalAdvisers[0].consultations.map((c: { id: string }) => c.id)).toContain(ok.data.recordConsultation.id);

      const before = await models.Consultation.countDocuments();
      const cases: [Record<string, unknown>, string][] = [
        [{ legalAdviserId: 'abc' }, 'BAD_USER_INPUT'],
        [{ legalAdviserId: '0123456789abcdef01234567' }, 'BAD_USER_INPUT'],
        [{ residentId: 'abc' }, 'BAD_USER_INPUT'],
        [{ residentId: fx.qipanjingResident }, 'BAD_USER_INPUT'],
        [{ summary: '' }, 'BAD_USER_INPUT'],
        [{ subject: { $ne: '' } }, 'BAD_USER_INPUT'],
        [{ date: '2999-12-31' }, 'BAD_USER_INPUT'],
        [{ legalAdviserId: String(foreign!._id) }, 'FORBIDDEN'],
      ];
      for (const [over, code] of cases) {
        const res = await stack.query('mediator', CONSULT, { input: { ...input, ...over } });
        if (codeOf(res) !== code) throw new Error(`${JSON.stringify(over)} gave ${JSON.stringify(res.errors ?? res.data)}`);
      }
      expect(await models.Consultation.countDocuments()).toBe(before);
    });

    it('refuses every mutation to a caller who is not a mediator', async () => {
      const d = await screen();
      const before = await models.Dispute.countDocuments();
      const doc = await stored(d.id);
      for (const user of ['police.officer', 'mediation.admin', 'judge']) {
        const s = await stack.query(user, SCREEN, { input: screenInput() });
        expect(codeOf(s)).toBe('FORBIDDEN');
        const r = await stack.query(user, RECORD, { id: d.id, input: { outcome: 'RESOLVED', date: '2023-10-02', mode: 'ON_SITE', mediatorIds: fx.villageMediators } });
        expect(codeOf(r)).toBe('FORBIDDEN');
        const e = await stack.query(user, ESCALATE, { id: d.id, date: '2023-10-02' });
        expect(codeOf(e)).toBe('FORBIDDEN');
      }
      expect(await models.Dispute.countDocuments()).toBe(before);
      expect(await stored(d.id)).toEqual(doc);
    });
  });

  describe('authentication', () => {
    it('refuses calls without a valid token, at the gateway and directly at the mediation subgraph', async () => {
      for (const url of [stack.gateway.url, stack.subgraphs.mediation.url]) {
        for (const authorization of [undefined, 'Bearer not-a-token']) {
          const res = await stack.query({ authorization }, '{ disputes(divisionCode: "150624") { totalCount } }', {}, { url });
          expect(res.status).toBe(401);
          expect(codeOf(res)).toBe('UNAUTHENTICATED');
        }
      }
    });
  });

  describe('jurisdiction', () => {
    it('a mediator in Ulan sees no Qipanjing disputes, and only Ulan ones banner-wide', async () => {
      expect(await models.Dispute.countDocuments({ divisionPath: '150624101' })).toBeGreaterThan(0);
      const res = await stack.query('mediator', `{ disputes(divisionCode: "150624101") { totalCount edges { node { id } } pageInfo { hasNextPage } } }`);
      expect(res.errors).toBeUndefined();
      expect(res.data.disputes).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });

      const all = await stack.query('mediator', `{ disputes(divisionCode: "150624", first: 100) { totalCount edges { node { division { code } } } } }`);
      expect(all.data.disputes.totalCount).toBe(await models.Dispute.countDocuments({ divisionPath: '150624100' }));
      expect(all.data.disputes.edges.every((e: { node: { division: { code: string } } }) => e.node.division.code.startsWith('150624100'))).toBe(true);

      const foreign = await models.Dispute.findOne({ divisionPath: '150624101' }).lean();
      const one = await stack.query('mediator', `query($id: ID!) { dispute(id: $id) { id } }`, { id: String(foreign!._id) });
      expect(one.errors).toBeUndefined();
      expect(one.data.dispute).toBeNull();
      // Nor can it be moved: its existence is not revealed.
      const moved = await stack.query('mediator', ESCALATE, { id: String(foreign!._id), date: '2023-11-01' });
      expect(codeOf(moved)).toBe('BAD_USER_INPUT');
      expect(moved.errors![0].message).toMatch(/no dispute with id/);
    });

    it('the demo data gives Ulan disputes at every stage', async () => {
      const res = await stack.query('mediator', `{ disputes(divisionCode: "150624100", first: 100) { totalCount edges { node { stage status } } } }`);
      const stages = new Set(res.data.disputes.edges.map((e: { node: { stage: string } }) => e.node.stage));
      expect([...stages].sort()).toEqual(['COURT', 'DELIBERATION_COUNCIL', 'JUDICIAL_MEDIATION', 'VILLAGE_COMMITTEE']);
    });

    it('a judge sees only the disputes that reached COURT (the MEDIATION policy\'s row condition)', async () => {
      const court = await models.Dispute.countDocuments({ stage: 'COURT' });
      expect(court).toBeGreaterThan(0);
      const res = await stack.query('judge', `{ disputes(divisionCode: "150624", first: 100) { totalCount edges { node { id stage } } } }`);
      expect(res.errors).toBeUndefined();
      expect(res.data.disputes.totalCount).toBe(court);
      expect(res.data.disputes.edges.every((e: { node: { stage: string } }) => e.node.stage === 'COURT')).toBe(true);
      const open = await models.Dispute.findOne({ stage: 'VILLAGE_COMMITTEE' }).lean();
      const one = await stack.query('judge', `query($id: ID!) { dispute(id: $id) { id } }`, { id: String(open!._id) });
      expect(one.data.dispute).toBeNull();
    });

    it('finds bilingual mediators by language, including those serving the town from above', async () => {
      const res = await stack.query('mediator', `{ mediators(divisionCode: "${ULAN_VILLAGE}", language: "mn") { id kind languages division { code } } }`);
      expect(res.errors).toBeUndefined();
      const list = res.data.mediators as { kind: string; languages: string[]; division: { code: string } }[];
      expect(list.length).toBeGreaterThan(0);
      expect(list.every((m) => m.languages.includes('mn'))).toBe(true);
      expect(list.some((m) => m.division.code === '150624')).toBe(true); // the banner's dispute-resolution centre
      const bad = await stack.query('mediator', `{ mediators(divisionCode: "${ULAN_VILLAGE}", language: "Mongolian") { id } }`);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    });
  });

  describe('across departments', () => {
    it('police.officer follows resident → help requests (police) → dispute (mediation) under the shipped policies', async () => {
      const linked = await models.Dispute.findOne({ divisionPath: '150624101', helpRequestId: { $ne: null } }).lean();
      expect(linked).toBeTruthy();
      const hr = await stack.police.models.HelpRequest.findById(linked!.helpRequestId).lean();
      const res = await stack.query('police.officer', `query($id: ID!) { resident(id: $id) { id
          helpRequests { id category dispute { id stage status category screenedOn parties { id name { zh } } } }
          disputes { id } } }`, { id: String(hr!.residentId) });
      expect(res.errors).toBeUndefined();
      const h = res.data.resident.helpRequests.find((x: { id: string }) => x.id === String(hr!._id));
      expect(h).toMatchObject({ category: 'DISPUTE', dispute: { id: String(linked!._id), stage: linked!.stage } });
      expect(h.dispute.parties.length).toBeGreaterThanOrEqual(2);
      expect(res.data.resident.disputes.map((d: { id: string }) => d.id)).toContain(String(linked!._id));
    });

    it('mediators see the help requests about disputes in their jurisdiction, and only those (shipped POLICE policy)', async () => {
      const hr = await freshHelpRequest();
      const other = await stack.police.models.HelpRequest.create({
        category: 'THEFT', description: '被盗', status: 'OPEN', reportedAt: new Date('2023-10-02T08:00:00Z'),
        residentId: hr!.residentId, divisionCode: hr!.divisionCode,
      });
      const res = await stack.query('mediator', `query($id: ID!) { resident(id: $id) { helpRequests { id category } } }`, { id: String(hr!.residentId) });
      expect(res.errors).toBeUndefined();
      const ids = res.data.resident.helpRequests.map((h: { id: string }) => h.id);
      expect(ids).toContain(String(hr!._id));
      expect(ids).not.toContain(String(other._id));
      expect(res.data.resident.helpRequests.every((h: { category: string }) => h.category === 'DISPUTE')).toBe(true);
      await stack.police.models.HelpRequest.deleteOne({ _id: other._id });
    });

    it('screens a dispute from a police help request once only', async () => {
      const hr = await freshHelpRequest();
      expect(hr).toBeTruthy();
      const d = await screen({ helpRequestId: String(hr!._id), partyIds: [String(hr!.residentId), fx.residents[3]] });
      expect(d.helpRequest).toEqual({ id: String(hr!._id) });
      const before = await models.Dispute.countDocuments();
      const again = await stack.query('mediator', SCREEN, { input: screenInput({ helpRequestId: String(hr!._id) }) });
      expect(codeOf(again)).toBe('BAD_USER_INPUT');
      expect(again.errors![0].message).toMatch(/already screened/);
      expect(await models.Dispute.countDocuments()).toBe(before);
    });

    it('resident → help requests (police) → dispute (mediation) → parties (registry), in one gateway query', async () => {
      const hr = await freshHelpRequest();
      expect(hr).toBeTruthy();
      const residentId = String(hr!.residentId);
      const other = fx.residents.find((r) => r !== residentId)!;
      const d = await screen({ helpRequestId: String(hr!._id), partyIds: [residentId, other], category: 'NEIGHBOURS', divisionCode: hr!.divisionCode });
      const res = await stack.query('mediator', `query($id: ID!) { resident(id: $id) { id name { zh }
          helpRequests { id category dispute { id stage status parties { id name { zh } } helpRequest { id reportedAt } } }
          disputes { id } } }`, { id: residentId });
      expect(res.errors).toBeUndefined();
      const linked = res.data.resident.helpRequests.find((h: { id: string }) => h.id === String(hr!._id));
      expect(linked.dispute).toMatchObject({ id: d.id, stage: 'VILLAGE_COMMITTEE', status: 'OPEN', helpRequest: { id: String(hr!._id) } });
      expect(linked.dispute.parties.map((p: { id: string }) => p.id)).toEqual([residentId, other]);
      expect(linked.dispute.parties[1].name.zh).toBeTruthy();
      expect(res.data.resident.disputes.map((x: { id: string }) => x.id)).toContain(d.id);
    });

    it('the demo links disputes to police help requests of category DISPUTE, both ways', async () => {
      const linked = await models.Dispute.find({ helpRequestId: { $ne: null } }).lean();
      expect(linked.length).toBeGreaterThan(5);
      const hrs = await stack.police.models.HelpRequest.find({ _id: { $in: linked.map((d) => d.helpRequestId) } }).lean();
      const demoLinked = hrs.filter((h) => h.disputeId);
      expect(demoLinked.length).toBeGreaterThan(5);
      for (const h of demoLinked) expect(linked.find((d) => String(d._id) === String(h.disputeId))!.helpRequestId!.equals(h._id)).toBe(true);
    });
  });

  describe('DataLoader keeps store work flat', () => {
    const QUERY = `query($code: String!) { disputes(divisionCode: $code, first: 50) { totalCount edges { node { id
      parties { id name { zh } household { id } disputes { id } helpRequests { id } }
      steps { stage mediators { id name { zh } } } helpRequest { id dispute { id } } } } } }`;

    async function commandsFor(code: string): Promise<number> {
      stack.docstore.resetCounters();
      const res = await stack.query('mediator', QUERY, { code });
      expect(res.errors).toBeUndefined();
      const c = stack.docstore.counters();
      // The department databases the query reads; the access service's own store is left out (every
      // subgraph polls it for policies on a timer, whatever the request does).
      return Object.entries(c.byDb)
        .filter(([db]) => db.startsWith('anmulong_') && db !== 'anmulong_access')
        .reduce((sum, [, cmds]) => sum + Object.values(cmds as Record<string, number>).reduce((a, b) => a + b, 0), 0);
    }

    it('disputes with eight parties and many mediators cost the same store commands as disputes with two', async () => {
      // Two Ulan grids without demo disputes, each given three disputes through the gateway.
      const { Division } = stack.registry.models;
      const grids = (await Division.find({ parentCode: { $regex: '^150624100' }, level: 'GRID' }).sort({ _id: 1 }).lean()).map((g) => String(g._id));
      const empty: string[] = [];
      for (const g of grids) if (empty.length < 2 && (await models.Dispute.countDocuments({ divisionPath: g })) === 0) empty.push(g);
      expect(empty).toHaveLength(2);
      const [few, many] = empty as [string, string];
      for (let k = 0; k < 3; k++) {
        const a = await screen({ divisionCode: few, partyIds: fx.residents.slice(k, k + 2) });
        await record(a.id, { outcome: 'ESCALATED', date: '2023-10-02', mediatorIds: fx.villageMediators.slice(0, 1) });
        const b = await screen({ divisionCode: many, partyIds: fx.residents.slice(k, k + 8), category: 'LABOUR' });
        await record(b.id, { outcome: 'ESCALATED', date: '2023-10-02', mediatorIds: fx.villageMediators });
        await escalate(b.id, '2023-10-03');
        await record(b.id, { outcome: 'ESCALATED', date: '2023-10-04', mediatorIds: [...fx.councilMembers, fx.judicial] });
      }
      const fewCost = await commandsFor(few);
      const manyCost = await commandsFor(many);
      expect(fewCost).toBeGreaterThan(0);
      expect(manyCost).toBe(fewCost);
    });
  });
});
