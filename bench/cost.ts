/**
 * Demand control's CPU cost: `npm run bench:cost` (not part of `npm test`).
 *
 * Estimates the three operations of the gateway benchmark (bench/operations.ts: the household
 * view, the dispute chain, a page of 20 households) against `gateway/supergraph.graphql`, as the
 * gateway does per request (gateway/src/limits.ts), and prints for each: the estimate, the CPU per
 * estimate when a parsed document is seen again (the gateway's case: Apollo Server hands it the
 * same parsed document for the same text; the estimate is cached per document), the CPU of a
 * first estimate (no cache), of the structural check (platform/src/limits.ts, parse included)
 * and of the refusal report (the five most expensive paths, computed only when over budget).
 *
 * Flags: --iterations 20000
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type OperationDefinitionNode } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { checkDocument, CostEstimator, operationLimits, readCostDirectives } from '@anmulong/platform';
import { DEFAULT_COST_LIMITS } from '@anmulong/gateway';
import { DEPARTMENT_FRAGMENTS, chainQuery, householdQuery, PAGE_QUERY } from './operations';

const iterations = Number(process.argv[process.argv.indexOf('--iterations') + 1]) || 20_000;
const sdl = readFileSync(path.resolve(__dirname, '..', 'gateway', 'supergraph.graphql'), 'utf8');
const schema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
const directives = readCostDirectives(sdl);
const departments = DEPARTMENT_FRAGMENTS.map((d) => d.subgraph);
const ops = [
  { label: '(a) household view', query: householdQuery(departments), variables: { id: '0123456789abcdef01234567' } },
  { label: '(b) resident → help requests → dispute → court case', query: chainQuery(departments), variables: { id: '0123456789abcdef01234567' } },
  { label: '(c) 20 households with members', query: PAGE_QUERY, variables: { code: '150624101' } },
];

/** CPU microseconds per call of `fn`, over `n` calls after a warm-up. */
function cpuUsPer(n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 2000); i++) fn(i);
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const limits = operationLimits();
console.log(`| operation | estimate | per request, cached (µs) | first estimate (µs) | structural check incl. parse (µs) | refusal report (µs) |`);
console.log(`|---|--:|--:|--:|--:|--:|`);
for (const op of ops) {
  const document = parse(op.query, { noLocation: true });
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  const estimator = new CostEstimator(schema, directives, DEFAULT_COST_LIMITS.defaultListSize);
  const { cost } = estimator.estimate(document, operation, op.variables);
  // Per request: a different id each time, as a frontend sends (the id is no slicing argument).
  const cached = cpuUsPer(iterations, (i) => estimator.estimate(document, operation, { ...op.variables, id: String(i) }));
  const first = cpuUsPer(iterations / 10, () => new CostEstimator(schema, directives, DEFAULT_COST_LIMITS.defaultListSize).estimate(document, operation, op.variables));
  const structural = cpuUsPer(iterations / 10, () => checkDocument(parse(op.query, { maxTokens: limits.maxTokens, noLocation: true }), limits));
  const report = cpuUsPer(iterations / 10, () => estimator.estimate(document, operation, op.variables, true));
  console.log(`| ${op.label} | ${cost} | ${cached.toFixed(2)} | ${first.toFixed(1)} | ${structural.toFixed(1)} | ${report.toFixed(1)} |`);
}
