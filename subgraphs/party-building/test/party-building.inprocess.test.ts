import { codeOf, inDivision, startSubgraphHarness, type SubgraphHarness } from '@anmulong/testkit';
import { partyBuilding } from '../src/index';
import type { PartyBuildingModels } from '../src/models';

// Party building alone, in this process: reads, the policy, and joint building (attaching a unit
// to a branch it holds). Enrolling members, naming households and recording aid projects ask the
// registry: those stay in party-building.test.ts (the whole stack).
let h: SubgraphHarness<PartyBuildingModels>;
beforeAll(async () => {
  h = await startSubgraphHarness(partyBuilding);
});
afterAll(async () => h?.close());

const ULAN = '150624100';
/** The organizer with a town's jurisdiction instead of the banner's (the same role and policy). */
const ULAN_ORGANIZER = { username: 'organizer', jurisdiction: ULAN };
const ATTACH = `mutation($input: AttachJointBuildingUnitInput!) { attachJointBuildingUnit(input: $input) { id kind name joinedOn } }`;
const branchIn = async (code: string) => (await h.models.PartyBranch.findOne(inDivision(code)).sort({ foundedOn: 1 }).lean())!;

describe('reads', () => {
  it('lists every branch of the banner for the organizer, and only a town’s with a town’s jurisdiction', async () => {
    const Q = `query($d: String!) { partyBranches(divisionCode: $d) { id division { code } } }`;
    const all = await h.execute('organizer', Q, { d: '150624' });
    expect(all.errors).toBeUndefined();
    expect(all.data.partyBranches).toHaveLength(await h.models.PartyBranch.countDocuments());
    const town = await h.execute(ULAN_ORGANIZER, Q, { d: '150624' });
    expect(town.errors).toBeUndefined();
    const inUlan = await h.models.PartyBranch.countDocuments(inDivision(ULAN));
    expect(inUlan).toBeGreaterThan(0);
    expect(town.data.partyBranches).toHaveLength(inUlan);
    const elsewhere = await branchIn('150624101');
    const one = await h.execute(ULAN_ORGANIZER, `query($id: ID!) { partyBranch(id: $id) { id } }`, { id: String(elsewhere._id) });
    expect(one.errors).toBeUndefined();
    expect(one.data.partyBranch).toBeNull();
  });

  it('serves department staff the model households but not the branches, and requires the analyst’s purpose', async () => {
    const staff = await h.execute('police.officer', `query { modelHouseholds(divisionCode: "150624101") { id } }`);
    expect(staff.errors).toBeUndefined();
    expect(staff.data.modelHouseholds).toHaveLength(await h.models.ModelHousehold.countDocuments(inDivision('150624101')));
    const branches = await h.execute('police.officer', `query { partyBranches(divisionCode: "150624101") { id } }`);
    expect(codeOf(branches)).toBe('FORBIDDEN');
    expect(branches.errors![0].message).toMatch(/Query.partyBranches/);
    const analyst = await h.execute('analyst', `query { partyBuildingFigures(divisionCode: "150624") { modelHouseholds } }`);
    expect(analyst.status).toBe(400);
    const figures = await h.execute('analyst', `query { partyBuildingFigures(divisionCode: "150624") { modelHouseholds aidProjects } }`, {}, { purpose: 'annual report' });
    expect(figures.errors).toBeUndefined();
    expect(figures.data.partyBuildingFigures).toEqual({ modelHouseholds: await h.models.ModelHousehold.countDocuments(), aidProjects: await h.models.AidProject.countDocuments() });
  });
});

describe('joint building', () => {
  it('attaches a unit to a branch once; the same name again is refused', async () => {
    const branch = await branchIn(ULAN);
    const input = { branchId: String(branch._id), kind: 'POLICE_STATION', name: '乌兰派出所联建组', joinedOn: '2023-09-01' };
    const res = await h.execute('organizer', ATTACH, { input });
    expect(res.errors).toBeUndefined();
    expect(res.data.attachJointBuildingUnit).toMatchObject({ kind: 'POLICE_STATION', name: '乌兰派出所联建组', joinedOn: '2023-09-01' });
    expect(await h.models.JointBuildingUnit.countDocuments({ branchId: branch._id, name: input.name })).toBe(1);
    const again = await h.execute('organizer', ATTACH, { input });
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
    expect(again.errors![0].message).toMatch(/has already joined this branch/);
    expect(await h.models.JointBuildingUnit.countDocuments({ branchId: branch._id, name: input.name })).toBe(1);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown kind', { kind: 'CASINO' }, /input.kind|CASINO/],
    ['a one-character name', { name: '甲' }, /input.name/],
    ['a date before the branch was founded', { joinedOn: '1900-01-01' }, /input.joinedOn/],
    ['a malformed branch id', { branchId: 'nope' }, /input.branchId/],
    ['a branch that does not exist', { branchId: '0123456789abcdef01234567' }, /no party branch with id/],
  ];
  it.each(bad)('attachJointBuildingUnit: %s is BAD_USER_INPUT and writes nothing', async (_what, override, message) => {
    const branch = await branchIn(ULAN);
    const before = await h.models.JointBuildingUnit.countDocuments();
    const res = await h.execute('organizer', ATTACH, { input: { branchId: String(branch._id), kind: 'RESIDENT_ENTERPRISE', name: '联建企业', joinedOn: '2023-09-01', ...override } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect(await h.models.JointBuildingUnit.countDocuments()).toBe(before);
  });

  it('refuses a branch outside the jurisdiction and roles without the mutation, writing nothing', async () => {
    const before = await h.models.JointBuildingUnit.countDocuments();
    const elsewhere = await branchIn('150624101');
    const input = { branchId: String(elsewhere._id), kind: 'RESIDENT_ENTERPRISE', name: '越权企业', joinedOn: '2023-09-01' };
    const outside = await h.execute(ULAN_ORGANIZER, ATTACH, { input });
    expect(codeOf(outside)).toBe('BAD_USER_INPUT');
    expect(outside.errors![0].message).toMatch(/in your jurisdiction/);
    for (const who of ['party.admin', 'police.officer', 'gridworker']) {
      const refused = await h.execute(who, ATTACH, { input });
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.errors![0].message).toMatch(/may not call attachJointBuildingUnit: the PARTY_BUILDING policy/);
    }
    expect(await h.models.JointBuildingUnit.countDocuments()).toBe(before);
  });

  it('refuses an aid project outside a village before asking the registry', async () => {
    const before = await h.models.AidProject.countDocuments();
    const res = await h.execute('organizer', `mutation($input: RecordAidProjectInput!) { recordAidProject(input: $input) { id } }`,
      { input: { name: '百企帮百村', enterprise: '鄂尔多斯集团', divisionCode: ULAN, jobsCreated: 10, budgetYuan: 100000, startedOn: '2023-03-01' } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/must be a gacha\/village/);
    expect(await h.models.AidProject.countDocuments()).toBe(before);
  });
});
