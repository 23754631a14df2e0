import { startStack, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';

let stack: Stack;
const QIPANJING_VILLAGE = '150624101001';

beforeAll(async () => {
  stack = await startStack();
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
}, 120_000);
afterAll(async () => stack?.close());

const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;
const FILE = `mutation($input: FileHelpRequestInput!) { fileHelpRequest(input: $input) { id status category division { code } resident { id } } }`;
const RESOLVE = `mutation($id: ID!, $r: String!) { resolveHelpRequest(id: $id, resolution: $r) { id status resolvedAt resolution } }`;

describe('help requests', () => {
  it('files a help request, resolves it once, and refuses a second resolution', async () => {
    const filed = await stack.query('police.officer', FILE, { input: { category: 'LOST_LIVESTOCK', description: '走失羊 12 只', divisionCode: QIPANJING_VILLAGE } });
    expect(filed.errors).toBeUndefined();
    expect(filed.data.fileHelpRequest).toMatchObject({ status: 'OPEN', category: 'LOST_LIVESTOCK', division: { code: QIPANJING_VILLAGE } });
    const id = filed.data.fileHelpRequest.id;
    const resolved = await stack.query('police.officer', RESOLVE, { id, r: '已找回' });
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data.resolveHelpRequest.status).toBe('RESOLVED');
    const again = await stack.query('police.officer', RESOLVE, { id, r: '再次' });
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
    expect(again.errors![0].message).toMatch(/already resolved/);
    const doc = await stack.police.models.HelpRequest.findById(id).lean();
    expect(doc!.resolution).toBe('已找回');
  });

  // What the police decide alone (categories, dates, ids, roles, resolving) is in
  // police.inprocess.test.ts; these ask the registry whether the division exists.
  const bad: [string, Record<string, unknown>, string][] = [
    ['an unknown division', { divisionCode: '150624101999' }, 'BAD_USER_INPUT'],
    ['a division outside the jurisdiction', { divisionCode: '150624100001' }, 'FORBIDDEN'],
  ];
  it.each(bad)('rejects %s and writes nothing', async (_what, override, code) => {
    const before = await stack.police.models.HelpRequest.countDocuments();
    const res = await stack.query('police.officer', FILE, { input: { category: 'THEFT', description: '被盗', divisionCode: QIPANJING_VILLAGE, ...override } });
    expect(codeOf(res)).toBe(code);
    expect(await stack.police.models.HelpRequest.countDocuments()).toBe(before);
  });
});

describe('patrols', () => {
  const LOG = `mutation($input: LogPatrolInput!) { logPatrol(input: $input) { id distanceKm officers { id languages } division { code } } }`;
  it('logs a patrol in a division the registry knows (its validation: police.inprocess.test.ts)', async () => {
    const officer = await stack.police.models.Officer.findOne({ divisionPath: '150624101' }).lean();
    expect(officer).toBeTruthy();
    const input = { route: '棋盘井 — 工业园区大门', officerIds: [String(officer!._id)], mobilePoliceRoom: '工业园流动警务室', distanceKm: 42.5,
      startedAt: '2023-11-01T08:00:00Z', endedAt: '2023-11-01T12:00:00Z', divisionCode: QIPANJING_VILLAGE };
    const ok = await stack.query('police.officer', LOG, { input });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.logPatrol).toMatchObject({ distanceKm: 42.5, division: { code: QIPANJING_VILLAGE } });
    const before = await stack.police.models.Patrol.countDocuments();
    const unknown = await stack.query('police.officer', LOG, { input: { ...input, divisionCode: '150624101999' } });
    expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
    expect(await stack.police.models.Patrol.countDocuments()).toBe(before);
  });
});
