import { startStack, type Stack } from '@anmulong/testkit';
import { loadDemo, demoFigures } from '@anmulong/demo';

/*
 * The article's headline table, reproduced from the demo data by one cross-department query
 * through the gateway (as analysts run it), at a small scale where the figures shrink in
 * proportion (the fixed ones — 6 towns, 39 model households, 13 bilingual judges, 35 aid
 * projects — hold at every scale).
 */
const SCALE = 0.01;
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await loadDemo({ mongoUri: stack.docstore.uri, scale: SCALE });
}, 120_000);
afterAll(async () => stack?.close());

const HEADLINE = /* GraphQL */ `
  query HeadlineFigures {
    registryFigures(divisionCode: "150624") { towns industrialParks villages grids gridWorkers gridFundingYuan residents households }
    policeFigures(divisionCode: "150624") { cameras videoNetworkDepartments patrolKm resolvedHelpRequests }
    screened: disputes(divisionCode: "150624") { totalCount }
    resolved: disputes(divisionCode: "150624", status: RESOLVED) { totalCount }
    judges(language: "mn") { languages }
    modelHouseholds(divisionCode: "150624") { id }
    partyBuildingFigures(divisionCode: "150624") { aidProjects jobsCreated modelHouseholds }
  }`;

it('the analyst’s headline query reproduces the article’s figures at the demo scale', async () => {
  const res = await stack.query('analyst', HEADLINE, {}, { headers: { 'x-access-purpose': 'annual governance report' } });
  expect(res.errors).toBeUndefined();
  const f = demoFigures(SCALE);
  const d = res.data;
  expect(d.registryFigures).toMatchObject({ towns: 6, industrialParks: 2, gridWorkers: f.gridWorkers, gridFundingYuan: f.gridFundingYuan });
  expect(f.industrialParks).toBe(2);
  // Households are drawn to fill the grids; the generator lands within 1% of the target.
  expect(Math.abs(d.registryFigures.households - f.households) / f.households).toBeLessThan(0.01);
  expect(d.registryFigures.villages).toBeGreaterThanOrEqual(70);
  expect(d.policeFigures).toEqual({ cameras: f.cameras, videoNetworkDepartments: 40, patrolKm: f.patrolKm, resolvedHelpRequests: f.resolvedHelpRequests });
  expect(f.videoNetworkDepartments).toBe(40);
  expect(d.screened.totalCount).toBe(f.disputesScreened);
  expect(d.resolved.totalCount).toBe(f.disputesResolved);
  expect(d.judges.filter((j: { languages: string[] }) => j.languages.includes('mn') && j.languages.includes('zh'))).toHaveLength(13);
  expect(d.modelHouseholds).toHaveLength(39);
  expect(d.partyBuildingFigures).toEqual({ aidProjects: 35, jobsCreated: f.jobsCreated, modelHouseholds: 39 });
});

it('staff get the same figures counted within their own jurisdiction only', async () => {
  const banner = await stack.query('analyst', `query { registryFigures(divisionCode: "150624") { towns residents } }`, {}, { headers: { 'x-access-purpose': 'report' } });
  const officer = await stack.query('police.officer', `query { registryFigures(divisionCode: "150624") { towns residents } policeFigures(divisionCode: "150624") { cameras } }`);
  expect(officer.errors).toBeUndefined();
  expect(officer.data.registryFigures.towns).toBe(1);
  expect(officer.data.registryFigures.residents).toBeLessThan(banner.data.registryFigures.residents);
  const cameras = await stack.police.models.CameraSite.aggregate([{ $match: { divisionPath: '150624101' } }, { $group: { _id: null, n: { $sum: '$cameras' } } }]);
  expect(officer.data.policeFigures.cameras).toBe(cameras[0].n);
});

const PARKS_AND_SHARING = (code: string) => `query { registryFigures(divisionCode: "${code}") { towns industrialParks } policeFigures(divisionCode: "${code}") { videoNetworkDepartments } }`;

