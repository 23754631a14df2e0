import { Types } from 'mongoose';
import { codeOf, startSubgraphHarness, type SubgraphHarness } from '@anmulong/testkit';
import { court } from '../src/index';
import { caseNumber, type CourtModels } from '../src/models';

// The court alone, in this process: reads, the policy, and the life of a case once filed.
// Filing asks the registry (division) and mediation (dispute): that stays in court.test.ts.
let h: SubgraphHarness<CourtModels>;
beforeAll(async () => {
  h = await startSubgraphHarness(court);
});
afterAll(async () => h?.close());

const GRID = '150624100001001'; // the demo grid worker's grid
const SCHEDULE = `mutation($id: ID!, $input: ScheduleHearingInput!) { scheduleHearing(caseId: $id, input: $input) { id status hearings { mode legalAffairsRoom { code } } } }`;
const CLOSE = `mutation($id: ID!, $o: CaseOutcome!, $s: String) { closeCase(caseId: $id, outcome: $o, summary: $s) { id status summary } }`;
const ENTITY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on CourtCase { id caseNumber } } }`;

let sequence = 9000;
/** A fresh FILED case (numbers far above the demo's own). */
async function filedCase(divisionCode: string, partyId = new Types.ObjectId()): Promise<string> {
  const doc = await h.models.CourtCase.create({
    caseNumber: caseNumber(2023, 'CIVIL', sequence++), type: 'CIVIL', status: 'FILED', disputeId: null, partyIds: [partyId],
    judgeId: null, hearings: [], filedOn: new Date('2023-06-01T00:00:00Z'), divisionCode,
  });
  return String(doc._id);
}

describe('reads', () => {
  it('lists every case of the banner for a judge, and judges for every caller', async () => {
    const res = await h.execute('judge', `query { courtCases(divisionCode: "150624", first: 100) { totalCount } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.courtCases.totalCount).toBe(await h.models.CourtCase.countDocuments());
    const judges = await h.execute('caseworker', `query { judges { id } }`);
    expect(judges.errors).toBeUndefined();
    expect(judges.data.judges).toHaveLength(await h.models.Judge.countDocuments());
  });

  it('shows a grid worker the cases of their own grid only, without the summary', async () => {
    const own = await filedCase(GRID);
    const other = await filedCase('150624101001001');
    const res = await h.execute('gridworker', ENTITY, { r: [own, other].map((id) => ({ __typename: 'CourtCase', id })) });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities.map((c: { id: string } | null) => c?.id ?? null)).toEqual([own, null]);
    const summary = await h.execute('gridworker', `query($r: [_Any!]!) { _entities(representations: $r) { ... on CourtCase { summary } } }`, { r: [{ __typename: 'CourtCase', id: own }] });
    expect(codeOf(summary)).toBe('FORBIDDEN');
    expect(summary.errors![0].message).toMatch(/CourtCase.summary/);
  });

  it('refuses the case list to a mediator (no rule) and requires the analyst’s purpose', async () => {
    const mediator = await h.execute('mediator', `query { courtCases(divisionCode: "150624100") { totalCount } }`);
    expect(codeOf(mediator)).toBe('FORBIDDEN');
    const analyst = await h.execute('analyst', `query { courtCases(divisionCode: "150624") { totalCount } }`);
    expect(analyst.status).toBe(400);
    expect(codeOf(analyst)).toBe('BAD_USER_INPUT');
  });
});

