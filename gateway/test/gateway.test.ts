import { loadOrCreateSigningKey, signJwt } from '@anmulong/identity';
import { startStack, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';
import { parseServerTiming } from '../src/timing';
import { operationCacheHits } from '../src/operation-cache';

/*
 * The walking skeleton end to end: real docstore over TCP, real RS256 tokens from the development
 * identity provider, registry + police subgraphs and the gateway on ephemeral ports.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const HOUSEHOLDS_WITH_HELP = /* GraphQL */ `
  query HouseholdsWithHelp($code: String!) {
    households(divisionCode: $code, first: 5) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id address division { code name { zh } level }
        head { id name { zh } }
        members { id name { zh mn } relationToHead helpRequests { id category status reportedAt } } } }
    }
  }`;

describe('one query through the gateway', () => {
  it('returns households with their members and the members’ help requests (registry + police)', async () => {
    const res = await stack.query('police.officer', HOUSEHOLDS_WITH_HELP, { code: '150624101' });
    expect(res.errors).toBeUndefined();
    const conn = res.data.households;
    expect(conn.totalCount).toBeGreaterThan(5);
    expect(conn.edges).toHaveLength(5);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    for (const { node } of conn.edges) {
      expect(node.division.code.startsWith('150624101')).toBe(true);
      expect(node.members.length).toBeGreaterThan(0);
      expect(node.members.map((m: { id: string }) => m.id)).toContain(node.head.id);
    }
    // Help requests come from the police subgraph, joined on the resident entity.
    const { data } = await stack.query('police.officer', `query { helpRequests(divisionCode: "150624101", first: 50) { edges { node { id resident { id name { zh } household { id } } } } } }`);
    const withResident = data.helpRequests.edges.map((e: any) => e.node).filter((n: any) => n.resident);
    expect(withResident.length).toBeGreaterThan(0);
    const resident = withResident[0].resident;
    const back = await stack.query('police.officer', `query($id: ID!) { resident(id: $id) { id helpRequests { id } } }`, { id: resident.id });
    expect(back.data.resident.helpRequests.map((h: { id: string }) => h.id)).toContain(withResident[0].id);
  });

  it('pages with cursors without repeating or skipping', async () => {
    const q = `query($after: String) { residents(divisionCode: "150624101", first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`;
    const seen = new Set<string>();
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 4; page++) {
      const { data }: { data?: any } = await stack.query("police.officer", q, { after });
      total = data.residents.totalCount;
      for (const e of data.residents.edges) {
        expect(seen.has(e.node.id)).toBe(false);
        seen.add(e.node.id);
      }
      after = data.residents.pageInfo.endCursor;
    }
    expect(seen.size).toBe(Math.min(28, total));
  });

  it('scopes lists to the caller’s jurisdiction in the query: counts reveal nothing outside', async () => {
    const outside = await stack.query('police.officer', `query { residents(divisionCode: "150624102") { totalCount edges { node { id } } } }`);
    expect(outside.data.residents).toEqual({ totalCount: 0, edges: [] });
    const inside = await stack.query('caseworker', `query { residents(divisionCode: "150624102") { totalCount } }`);
    expect(inside.data.residents.totalCount).toBeGreaterThan(0);
  });
});

