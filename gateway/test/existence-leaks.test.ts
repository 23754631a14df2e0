import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  idNumberCheckChar, type PeerCaller, PeerClient, peerSelection, type ServiceName, ServiceToken, type StartedSubgraph, usePeerCredentials,
} from '@anmulong/platform';
import { freePort, startStack, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';
import { start as startRegistry } from '@anmulong/registry';

/**
 * The answer without `extensions.cost` (the gateway reports its estimate outside production):
 * the estimate is computed from the query alone, the same for any id, so it reveals nothing.
 */
function withoutCost<T extends { extensions?: Record<string, unknown> }>(answer: T): Omit<T, 'extensions'> {
  const { extensions, ...rest } = answer;
  const { cost: _cost, ...others } = extensions ?? {};
  return Object.keys(others).length ? { ...rest, extensions: others } : rest;
}

/*
 * No existence leaks, through the gateway on the real stack: a write that collides with a record
 * the caller may not see (outside their jurisdiction, or hidden by a row condition) is refused
 * without saying that or where the record exists, and the attempt is in the access log for the
 * auditor; a collision with a record the caller may see is refused plainly. Look-ups of records
 * outside the caller's view answer null, as for ids that do not exist.
 */
let stack: Stack;
const GRID = '150624100001001'; // the demo grid worker's grid

beforeAll(async () => {
  stack = await startStack();
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
}, 180_000);
afterAll(async () => stack?.close());

const REGISTER = 'mutation Register($input: RegisterResidentInput!) { registerResident(input: $input) { id } }';
const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;
const LOG = `query($id: ID!) { accessLog(residentId: $id, first: 100) { edges { node { kind username operationName residentIds detail } } } }`;

async function setCondition(department: string, role: string, type: string, field: string, values: string[]) {
  const res = await stack.query('admin', `mutation($d: Department!, $r: String!, $t: String!, $f: String!, $v: [String!]!) {
    setRowCondition(department: $d, role: $r, type: $t, field: $f, values: $v) { version } }`, { d: department, r: role, t: type, f: field, v: values });
  expect(res.errors).toBeUndefined();
  const subgraph = stack.subgraphs[department.toLowerCase() as 'court' | 'mediation'];
  for (let i = 0; i < 100 && subgraph.policies!.get(department as 'COURT' | 'MEDIATION')!.version < res.data.setRowCondition.version; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('registerResident with an identity number already registered', () => {
  it('outside the caller’s jurisdiction: a neutral refusal that says what to do next, nothing written, the attempt in the access log', async () => {
    const { Resident } = stack.registry.models;
    const elsewhere = (await Resident.findOne({ divisionPath: '150624101' }).lean())!;
    const before = await Resident.countDocuments();
    const res = await stack.query('gridworker', REGISTER, { input: { idNumber: elsewhere.idNumber, name: { zh: '张三' }, ethnicity: '汉族', divisionCode: GRID } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    const message = res.errors![0].message;
    expect(message).toMatch(/cannot be registered in your jurisdiction/);
    expect(message).toMatch(/registry office/);
    // Nothing about the person: not that they are registered, nor where, nor their record's id.
    expect(message).not.toMatch(/already|registered elsewhere|150624101|Qipanjing/);
    expect(message).not.toContain(String(elsewhere._id));
    expect(res.errors![0].extensions).not.toHaveProperty('residentId');
    expect(await Resident.countDocuments()).toBe(before);

    // The same answer for another hidden person: the message does not vary with who they are.
    const other = (await Resident.findOne({ divisionPath: '150624102' }).lean())!;
    const again = await stack.query('gridworker', REGISTER, { input: { idNumber: other.idNumber, name: { zh: '李四' }, ethnicity: '汉族', divisionCode: GRID } });
    expect(again.errors![0].message).toBe(message);

    // The auditor finds the attempt in that resident's access log, with the collision spelled out.
    const log = await stack.query('auditor', LOG, { id: String(elsewhere._id) });
    const entry = log.data.accessLog.edges.map((e: any) => e.node).find((n: any) => n.username === 'gridworker' && n.operationName === 'Register');
    expect(entry).toMatchObject({ kind: 'MUTATION', residentIds: [String(elsewhere._id)] });
    expect(entry.detail).toMatch(new RegExp(`collision: input\\.idNumber collides with Resident ${elsewhere._id} outside the caller's view`));
    const byUser = await stack.query('auditor', `query { accessLogByUser(username: "gridworker", first: 100) { edges { node { detail residentIds } } } }`);
    expect(byUser.data.accessLogByUser.edges.some((e: any) => e.node.detail?.includes(String(other._id)))).toBe(true);
  });

  it('inside the caller’s jurisdiction: refused plainly, naming the resident they may see', async () => {
    const { Resident } = stack.registry.models;
    const neighbour = (await Resident.findOne({ divisionPath: GRID }).lean())!;
    const res = await stack.query('gridworker', REGISTER, { input: { idNumber: neighbour.idNumber, name: { zh: '王五' }, ethnicity: '汉族', divisionCode: GRID } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toBe(`input.idNumber: a resident with this identity number is already registered (resident ${neighbour._id})`);
  });

  it('a fresh identity number is still registered (the check costs nothing to the legitimate case)', async () => {
    const first17 = '15062419881212357';
    const res = await stack.query('gridworker', REGISTER, { input: { idNumber: first17 + idNumberCheckChar(first17), name: { zh: '赵六' }, ethnicity: '汉族', divisionCode: GRID } });
    expect(res.errors).toBeUndefined();
  });
});

describe('fileCase from a dispute that already has a court case', () => {
  const FILE = 'mutation File($input: FileCaseInput!) { fileCase(input: $input) { id } }';
  async function filedDispute() {
    const courtCase = (await stack.subgraphs.court.models.CourtCase.findOne({ disputeId: { $type: 'objectId' } }).lean())!;
    const dispute = (await stack.subgraphs.mediation.models.Dispute.findById(courtCase.disputeId).lean())!;
    return { courtCase, input: { disputeId: String(dispute._id), parties: dispute.partyIds.map(String).slice(0, 1), type: 'CIVIL', divisionCode: dispute.divisionCode } };
  }

  it('a case the judge may see: refused plainly with its case number', async () => {
    const { courtCase, input } = await filedDispute();
    const res = await stack.query('judge', FILE, { input });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain(`already has a court case (${courtCase.caseNumber})`);
  });

  it('a case a row condition hides from the judge: a neutral refusal and an access-log entry; look-ups of it answer null', async () => {
    const { courtCase, input } = await filedDispute();
    const other = ['CIVIL', 'ADMINISTRATIVE', 'CRIMINAL'].find((t) => t !== courtCase.type)!;
    await setCondition('COURT', 'judge', 'CourtCase', 'type', [other]);
    try {
      const before = await stack.subgraphs.court.models.CourtCase.countDocuments();
      const res = await stack.query('judge', FILE, { input });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(/cannot be filed .* by you; the court's filing office/);
      expect(res.errors![0].message).not.toMatch(new RegExp(`already|${courtCase.caseNumber.replace(/[()]/g, '\\$&')}|${courtCase._id}`));
      expect(await stack.subgraphs.court.models.CourtCase.countDocuments()).toBe(before);
      const log = await stack.query('auditor', `query { accessLogByUser(username: "judge", first: 100) { edges { node { operationName detail } } } }`);
      const entry = log.data.accessLogByUser.edges.map((e: any) => e.node).find((n: any) => n.operationName === 'File' && n.detail);
      expect(entry.detail).toBe(`collision: input.disputeId collides with CourtCase ${courtCase._id} outside the caller's view`);

      const lookup = await stack.query('judge', 'query($id: ID!) { courtCase(id: $id) { id } }', { id: String(courtCase._id) });
      expect(lookup.errors).toBeUndefined();
      expect(lookup.data.courtCase).toBeNull();
      const viaDispute = await stack.query('judge', 'query($id: ID!) { dispute(id: $id) { id courtCase { id } } }', { id: input.disputeId });
      expect(viaDispute.data.dispute).toEqual({ id: input.disputeId, courtCase: null });
    } finally {
      await setCondition('COURT', 'judge', 'CourtCase', 'type', []);
    }
  });
});

describe('screenDispute from a help request already screened into a dispute the mediator may not see', () => {
  it('refused without naming the dispute, recorded for review; the dispute itself answers null', async () => {
    const { Dispute } = stack.subgraphs.mediation.models;
    // A help request about a dispute in Ulan (police shows mediators those), screened once by the mediator.
    const resident = (await stack.registry.models.Resident.findOne({ divisionPath: GRID }).lean())!;
    const helpRequest = await stack.police.models.HelpRequest.create({
      category: 'DISPUTE', description: '邻里纠纷', status: 'OPEN', reportedAt: new Date('2024-04-30T08:00:00Z'), residentId: resident._id, divisionCode: GRID,
    });
    const parties = (await stack.registry.models.Resident.find({ divisionPath: GRID }).limit(2).lean()).map((r) => String(r._id));
    const SCREEN = 'mutation Screen($input: ScreenDisputeInput!) { screenDispute(input: $input) { id } }';
    const input = { category: 'NEIGHBOURS', description: '邻里纠纷', partyIds: parties, divisionCode: GRID, screenedOn: '2024-05-01', helpRequestId: String(helpRequest._id) };
    const first = await stack.query('mediator', SCREEN, { input });
    expect(first.errors).toBeUndefined();
    const existing = { _id: first.data.screenDispute.id };
    // The mediator's role now sees only disputes that reached COURT: this one is hidden from them.
    await setCondition('MEDIATION', 'mediator', 'Dispute', 'stage', ['COURT']);
    try {
      const before = await Dispute.countDocuments();
      const res = await stack.query('mediator', SCREEN, { input });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(/cannot be screened by you; the banner's dispute-resolution centre/);
      expect(res.errors![0].message).not.toMatch(new RegExp(`already|${existing._id}`));
      expect(await Dispute.countDocuments()).toBe(before);
      const log = await stack.query('auditor', `query { accessLogByUser(username: "mediator", first: 100) { edges { node { operationName detail } } } }`);
      expect(log.data.accessLogByUser.edges.map((e: any) => e.node).filter((n: any) => n.operationName === 'Screen').map((n: any) => n.detail))
        .toEqual([null, `collision: input.helpRequestId collides with Dispute ${existing._id} outside the caller's view`]);
      const lookup = await stack.query('mediator', 'query($id: ID!) { dispute(id: $id) { id } }', { id: String(existing._id) });
      expect(withoutCost(lookup)).toEqual({ status: 200, data: { dispute: null } });
    } finally {
      await setCondition('MEDIATION', 'mediator', 'Dispute', 'stage', []);
    }
  });
});

describe('look-ups of records outside the caller’s view answer null, like ids that do not exist', () => {
  it('a resident outside the grid worker’s grid, and one that does not exist: the same null, no error', async () => {
    const elsewhere = (await stack.registry.models.Resident.findOne({ divisionPath: '150624101' }).lean())!;
    for (const id of [String(elsewhere._id), '0123456789abcdef01234567']) {
      const res = await stack.query('gridworker', 'query($id: ID!) { resident(id: $id) { id name { zh } } }', { id });
      expect(withoutCost(res)).toEqual({ status: 200, data: { resident: null } });
    }
  });
});

describe('setRowCondition', () => {
  const SET = 'mutation($v: [String!]!, $f: String!) { setRowCondition(department: COURT, role: "judge", type: "CourtCase", field: $f, values: $v) { version } }';
  it('is refused to roles that do not manage the department’s policy', async () => {
    for (const user of ['judge', 'police.admin', 'auditor', 'analyst']) {
      const res = await stack.query(user, SET, { f: 'type', v: ['CIVIL'] }, { headers: { 'x-access-purpose': 'test' } });
      expect([user, codeOf(res)]).toEqual([user, 'FORBIDDEN']);
    }
  });

  it('names only fields that can carry a condition, and only their real values', async () => {
    const field = await stack.query('court.admin', SET, { f: 'caseNumber', v: ['x'] });
    expect(codeOf(field)).toBe('BAD_USER_INPUT');
    expect(field.errors![0].message).toMatch(/CourtCase\.caseNumber cannot carry a row condition .*CourtCase\.type, CourtCase\.status/);
    const value = await stack.query('court.admin', SET, { f: 'type', v: ['{"$ne":""}'] });
    expect(codeOf(value)).toBe('BAD_USER_INPUT');
    expect(value.errors![0].message).toMatch(/CourtCase\.type is one of CIVIL, /);
    const policy = await stack.query('court.admin', 'query { accessPolicy(department: COURT) { rowConditionFields roles { role rowConditions { type } } } }');
    expect(policy.data.accessPolicy.rowConditionFields).toEqual(['CourtCase.type', 'CourtCase.status']);
  });
});

/*
 * The peer client (platform/src/peer.ts), the one way a subgraph asks another department about
 * its records, on the same stack (after the tests above, whose row conditions are undone): the
 * client asks as the user (token, purpose, request id) and the peer's own policy decides. A
 * second registry, on the same store, logs into this test, so what reaches the peer is read in
 * the peer's own log and counted at its server.
 */
describe('the peer client', () => {
  let peer: StartedSubgraph<any>;
  const peerLog: Record<string, any>[] = [];
  let peers: PeerClient;
  const ULAN_GRID = '150624100001001';
  const QIPANJING = '150624101';

  beforeAll(async () => {
    const lines = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line) peerLog.push(JSON.parse(line));
        done();
      },
    });
    peer = await startRegistry({
      host: '127.0.0.1', port: 0, mongoUri: stack.docstore.uri, keycloakUrl: stack.keycloakUrl,
      subgraphUrls: { access: stack.subgraphs.access.url }, log: pino({ level: 'info', base: { service: 'registry' } }, lines),
    });
    const urlOf = (name: ServiceName) => (name === 'registry' ? peer.url : stack.subgraphs[name as 'police'].url);
    peers = new PeerClient('mediation', urlOf);
    usePeerCredentials([peer.url, stack.police.url], new ServiceToken(stack.keycloakUrl));
  });
  afterAll(async () => {
    await peer?.close();
  });

  const RESIDENT = peerSelection<{ id: string; birthDate: string; division: { code: string } }>('registry', 'Resident', 'id birthDate division { code }');
  const HOUSEHOLD = peerSelection<{ id: string; members: { id: string }[] }>('registry', 'Household', 'id members { id }');
  const DIVISION = peerSelection<{ code: string }>('registry', 'Division', 'code', 'code');
  const HELP_REQUEST = peerSelection<{ id: string; category: string }>('police', 'HelpRequest', 'id category');

  /** One request being served for `username`, as a subgraph's context carries it. */
  async function request(username: string, purpose: string | null = null): Promise<PeerCaller> {
    return { principal: { token: await stack.token(username) }, purpose, requestId: randomUUID() };
  }

  const SCREEN = 'mutation Screen($input: ScreenDisputeInput!) { screenDispute(input: $input) { id } }';
  const residentsOf = async (division: string, n: number) =>
    (await stack.registry.models.Resident.find({ divisionPath: division }).sort({ _id: 1 }).limit(n).lean()).map((r: { _id: unknown }) => String(r._id));
  const helpRequest = (category: 'DISPUTE' | 'THEFT', residentId: string) =>
    stack.police.models.HelpRequest.create({ category, description: '草场边界', status: 'OPEN', reportedAt: new Date('2024-04-30T08:00:00Z'), residentId, divisionCode: ULAN_GRID });

  describe('a request’s look-ups', () => {
    it('go to the peer as one HTTP call, each answered as the peer shows the caller', async () => {
      const ulan = await residentsOf(ULAN_GRID, 8);
      const qipanjing = await residentsOf(QIPANJING, 2);
      const households = (await stack.registry.models.Household.find({ divisionPath: ULAN_GRID }).limit(2).lean()).map((h: { _id: unknown }) => String(h._id));
      const ghost = '0123456789abcdef01234567';
      const caller = await request('mediator');
      const before = peer.graphqlRequests();
      const [residents, outside, missing, homes, division, again] = await Promise.all([
        peers.loadMany(caller, RESIDENT, ulan),
        peers.loadMany(caller, RESIDENT, qipanjing),
        peers.load(caller, RESIDENT, ghost),
        peers.loadMany(caller, HOUSEHOLD, households),
        peers.load(caller, DIVISION, ULAN_GRID),
        peers.load(caller, RESIDENT, ulan[0]!), // asked twice, sent once
      ]);
      expect(peer.graphqlRequests() - before).toBe(1);
      const stored = await stack.registry.models.Resident.find({ _id: { $in: ulan } }).lean();
      expect(residents).toEqual(ulan.map((id) => {
        const r = stored.find((s: { _id: unknown }) => String(s._id) === id)!;
        return { id, birthDate: r.birthDate, division: { code: r.divisionCode } };
      }));
      // Outside the mediator's jurisdiction (Ulan) and not at all: the same null.
      expect(outside).toEqual([null, null]);
      expect(missing).toBeNull();
      expect(homes.map((h) => h?.id)).toEqual(households);
      expect(homes.every((h) => h!.members.length > 0)).toBe(true);
      expect(division).toEqual({ code: ULAN_GRID });
      expect(again).toEqual(residents[0]);
      // Asked again in the same request: answered from the request's loader.
      await peers.load(caller, RESIDENT, ulan[1]!);
      expect(peer.graphqlRequests() - before).toBe(1);
    });

    it('are never shared with another request: another user asking the same record gets their own answer', async () => {
      const [id] = await residentsOf(ULAN_GRID, 1);
      const mediator = await request('mediator');
      expect(await peers.load(mediator, RESIDENT, id!)).not.toBeNull();
      const before = peer.graphqlRequests();
      // The caseworker works in Mengxi: the registry does not show them this Ulan resident.
      expect(await peers.load(await request('caseworker'), RESIDENT, id!)).toBeNull();
      expect(peer.graphqlRequests() - before).toBe(1);
    });

    it('reach the peer with the caller’s purpose and request id, which its log records with the platform service that asked', async () => {
      const [id] = await residentsOf(ULAN_GRID, 1);
      const caller = await request('mediator', '调解草场纠纷 (dispute screening)');
      await peers.load(caller, RESIDENT, id!);
      let line: Record<string, any> | undefined;
      for (let i = 0; i < 50 && !line; i++, await new Promise((r) => setTimeout(r, 20))) {
        line = peerLog.find((l) => l.msg === 'request' && l.requestId === caller.requestId);
      }
      expect(line).toMatchObject({
        service: 'registry', requestId: caller.requestId, operationName: 'MediationPeerLookup', status: 200,
        purpose: '调解草场纠纷 (dispute screening)', via: 'service-account-anmulong-gateway',
      });
    });
  });

  describe('the peer’s policy decides, not the caller’s', () => {
    it('police shows mediators only help requests about disputes: another is null to them, and screening from it is refused', async () => {
      const [a, b] = await residentsOf(ULAN_GRID, 2);
      const dispute = await helpRequest('DISPUTE', a!);
      const theft = await helpRequest('THEFT', a!);
      const mediator = await request('mediator');
      expect(await peers.load(mediator, HELP_REQUEST, String(dispute._id))).toEqual({ id: String(dispute._id), category: 'DISPUTE' });
      expect(await peers.load(mediator, HELP_REQUEST, String(theft._id))).toBeNull();
      // A police officer of Ulan's town would see it; the mediator's own (mediation) policy grants them everything in mediation.
      const { Dispute } = stack.subgraphs.mediation.models;
      const count = await Dispute.countDocuments();
      const res = await stack.query('mediator', SCREEN, {
        input: { category: 'NEIGHBOURS', description: '邻里纠纷', partyIds: [a, b], divisionCode: ULAN_GRID, screenedOn: '2024-05-01', helpRequestId: String(theft._id) },
      });
      expect(res.data).toBeNull();
      expect(res.errors).toEqual([expect.objectContaining({
        message: `input.helpRequestId: no help request with id ${theft._id} that you may see (the police policy decides who sees help requests)`,
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'input.helpRequestId' }),
      })]);
      expect(await Dispute.countDocuments()).toBe(count);
    });

    it('the registry requires analysts to state a purpose: without one the look-up is refused in its words, with one it is served', async () => {
      const [id] = await residentsOf(ULAN_GRID, 1);
      await expect(peers.load(await request('analyst'), RESIDENT, id!)).rejects.toMatchObject({
        message: 'The REGISTRY policy requires an X-Access-Purpose header stating why you read this data',
        extensions: { code: 'BAD_USER_INPUT', argument: 'X-Access-Purpose', department: 'REGISTRY' },
      });
      expect(await peers.load(await request('analyst', 'annual report'), RESIDENT, id!)).toMatchObject({ id });
    });
  });

  describe('a peer that is down', () => {
    it('fails the look-up with DEPARTMENT_UNAVAILABLE naming its department', async () => {
      const nowhere = `http://127.0.0.1:${await freePort()}/graphql`;
      const client = new PeerClient('mediation', () => nowhere);
      await expect(client.load(await request('mediator'), HELP_REQUEST, '0123456789abcdef01234567')).rejects.toMatchObject({
        message: 'The police service is unavailable: HelpRequest records could not be checked with it; try again shortly',
        extensions: { code: 'DEPARTMENT_UNAVAILABLE', department: 'POLICE' },
      });
    });

    it('through the gateway: the mutation that needs it answers DEPARTMENT_UNAVAILABLE naming it, writes nothing, and its own department stays up', async () => {
      const [a, b] = await residentsOf(ULAN_GRID, 2);
      const hr = await helpRequest('DISPUTE', a!);
      const input = { category: 'NEIGHBOURS', description: '邻里纠纷', partyIds: [a, b], divisionCode: ULAN_GRID, screenedOn: '2024-05-01', helpRequestId: String(hr._id) };
      const { Dispute } = stack.subgraphs.mediation.models;
      const count = await Dispute.countDocuments();
      const res = await stack.restart('police', () => stack.query('mediator', SCREEN, { input }));
      expect(res!.data).toBeNull();
      expect(res!.errors).toEqual([{
        message: 'The police service is unavailable: HelpRequest records could not be checked with it; try again shortly',
        extensions: { code: 'DEPARTMENT_UNAVAILABLE', department: 'POLICE' },
      }]);
      expect(await Dispute.countDocuments()).toBe(count);
      // Police is back: the same screening goes through.
      const again = await stack.query('mediator', SCREEN, { input });
      expect(again.errors).toBeUndefined();
    });
  });

  describe('peer calls of a multi-reference mutation, counted at the peers', () => {
    const calls = () => ({ registry: stack.registry.graphqlRequests(), police: stack.police.graphqlRequests() });

    it('screenDispute with five parties, a help request and a division not checked before: one call to the registry, one to police', async () => {
      // A grid of Ulan no other test here screens in, so mediation has not checked its code yet.
      const inUlan = await stack.registry.models.Resident.find({ divisionPath: '150624100', divisionCode: { $ne: ULAN_GRID } }).lean();
      const counts = new Map<string, number>();
      for (const r of inUlan) counts.set(r.divisionCode, (counts.get(r.divisionCode) ?? 0) + 1);
      const grid = [...counts].find(([, n]) => n >= 5)![0];
      const parties = await residentsOf(grid, 5);
      const hr = await stack.police.models.HelpRequest.create({
        category: 'DISPUTE', description: '草场边界', status: 'OPEN', reportedAt: new Date('2024-04-30T08:00:00Z'), residentId: parties[0], divisionCode: grid,
      });
      await stack.token('mediator');
      const before = calls();
      const res = await stack.query('mediator', SCREEN, {
        input: { category: 'GRASSLAND_CONTRACT', description: '草场边界', partyIds: parties, divisionCode: grid, screenedOn: '2024-05-01', helpRequestId: String(hr._id) },
      });
      expect(res.errors).toBeUndefined();
      const after = calls();
      expect({ registry: after.registry - before.registry, police: after.police - before.police }).toEqual({ registry: 1, police: 1 });
    });
  });
});
