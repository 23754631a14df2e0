import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { decodeClaims, startStack, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';
import {
  ASSERTION_HEADER, ASSERTION_ISSUER, bodyHash, SERVICE_AUTHORIZATION_HEADER, ServiceToken, type SubgraphName, SUBGRAPHS,
} from '@anmulong/platform';
import type { AccessModels } from '@anmulong/access';

/*
 * The gateway is the only door to personal data (issue 16, item 4): on the real stack with the
 * demo data, every subgraph refuses a user's token alone, and every bad assertion; the gateway's
 * own calls, the platform's peer look-ups, policy polling and the access log keep working.
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
