import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startStack, freePort, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';
import { start as startRegistry } from '@anmulong/registry';
import {
  type PeerCaller, PeerClient, peerSelection, type ServiceName, ServiceToken, type StartedSubgraph, usePeerCredentials,
} from '@anmulong/platform';

/*
 * The peer client (platform/src/peer.ts), the one way a subgraph asks another department about
 * its records, on the real stack with the demo data: the client asks as the user (token, purpose,
 * request id) and the peer's own policy decides. A second registry, on the same store, logs into
 * this test, so what reaches the peer is read in the peer's own log and counted at its server.
 */

let stack: Stack;
let peer: StartedSubgraph<any>;
const peerLog: Record<string, any>[] = [];
let peers: PeerClient;
const ULAN_GRID = '150624100001001';
const QIPANJING = '150624101';

beforeAll(async () => {
  stack = await startStack();
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
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
}, 180_000);
afterAll(async () => {
  await peer?.close();
  await stack?.close();
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
