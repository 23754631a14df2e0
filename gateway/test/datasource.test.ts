import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PooledDataSource } from '../src/datasource';

/*
 * The gateway's subgraph client against a real HTTP server that answers like a subgraph would:
 * merging per tick, sharing identical calls in flight, error semantics of RemoteGraphQLDataSource.
 */

interface Seen {
  body: { query: string; variables?: Record<string, unknown> };
  headers: http.IncomingHttpHeaders;
}

let server: http.Server;
let url: string;
const seen: Seen[] = [];
let reply: (body: Seen['body']) => { status?: number; json: unknown } = () => ({ json: { data: {} } });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const body = JSON.parse(text) as Seen['body'];
      seen.push({ body, headers: req.headers });
      const { status = 200, json } = reply(body);
      // A little later, so concurrent identical calls overlap.
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      }, 20);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => (seen.length = 0));

type Ctx = { authorization: string; requestId: string };
const source = (opts: { batch?: boolean; dedupe?: boolean } = {}) =>
  new PooledDataSource<Ctx>({ url, headers: (c) => ({ authorization: c.authorization, 'x-request-id': c.requestId }), ...opts });
const call = (ds: PooledDataSource<Ctx>, context: Ctx, query: string, variables?: Record<string, unknown>) =>
  ds.process({ kind: 'HEALTH_CHECK', request: { query, variables }, context } as never);

it('merges the queries of one request in the same tick into one call and splits data and errors back', async () => {
  reply = (body) => {
    expect(body.query).toContain('_0_a: _entities(representations: $_0_r)');
    expect(body.query).toContain('_1_b: resident(id: $_1_id)');
    return {
      json: {
        data: { _0_a: [{ id: '1' }], _1_b: null },
        errors: [{ message: 'no', path: ['_1_b'], extensions: { code: 'FORBIDDEN' } }],
      },
    };
  };
  const ds = source();
  const ctx = { authorization: 'Bearer t', requestId: 'r1' };
  const [a, b] = await Promise.all([
    call(ds, ctx, 'query($r: [_Any!]!) { a: _entities(representations: $r) { ... on X { id } } }', { r: [1] }),
    call(ds, ctx, 'query Q($id: ID!) { b: resident(id: $id) { ...F } } fragment F on Resident { id }', { id: '7' }),
  ]);
  expect(seen).toHaveLength(1);
  expect(seen[0].body.variables).toEqual({ _0_r: [1], _1_id: '7' });
  expect(seen[0].body.query).toContain('fragment _1_F on Resident');
  expect(a).toEqual({ data: { a: [{ id: '1' }] } });
  expect(b).toEqual({ data: { b: null }, errors: [{ message: 'no', path: ['b'], extensions: { code: 'FORBIDDEN' } }] });
});

it('shares one call among identical queries in flight with the same token, whatever the request id; each gets its own copy', async () => {
  reply = () => ({ json: { data: { r: { id: '1' } } } });
  const ds = source({ batch: false });
  const q = '{ r: resident(id: "1") { id } }';
  const [x, y] = await Promise.all([
    call(ds, { authorization: 'Bearer t', requestId: 'r1' }, q),
    call(ds, { authorization: 'Bearer t', requestId: 'r2' }, q),
  ]);
  expect(seen).toHaveLength(1);
  expect(x).toEqual(y);
  expect(x).not.toBe(y);
  (x.data as { r: { id: string } }).r.id = 'changed';
  expect((y.data as { r: { id: string } }).r.id).toBe('1');

  // Another token, or a mutation, is never shared.
  await Promise.all([call(ds, { authorization: 'Bearer t', requestId: 'r3' }, q), call(ds, { authorization: 'Bearer u', requestId: 'r4' }, q)]);
  const m = 'mutation { m }';
  await Promise.all([call(ds, { authorization: 'Bearer t', requestId: 'r5' }, m), call(ds, { authorization: 'Bearer t', requestId: 'r6' }, m)]);
  expect(seen).toHaveLength(5);
});

it('keeps RemoteGraphQLDataSource error semantics for non-2xx answers', async () => {
  reply = () => ({ status: 401, json: { errors: [{ message: 'who are you', extensions: { code: 'UNAUTHENTICATED' } }] } });
  const ds = source();
  await expect(call(ds, { authorization: 'Bearer bad', requestId: 'r1' }, '{ a }')).rejects.toMatchObject({
    message: '401: Unauthorized',
    extensions: { code: 'UNAUTHENTICATED', response: { status: 401 } },
  });
  expect(seen[0].headers.authorization).toBe('Bearer bad');
  expect(seen[0].headers['x-request-id']).toBe('r1');
});
