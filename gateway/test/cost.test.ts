import { readFileSync } from 'node:fs';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { CostEstimator, readCostDirectives } from '@anmulong/platform';
import { budgetOf, CallerLimiter, DEFAULT_COST_LIMITS, gatewayLimits } from '../src/limits';
import { SUPERGRAPH_FILE } from '../src/compose';

/* Demand control's estimate on the real supergraph, and the per-caller limiter, without servers. */

const sdl = readFileSync(SUPERGRAPH_FILE, 'utf8');
const schema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
const estimator = () => new CostEstimator(schema, readCostDirectives(sdl), 100);

function cost(query: string, variables: Record<string, unknown> = {}, e = estimator()) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  return e.estimate(document, operation, variables, true);
}

describe('the cost estimate (cost.ts)', () => {
  it('reads @listSize from the composed supergraph', () => {
    const { listSizes } = readCostDirectives(sdl);
    expect(listSizes.get('Household.members')).toEqual({ assumedSize: 10, slicingArguments: undefined, sizedFields: undefined });
    expect(listSizes.get('Query.households')).toEqual({ assumedSize: undefined, slicingArguments: ['first'], sizedFields: ['edges'] });
  });

  it('counts objects, not scalars, and multiplies lists by their assumed size', () => {
    expect(cost('{ household(id: "a") { id address } }').cost).toBe(1);
    // household 1 + members 10 × (resident 1 + name 1)
    expect(cost('{ household(id: "a") { members { id name { zh } } } }').cost).toBe(21);
  });

  it('sizes a connection by first: literal, variable, variable default, argument default', () => {
    const page = (first: string) => `query($n: Int = 7) { households(divisionCode: "150624", ${first}) { totalCount edges { node { id } } } }`;
    // connection 1 + first × (edge 1 + node 1)
    expect(cost(page('first: 50')).cost).toBe(101);
    expect(cost(page('first: $n'), { n: 30 }).cost).toBe(61);
    expect(cost(page('first: $n')).cost).toBe(15);
    expect(cost('{ households(divisionCode: "150624") { edges { node { id } } } }').cost).toBe(41);
  });

  it('reuses a document’s estimate only for the same slicing variables', () => {
    const e = estimator();
    const q = 'query($n: Int!, $code: String!) { households(divisionCode: $code, first: $n) { edges { node { id } } } }';
    const document = parse(q);
    const op = document.definitions[0] as OperationDefinitionNode;
    expect(e.estimate(document, op, { n: 10, code: '150624' }).cost).toBe(21);
    expect(e.estimate(document, op, { n: 10, code: '150624101' }).cost).toBe(21);
    expect(e.estimate(document, op, { n: 50, code: '150624' }).cost).toBe(101);
  });

  it('counts fragments where they are spread, and names the most expensive paths', () => {
    const q = `query { resident(id: "a") { ...R helpRequests { ...H } } } fragment R on Resident { courtCases { hearings { date } } } fragment H on HelpRequest { dispute { id } }`;
    const { cost: c, paths } = cost(q);
    // resident 1 + courtCases 10 × (1 + hearings 10) + helpRequests 10 × (1 + dispute 1)
    expect(c).toBe(1 + 110 + 20);
    expect(paths![0]).toEqual({ path: 'resident.courtCases.hearings', cost: 100 });
  });

  it('adds 10 per mutation root field', () => {
    expect(cost('mutation { receivePetition(id: "a") { id } }').cost).toBe(11);
  });

  it('falls back to the default list size for a list without @listSize, and honours @cost', () => {
    const sdlWithCost = `
      extend schema @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost"])
      type Query { items: [Item!]! heavy: Item @cost(weight: 50) }
      type Item { id: ID! }`;
    const plain = buildSchema('type Query { items: [Item!]! heavy: Item } type Item { id: ID! }');
    const e = new CostEstimator(plain, readCostDirectives(sdlWithCost), 7);
    const run = (q: string) => {
      const d = parse(q);
      return e.estimate(d, d.definitions[0] as OperationDefinitionNode).cost;
    };
    expect(run('{ items { id } }')).toBe(7);
    expect(run('{ heavy { id } }')).toBe(50);
  });
});