it('industrial parks are counted with the towns that host them, inside the caller’s jurisdiction', async () => {
  const f = demoFigures(SCALE);
  // police.officer: Qipanjing (hosts 棋盘井工业园区); caseworker: Mengxi (蒙西工业园区); mediator: Ulan (no park);
  // gridworker: one grid of Ulan (no town inside it). The banner-wide grants of the video network cover
  // every town and grid, so every caller the police policy lets count figures counts them all; the
  // mediator and the caseworker are refused the police figures (FORBIDDEN naming the policy, not zeros)
  // and still get the registry's.
  const cases = [
    ['police.officer', { towns: 1, industrialParks: 1 }, f.videoNetworkDepartments],
    ['mediator', { towns: 1, industrialParks: 0 }, null],
    ['gridworker', { towns: 0, industrialParks: 0 }, f.videoNetworkDepartments],
    ['caseworker', { towns: 1, industrialParks: 1 }, null],
  ] as const;
  for (const [user, registry, sharing] of cases) {
    const res = await stack.query(user, PARKS_AND_SHARING('150624'));
    expect([user, res.data.registryFigures, res.data.policeFigures?.videoNetworkDepartments ?? null]).toEqual([user, registry, sharing]);
    if (sharing === null) {
      expect(res.data.policeFigures).toBeNull();
      expect(res.errors).toEqual([expect.objectContaining({ path: ['policeFigures'], message: expect.stringContaining('POLICE policy'), extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    } else {
      expect(res.errors).toBeUndefined();
    }
  }
  // Asking for another town than their own: nothing of it is counted.
  const elsewhere = await stack.query('police.officer', PARKS_AND_SHARING('150624102'));
  expect(elsewhere.errors).toBeUndefined();
  expect(elsewhere.data).toEqual({ registryFigures: { towns: 0, industrialParks: 0 }, policeFigures: { videoNetworkDepartments: 0 } });
  // The park is on its town's division record.
  const town = await stack.query('police.officer', `query { q: division(code: "150624101") { industrialPark { zh } } u: division(code: "150624100") { industrialPark { zh } } }`);
  expect(town.errors).toBeUndefined();
  expect(town.data).toEqual({ q: { industrialPark: { zh: '棋盘井工业园区' } }, u: { industrialPark: null } });
});

it('a grant over one town counts for that town and the banner, not for another town', async () => {
  const { VideoNetworkShare } = stack.police.models;
  const purpose = { headers: { 'x-access-purpose': 'report' } };
  // The Ulan town government shares the network over its own town only; 鄂托克旗应急管理局 already holds a banner-wide grant.
  await VideoNetworkShare.create([
    { department: '乌兰镇人民政府', divisionCode: '150624100', since: '2023-01-01' },
    { department: '鄂托克旗应急管理局', divisionCode: '150624100', since: '2023-01-01' },
  ]);
  try {
    const f = demoFigures(SCALE);
    const banner = await stack.query('analyst', PARKS_AND_SHARING('150624'), {}, purpose);
    const ulan = await stack.query('analyst', PARKS_AND_SHARING('150624100'), {}, purpose);
    const qipanjing = await stack.query('police.officer', PARKS_AND_SHARING('150624101'));
    expect(banner.data.policeFigures.videoNetworkDepartments).toBe(f.videoNetworkDepartments + 1);
    expect(ulan.data.policeFigures.videoNetworkDepartments).toBe(f.videoNetworkDepartments + 1);
    expect(qipanjing.data.policeFigures.videoNetworkDepartments).toBe(f.videoNetworkDepartments);
  } finally {
    await VideoNetworkShare.deleteMany({ divisionCode: '150624100' });
  }
});

it('the new figures follow the figures’ rules: analysts must state a purpose, administrators see no jurisdiction, bad codes are rejected', async () => {
  const refused = await stack.query('analyst', PARKS_AND_SHARING('150624'));
  expect(refused.data ?? null).toBeNull();
  expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  // Administrators and auditors count no records: every figure is refused with FORBIDDEN naming the
  // department's policy (never zeros that look like facts), each at its own path.
  for (const user of ['police.admin', 'registry.admin', 'admin', 'auditor']) {
    const res = await stack.query(user, `${PARKS_AND_SHARING('150624').slice(0, -1)} partyBuildingFigures(divisionCode: "150624") { aidProjects } }`);
    expect([user, res.data]).toEqual([user, { registryFigures: null, policeFigures: null, partyBuildingFigures: null }]);
    const refused = Object.fromEntries((res.errors ?? []).map((e) => [e.path?.join('.'), [e.extensions?.code, /(\w+) policy/.exec(e.message)?.[1]]]));
    expect([user, refused]).toEqual([user, {
      registryFigures: ['FORBIDDEN', 'REGISTRY'], policeFigures: ['FORBIDDEN', 'POLICE'], partyBuildingFigures: ['FORBIDDEN', 'PARTY_BUILDING'],
    }]);
  }
  // A role granted a figure by the policy but given no jurisdiction there is refused too, by the
  // resolver (defence in depth): the registry admin grants the figures to the police admin.
  const grant = (access: string) => stack.query('registry.admin', `mutation { a: setFieldAccess(department: REGISTRY, role: "police-admin", type: "Query", field: "registryFigures", access: ${access}) { version } }`);
  const before = await stack.query('registry.admin', `query { accessPolicy(department: REGISTRY) { version } }`);
  expect((await grant('ALLOW')).errors).toBeUndefined();
  try {
    await new Promise((r) => setTimeout(r, 1500)); // subgraphs poll the policies every second
    const res = await stack.query('police.admin', `query { registryFigures(divisionCode: "150624") { towns } }`);
    expect(res.data).toEqual({ registryFigures: null });
    expect(res.errors?.[0]).toMatchObject({ path: ['registryFigures'], extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('REGISTRY') });
    expect(res.errors?.[0]?.message).toMatch(/no jurisdiction/);
  } finally {
    await stack.query('registry.admin', `mutation { rollbackAccessPolicy(department: REGISTRY, version: ${before.data.accessPolicy.version}) { version } }`);
  }
  for (const bad of ['15', '999999', 'abc']) {
    const res = await stack.query('police.officer', `query($d: String!) { policeFigures(divisionCode: $d) { videoNetworkDepartments } }`, { d: bad });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }
  const op = await stack.query('police.officer', `query($d: String!) { registryFigures(divisionCode: $d) { industrialParks } }`, { d: { $ne: '' } });
  expect(op.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});
