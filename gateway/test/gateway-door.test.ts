import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import pino from 'pino';
import { decodeClaims, freePort, startStack, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';
import {
  ASSERTION_HEADER, ASSERTION_ISSUER, bodyHash, idNumberCheckChar, type PeerCaller, PeerClient, peerSelection, SERVICE_AUTHORIZATION_HEADER,
  type ServiceName, ServiceToken, type StartedSubgraph, type SubgraphName, SUBGRAPHS, usePeerCredentials,
} from '@anmulong/platform';
import { start as startRegistry } from '@anmulong/registry';
import type { AccessModels } from '@anmulong/access';

// A full collection before each heap reading, so the bound is on what is retained, not on garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/*
 * The gateway is the only door to personal data (issue 16, item 4): on the real stack with the
 * demo data, every subgraph refuses a user's token alone, and every bad assertion; the gateway's
 * own calls, the platform's peer look-ups, policy polling and the access log keep working. Then,
 * on the same stack, hostile operations (none writes anything), and last the existence-leak and
 * peer-client tests (their writes and row conditions, undone, and a police restart come after
 * everything else here).
 */

let stack: Stack;
let access: AccessModels;
const PURPOSE = 'door test';

beforeAll(async () => {
  stack = await startStack();
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
  access = stack.subgraphs.access.models as AccessModels;
}, 180_000);
afterAll(async () => stack?.close());

/** Per subgraph, a reader allowed to read its personal data and queries that would return some. */
const PERSONAL: Record<SubgraphName, { as: string; queries: string[] }> = {
  registry: { as: 'analyst', queries: ['{ residents(divisionCode: "150624", first: 3) { edges { node { id name { zh } idNumber phone } } } }'] },
  police: { as: 'analyst', queries: ['{ helpRequests(divisionCode: "150624", first: 3) { edges { node { id category resident { id } } } } }'] },
  mediation: { as: 'analyst', queries: ['{ disputes(divisionCode: "150624", first: 3) { edges { node { id category parties { id } } } } }'] },
  court: { as: 'analyst', queries: ['{ courtCases(divisionCode: "150624", first: 3) { edges { node { id caseNumber } } } }'] },
  'civil-affairs': { as: 'analyst', queries: ['{ aidGrants(divisionCode: "150624", first: 3) { edges { node { id amountYuan resident { id } } } } }'] },
  'party-building': { as: 'analyst', queries: ['{ modelHouseholds(divisionCode: "150624") { id } }'] },
  access: { as: 'auditor', queries: ['{ accessLogByUser(username: "analyst", first: 3) { totalCount edges { node { residentIds } } } }'] },
};

/** Some residents and households, for entity look-ups (`_entities`) as the gateway makes them. */
async function entityQueries(): Promise<Record<SubgraphName, string>> {
  const residents = await stack.registry.models.Resident.find({}).limit(3).lean();
  const reps = JSON.stringify(residents.map((r) => ({ __typename: 'Resident', id: String(r._id) }))).replace(/"(__typename|id)":/g, '$1:');
  const on = (fields: string) => `{ _entities(representations: ${reps}) { ... on Resident { ${fields} } } }`;
  return {
    registry: on('id name { zh } idNumber'),
    police: on('helpRequests { id category }'),
    mediation: on('disputes { id category }'),
    court: on('courtCases { id caseNumber }'),
    'civil-affairs': on('aidGrants { id amountYuan }'),
    'party-building': on('partyMembership { branch }'),
    access: '{ verifyAuditChain { ok checked } }',
  };
}

const headers = { 'x-access-purpose': PURPOSE };
const THROUGH_GATEWAY = /^Subgraphs are reached through the gateway: /;

describe('a user’s token alone, sent straight to a subgraph', () => {
  it.each(SUBGRAPHS)('%s: HTTP 401, UNAUTHENTICATED, saying subgraphs are reached through the gateway; nothing served', async (name) => {
    const { as, queries } = PERSONAL[name];
    for (const authorization of [`Bearer ${await stack.token(as)}`, undefined]) {
      const res = await stack.query({ authorization }, queries[0], {}, { url: stack.subgraphs[name].url, headers, gatewayAssertion: false });
      expect(res.status).toBe(401);
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(res.errors![0].message).toMatch(THROUGH_GATEWAY);
      expect(res.errors![0].message).toMatch(/X-Gateway-Assertion/);
      expect(res.data ?? null).toBeNull();
    }
  });
});

describe('0 reads of personal data without an access-log entry, whichever port they come through', () => {
  it('every subgraph port refuses every personal read with a user token; the gateway serves them, each with an entry', async () => {
    const entities = await entityQueries();
    await stack.gateway.flushAccessLog();
    const entriesBefore = await access.AuditEntry.countDocuments();
    let refused = 0;
    for (const name of SUBGRAPHS) {
      const { as, queries } = PERSONAL[name];
      for (const query of [...queries, entities[name]]) {
        const res = await stack.query(as, query, {}, { url: stack.subgraphs[name].url, headers, gatewayAssertion: false });
        expect({ name, query, status: res.status, data: res.data ?? null }).toEqual({ name, query, status: 401, data: null });
        refused++;
      }
    }
    expect(refused).toBe(SUBGRAPHS.length * 2);
    await stack.gateway.flushAccessLog();
    expect(await access.AuditEntry.countDocuments()).toBe(entriesBefore);

    // The same reads through the gateway: served, and recorded.
    for (const name of SUBGRAPHS) {
      if (name === 'access') continue; // the access log itself is read through the gateway below
      const { as, queries } = PERSONAL[name];
      const res = await stack.query(as, queries[0], {}, { headers });
      expect({ name, errors: res.errors }).toEqual({ name, errors: undefined });
    }
    await stack.gateway.flushAccessLog();
    const recorded = await access.AuditEntry.find({ seq: { $gt: 0 } }).sort({ seq: -1 }).limit(6).lean();
    expect(recorded.every((e) => e.username === 'analyst' && e.purpose === PURPOSE)).toBe(true);
    expect(await access.AuditEntry.countDocuments()).toBeGreaterThanOrEqual(entriesBefore + 5);
  });
});

describe('bad assertions', () => {
  const QUERY = '{ residents(divisionCode: "150624", first: 1) { totalCount } }';
  const body = JSON.stringify({ query: QUERY, variables: {} });
  const subjectOf = (token: string) => decodeClaims(token).sub as string;

  async function post(assertion: string, url = stack.registry.url, as = 'analyst', sent = body) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token(as)}`, [ASSERTION_HEADER]: assertion, ...headers },
      body: sent,
    });
    return { status: res.status, ...((await res.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] }) };
  }
  const refusedWith = async (assertion: string, reason: string, url?: string) => {
    const res = await post(assertion, url);
    expect(res.status).toBe(401);
    expect(res.data ?? null).toBeNull();
    expect(res.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.errors![0].message).toBe(`Subgraphs are reached through the gateway: ${reason}`);
  };
  const sign = async (over: Partial<{ audience: string; subject: string; body: string }> = {}) =>
    stack.gatewaySigner.sign({ audience: 'registry', subject: subjectOf(await stack.token('analyst')), requestId: randomUUID(), body, ...over });

  it('the gateway’s own assertion for this call is served (the control)', async () => {
    const res = await post(await sign());
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
  });

  it('forged: signed with a key that is not the gateway’s', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'forger-'));
    try {
      const { AssertionSigner, loadAssertionKey } = await import('@anmulong/platform');
      const forger = new AssertionSigner({ ...loadAssertionKey(path.join(dir, 'k.pem'), true), kid: stack.gatewaySigner.key.kid });
      await refusedWith(await forger.sign({ audience: 'registry', subject: subjectOf(await stack.token('analyst')), requestId: 'r', body }), 'the gateway assertion has an invalid signature');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { key } = stack.gatewaySigner;
    const expired = await new SignJWT({ rid: 'r', body_sha256: bodyHash(body) }).setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
      .setIssuer(ASSERTION_ISSUER).setAudience('registry').setSubject(subjectOf(await stack.token('analyst')))
      .setIssuedAt(now - 40).setExpirationTime(now - 25).setJti(randomUUID()).sign(key.privateKey);
    await refusedWith(expired, 'the gateway assertion has expired');
  });

  it('replayed at another subgraph (wrong audience)', async () => {
    await refusedWith(await sign({ audience: 'police' }), 'the gateway assertion is meant for another subgraph, not registry');
  });

  it('for another body (the query changed after signing)', async () => {
    await refusedWith(await sign({ body: body.replace('first: 1', 'first: 100') }), 'the gateway assertion does not match the request body');
  });

  it('for another user (a token swapped in)', async () => {
    await refusedWith(await sign({ subject: subjectOf(await stack.token('judge')) }), 'the gateway assertion was issued for another user');
  });

  it('replayed at the same subgraph', async () => {
    const once = await sign();
    expect((await post(once)).status).toBe(200);
    await refusedWith(once, 'the gateway assertion has been used before');
  });
});

describe('the platform’s own calls', () => {
  it('peer look-ups on a user’s behalf: a mediator screens a dispute, checked with the registry (residents, division) by the platform', async () => {
    const parties = await stack.registry.models.Resident.find({ divisionPath: '150624100001001' }).sort({ _id: 1 }).limit(2).lean();
    const res = await stack.query('mediator', `mutation($input: ScreenDisputeInput!) { screenDispute(input: $input) { id parties { id } division { code } } }`, {
      input: { category: 'NEIGHBOURS', partyIds: parties.map((p) => String(p._id)), divisionCode: '150624100001001', description: '邻里噪音纠纷', screenedOn: '2024-03-01' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.screenDispute.parties.map((p: { id: string }) => p.id)).toEqual(parties.map((p) => String(p._id)));
    // Still the user's jurisdiction deciding: a Qipanjing resident is not found for an Ulan mediator.
    const qipanjing = await stack.registry.models.Resident.findOne({ divisionPath: '150624101' }).lean();
    const outside = await stack.query('mediator', `mutation($input: ScreenDisputeInput!) { screenDispute(input: $input) { id } }`, {
      input: { category: 'NEIGHBOURS', partyIds: [String(qipanjing!._id)], divisionCode: '150624100001001', description: '邻里噪音纠纷', screenedOn: '2024-03-01' },
    });
    expect(outside.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a peer proves itself with a platform service token; a user’s own token there, or none beside it, is refused', async () => {
    const QUERY = JSON.stringify({ query: '{ division(code: "150624") { code } }' });
    const service = await new ServiceToken(stack.keycloakUrl).get();
    const call = async (h: Record<string, string>) => {
      const res = await fetch(stack.registry.url, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body: QUERY });
      return { status: res.status, ...((await res.json()) as { data?: unknown; errors?: { message: string }[] }) };
    };
    const user = `Bearer ${await stack.token('police.officer')}`;
    expect(await call({ authorization: user, [SERVICE_AUTHORIZATION_HEADER]: `Bearer ${service}` })).toEqual({ status: 200, data: { division: { code: '150624' } } });
    const posing = await call({ authorization: user, [SERVICE_AUTHORIZATION_HEADER]: user });
    expect(posing.status).toBe(401);
    expect(posing.errors![0].message).toBe('Subgraphs are reached through the gateway: X-Service-Authorization must carry a valid token of a platform service');
    expect((await call({ authorization: user, [SERVICE_AUTHORIZATION_HEADER]: 'Bearer not.a.token' })).status).toBe(401);
    const noUser = await call({ [SERVICE_AUTHORIZATION_HEADER]: `Bearer ${service}` });
    expect(noUser.status).toBe(401);
    expect(noUser.data ?? null).toBeNull();
  });

  it('policy polling and the access log still work: every subgraph has current policies, and a read is logged', async () => {
    for (const name of SUBGRAPHS) {
      if (name === 'access') continue;
      const health = (await (await fetch(new URL('/health', stack.subgraphs[name].url))).json()) as { policy: { loaded: boolean; stale: boolean } };
      expect({ name, loaded: health.policy.loaded, stale: health.policy.stale }).toEqual({ name, loaded: true, stale: false });
    }
    const resident = await stack.registry.models.Resident.findOne({ divisionPath: '150624101' }).lean();
    const id = String(resident!._id);
    const read = await stack.query('police.officer', `query DoorRead($id: ID!) { resident(id: $id) { name { zh } } }`, { id }, { headers });
    expect(read.errors).toBeUndefined();
    await stack.gateway.flushAccessLog();
    const log = await stack.query('auditor', `query($id: ID!) { accessLog(residentId: $id) { edges { node { username operationName purpose } } } }`, { id });
    expect(log.errors).toBeUndefined();
    expect(log.data.accessLog.edges.map((e: { node: unknown }) => e.node)).toContainEqual({ username: 'police.officer', operationName: 'DoorRead', purpose: PURPOSE });
  });
});

describe('gateway key rotation', () => {
  it('a gateway with a new key is trusted once the subgraphs see its key id; the old key keeps working meanwhile', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rotated-'));
    const QUERY = '{ residents(divisionCode: "150624", first: 1) { totalCount } }';
    try {
      const before = await stack.query('analyst', QUERY, {}, { headers });
      expect(before.errors).toBeUndefined();
      // Past the subgraphs' refetch cooldown (1 s) since their last JWKS fetch.
      await new Promise((r) => setTimeout(r, 1100));
      await stack.withGateway({ assertionKeyFile: path.join(dir, 'assertion-ed25519.pem') }, async (rotated) => {
        stack.trustGatewayKeysOf(rotated);
        try {
          const res = await stack.query('analyst', QUERY, {}, { url: rotated.url, headers });
          expect(res.errors).toBeUndefined();
          expect(res.data.residents.totalCount).toBe(before.data.residents.totalCount);
          // A replica still on the old key, during a rolling restart.
          const old = await stack.query('analyst', QUERY, {}, { headers });
          expect(old.errors).toBeUndefined();
        } finally {
          stack.trustGatewayKeysOf(stack.gateway);
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/*
 * Hostile operations against the real stack: each is refused by the gateway quickly, with a clear
 * error and without any subgraph call (counted on the subgraphs' own HTTP servers); the same
 * operation sent straight to a subgraph (with a valid gateway assertion: the limits hold even for
 * what comes through the door) is refused there; a normal query right after is answered.
 */
describe('hostile operations', () => {
  let householdId: string;
  let residentId: string;
  beforeAll(async () => {
    const { data } = await stack.query('police.officer', `{ households(divisionCode: "150624101", first: 1) { edges { node { id head { id } } } } }`);
    householdId = data.households.edges[0].node.id;
    residentId = data.households.edges[0].node.head.id;
  });

  /** Every /graphql request any subgraph has received so far. */
  const subgraphCalls = () => SUBGRAPHS.reduce((n, s) => n + stack.subgraphs[s].graphqlRequests(), 0);

  interface Answer {
    status: number;
    headers: Headers;
    body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
  }

  /**
   * POSTs raw bytes (or a JSON value) as `police.officer` to the gateway, or to the registry
   * subgraph with a gateway assertion for exactly that body (the test plays the gateway).
   */
  async function send(body: unknown, url = stack.gateway.url, user = 'police.officer'): Promise<Answer> {
    const token = await stack.token(user);
    const payload = Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body);
    const assertion: Record<string, string> =
      url === stack.registry.url
        ? {
            [ASSERTION_HEADER]: stack.gatewaySigner.sign({
              audience: 'registry',
              subject: decodeClaims(token).sub as string,
              requestId: randomUUID(),
              body: payload.toString(),
            }),
          }
        : {};
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...assertion },
      body: payload,
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
  }

  const NORMAL = `query Normal($id: ID!) { household(id: $id) { id members { id name { zh } helpRequests { id } } } }`;
  const nest = (levels: number) => 'household { members { '.repeat(levels) + 'id' + ' } }'.repeat(levels);
  const fanOut = (levels: number, width: number) =>
    `query { household(id: "${'a'.repeat(24)}") { ...F0 } }\n` +
    Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Household { id }` : `fragment F${i} on Household { id ${Array.from({ length: width }, () => `...F${i + 1}`).join(' ')} }`,
    ).join('\n');

  /** Each hostile operation: its body, and what the gateway (and a subgraph sent it directly) answers. */
  const HOSTILE: { name: string; body: () => unknown; status: number; code: string; subgraph?: { status: number; code: string } }[] = [
    {
      name: 'deep nesting through the Resident ⇄ Household cycle (10 levels)',
      body: () => ({ query: `query { resident(id: "${residentId}") { ${nest(10)} } }` }),
      status: 400, code: 'OPERATION_TOO_COMPLEX', subgraph: { status: 400, code: 'OPERATION_TOO_COMPLEX' },
    },
    {
      name: '5,000 aliases of one field',
      body: () => ({ query: `{ ${Array.from({ length: 5000 }, (_, i) => `a${i}: resident(id: "${residentId}") { id }`).join(' ')} }` }),
      status: 400, code: 'OPERATION_TOO_COMPLEX', subgraph: { status: 400, code: 'OPERATION_TOO_COMPLEX' },
    },
    {
      name: '60 aliased look-ups',
      body: () => ({ query: `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: household(id: "${householdId}") { id }`).join(' ')} }` }),
      status: 400, code: 'OPERATION_TOO_COMPLEX', subgraph: { status: 400, code: 'OPERATION_TOO_COMPLEX' },
    },
    {
      name: 'one field repeated 3,000 times',
      body: () => ({ query: `{ household(id: "${householdId}") { ${'id '.repeat(3000)} } }` }),
      status: 400, code: 'OPERATION_TOO_COMPLEX', subgraph: { status: 400, code: 'OPERATION_TOO_COMPLEX' },
    },
    {
      name: 'a page of 100 households with every department’s lists (over the budget)',
      body: () => ({ query: `{ households(divisionCode: "150624101", first: 100) { edges { node { members { helpRequests { id } disputes { id } courtCases { hearings { date } } aidGrants { id } } } } } }` }),
      status: 400, code: 'OPERATION_TOO_EXPENSIVE',
    },
    {
      name: 'a fragment cycle',
      body: () => ({ query: `query { household(id: "${householdId}") { ...A } } fragment A on Household { members { household { ...A } } }` }),
      status: 400, code: 'OPERATION_TOO_COMPLEX', subgraph: { status: 400, code: 'OPERATION_TOO_COMPLEX' },
    },
    {
      name: 'fragment fan-out (10 spreads a level, 8 levels: 10^7 fields)',
      body: () => ({ query: fanOut(8, 10) }),
      status: 400, code: 'OPERATION_TOO_COMPLEX', subgraph: { status: 400, code: 'OPERATION_TOO_COMPLEX' },
    },
    {
      name: 'a directive flood on one field',
      body: () => ({ query: `{ household(id: "${householdId}") { id ${'@include(if: true) '.repeat(200)} } }` }),
      status: 400, code: 'OPERATION_TOO_COMPLEX', subgraph: { status: 400, code: 'OPERATION_TOO_COMPLEX' },
    },
    {
      name: 'a batched array of 100 operations',
      body: () => Array.from({ length: 100 }, () => ({ query: NORMAL, variables: { id: householdId } })),
      status: 400, code: 'BAD_REQUEST', subgraph: { status: 400, code: 'BAD_REQUEST' },
    },
    {
      name: 'a 900 kB variable where an id belongs',
      body: () => ({ query: `query($id: ID!) { resident(id: $id) { id } }`, variables: { id: 'a'.repeat(900_000) } }),
      status: 400, code: 'BAD_USER_INPUT',
    },
    {
      name: 'an input object nested 5,000 levels',
      // Written out: JSON.stringify itself cannot nest that deep.
      body: () => `{"query":${JSON.stringify(NORMAL)},"variables":{"id":"${householdId}","input":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}`,
      status: 400, code: 'OPERATION_TOO_COMPLEX', subgraph: { status: 400, code: 'OPERATION_TOO_COMPLEX' },
    },
    {
      name: 'an argument literal nested 1,000 levels',
      body: () => ({ query: `{ household(id: "${householdId}") { id } x: division(code: ${'{a: '.repeat(1000)}1${'}'.repeat(1000)}) { code } }` }),
      status: 400, code: 'OPERATION_TOO_COMPLEX', subgraph: { status: 400, code: 'OPERATION_TOO_COMPLEX' },
    },
    {
      name: 'NUL in a string literal',
      body: () => ({ query: `{ residents(divisionCode: "150624101\\u0000") { totalCount } }` }),
      status: 400, code: 'BAD_USER_INPUT', subgraph: { status: 400, code: 'BAD_USER_INPUT' },
    },
    {
      name: 'NUL in a variable',
      body: () => ({ query: `query($code: String!) { residents(divisionCode: $code) { totalCount } }`, variables: { code: '150624101\u0000' } }),
      status: 400, code: 'BAD_USER_INPUT', subgraph: { status: 400, code: 'BAD_USER_INPUT' },
    },
    {
      name: 'invalid UTF-8 in a string',
      body: () => Buffer.concat([Buffer.from('{"query":"{ residents(divisionCode: \\"150624'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\\") { totalCount } }"}')]),
      status: 400, code: 'BAD_REQUEST', subgraph: { status: 400, code: 'BAD_REQUEST' },
    },
    {
      name: 'an operator object where an id belongs (variable)',
      body: () => ({ query: `query($id: ID!) { resident(id: $id) { id } }`, variables: { id: { $ne: null } } }),
      status: 400, code: 'BAD_USER_INPUT', subgraph: { status: 400, code: 'BAD_USER_INPUT' },
    },
    {
      name: 'an operator object where an id belongs (literal)',
      body: () => ({ query: `{ resident(id: { ne: null }) { id } }` }),
      status: 400, code: 'GRAPHQL_VALIDATION_FAILED', subgraph: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
    },
    {
      name: 'a regular expression as a division code',
      body: () => ({ query: `{ residents(divisionCode: "^1506.*") { totalCount } }` }),
      status: 400, code: 'BAD_USER_INPUT',
    },
    {
      name: 'a wildcard as an id',
      body: () => ({ query: `query($id: ID!) { household(id: $id) { id } }`, variables: { id: '*' } }),
      status: 400, code: 'BAD_USER_INPUT',
    },
    {
      name: 'a 1.5 MB body',
      body: () => JSON.stringify({ query: NORMAL, variables: { id: householdId, pad: 'x'.repeat(1_500_000) } }),
      status: 413, code: 'BAD_REQUEST', subgraph: { status: 413, code: 'BAD_REQUEST' },
    },
  ];

  const timings: { name: string; ms: number }[] = [];

  describe('hostile operations at the gateway', () => {
    it.each(HOSTILE.map((h) => [h.name, h] as const))('%s: refused without any subgraph call, then a normal query is served', async (_name, h) => {
      const body = h.body();
      const before = subgraphCalls();
      const started = performance.now();
      const answer = await send(body);
      const ms = performance.now() - started;
      timings.push({ name: h.name, ms });
      expect(subgraphCalls()).toBe(before);
      expect(answer.body.data ?? null).toBeNull();
      expect(answer.body.errors?.[0]?.extensions?.code).toBe(h.code);
      expect(answer.status).toBe(h.status);
      expect(answer.body.errors![0].message.length).toBeGreaterThan(20); // says what is wrong
      expect(ms).toBeLessThan(2000); // "quickly"; the figures are in the report below, not asserted tightly
      const normal = await stack.query('police.officer', NORMAL, { id: householdId });
      expect(normal.errors).toBeUndefined();
      expect(normal.data.household.id).toBe(householdId);
    });

    it('an operation over budget names its estimate, the budget and the most expensive paths', async () => {
      const answer = await send(HOSTILE.find((h) => h.code === 'OPERATION_TOO_EXPENSIVE')!.body());
      const ext = answer.body.errors![0].extensions!;
      expect(ext.maxCost).toBe(25_000);
      expect(ext.estimatedCost).toBeGreaterThan(ext.maxCost);
      expect(ext.paths[0].path).toBe('households.edges.node.members.courtCases.hearings');
      expect(answer.body.errors![0].message).toMatch(/estimated to cost \d+, over your budget of 25000/);
    });

    it('introspection and field suggestions are off in production', async () => {
      await stack.withGateway({ production: true }, async (prod) => {
        const before = subgraphCalls();
        const intro = await send({ query: '{ __schema { types { name } } }' }, prod.url);
        expect(intro.status).toBe(400);
        expect(intro.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
        const typo = await send({ query: `{ househol(id: "${householdId}") { id } }` }, prod.url);
        expect(typo.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(typo.body.errors![0].message).not.toMatch(/Did you mean/);
        expect(subgraphCalls()).toBe(before);
        const normal = await send({ query: NORMAL, variables: { id: householdId } }, prod.url);
        expect(normal.body.data.household.id).toBe(householdId);
      });
      // In development the suggestion helps the person typing.
      const dev = await send({ query: `{ househol(id: "${householdId}") { id } }` });
      expect(dev.body.errors![0].message).toMatch(/Did you mean "household"/);
    });

    it('reports the estimate in extensions.cost outside production', async () => {
      const normal = await send({ query: NORMAL, variables: { id: householdId } });
      expect(normal.body.data.household.id).toBe(householdId);
      expect((normal.body as any).extensions.cost).toEqual({ estimated: expect.any(Number), budget: 25_000, mode: 'enforce' });
    });

    it('in measure mode serves the operation over budget and reports its estimate', async () => {
      await stack.withGateway({ limits: { cost: { mode: 'measure', defaultBudget: 10 } } }, async (measuring) => {
        const answer = await send({ query: NORMAL, variables: { id: householdId } }, measuring.url);
        expect(answer.body.errors).toBeUndefined();
        expect((answer.body as any).extensions.cost).toMatchObject({ budget: 10, mode: 'measure' });
        expect((answer.body as any).extensions.cost.estimated).toBeGreaterThan(10);
      });
    });

    it('lists its limits in /health', async () => {
      const health = (await (await fetch(new URL('/health', stack.gateway.url))).json()) as any;
      expect(health.limits.operation.maxDepth).toBe(10);
      expect(health.limits.cost.budgets.analyst).toBe(50_000);
      expect(health.limits.rate).toEqual({ perSecond: 50, burst: 100, maxInFlight: 16, maxCostInFlight: 60_000, refusalDelayMs: 1000 });
    });

    afterAll(() => {
      // The figures the issue asks for, in the test output.
      console.log(`refusal times (ms):\n${timings.map((t) => `  ${t.ms.toFixed(1).padStart(7)}  ${t.name}`).join('\n')}`);
    });
  });

  describe('the same operations sent straight to a subgraph', () => {
    const direct = HOSTILE.filter((h) => h.subgraph);

    it.each(direct.map((h) => [h.name, h] as const))('%s: refused by the registry subgraph itself', async (_name, h) => {
      const answer = await send(h.body(), stack.registry.url);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe(h.subgraph!.code);
      expect(answer.status).toBe(h.subgraph!.status);
    });

    it('the registry refuses what it cannot afford before executing it, and its heap stays bounded through the hostile batch', async () => {
      const retained = () => {
        gc();
        return process.memoryUsage().heapUsed;
      };
      const before = retained();
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
      // 10 aliased banner-wide pages, each nested through the household cycle: about 64,000
      // residents if executed in full (10 s of the registry's time here); refused on its estimate.
      const page = (i: number) => `p${i}: households(divisionCode: "150624", first: 100) { edges { node { members { household { members { household { members { id } } } } } } } }`;
      const started = performance.now();
      const answer = await send({ query: `{ ${Array.from({ length: 10 }, (_, i) => page(i)).join(' ')} }` }, stack.registry.url, 'judge');
      const ms = performance.now() - started;
      expect(answer.status).toBe(400);
      expect(answer.body.errors![0].extensions).toMatchObject({ code: 'OPERATION_TOO_EXPENSIVE', maxCost: 250_000 });
      expect(answer.body.errors![0].message).toMatch(/over this service's limit per request of 250000/);
      for (let round = 0; round < 3; round++) for (const h of direct) await send(h.body(), stack.registry.url);
      clearInterval(sampler);
      const after = retained();
      const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
      console.log(`registry's refusal on its estimate: ${ms.toFixed(0)} ms; heap: peak ${mb(peak - before)} MB above the start, ${mb(after - before)} MB retained after the hostile batch`);
      // The whole stack shares this process's heap: the peak bounds what the refusal allocated on
      // its way to the cap (the issue's query exhausted a 4 GB heap), the rest what stays behind.
      expect(peak - before).toBeLessThan(256 * 1024 * 1024);
      expect(after - before).toBeLessThan(16 * 1024 * 1024);
      const normal = await send({ query: `query($id: ID!) { household(id: $id) { id members { id } } }`, variables: { id: householdId } }, stack.registry.url);
      expect(normal.body.errors ?? []).toEqual([]);
      expect(normal.body.data.household.members.length).toBeGreaterThan(0);
    });
  });

  describe('rate limits and concurrency caps per caller', () => {
    it('answers 429 with Retry-After past a caller’s burst, while another caller is served', async () => {
      await stack.withGateway({ limits: { rate: { perSecond: 0.2, burst: 3, maxInFlight: 16, refusalDelayMs: 400 } } }, async (limited) => {
        const answers = [];
        const took: number[] = [];
        for (let i = 0; i < 4; i++) {
          const started = performance.now();
          answers.push(await send({ query: NORMAL, variables: { id: householdId } }, limited.url));
          took.push(performance.now() - started);
        }
        expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
        const refused = answers[3];
        expect(refused.status).toBe(429);
        // The refusal is held (a script answering every 429 at once slows down to one a hold).
        expect(took[3]).toBeGreaterThanOrEqual(390);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(refused.body.errors![0].extensions!.code).toBe('RATE_LIMITED');
        expect(refused.body.errors![0].message).toMatch(/at most 0.2 a second/);
        const other = await send({ query: `{ judges { id } }` }, limited.url, 'judge');
        expect(other.status).toBe(200);
        // Unauthenticated callers are limited by address (after 3, 429 rather than 401).
        const anonymous = [];
        for (let i = 0; i < 4; i++) anonymous.push((await stack.query({}, '{ judges { id } }', undefined, { url: limited.url })).status);
        expect(anonymous).toEqual([401, 401, 401, 429]);
      });
    });

    it('caps a caller’s operations in flight', async () => {
      await stack.withGateway({ limits: { rate: { perSecond: 1000, burst: 1000, maxInFlight: 2 } } }, async (limited) => {
        const answers = await Promise.all(Array.from({ length: 8 }, () => send({ query: NORMAL, variables: { id: householdId } }, limited.url)));
        const statuses = answers.map((a) => a.status);
        expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
        expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
        expect(answers.find((a) => a.status === 429)!.body.errors![0].message).toMatch(/at most 2 of yours/);
      });
    });

    it('caps the estimated cost of a caller’s operations in flight', async () => {
      // NORMAL is estimated at 121: with 150 in flight, one runs at a time.
      await stack.withGateway({ limits: { rate: { perSecond: 1000, burst: 1000, maxInFlight: 16, maxCostInFlight: 150 } } }, async (limited) => {
        const answers = await Promise.all(Array.from({ length: 6 }, () => send({ query: NORMAL, variables: { id: householdId } }, limited.url)));
        expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
        const refused = answers.find((a) => a.status === 429);
        expect(refused?.body.errors![0].extensions!.code).toBe('RATE_LIMITED');
        expect(refused?.body.errors![0].message).toMatch(/estimated at 121, and this one at 121, over 150 together/);
        const after = await send({ query: NORMAL, variables: { id: householdId } }, limited.url);
        expect(after.status).toBe(200);
      });
    });
  });
});

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
 * outside the caller's view answer null, as for ids that do not exist. Then the peer client.
 */
describe('no existence leaks', () => {
  const GRID = '150624100001001'; // the demo grid worker's grid
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
});