describe('budgets and limits configuration (limits.ts)', () => {
  it('gives a caller the largest budget of their roles', () => {
    expect(budgetOf(DEFAULT_COST_LIMITS, ['analyst'])).toBe(50_000);
    expect(budgetOf(DEFAULT_COST_LIMITS, ['grid-worker'])).toBe(15_000);
    expect(budgetOf(DEFAULT_COST_LIMITS, ['police-officer'])).toBe(25_000);
    expect(budgetOf(DEFAULT_COST_LIMITS, ['grid-worker', 'analyst'])).toBe(50_000);
  });

  it('takes budgets and limits from the environment, and refuses a malformed value at start', () => {
    const limits = gatewayLimits({}, false, { GATEWAY_COST_BUDGETS: 'analyst=30000,judge=12000', GATEWAY_COST_MODE: 'measure', GRAPHQL_MAX_DEPTH: '14', GATEWAY_MAX_IN_FLIGHT: '4' });
    expect(limits.cost.budgets).toEqual({ 'grid-worker': 15_000, analyst: 30_000, judge: 12_000 });
    expect(limits.cost.mode).toBe('measure');
    expect(limits.cost.report).toBe(true);
    expect(limits.operation.maxDepth).toBe(14);
    expect(limits.rate.maxInFlight).toBe(4);
    expect(gatewayLimits({}, true, {}).cost.report).toBe(false);
    expect(() => gatewayLimits({}, false, { GATEWAY_COST_BUDGETS: 'analyst:1' })).toThrow(/GATEWAY_COST_BUDGETS/);
    expect(() => gatewayLimits({}, false, { GRAPHQL_MAX_DEPTH: 'deep' })).toThrow(/GRAPHQL_MAX_DEPTH must be a positive integer/);
  });
});

describe('the per-caller limiter', () => {
  it('refills at its rate, caps bursts and operations in flight, and keeps callers apart', () => {
    let now = 0;
    const limiter = new CallerLimiter({ perSecond: 2, burst: 2, maxInFlight: 5, maxCostInFlight: 100, refusalDelayMs: 0 }, () => now);
    const a1 = limiter.admit('a');
    const a2 = limiter.admit('a');
    const a3 = limiter.admit('a');
    expect('release' in a1 && 'release' in a2).toBe(true);
    expect(a3).toEqual({ retryAfterS: 1, message: expect.stringMatching(/at most 2 a second/) });
    expect('release' in limiter.admit('b')).toBe(true);
    now = 500; // one token back
    expect('release' in limiter.admit('a')).toBe(true);
    expect('release' in limiter.admit('a')).toBe(false);
    const inFlight = new CallerLimiter({ perSecond: 100, burst: 100, maxInFlight: 1, maxCostInFlight: 100, refusalDelayMs: 0 }, () => now);
    const first = inFlight.admit('c');
    expect(inFlight.admit('c')).toMatchObject({ message: expect.stringMatching(/at most 1 of yours/) });
    if ('release' in first) first.release();
    expect('release' in inFlight.admit('c')).toBe(true);
  });

  it('caps the estimated cost a caller has in flight, one operation always running', () => {
    const limiter = new CallerLimiter({ perSecond: 100, burst: 100, maxInFlight: 10, maxCostInFlight: 100, refusalDelayMs: 0 });
    limiter.admit('a');
    const big = limiter.admitCost('a', 150); // alone: runs even over the cap
    expect('release' in big).toBe(true);
    expect(limiter.admitCost('a', 1)).toMatchObject({ retryAfterS: 1, message: expect.stringMatching(/estimated at 150, and this one at 1, over 100 together/) });
    if ('release' in big) big.release();
    const a = limiter.admitCost('a', 60);
    expect('release' in a).toBe(true);
    expect('message' in limiter.admitCost('a', 60)).toBe(true);
    expect('release' in limiter.admitCost('a', 40)).toBe(true);
  });
});
