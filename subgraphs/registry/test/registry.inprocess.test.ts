import { idNumberCheckChar } from '@anmulong/platform';
import { codeOf, startSubgraphHarness, type SubgraphHarness } from '@anmulong/testkit';
import { registry } from '../src/index';
import type { RegistryModels } from '../src/models';

// The registry alone, in this process: it owns the divisions it checks, so every mutation of the
// register runs here without another department (the gateway's own behaviour is in gateway/test).
let h: SubgraphHarness<RegistryModels>;
const GRID = '150624100001001'; // the demo grid worker's grid

beforeAll(async () => {
  h = await startSubgraphHarness(registry);
});
afterAll(async () => h?.close());

/** A valid identity number for a birth date and sequence (odd = male). */
const idNumber = (birth: string, seq: string) => {
  const first17 = `150624${birth}${seq}`;
  return first17 + idNumberCheckChar(first17);
};

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterResidentInput!) {
    registerResident(input: $input) { id gender birthDate relationToHead division { code } household { id } }
  }`;

const count = () => h.models.Resident.countDocuments();

describe('registerResident', () => {
  it('registers a resident, reading gender and birth date from the identity number', async () => {
    const res = await h.execute('gridworker', REGISTER, {
      input: { idNumber: idNumber('19850314', '273'), name: { zh: '巴特尔', mn: 'ᠪᠠᠲᠤᠷ' }, ethnicity: '蒙古族', divisionCode: GRID, languages: ['mn', 'zh'] },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.registerResident).toMatchObject({ gender: 'MALE', birthDate: '1985-03-14', division: { code: GRID }, household: null });
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a wrong check character', { idNumber: idNumber('19900101', '124').slice(0, 17) + (idNumber('19900101', '124').endsWith('1') ? '2' : '1') }, /check character/],
    ['an impossible birth date', { idNumber: `15062419900231123` + idNumberCheckChar('15062419900231123') }, /birth date 19900231 does not exist/],
    ['a birth date in the future', { idNumber: `15062430000101123` + idNumberCheckChar('15062430000101123') }, /out of range/],
    ['17 characters', { idNumber: '15062419900101123' }, /18 characters/],
    ['an unknown division', { divisionCode: '150624100001999' }, /not a known division/],
    ['a division that is not a grid', { divisionCode: '150624100001' }, /must be a grid/],
    ['a malformed division code', { divisionCode: '999' }, /division code of Otog Banner/],
    ['a malformed household id', { householdId: '123', relationToHead: '子' }, /24-character hexadecimal id/],
    ['a bad phone number', { phone: '12345' }, /mobile number/],
    ['an empty name', { name: { zh: '  ' } }, /input.name.zh must be 1 to 50/],
  ];

  it.each(bad)('rejects %s with BAD_USER_INPUT and writes nothing', async (_what, override, message) => {
    const before = await count();
    const input = { idNumber: idNumber('19900101', '124'), name: { zh: '李娜' }, ethnicity: '汉族', divisionCode: GRID, ...override };
    const res = await h.execute('gridworker', REGISTER, { input });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect(res.data).toBeNull();
    expect(await count()).toBe(before);
  });

  it('refuses a duplicate identity number', async () => {
    const input = { idNumber: idNumber('19700707', '345'), name: { zh: '王强' }, ethnicity: '汉族', divisionCode: GRID };
    expect((await h.execute('gridworker', REGISTER, { input })).errors).toBeUndefined();
    const before = await count();
    const again = await h.execute('gridworker', REGISTER, { input: { ...input, name: { zh: '王强二' } } });
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
    expect(again.errors![0].message).toMatch(/already registered/);
    expect(await count()).toBe(before);
  });

  it('rejects operators where a string belongs ({"$ne": ""}) before anything reaches the store', async () => {
    const before = await count();
    const res = await h.execute('gridworker', REGISTER, {
      input: { idNumber: { $ne: '' }, name: { zh: '张三' }, ethnicity: '汉族', divisionCode: GRID },
    });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(await count()).toBe(before);
    const lookup = await h.execute('gridworker', `query($id: ID!) { resident(id: $id) { id } }`, { id: { $ne: '' } });
    expect(codeOf(lookup)).toBe('BAD_USER_INPUT');
    const list = await h.execute('gridworker', `query($c: String!) { residents(divisionCode: $c) { totalCount } }`, { c: { $gt: '' } });
    expect(codeOf(list)).toBe('BAD_USER_INPUT');
  });

  it('refuses a write outside the caller’s jurisdiction and a role that may not register', async () => {
    const before = await count();
    const outside = await h.execute('gridworker', REGISTER, {
      input: { idNumber: idNumber('19910101', '111'), name: { zh: '赵六' }, ethnicity: '汉族', divisionCode: '150624101001001' },
    });
    expect(codeOf(outside)).toBe('FORBIDDEN');
    const police = await h.execute('police.officer', REGISTER, {
      input: { idNumber: idNumber('19910101', '111'), name: { zh: '赵六' }, ethnicity: '汉族', divisionCode: GRID },
    });
    expect(codeOf(police)).toBe('FORBIDDEN');
    expect(await count()).toBe(before);
  });
});

describe('households', () => {
  async function newResident(seq: string): Promise<string> {
    const res = await h.execute('gridworker', REGISTER, {
      input: { idNumber: idNumber('19800505', seq), name: { zh: `住户${seq}` }, ethnicity: '汉族', divisionCode: GRID },
    });
    expect(res.errors).toBeUndefined();
    return res.data.registerResident.id;
  }

  it('registers a household, moves a member in, changes the head; illegal moves change nothing', async () => {
    const headId = await newResident('501');
    const otherId = await newResident('503');
    const created = await h.execute('gridworker', `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id head { id relationToHead } members { id } type } }`,
      { input: { headResidentId: headId, address: '乌兰镇 1 号', divisionCode: GRID, type: 'URBAN' } });
    expect(created.errors).toBeUndefined();
    const household = created.data.registerHousehold;
    expect(household.head).toEqual({ id: headId, relationToHead: '户主' });

    const MOVE = `mutation($r: ID!, $h: ID!, $rel: String!) { moveResident(residentId: $r, toHouseholdId: $h, relationToHead: $rel) { id relationToHead household { id members { id } } } }`;
    const moved = await h.execute('gridworker', MOVE, { r: otherId, h: household.id, rel: '配偶' });
    expect(moved.errors).toBeUndefined();
    expect(moved.data.moveResident.household.members.map((m: { id: string }) => m.id).sort()).toEqual([headId, otherId].sort());

    // The head cannot be moved out from under the household, nor a second head moved in.
    const third = await newResident('505');
    const second = await h.execute('gridworker', `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`,
      { input: { headResidentId: third, address: '乌兰镇 2 号', divisionCode: GRID, type: 'URBAN' } });
    const headMove = await h.execute('gridworker', MOVE, { r: headId, h: second.data.registerHousehold.id, rel: '子' });
    expect(codeOf(headMove)).toBe('BAD_USER_INPUT');
    const secondHead = await h.execute('gridworker', MOVE, { r: otherId, h: second.data.registerHousehold.id, rel: '户主' });
    expect(codeOf(secondHead)).toBe('BAD_USER_INPUT');
    const stillThere = await h.execute('gridworker', `query($id: ID!) { household(id: $id) { members { id } } }`, { id: household.id });
    expect(stillThere.data.household.members).toHaveLength(2);

    const UPDATE = `mutation($id: ID!, $input: UpdateHouseholdInput!) { updateHousehold(id: $id, input: $input) { head { id } type address } }`;
    const badType = await h.execute('gridworker', UPDATE, { id: household.id, input: { type: 'NOMADIC' } });
    expect(codeOf(badType)).toBe('BAD_USER_INPUT');
    const notMember = await h.execute('gridworker', UPDATE, { id: household.id, input: { headResidentId: third } });
    expect(codeOf(notMember)).toBe('BAD_USER_INPUT');
    const updated = await h.execute('gridworker', UPDATE, { id: household.id, input: { headResidentId: otherId, type: 'HERDING' } });
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateHousehold).toEqual({ head: { id: otherId }, type: 'HERDING', address: '乌兰镇 1 号' });
  });
});

describe('division tree', () => {
  it('walks banner → towns → villages → grids', async () => {
    const res = await h.execute('judge', `query { division(code: "150624") { level name { zh } children { code level name { zh mn } parent { code } children { code level } } } }`);
    expect(res.errors).toBeUndefined();
    const banner = res.data.division;
    expect(banner.level).toBe('BANNER');
    expect(banner.children.map((c: { code: string }) => c.code)).toEqual(
      expect.arrayContaining(['150624100', '150624101', '150624102', '150624103', '150624200', '150624201']),
    );
    expect(banner.children.every((t: any) => t.level === 'TOWN' && t.parent.code === '150624' && t.children.length > 0)).toBe(true);
  });
});

describe('petitions (信访代办)', () => {
  const PETITION = `id status department outcome filedAt transitions { status by at note department } resident { id }`;
  async function residentInGrid(): Promise<string> {
    const r = await h.models.Resident.findOne({ divisionCode: GRID }).lean();
    return String(r!._id);
  }

  it('follows a petition from filing to closure, every step timestamped and attributed', async () => {
    const residentId = await residentInGrid();
    const filed = await h.execute('gridworker', `mutation($input: FilePetitionInput!) { filePetition(input: $input) { ${PETITION} } }`,
      { input: { residentId, subject: '草场边界', content: '与邻户草场边界不清' } });
    expect(filed.errors).toBeUndefined();
    const id = filed.data.filePetition.id;
    expect(filed.data.filePetition).toMatchObject({ status: 'FILED', resident: { id: residentId } });
    const steps = [
      `receivePetition(id: $id, note: "已揽收")`,
      `routePetition(id: $id, department: MEDIATION)`,
      `recordPetitionProgress(id: $id, note: "调解员已上门")`,
      `closePetition(id: $id, outcome: "双方达成协议")`,
    ];
    let last: any;
    for (const step of steps) {
      const res = await h.execute('gridworker', `mutation($id: ID!) { p: ${step} { ${PETITION} } }`, { id });
      expect(res.errors).toBeUndefined();
      last = res.data.p;
    }
    expect(last.status).toBe('CLOSED');
    expect(last.department).toBe('MEDIATION');
    expect(last.outcome).toBe('双方达成协议');
    expect(last.transitions.map((t: any) => t.status)).toEqual(['FILED', 'RECEIVED', 'ROUTED', 'IN_PROGRESS', 'CLOSED']);
    expect(last.transitions.every((t: any) => t.by === 'gridworker' && !Number.isNaN(Date.parse(t.at)))).toBe(true);

    // Nothing follows a closure, and nothing is written by the refused steps.
    for (const step of [`receivePetition(id: $id)`, `routePetition(id: $id, department: POLICE)`, `closePetition(id: $id, outcome: "again")`]) {
      const res = await h.execute('gridworker', `mutation($id: ID!) { p: ${step} { id } }`, { id });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
    }
    const stored = await h.models.Petition.findById(id).lean();
    expect(stored!.transitions).toHaveLength(5);
    const listed = await h.execute('gridworker', `query { petitions(divisionCode: "${GRID}", status: CLOSED) { totalCount edges { node { id } } } }`);
    expect(listed.data.petitions.edges.map((e: any) => e.node.id)).toContain(id);
    const viaResident = await h.execute('gridworker', `query($r: ID!) { resident(id: $r) { petitions { id status } } }`, { r: residentId });
    expect(viaResident.data.resident.petitions).toContainEqual({ id, status: 'CLOSED' });
  });

  it('refuses skipped steps, bad departments, bad ids and other roles', async () => {
    const residentId = await residentInGrid();
    const filed = await h.execute('gridworker', `mutation($input: FilePetitionInput!) { filePetition(input: $input) { id } }`,
      { input: { residentId, subject: '低保咨询', content: '咨询低保申请' } });
    const id = filed.data.filePetition.id;
    const skip = await h.execute('gridworker', `mutation($id: ID!) { closePetition(id: $id, outcome: "x") { id } }`, { id });
    expect(codeOf(skip)).toBe('BAD_USER_INPUT');
    expect(skip.errors![0].message).toMatch(/is FILED/);
    const badDept = await h.execute('gridworker', `mutation($id: ID!, $d: Department!) { routePetition(id: $id, department: $d) { id } }`, { id, d: 'TAX' });
    expect(codeOf(badDept)).toBe('BAD_USER_INPUT');
    const badId = await h.execute('gridworker', `mutation { receivePetition(id: "nope") { id } }`);
    expect(codeOf(badId)).toBe('BAD_USER_INPUT');
    const emptySubject = await h.execute('gridworker', `mutation($input: FilePetitionInput!) { filePetition(input: $input) { id } }`,
      { input: { residentId, subject: '', content: 'x' } });
    expect(codeOf(emptySubject)).toBe('BAD_USER_INPUT');
    const other = await h.execute('police.officer', `mutation($id: ID!) { receivePetition(id: $id) { id } }`, { id });
    expect(codeOf(other)).toBe('FORBIDDEN');
    const stored = await h.models.Petition.findById(id).lean();
    expect(stored!.status).toBe('FILED');
    expect(stored!.transitions).toHaveLength(1);
  });
});

describe('reads within the caller’s jurisdiction and policy', () => {
  const OTHER_GRID = '150624101001001'; // Qipanjing: outside the grid worker's grid

  it('lists the residents of the grid worker’s own grid, and nothing of another grid', async () => {
    const own = await h.execute('gridworker', `query { residents(divisionCode: "${GRID}", first: 1) { totalCount } }`);
    expect(own.errors).toBeUndefined();
    expect(own.data.residents.totalCount).toBe(await h.models.Resident.countDocuments({ divisionCode: GRID }));
    expect(own.data.residents.totalCount).toBeGreaterThan(0);
    const other = await h.execute('gridworker', `query { residents(divisionCode: "${OTHER_GRID}", first: 5) { totalCount edges { node { id } } } }`);
    expect(other.errors).toBeUndefined();
    expect(await h.models.Resident.countDocuments({ divisionCode: OTHER_GRID })).toBeGreaterThan(0);
    expect(other.data.residents).toEqual({ totalCount: 0, edges: [] });
    const stranger = await h.models.Resident.findOne({ divisionCode: OTHER_GRID }).lean();
    const one = await h.execute('gridworker', `query($id: ID!) { resident(id: $id) { id } }`, { id: String(stranger!._id) });
    expect(one.errors).toBeUndefined();
    expect(one.data.resident).toBeNull(); // existence is not revealed
  });

  it('masks identity numbers for department staff, and unmasks them for the grid worker only with a purpose', async () => {
    const r = await h.models.Resident.findOne({ divisionCode: GRID }).lean();
    const Q = `query($id: ID!) { resident(id: $id) { idNumber } }`;
    const staff = await h.execute('mediator', Q, { id: String(r!._id) }, { purpose: 'dispute screening' });
    expect(staff.errors).toBeUndefined();
    expect(staff.data.resident.idNumber).not.toBe(r!.idNumber);
    expect(staff.data.resident.idNumber).toMatch(/\*/);
    const noPurpose = await h.execute('gridworker', Q, { id: String(r!._id) });
    expect(noPurpose.data.resident.idNumber).toMatch(/\*/);
    expect(codeOf(noPurpose)).toBe('BAD_USER_INPUT');
    expect(noPurpose.errors![0].message).toMatch(/Resident.idNumber is served masked/);
    const withPurpose = await h.execute('gridworker', Q, { id: String(r!._id) }, { purpose: 'household visit' });
    expect(withPurpose.errors).toBeUndefined();
    expect(withPurpose.data.resident.idNumber).toBe(r!.idNumber);
  });

  it('refuses the register to a role with no rule in the REGISTRY policy (registry.admin manages rules, not records)', async () => {
    const res = await h.execute('registry.admin', `query { residents(divisionCode: "${GRID}") { totalCount } }`);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(res.errors![0].message).toMatch(/Query.residents/);
  });
});