describe('the federation Operation, memoised per document (operation-cache.ts)', () => {
  it('is built once for a repeated query and the answers are the same', async () => {
    const first = await stack.query('police.officer', HOUSEHOLDS_WITH_HELP, { code: '150624101' });
    const hits = operationCacheHits();
    const again = await stack.query('police.officer', HOUSEHOLDS_WITH_HELP, { code: '150624101' });
    expect(operationCacheHits()).toBe(hits + 1);
    expect(again).toEqual(first);
    // Variables are applied per request, not baked into the memoised Operation.
    const grid: string = first.data.households.edges[0].node.division.code;
    const other = await stack.query('police.officer', HOUSEHOLDS_WITH_HELP, { code: grid });
    expect(operationCacheHits()).toBe(hits + 2);
    expect(other.data.households.edges.length).toBeGreaterThan(0);
    expect(other.data.households.edges.every((e: any) => e.node.division.code === grid)).toBe(true);
    expect(other.data.households.totalCount).toBeLessThan(first.data.households.totalCount);
  });

  it('keeps the operations of one document apart: the same text run as A, then as B', async () => {
    const both = `query A($code: String!) { households(divisionCode: $code, first: 2) { edges { node { id } } } }
      query B($code: String!) { households(divisionCode: $code, first: 3) { edges { node { address } } } }`;
    const res = async (operationName: string) => {
      const r = await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token('police.officer')}` },
        body: JSON.stringify({ query: both, operationName, variables: { code: '150624101' } }),
      });
      return ((await r.json()) as any).data.households.edges.map((e: any) => Object.keys(e.node));
    };
    for (let i = 0; i < 2; i++) {
      expect(await res('A')).toEqual([['id'], ['id']]);
      expect(await res('B')).toEqual([['address'], ['address'], ['address']]);
    }
  });
});

describe('Server-Timing', () => {
  const post = async (url: string, query: string, variables = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token('police.officer')}` },
      body: JSON.stringify({ query, variables }),
    });

  it('says where a request spent its time in the gateway, access-log write included', async () => {
    const res = await post(stack.gateway.url, HOUSEHOLDS_WITH_HELP, { code: '150624101' });
    expect(res.status).toBe(200);
    const t = parseServerTiming(res.headers.get('server-timing'));
    expect(Object.keys(t).sort()).toEqual(['audit', 'plan', 'request', 'shape', 'subgraphs', 'total']);
    for (const v of Object.values(t)) expect(v).toBeGreaterThanOrEqual(0);
    // The phases follow one another; the access-log write starts at the last subgraph answer,
    // alongside shaping, and is on disk before the answer leaves.
    expect(t.request + t.plan + t.subgraphs + t.shape).toBeLessThanOrEqual(t.total + 0.06); // rounding
    expect(t.request + t.plan + t.subgraphs + t.audit).toBeLessThanOrEqual(t.total + 0.06);
    expect(t.subgraphs).toBeGreaterThan(0);
  });

  it('starts the access-log write when the last subgraph answers, before the response is assembled', async () => {
    /** For each operation: had its entry's write started when execution (shaping included) ended? */
    const startedBeforeShaped: Record<string, boolean> = {};
    const options = {
      plugins: [{
        async requestDidStart() {
          return {
            async executionDidStart({ operationName, contextValue }) {
              return {
                async executionDidEnd() {
                  startedBeforeShaped[operationName ?? ''] = Boolean(contextValue.timing?.audit);
                },
              };
            },
          };
        },
      }],
    } satisfies Parameters<Stack['withGateway']>[0];
    await stack.withGateway(options, async (gw) => {
      // Two dependent stages (households, then their help requests from police).
      const res = await post(gw.url, HOUSEHOLDS_WITH_HELP, { code: '150624101' });
      expect(res.status).toBe(200);
      expect(startedBeforeShaped.HouseholdsWithHelp).toBe(true);
      expect(parseServerTiming(res.headers.get('server-timing')).audit).toBeGreaterThan(0);
      // Started early, the entry is still whole: it has the second stage's (police's) part too.
      const member = ((await res.json()) as any).data.households.edges[0].node.members[0];
      await gw.flushAccessLog();
      const log = await stack.query('auditor', `query($id: ID!) { accessLog(residentId: $id, first: 100) { edges { node { operationName residentIds fields } } } }`, { id: member.id });
      const entry = log.data.accessLog.edges.map((e: any) => e.node).findLast((n: any) => n.operationName === 'HouseholdsWithHelp');
      expect(entry.residentIds).toContain(member.id);
      expect(entry.fields).toEqual(expect.arrayContaining(['Household.address', 'Resident.name', 'Resident.helpRequests']));
      // A branch of the plan not taken (@include false): its fetch never runs, so the entry is
      // written after shaping instead, and still before the answer.
      const partly = await post(gw.url, HOUSEHOLDS_WITH_HELP.replace('HouseholdsWithHelp($code: String!)', 'HouseholdsMaybeHelp($code: String!, $help: Boolean!)').replace('helpRequests {', 'helpRequests @include(if: $help) {'), { code: '150624101', help: false });
      expect(partly.status).toBe(200);
      expect(((await partly.json()) as any).data.households.edges[0].node.members[0].helpRequests).toBeUndefined();
      expect(startedBeforeShaped.HouseholdsMaybeHelp).toBe(false);
      expect(parseServerTiming(partly.headers.get('server-timing')).audit).toBeGreaterThan(0);
    });
  });

  it('serves nothing (503) when the entry cannot be written, also when its write starts before shaping', async () => {
    // A backlog bound of 0: every entry is refused, as when the access service has been away too long.
    await stack.withGateway({ accessLog: { maxBacklog: 0 } }, async (gw) => {
      const res = await post(gw.url, HOUSEHOLDS_WITH_HELP, { code: '150624101' });
      expect(res.status).toBe(503);
      const body = (await res.json()) as any;
      expect(body.data).toBeUndefined();
      expect(JSON.stringify(body)).not.toMatch(/150624101/);
      expect(body.errors[0].message).toMatch(/could not be recorded in the access log/);
    });
  });

  it('has no audit part when nothing personal was served', async () => {
    const res = await post(stack.gateway.url, `query { division(code: "150624101") { name { zh } } }`);
    expect(Object.keys(parseServerTiming(res.headers.get('server-timing'))).sort()).toEqual(['plan', 'request', 'shape', 'subgraphs', 'total']);
  });

  it('is off in production unless asked for', async () => {
    await stack.withGateway({ production: true }, async (prod) => {
      const res = await post(prod.url, HOUSEHOLDS_WITH_HELP, { code: '150624101' });
      expect(res.status).toBe(200);
      expect(res.headers.get('server-timing')).toBeNull();
    });
  });
});

