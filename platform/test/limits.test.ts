import { buildSchema, parse, type GraphQLObjectType } from 'graphql';
import { createLogger } from '../src/logger';
import { serveGraphQL, type RunningService } from '../src/http';
import { budgetResolvers, checkDocument, checkVariables, operationLimits, OperationGuard, type RequestBudget } from '../src/limits';

/*
 * The limits every service applies (platform/src/limits.ts): structural checks on documents, and
 * per-request objects, bytes and deadline on a real server (node:http + Apollo Server), whose
 * resolvers are counted to show work stops once a request is refused.
 */

const limits = operationLimits({}, {});

/** Items, each with a 100-character text, cheap links and a link that takes 100 ms (counted). */
function itemsSchema(calls: { next: number }) {
  const schema = buildSchema(`type Query { items(n: Int!): [Item!]! } type Item { n: Int! text: String! next: Item twin: Item slow: Item }`);
  const item = (schema.getType('Item') as GraphQLObjectType).getFields();
  schema.getQueryType()!.getFields().items.resolve = (_s, { n }: { n: number }) => Array.from({ length: n }, (_, i) => ({ n: i }));
  item.text.resolve = () => 'x'.repeat(100);
  item.next.resolve = (s: { n: number }) => ({ n: s.n + 1 });
  item.twin.resolve = (s: { n: number }) => ({ n: s.n });
  item.slow.resolve = async (s: { n: number }) => {
    calls.next++;
    await new Promise((r) => setTimeout(r, 100));
    return { n: s.n + 1 };
  };
  return schema;
}
const check = (q: string) => checkDocument(parse(q), limits);

describe('structural limits', () => {
  it('passes the README’s real operations with margin', () => {
    expect(check(`query { households(divisionCode: "150624101", first: 3) { totalCount edges { node { address members { name { zh mn } relationToHead helpRequests { category status reportedAt } } } } } }`)).toBeNull();
    expect(check(`query { resident(id: "a") { name { zh mn } helpRequests { category reportedAt dispute { stage status steps { stage outcome } courtCase { caseNumber status judge { name { zh } languages } hearings { date mode } } } } } }`)).toBeNull();
  });

  it('refuses depth, aliases, root fields, fields and directives, saying which and by how much', () => {
    const deep = check(`{ a ${'{ b '.repeat(11)}${'}'.repeat(11)} }`);
    expect(deep?.extensions).toMatchObject({ code: 'OPERATION_TOO_COMPLEX', limit: 'maxDepth', max: 10, actual: 12 });
    expect(check(`{ ${Array.from({ length: 51 }, (_, i) => `a${i}: x`).join(' ')} }`)?.extensions).toMatchObject({ limit: 'maxAliases', actual: 51 });
    expect(check(`{ ${Array.from({ length: 21 }, (_, i) => `f${i}`).join(' ')} }`)?.extensions).toMatchObject({ limit: 'maxRootFields', actual: 21 });
    expect(check(`{ x ${'@a '.repeat(6)} }`)?.extensions).toMatchObject({ limit: 'maxDirectivesPerField', actual: 6 });
    // Fan-out: each fragment spreads the next 10 times; measured without expanding it.
    const fan = `{ a { ...F0 } } ` + Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { x ${i < 29 ? `...F${i + 1} `.repeat(10) : ''} }`).join(' ');
    const started = performance.now();
    expect(check(fan)?.extensions).toMatchObject({ limit: 'maxFields' });
    expect(performance.now() - started).toBeLessThan(100);
    expect(check(`{ ...A } fragment A on Query { x { ...B } } fragment B on X { y { ...A } }`)?.extensions).toMatchObject({ limit: 'fragmentCycle' });
  });

  it('does not count introspection’s depth (GraphiQL’s own query nests 13 levels)', () => {
    expect(check(`{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }`)).toBeNull();
  });

  it('stops parsing at the token limit, and remembers verdicts per query text', () => {
    const guard = new OperationGuard(operationLimits({ maxTokens: 100 }, {}));
    const long = `{ ${'x '.repeat(200)} }`;
    expect(guard.check(long).error?.extensions).toMatchObject({ code: 'OPERATION_TOO_COMPLEX', limit: 'maxTokens', max: 100 });
    expect(guard.check(long)).toBe(guard.check(long));
    expect(guard.check('{ x').error).toBeUndefined(); // a syntax error is Apollo Server's to answer
  });

  it('refuses deep variables and control characters in them', () => {
    expect(checkVariables({ a: { b: { c: 1 } } }, limits)).toBeNull();
    expect(checkVariables(JSON.parse('{"a":'.repeat(20) + '1' + '}'.repeat(20)), limits)?.extensions).toMatchObject({ limit: 'maxInputDepth' });
    expect(checkVariables({ list: ['ok', 'bad\u0000'] }, limits)?.message).toMatch(/variable list\.1 contains a control character/);
  });
});

describe('per-request budget on a real server', () => {
  let service: RunningService;
  const calls = { next: 0 };

  beforeAll(async () => {
    const schema = itemsSchema(calls);
    budgetResolvers(schema);
    service = await serveGraphQL<{ budget?: RequestBudget }>({
      name: 'limits-test',
      log: createLogger('limits-test', 'silent'),
      apollo: { schema },
      execution: { maxObjects: 500, maxResponseBytes: 20_000, deadlineMs: 300 },
      context: async (_req, _id, _at, { budget }) => ({ budget: budget ?? undefined }),
      health: async () => ({ ok: true }),
    });
  });

  afterAll(async () => {
    await service?.close();
  });

  const post = async (query: string) => {
    const res = await fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('answers within the limits as usual', async () => {
    const { body } = await post('{ items(n: 10) { n } }');
    expect(body.data.items).toHaveLength(10);
  });

  it('refuses a request that resolves more objects than allowed', async () => {
    const { body } = await post('{ items(n: 200) { n next { n } twin { n } } }');
    expect(body.errors[0].extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', limit: 'maxObjects', max: 500 });
  });

  it('refuses an answer larger than its byte limit', async () => {
    const { body } = await post('{ items(n: 300) { text } }');
    expect(body.data ?? null).toBeNull();
    expect(body.errors[0].extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', limit: 'maxResponseBytes', max: 20_000 });
  });

  it('answers at the deadline and stops calling resolvers', async () => {
    calls.next = 0;
    const started = performance.now();
    // Each `slow` level waits 100 ms: 8 levels would take 800 ms.
    const { body } = await post(`{ items(n: 1) { ${'slow { '.repeat(8)} n ${'}'.repeat(8)} } }`);
    const ms = performance.now() - started;
    expect(body.errors[0].extensions).toMatchObject({ code: 'DEADLINE_EXCEEDED', max: 300 });
    expect(ms).toBeLessThan(900);
    const atAnswer = calls.next;
    await new Promise((r) => setTimeout(r, 400));
    // At most the level already running finishes; nothing below it starts.
    expect(calls.next - atAnswer).toBeLessThanOrEqual(1);
    expect(calls.next).toBeLessThan(6);
  });
});
