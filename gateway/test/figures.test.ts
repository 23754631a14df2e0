import { startStack, type Stack } from '@anmulong/platform/src/testing/stack';
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
    registryFigures(divisionCode: "150624") { towns villages grids gridWorkers gridFundingYuan residents households }
    policeFigures(divisionCode: "150624") { cameras patrolKm resolvedHelpRequests }
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
  expect(d.registryFigures).toMatchObject({ towns: 6, gridWorkers: f.gridWorkers, gridFundingYuan: f.gridFundingYuan });
  // Households are drawn to fill the grids; the generator lands within 1% of the target.
  expect(Math.abs(d.registryFigures.households - f.households) / f.households).toBeLessThan(0.01);
  expect(d.registryFigures.villages).toBeGreaterThanOrEqual(70);
  expect(d.policeFigures).toEqual({ cameras: f.cameras, patrolKm: f.patrolKm, resolvedHelpRequests: f.resolvedHelpRequests });
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