describe('authentication', () => {
  const QUERY = `query { division(code: "150624") { code } }`;

  async function forged(overrides: Record<string, unknown>, alg: 'RS256' | 'none' = 'RS256'): Promise<string> {
    const good = await stack.token('police.officer');
    const claims = { ...JSON.parse(Buffer.from(good.split('.')[1], 'base64url').toString()), ...overrides };
    const key = await loadOrCreateSigningKey(stack.identityDataDir);
    if (alg === 'none') {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    }
    return signJwt(key, claims);
  }

  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => Promise<string | undefined>][] = [
    ['missing', async () => undefined],
    ['not a bearer token', async () => 'Basic cG9saWNlLm9mZmljZXI6YW5tdWxvbmc='],
    ['expired', async () => `Bearer ${await forged({ exp: now() - 60, iat: now() - 400 })}`],
    ['tampered', async () => {
      const t = await stack.token('police.officer');
      const [h, p, s] = t.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      claims.jurisdiction = '150624';
      return `Bearer ${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    }],
    ['alg none', async () => `Bearer ${await forged({}, 'none')}`],
    ['wrong issuer', async () => `Bearer ${await forged({ iss: 'http://evil.example/realms/otog' })}`],
    ['wrong audience', async () => `Bearer ${await forged({ aud: 'account', azp: 'other-client' })}`],
  ];

  it.each(cases)('%s token: HTTP 401 UNAUTHENTICATED at the gateway and directly at each subgraph', async (_name, make) => {
    const authorization = await make();
    for (const url of [stack.gateway.url, stack.registry.url, stack.police.url]) {
      const res = await stack.query({ authorization }, QUERY.replace('division(code: "150624") { code }', url === stack.police.url ? 'helpRequests(divisionCode: "150624") { totalCount }' : 'division(code: "150624") { code }'), {}, { url });
      expect(res.status).toBe(401);
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(res.data ?? null).toBeNull();
    }
  });

  it('a valid token is served at the gateway and directly at a subgraph', async () => {
    const viaGateway = await stack.query('police.officer', QUERY);
    expect(viaGateway.status).toBe(200);
    expect(viaGateway.data.division.code).toBe('150624');
    const direct = await stack.query('police.officer', QUERY, {}, { url: stack.registry.url });
    expect(direct.data.division.code).toBe('150624');
  });
});

describe('DataLoader keeps store work flat', () => {
  async function commandsFor(householdId: string): Promise<number> {
    stack.docstore.resetCounters();
    const res = await stack.query('gridworker', `query($id: ID!) { household(id: $id) { id members { id name { zh } household { id } division { code name { zh } } helpRequests { id } } } }`, { id: householdId });
    expect(res.errors).toBeUndefined();
    const c = stack.docstore.counters();
    return Object.entries(c.byDb)
      // Only the databases this query reads (policy polling touches the access store meanwhile).
      .filter(([db]) => db === 'anmulong_registry' || db === 'anmulong_police')
      .reduce((sum, [, cmds]) => sum + Object.values(cmds).reduce((a, b) => a + b, 0), 0);
  }

  it('a household of 8 members costs the same number of store commands as a household of 2', async () => {
    const { Household, Resident } = stack.registry.models;
    const grid = '150624100001001';
    const sizes = await Resident.aggregate<{ _id: unknown; n: number }>([
      { $match: { divisionCode: grid, householdId: { $ne: null } } },
      { $group: { _id: '$householdId', n: { $sum: 1 } } },
    ]);
    const big = sizes.find((s) => s.n >= 8);
    const small = sizes.find((s) => s.n === 2);
    expect(big && small).toBeTruthy();
    expect(await Household.countDocuments({ _id: { $in: [big!._id, small!._id] } })).toBe(2);
    const bigCost = await commandsFor(String(big!._id));
    const smallCost = await commandsFor(String(small!._id));
    expect(bigCost).toBeGreaterThan(0);
    expect(bigCost).toBe(smallCost);
  });
});
