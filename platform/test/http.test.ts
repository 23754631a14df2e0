import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { GraphQLError } from 'graphql';
import { createLogger } from '../src/logger';
import { serveGraphQL, type RunningService } from '../src/http';

/*
 * The HTTP edge every service shares (platform/src/http.ts): `/graphql` on node:http, the rest
 * (here `/health`) on express. A real server on an ephemeral port, spoken to with fetch.
 */
let service: RunningService;
const seen: { requestId: string; authorization?: string }[] = [];

beforeAll(async () => {
  service = await serveGraphQL<{ requestId: string }>({
    name: 'http-test',
    log: createLogger('http-test', 'silent'),
    apollo: {
      typeDefs: `type Query { hello(name: String!): String! requestId: String! }`,
      resolvers: {
        Query: {
          hello: (_: unknown, { name }: { name: string }) => `hello ${name}`,
          requestId: (_: unknown, __: unknown, ctx: { requestId: string }) => ctx.requestId,
        },
      },
    },
    context: async (req, requestId) => {
      seen.push({ requestId, authorization: req.headers.authorization });
      if (req.headers.authorization === 'Bearer refuse-me') {
        throw new GraphQLError('Your role must state why it reads this data', { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
      }
      return { requestId };
    },
    health: async () => ({ ok: true }),
  });
});

afterAll(async () => {
  await service?.close();
});

const post = (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(service.url, { method: 'POST', headers, body });

describe('/graphql', () => {
  it('answers a POST with JSON, echoing a well-formed request id and passing headers to the context', async () => {
    seen.length = 0;
    const res = await post(JSON.stringify({ query: 'query($n: String!) { hello(name: $n) requestId }', variables: { n: 'Otog' } }), {
      'content-type': 'application/json; charset=utf-8',
      'x-request-id': 'trace-42',
      authorization: 'Bearer abc',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ data: { hello: 'hello Otog', requestId: 'trace-42' } });
    expect(seen).toEqual([{ requestId: 'trace-42', authorization: 'Bearer abc' }]);
  });

  it('gives a fresh request id when the one sent is not well formed', async () => {
    const res = await post(JSON.stringify({ query: '{ requestId }' }), { 'content-type': 'application/json', 'x-request-id': 'bad id\twith tab' });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as any).data.requestId).toBe(id);
  });

  it('answers a GET query (with the CSRF-prevention header) and refuses one without it (CSRF prevention)', async () => {
    const ok = await fetch(`${service.url}?query=${encodeURIComponent('{ hello(name: "GET") }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { hello: 'hello GET' } });
    const csrf = await fetch(`${service.url}?query=${encodeURIComponent('{ hello(name: "GET") }')}`);
    expect(csrf.status).toBe(400);
  });

  it('refuses a body that is not JSON with 400 and a GraphQL-shaped error, without running anything', async () => {
    seen.length = 0;
    const res = await post('{"query": "{ hello(name: \\"x\\") }"');
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).toMatch(/not valid JSON/);
    expect(seen).toEqual([]);
  });

  it('refuses a body over 1 MB with 413 and closes the connection, declared or not', async () => {
    const res = await post(JSON.stringify({ query: '{ hello(name: "x") }', variables: { pad: 'x'.repeat(1024 * 1024) } }));
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(((await res.json()) as any).errors[0].message).toMatch(/larger than 1 MB/);
    // Chunked (no Content-Length), still streaming when refused: the answer comes, then the socket closes.
    const u = new URL(service.url);
    const answer = await new Promise<{ status?: number; closed: boolean }>((resolve, reject) => {
      const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (r) => {
        r.resume();
        r.socket.once('close', () => resolve({ status: r.statusCode, closed: true }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let i = 0; i < 24; i++) req.write(chunk); // 1.5 MB, never ended
    });
    expect(answer).toEqual({ status: 413, closed: true });
  });

  it('keeps the status a refusing context gives (e.g. 400 for a missing purpose)', async () => {
    const res = await post(JSON.stringify({ query: '{ hello(name: "x") }' }), { 'content-type': 'application/json', authorization: 'Bearer refuse-me' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0]).toMatchObject({ message: 'Your role must state why it reads this data', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('answers /graphql/ and /GraphQL as express did', async () => {
    const base = service.url.replace(/\/graphql$/, '');
    for (const p of ['/graphql/', '/GraphQL']) {
      const res = await fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello(name: "path") }' }) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: { hello: 'hello path' } });
    }
  });

  it('refuses compressed bodies with 415 and other content types through CSRF prevention (400)', async () => {
    const gz = await post(gzipSync(JSON.stringify({ query: '{ hello(name: "x") }' })), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(gz.status).toBe(415);
    seen.length = 0;
    const text = await post(JSON.stringify({ query: '{ hello(name: "x") }' }), { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    expect(seen).toEqual([]);
  });

  it('leaves other paths to express: /health answers, an unknown path is 404', async () => {
    const base = service.url.replace(/\/graphql$/, '');
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ service: 'http-test', status: 'ok' });
    expect((await fetch(`${base}/graphqlx`)).status).toBe(404);
  });
});
