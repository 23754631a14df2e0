/**
 * One caller flooding, another working: `npm run bench:flood -- [flags]` (not part of `npm test`).
 *
 * Starts the whole stack in this process (testkit/src/stack.ts: docstore over TCP with the
 * demo data, identity provider, every subgraph, the gateway with its shipped limits), then from two
 * child processes:
 *   - the victim: `gridworker` asking for the household view of bench/operations.ts (with the
 *     departments whose fragment its role may read) for a household of their grid, one request
 *     after another, alone for `--duration` seconds, then again while
 *   - the flooder: `analyst` (the largest budget) sending the most expensive operation the budget
 *     allows (a page of households with every member's help requests, disputes, court cases with
 *     hearings and aid grants,
 *     sized to the analyst's budget) over `--connections` connections as fast as answered.
 * Prints the victim's p50/p99 and errors alone and under the flood, and what the flooder got
 * (served, refused with 429, other errors). Everything shares this machine's cores, so the
 * figures say how far the limits keep one caller from crowding out another here, not what a
 * deployment with one process per service would see.
 *
 * Flags: --scale 0.04 · --duration 10 (s per phase) · --connections 32
 * Internal: --child victim|flood <json>
 */
import { parse, type OperationDefinitionNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { runChildOrMain, runToResult, send } from './processes';

interface Target {
  url: string;
  headers: Record<string, string>;
  body: string;
  duration: number;
}

async function childVictim(a: Target) {
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + a.duration * 1000;
  while (Date.now() < end) {
    const t = performance.now();
    try {
      const res = await fetch(a.url, { method: 'POST', headers: a.headers, body: a.body });
      const text = await res.text();
      if (res.status !== 200 || text.includes('"errors"')) errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - t);
  }
  latencies.sort((x, y) => x - y);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  send({ type: 'result', result: { n: latencies.length, p50: at(0.5), p99: at(0.99), errors } });
}

async function childFlood(a: Target & { connections: number }) {
  const autocannon = require('autocannon') as (o: Record<string, unknown>) => Promise<any>;
  const r = await autocannon({ url: a.url, method: 'POST', headers: a.headers, body: a.body, connections: a.connections, duration: a.duration });
  const codes = r.statusCodeStats ?? {};
  const count = (c: string) => codes[c]?.count ?? 0;
  send({ type: 'result', result: { total: r.requests.total, served: count('200'), limited: count('429'), other: r.requests.total - count('200') - count('429'), p50: r.latency.p50 } });
}

/** Runs the victim or the flooder in its own process; its result. */
function runChild(kind: 'victim' | 'flood', args: object): Promise<any> {
  return runToResult(__filename, kind, args, { quiet: false });
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main() {
  process.env.LOG_LEVEL ??= 'warn';
  const scale = flag('scale', 0.04);
  const duration = flag('duration', 10);
  const connections = flag('connections', 32);
  const { startStack } = await import('@anmulong/testkit');
  const { loadDemo } = await import('@anmulong/demo');
  const { DEPARTMENT_FRAGMENTS, householdQuery } = await import('./operations');
  const { CostEstimator, readCostDirectives } = await import('@anmulong/platform');
  const { SUPERGRAPH_FILE } = await import('@anmulong/gateway');
  const { DEFAULT_COST_LIMITS } = await import('@anmulong/gateway');
  const { Supergraph } = await import('@apollo/federation-internals');

  const stack = await startStack();
  try {
    console.error(`loading demo data at scale ${scale}…`);
    await loadDemo({ mongoUri: stack.docstore.uri, scale });
    const purpose = { 'x-access-purpose': 'flood benchmark' };
    const headersOf = async (user: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${await stack.token(user)}`, ...purpose });
    const VICTIM = 'gridworker';
    const grid = '150624100001001';
    const home = await stack.query(VICTIM, `{ households(divisionCode: "${grid}", first: 1) { edges { node { id } } } }`, undefined, { headers: purpose });
    const householdId = home.data.households.edges[0].node.id;
    const readable: string[] = [];
    for (const d of DEPARTMENT_FRAGMENTS) {
      const r = await stack.query(VICTIM, householdQuery([d.subgraph]), { id: householdId }, { headers: purpose });
      if (!r.errors) readable.push(d.subgraph);
    }
    const victimQuery = householdQuery(readable);

    // The flood: the largest page whose estimate stays within the analyst's budget.
    const sdl = readFileSync(SUPERGRAPH_FILE, 'utf8');
    const estimator = new CostEstimator(Supergraph.build(sdl).apiSchema().toGraphQLJSSchema(), readCostDirectives(sdl), 100);
    const floodQuery = (first: number) =>
      `query Flood { households(divisionCode: "150624", first: ${first}) { totalCount edges { node { id address members { id name { zh mn } helpRequests { id category status } disputes { id stage } courtCases { id status hearings { date mode } } aidGrants { id program amountYuan } } } } } }`;
    const estimate = (first: number) => {
      const d = parse(floodQuery(first));
      return estimator.estimate(d, d.definitions[0] as OperationDefinitionNode).cost;
    };
    let first = 100;
    const budget = DEFAULT_COST_LIMITS.budgets.analyst;
    while (estimate(first) > budget) first--;
    const check = await stack.query({ authorization: (await headersOf('analyst')).authorization }, floodQuery(first), undefined, { headers: purpose });
    if (check.errors) throw new Error(`the flood operation is refused: ${JSON.stringify(check.errors)}`);
    const victimCheck = await stack.query(VICTIM, victimQuery, { id: householdId }, { headers: purpose });
    if (victimCheck.errors) throw new Error(`the household view fails: ${JSON.stringify(victimCheck.errors)}`);

    const victim = { url: stack.gateway.url, headers: await headersOf(VICTIM), body: JSON.stringify({ query: victimQuery, variables: { id: householdId } }), duration };
    const flood = { url: stack.gateway.url, headers: await headersOf('analyst'), body: JSON.stringify({ query: floodQuery(first) }), duration: duration + 2, connections };

    console.error(`phase 1: the household view alone (${duration} s)…`);
    const alone = await runChild('victim', victim);
    console.error(`phase 2: the same while analyst floods with ${connections} connections…`);
    const flooding = runChild('flood', flood);
    await new Promise((r) => setTimeout(r, 1000)); // the flood is running before the victim starts
    const [under, flooder] = await Promise.all([runChild('victim', victim), flooding]);

    const ms = (n: number) => n.toFixed(1);
    console.log(`\n## Flood (scale ${scale}, ${duration} s per phase, ${connections} flooding connections, limits as shipped)\n`);
    console.log(`Flood operation: a page of ${first} households with members' help requests, disputes, court cases with hearings and aid grants (estimate ${estimate(first)} of the analyst's ${budget}).`);
    console.log(`Victim: ${VICTIM}'s household view with ${readable.join(', ')} (estimate ${estimator.estimate(parse(victimQuery), parse(victimQuery).definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode).cost}).\n`);
    console.log('| victim | requests | p50 ms | p99 ms | errors |');
    console.log('|---|--:|--:|--:|--:|');
    console.log(`| alone | ${alone.n} | ${ms(alone.p50)} | ${ms(alone.p99)} | ${alone.errors} |`);
    console.log(`| under the flood | ${under.n} | ${ms(under.p50)} | ${ms(under.p99)} | ${under.errors} |`);
    console.log(`\np99 under the flood ÷ alone: ${(under.p99 / alone.p99).toFixed(2)}; p50: ${(under.p50 / alone.p50).toFixed(2)}`);
    console.log(`Flooder: ${flooder.total} requests, ${flooder.served} served, ${flooder.limited} refused with 429, ${flooder.other} other.`);
  } finally {
    await stack.close();
  }
}

runChildOrMain({ victim: childVictim, flood: childFlood }, main);