describe('the life of a case', () => {
  it('schedules a hearing (FILED → IN_HEARING), assigns a judge and judges it; a closed case changes no more', async () => {
    const id = await filedCase(GRID);
    const heard = await h.execute('judge', SCHEDULE, { id, input: { mode: 'ONLINE', date: '2023-07-01T02:00:00Z' } });
    expect(heard.errors).toBeUndefined();
    expect(heard.data.scheduleHearing).toMatchObject({ status: 'IN_HEARING', hearings: [{ mode: 'ONLINE', legalAffairsRoom: null }] });
    const noJudge = await h.execute('judge', CLOSE, { id, o: 'JUDGED' });
    expect(codeOf(noJudge)).toBe('BAD_USER_INPUT');
    expect(noJudge.errors![0].message).toMatch(/has no judge/);
    const judge = await h.models.Judge.findOne().lean();
    const assigned = await h.execute('judge', `mutation($c: ID!, $j: ID!) { assignJudge(caseId: $c, judgeId: $j) { judge { id } } }`, { c: id, j: String(judge!._id) });
    expect(assigned.errors).toBeUndefined();
    const closed = await h.execute('judge', CLOSE, { id, o: 'JUDGED', s: '判决' });
    expect(closed.errors).toBeUndefined();
    expect(closed.data.closeCase).toMatchObject({ status: 'JUDGED', summary: '判决' });
    const again = await h.execute('judge', SCHEDULE, { id, input: { mode: 'ONLINE', date: '2023-08-01T02:00:00Z' } });
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
    expect(again.errors![0].message).toMatch(/a closed case gets no more hearings/);
    const stored = await h.models.CourtCase.findById(id).lean();
    expect(stored).toMatchObject({ status: 'JUDGED' });
    expect(stored!.hearings).toHaveLength(1);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a CIRCUIT hearing without its room', { mode: 'CIRCUIT' }, /input.legalAffairsRoom is required/],
    ['a room that is not a village', { mode: 'CIRCUIT', legalAffairsRoom: '150624100' }, /must be a village/],
    ['a room for an online hearing', { legalAffairsRoom: '150624100001' }, /only for CIRCUIT hearings/],
    ['a date before the filing', { date: '2023-01-01T00:00:00Z' }, /before the case was filed/],
    ['a date years ahead', { date: '2999-01-01T00:00:00Z' }, /two years ahead/],
    ['a date that is not a date', { date: 'soon' }, /input.date/],
  ];
  it.each(bad)('scheduleHearing: %s is BAD_USER_INPUT and writes nothing', async (_what, override, message) => {
    const id = await filedCase(GRID);
    const res = await h.execute('judge', SCHEDULE, { id, input: { mode: 'ONLINE', date: '2023-07-01T02:00:00Z', ...override } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect(await h.models.CourtCase.findById(id).lean()).toMatchObject({ status: 'FILED', hearings: [] });
  });

  it('refuses the court’s mutations to other roles, and a malformed case id', async () => {
    const id = await filedCase(GRID);
    for (const who of ['mediator', 'gridworker', 'analyst']) {
      const res = await h.execute(who, CLOSE, { id, o: 'WITHDRAWN' }, { purpose: 'review' });
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.errors![0].message).toMatch(/may not call closeCase: the COURT policy/);
    }
    const malformed = await h.execute('judge', CLOSE, { id: 'nope', o: 'WITHDRAWN' });
    expect(codeOf(malformed)).toBe('BAD_USER_INPUT');
    expect((await h.models.CourtCase.findById(id).lean())!.status).toBe('FILED');
  });
});

/*
 * The status machine and the argument checks, moved here from court.test.ts (the same assertions):
 * a case as filing stores it (FILED, filed 2025-06-01, two parties), made through the model.
 */
describe('hearings, judges and the status machine', () => {
  const SUMITU_VILLAGE = '150624200001';
  const CASE_FIELDS = `id caseNumber type status filedOn closedOn summary division { code } parties { id }
    judge { id name { zh mn } languages } hearings { date mode legalAffairsRoom { code } }`;
  const SCHEDULE = `mutation($caseId: ID!, $input: ScheduleHearingInput!) { scheduleHearing(caseId: $caseId, input: $input) { ${CASE_FIELDS} } }`;
  const ASSIGN = `mutation($caseId: ID!, $judgeId: ID!) { assignJudge(caseId: $caseId, judgeId: $judgeId) { ${CASE_FIELDS} } }`;
  const CLOSE = `mutation($caseId: ID!, $outcome: CaseOutcome!, $summary: String) { closeCase(caseId: $caseId, outcome: $outcome, summary: $summary) { ${CASE_FIELDS} } }`;
  /** Everything the court stores: a rejected mutation must leave it as it was. */
  async function snapshot() {
    const cases = await h.models.CourtCase.find({}).sort({ _id: 1 }).lean();
    const counters = await h.models.CaseCounter.find({}).sort({ _id: 1 }).lean();
    return JSON.stringify({ cases, counters });
  }
  async function fileCase() {
    const doc = await h.models.CourtCase.create({
      caseNumber: caseNumber(2025, 'CIVIL', sequence++), type: 'CIVIL', status: 'FILED', disputeId: null,
      partyIds: [new Types.ObjectId(), new Types.ObjectId()], judgeId: null, hearings: [], filedOn: new Date('2025-06-01T00:00:00Z'), divisionCode: SUMITU_VILLAGE,
    });
    return { id: String(doc._id), caseNumber: doc.caseNumber, status: doc.status };
  }
  async function aJudge(bilingual = true): Promise<string> {
    const j = await h.models.Judge.findOne(bilingual ? { languages: 'mn' } : { languages: { $ne: 'mn' } }).lean();
    return String(j!._id);
  }

  it('refuses illegal transitions with BAD_USER_INPUT and changes nothing', async () => {
    const judgeId = await aJudge(false);
    const filed = await fileCase();
    // FILED: no judgment or mediation before a hearing.
    for (const outcome of ['JUDGED', 'MEDIATED']) {
      const before = await snapshot();
      const res = await h.execute('judge', CLOSE, { caseId: filed.id, outcome });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(/only after a hearing/);
      expect(await snapshot()).toBe(before);
    }
    // IN_HEARING without a judge: not JUDGED.
    await h.execute('judge', SCHEDULE, { caseId: filed.id, input: { date: '2025-09-01T01:00:00Z', mode: 'COURTROOM' } });
    let before = await snapshot();
    const noJudge = await h.execute('judge', CLOSE, { caseId: filed.id, outcome: 'JUDGED' });
    expect(codeOf(noJudge)).toBe('BAD_USER_INPUT');
    expect(noJudge.errors![0].message).toMatch(/no judge/);
    expect(await snapshot()).toBe(before);
    // Mediated: closed, then nothing more.
    const mediated = await h.execute('judge', CLOSE, { caseId: filed.id, outcome: 'MEDIATED' });
    expect(mediated.data.closeCase.status).toBe('MEDIATED');
    before = await snapshot();
    const after: [string, Record<string, unknown>][] = [
      [SCHEDULE, { caseId: filed.id, input: { date: '2025-10-01T01:00:00Z', mode: 'ONLINE' } }],
      [ASSIGN, { caseId: filed.id, judgeId }],
      [CLOSE, { caseId: filed.id, outcome: 'WITHDRAWN' }],
      [CLOSE, { caseId: filed.id, outcome: 'JUDGED' }],
    ];
    for (const [op, vars] of after) {
      const res = await h.execute('judge', op, vars);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(/caseId: case .* is MEDIATED/);
    }
    expect(await snapshot()).toBe(before);
    // FILED → WITHDRAWN is legal.
    const other = await fileCase();
    const withdrawn = await h.execute('judge', CLOSE, { caseId: other.id, outcome: 'WITHDRAWN', summary: '原告撤诉' });
    expect(withdrawn.data.closeCase.status).toBe('WITHDRAWN');
    const late = await h.execute('judge', SCHEDULE, { caseId: other.id, input: { date: '2025-10-01T01:00:00Z', mode: 'ONLINE' } });
    expect(codeOf(late)).toBe('BAD_USER_INPUT');
  });

  it('sees its own changes within one operation (hearing, then mediated, in one mutation document)', async () => {
    const c = await fileCase();
    const res = await h.execute('judge', `mutation($id: ID!) {
      heard: scheduleHearing(caseId: $id, input: { date: "2025-07-01T02:00:00Z", mode: ONLINE }) { status }
      closed: closeCase(caseId: $id, outcome: MEDIATED, summary: "在线调解达成协议") { status hearings { mode } } }`, { id: c.id });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ heard: { status: 'IN_HEARING' }, closed: { status: 'MEDIATED', hearings: [{ mode: 'ONLINE' }] } });
  });

  it('validates scheduleHearing, naming the argument, and writes nothing', async () => {
    const c = await fileCase();
    const bad: [Record<string, unknown>, string][] = [
      [{ caseId: c.id, input: { date: '2025-08-10T02:00:00Z', mode: 'CIRCUIT' } }, 'input.legalAffairsRoom'],
      [{ caseId: c.id, input: { date: '2025-08-10T02:00:00Z', mode: 'CIRCUIT', legalAffairsRoom: '150624200' } }, 'input.legalAffairsRoom'],
      [{ caseId: c.id, input: { date: '2025-08-10T02:00:00Z', mode: 'ONLINE', legalAffairsRoom: SUMITU_VILLAGE } }, 'input.legalAffairsRoom'],
      [{ caseId: c.id, input: { date: 'soon', mode: 'ONLINE' } }, 'input.date'],
      [{ caseId: c.id, input: { date: '2025-05-01T00:00:00Z', mode: 'ONLINE' } }, 'input.date'],
      [{ caseId: c.id, input: { date: '2999-01-01T00:00:00Z', mode: 'ONLINE' } }, 'input.date'],
      [{ caseId: c.id, input: { date: '2025-08-10T02:00:00Z', mode: 'TELEPATHY' } }, 'TELEPATHY'],
      [{ caseId: 'case-1', input: { date: '2025-08-10T02:00:00Z', mode: 'ONLINE' } }, 'caseId'],
      [{ caseId: '0123456789abcdef01234567', input: { date: '2025-08-10T02:00:00Z', mode: 'ONLINE' } }, 'caseId'],
    ];
    const before = await snapshot();
    for (const [vars, arg] of bad) {
      const res = await h.execute('judge', SCHEDULE, vars);
      expect([JSON.stringify(vars), codeOf(res)]).toEqual([JSON.stringify(vars), 'BAD_USER_INPUT']);
      expect(res.errors![0].message).toContain(arg);
    }
    expect(await snapshot()).toBe(before);
  });

  it('validates assignJudge and closeCase, naming the argument, and writes nothing', async () => {
    const c = await fileCase();
    const judgeId = await aJudge();
    const bad: [string, Record<string, unknown>, string][] = [
      [ASSIGN, { caseId: c.id, judgeId: 'judge-dredd' }, 'judgeId'],
      [ASSIGN, { caseId: c.id, judgeId: '0123456789abcdef01234567' }, 'judgeId'],
      [ASSIGN, { caseId: 'x', judgeId }, 'caseId'],
      [ASSIGN, { caseId: '0123456789abcdef01234567', judgeId }, 'caseId'],
      [CLOSE, { caseId: c.id, outcome: 'ACQUITTED' }, 'ACQUITTED'],
      [CLOSE, { caseId: c.id, outcome: 'WITHDRAWN', summary: 'x'.repeat(2001) }, 'summary'],
      [CLOSE, { caseId: c.id, outcome: 'WITHDRAWN', summary: '   ' }, 'summary'],
      [CLOSE, { caseId: 'nope', outcome: 'WITHDRAWN' }, 'caseId'],
    ];
    const before = await snapshot();
    for (const [op, vars, arg] of bad) {
      const res = await h.execute('judge', op, vars);
      expect([JSON.stringify(vars), codeOf(res)]).toEqual([JSON.stringify(vars), 'BAD_USER_INPUT']);
      expect(res.errors![0].message).toContain(arg);
    }
    expect(await snapshot()).toBe(before);
    for (const [op, vars] of [[ASSIGN, { caseId: c.id, judgeId }], [CLOSE, { caseId: c.id, outcome: 'WITHDRAWN' }], [SCHEDULE, { caseId: c.id, input: { date: '2025-08-10T02:00:00Z', mode: 'ONLINE' } }]] as const) {
      const res = await h.execute('police.officer', op, vars);
      expect(codeOf(res)).toBe('FORBIDDEN');
    }
    expect(await snapshot()).toBe(before);
  });
});
