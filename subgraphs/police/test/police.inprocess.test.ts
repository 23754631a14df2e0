import { codeOf, inDivision, startSubgraphHarness, type SubgraphHarness } from '@anmulong/testkit';
import { police } from '../src/index';
import type { PoliceModels } from '../src/models';

// The police subgraph in this process (no gateway or identity provider), with the registry it
// asks whether a division exists served beside it over HTTP (the harness's peer): what the police
// decide, and the registry's answer about divisions as the police use it.
let h: SubgraphHarness<PoliceModels>;
beforeAll(async () => {
  h = await startSubgraphHarness(police, { peers: ['registry'] });
});
afterAll(async () => h?.close());

const QIPANJING = '150624101'; // police.officer's jurisdiction
const ULAN = '150624100';
const LIST = `query($d: String!) { helpRequests(divisionCode: $d, first: 100) { totalCount edges { node { id category status division { code } } } } }`;
const FILE = `mutation($input: FileHelpRequestInput!) { fileHelpRequest(input: $input) { id } }`;
const RESOLVE = `mutation($id: ID!, $r: String!) { resolveHelpRequest(id: $id, resolution: $r) { id status resolution resolvedAt } }`;

describe('reads', () => {
  it('lists the help requests of the officer\'s own jurisdiction, every one of them', async () => {
    const res = await h.execute('police.officer', LIST, { d: QIPANJING });
    expect(res.errors).toBeUndefined();
    const stored = await h.models.HelpRequest.countDocuments(inDivision(QIPANJING));
    expect(stored).toBeGreaterThan(0);
    expect(res.data.helpRequests.totalCount).toBe(stored);
    for (const { node } of res.data.helpRequests.edges) expect(node.division.code.startsWith(QIPANJING)).toBe(true);
  });

  it('shows an officer nothing of another town, in a list or by reference', async () => {
    const elsewhere = await h.models.HelpRequest.findOne(inDivision(ULAN)).lean();
    expect(elsewhere).toBeTruthy();
    const list = await h.execute('police.officer', LIST, { d: ULAN });
    expect(list.errors).toBeUndefined();
    expect(list.data.helpRequests).toEqual({ totalCount: 0, edges: [] });
    const ref = await h.execute('police.officer', `query($r: [_Any!]!) { _entities(representations: $r) { ... on HelpRequest { id category } } }`,
      { r: [{ __typename: 'HelpRequest', id: String(elsewhere!._id) }] });
    expect(ref.data._entities).toEqual([null]);
    // The analyst's scope is the banner: the same record is there.
    const analyst = await h.execute('analyst', `query($r: [_Any!]!) { _entities(representations: $r) { ... on HelpRequest { id } } }`,
      { r: [{ __typename: 'HelpRequest', id: String(elsewhere!._id) }] }, { purpose: 'patrol coverage' });
    expect(analyst.data._entities).toEqual([{ id: String(elsewhere!._id) }]);
  });

  const OF_RESIDENT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { helpRequests { id category } } } }`;

  it('serves a mediator only the help requests about disputes (the policy\'s row condition)', async () => {
    // A resident of Ulan (the mediator's jurisdiction) with a dispute and another request.
    const [resident] = await h.models.HelpRequest.aggregate<{ _id: unknown; n: number }>([
      { $match: { divisionCode: { $regex: `^${ULAN}` }, residentId: { $ne: null } } },
      { $group: { _id: '$residentId', categories: { $addToSet: '$category' }, n: { $sum: 1 } } },
      { $match: { categories: 'DISPUTE', 'categories.1': { $exists: true } } },
    ]);
    let residentId = resident?._id ? String(resident._id) : undefined;
    if (!residentId) {
      const dispute = await h.models.HelpRequest.findOne(inDivision(ULAN, { category: 'DISPUTE', residentId: { $ne: null } })).lean();
      residentId = String(dispute!.residentId);
      await h.models.HelpRequest.create({ category: 'THEFT', description: '被盗', reportedAt: new Date('2023-05-01'), residentId: dispute!.residentId, divisionCode: dispute!.divisionCode, status: 'OPEN' });
    }
    const stored = await h.models.HelpRequest.find({ residentId }).lean();
    const disputes = stored.filter((r) => r.category === 'DISPUTE').map((r) => String(r._id)).sort();
    expect(disputes.length).toBeGreaterThan(0);
    expect(stored.length).toBeGreaterThan(disputes.length);
    const reps = { r: [{ __typename: 'Resident', id: residentId }] };
    const mediator = await h.execute('mediator', OF_RESIDENT, reps);
    expect(mediator.errors).toBeUndefined();
    expect(mediator.data._entities[0].helpRequests.map((r: { id: string }) => r.id).sort()).toEqual(disputes);
    const officer = await h.execute('police.admin', OF_RESIDENT, reps);
    // police.admin has no rule in the POLICE policy: nothing of the resident's help requests.
    expect(officer.data._entities[0]?.helpRequests ?? []).toEqual([]);
    expect(codeOf(officer)).toBe('FORBIDDEN');
  });

  it('withholds the free-text account from a grid worker, naming the rule', async () => {
    const one = await h.models.HelpRequest.findOne({ divisionCode: { $regex: '^150624100001001' }, residentId: { $ne: null } }).lean();
    expect(one).toBeTruthy();
    const res = await h.execute('gridworker', `query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { helpRequests { category description } } } }`,
      { r: [{ __typename: 'Resident', id: String(one!.residentId) }] });
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(res.errors![0].message).toMatch(/HelpRequest\.description/);
    const summary = await h.execute('gridworker', OF_RESIDENT, { r: [{ __typename: 'Resident', id: String(one!.residentId) }] });
    expect(summary.errors).toBeUndefined();
    expect(summary.data._entities[0].helpRequests.length).toBeGreaterThan(0);
  });

  it('requires the analyst to state a purpose, and counts the banner with one', async () => {
    const without = await h.execute('analyst', `query { policeFigures(divisionCode: "150624") { helpRequests } }`);
    expect(without.status).toBe(400);
    expect(codeOf(without)).toBe('BAD_USER_INPUT');
    expect(without.errors![0].message).toMatch(/X-Access-Purpose/);
    const figures = await h.execute('analyst', `query { policeFigures(divisionCode: "150624") { helpRequests } }`, {}, { purpose: 'annual report' });
    expect(figures.errors).toBeUndefined();
    expect(figures.data.policeFigures.helpRequests).toBe(await h.models.HelpRequest.countDocuments());
  });

  it('refuses the figures to a role the policy does not let count them (null, never zeros)', async () => {
    const res = await h.execute('caseworker', `query { policeFigures(divisionCode: "150624102") { cameras } }`);
    expect(res.data.policeFigures).toBeNull();
    expect(codeOf(res)).toBe('FORBIDDEN');
  });
});

describe('resolveHelpRequest', () => {
  /** A fresh open request in a division (the demo has few open ones). */
  const openRequest = async (divisionCode: string) =>
    String((await h.models.HelpRequest.create({ category: 'LOST_LIVESTOCK', description: '走失羊 12 只', reportedAt: new Date('2023-11-01'), divisionCode, status: 'OPEN' }))._id);

  it('resolves an open request once and refuses a second resolution, changing nothing', async () => {
    const id = await openRequest(`${QIPANJING}001`);
    const resolved = await h.execute('police.officer', RESOLVE, { id, r: '已找回' });
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data.resolveHelpRequest).toMatchObject({ id, status: 'RESOLVED', resolution: '已找回' });
    expect((await h.models.HelpRequest.findById(id).lean())!.resolution).toBe('已找回');
    const again = await h.execute('police.officer', RESOLVE, { id, r: '再次' });
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
    expect(again.errors![0].message).toMatch(/already resolved/);
    expect((await h.models.HelpRequest.findById(id).lean())!.resolution).toBe('已找回');
  });

  it('does not let an officer resolve a request of another town: it does not exist for them', async () => {
    const id = await openRequest(`${ULAN}001`);
    const res = await h.execute('police.officer', RESOLVE, { id, r: '越权' });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/no help request with id/);
    expect((await h.models.HelpRequest.findById(id).lean())!.status).toBe('OPEN');
  });

  it('refuses a role without the mutation (a caseworker), and writes nothing', async () => {
    const id = await openRequest('150624102001');
    const res = await h.execute('caseworker', RESOLVE, { id, r: '越权' });
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(res.errors![0].message).toMatch(/may not call resolveHelpRequest: the POLICE policy/);
    expect((await h.models.HelpRequest.findById(id).lean())!.status).toBe('OPEN');
  });

  it('follows a policy change: an officer whose mutations are withdrawn is refused', async () => {
    const shipped = h.policy('POLICE');
    h.setPolicy({ ...shipped, roles: { ...shipped.roles, 'police-officer': { ...shipped.roles['police-officer'], mutations: [] } } });
    try {
      const id = await openRequest(`${QIPANJING}001`);
      const res = await h.execute('police.officer', RESOLVE, { id, r: '撤权后' });
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect((await h.models.HelpRequest.findById(id).lean())!.status).toBe('OPEN');
    } finally {
      h.setPolicy(shipped);
    }
  });
});

describe('input the police refuse before anything is written', () => {
  const valid = { category: 'THEFT', description: '被盗', divisionCode: `${QIPANJING}001` };
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown category', { category: 'ALIENS' }, /input.category/],
    ['a malformed resident id', { residentId: 'abc' }, /input.residentId/],
    ['a date in the future', { reportedAt: '2999-01-01T00:00:00Z' }, /input.reportedAt is in the future/],
    ['a date that is not a date', { reportedAt: 'yesterday' }, /input.reportedAt/],
    ['an operator instead of a division', { divisionCode: { $ne: '' } }, /input.divisionCode/],
    ['a malformed division code', { divisionCode: '999' }, /input.divisionCode/],
    ['an empty description', { description: '   ' }, /input.description/],
  ];
  it.each(bad)('fileHelpRequest: %s is BAD_USER_INPUT saying where', async (_what, override, message) => {
    const before = await h.models.HelpRequest.countDocuments();
    const res = await h.execute('police.officer', FILE, { input: { ...valid, ...override } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect(res.data ?? null).toBeNull();
    expect(await h.models.HelpRequest.countDocuments()).toBe(before);
  });

  it('refuses fileHelpRequest to a role that is not a police officer', async () => {
    const before = await h.models.HelpRequest.countDocuments();
    const res = await h.execute('caseworker', FILE, { input: { ...valid, divisionCode: '150624102001' } });
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(await h.models.HelpRequest.countDocuments()).toBe(before);
  });

  it('logPatrol: refuses a bad patrol, each field named, and writes nothing', async () => {
    const officer = await h.models.Officer.findOne({ divisionPath: QIPANJING }).lean();
    expect(officer).toBeTruthy();
    const input = { route: '棋盘井 — 工业园区大门', officerIds: [String(officer!._id)], distanceKm: 42.5,
      startedAt: '2023-11-01T08:00:00Z', endedAt: '2023-11-01T12:00:00Z', divisionCode: `${QIPANJING}001` };
    const before = await h.models.Patrol.countDocuments();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ endedAt: '2023-11-01T07:00:00Z' }, /input.endedAt must be after/], [{ distanceKm: -3 }, /input.distanceKm/],
      [{ officerIds: [] }, /at least one officer/], [{ officerIds: ['0123456789abcdef01234567'] }, /officer who does not exist/],
      [{ route: '' }, /input.route/], [{ officerIds: ['nope'] }, /input.officerIds\[0\]/],
    ];
    for (const [override, message] of cases) {
      const res = await h.execute('police.officer', `mutation($input: LogPatrolInput!) { logPatrol(input: $input) { id } }`, { input: { ...input, ...override } });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(message);
    }
    expect(await h.models.Patrol.countDocuments()).toBe(before);
  });
});

describe('asking the registry about the division', () => {
  const QIPANJING_VILLAGE = '150624101001';
  const FILE_SHOWN = `mutation($input: FileHelpRequestInput!) { fileHelpRequest(input: $input) { id status category division { code } resident { id } } }`;

  it('files a help request, resolves it once, and refuses a second resolution', async () => {
    const filed = await h.execute('police.officer', FILE_SHOWN, { input: { category: 'LOST_LIVESTOCK', description: '走失羊 12 只', divisionCode: QIPANJING_VILLAGE } });
    expect(filed.errors).toBeUndefined();
    expect(filed.data.fileHelpRequest).toMatchObject({ status: 'OPEN', category: 'LOST_LIVESTOCK', division: { code: QIPANJING_VILLAGE } });
    const id = filed.data.fileHelpRequest.id;
    const resolved = await h.execute('police.officer', RESOLVE, { id, r: '已找回' });
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data.resolveHelpRequest.status).toBe('RESOLVED');
    const again = await h.execute('police.officer', RESOLVE, { id, r: '再次' });
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
    expect(again.errors![0].message).toMatch(/already resolved/);
    const doc = await h.models.HelpRequest.findById(id).lean();
    expect(doc!.resolution).toBe('已找回');
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['an unknown division', { divisionCode: '150624101999' }, 'BAD_USER_INPUT'],
    ['a division outside the jurisdiction', { divisionCode: '150624100001' }, 'FORBIDDEN'],
  ];
  it.each(bad)('rejects %s and writes nothing', async (_what, override, code) => {
    const before = await h.models.HelpRequest.countDocuments();
    const res = await h.execute('police.officer', FILE_SHOWN, { input: { category: 'THEFT', description: '被盗', divisionCode: QIPANJING_VILLAGE, ...override } });
    expect(codeOf(res)).toBe(code);
    expect(await h.models.HelpRequest.countDocuments()).toBe(before);
  });

  it('logs a patrol in a division the registry knows, and refuses one it does not know', async () => {
    const LOG = `mutation($input: LogPatrolInput!) { logPatrol(input: $input) { id distanceKm officers { id languages } division { code } } }`;
    const officer = await h.models.Officer.findOne({ divisionPath: '150624101' }).lean();
    expect(officer).toBeTruthy();
    const input = { route: '棋盘井 — 工业园区大门', officerIds: [String(officer!._id)], mobilePoliceRoom: '工业园流动警务室', distanceKm: 42.5,
      startedAt: '2023-11-01T08:00:00Z', endedAt: '2023-11-01T12:00:00Z', divisionCode: QIPANJING_VILLAGE };
    const ok = await h.execute('police.officer', LOG, { input });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.logPatrol).toMatchObject({ distanceKm: 42.5, division: { code: QIPANJING_VILLAGE } });
    const before = await h.models.Patrol.countDocuments();
    const unknown = await h.execute('police.officer', LOG, { input: { ...input, divisionCode: '150624101999' } });
    expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
    expect(await h.models.Patrol.countDocuments()).toBe(before);
  });
});
