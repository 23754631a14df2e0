/**
 * Gateway benchmark: `npm run bench:gateway -- [flags]` (not part of `npm test`).
 *
 * Starts the docstore (in this process, so its command counters can be read) with the demo
 * data, the development identity provider, and every subgraph of SUBGRAPHS as its own child
 * process. Then, one after another on the same port, three gateways over the same
 * `gateway/supergraph.graphql`, subgraphs and data, each in its own child process:
 *   - anmulong:     our gateway as shipped (`startGateway`: authentication, forwarding, logs)
 *   - apollo-plain: `@apollo/gateway` + Apollo Server's standalone server, forwarding only the
 *                   Authorization and X-Access-Purpose headers
 *   - hive:         `@graphql-hive/gateway` (`createGatewayRuntime` on node:http), forwarding the
 *                   same two headers
 * The load (autocannon) runs in yet another child process, rounds alternate A B C A B C, and
 * every operation runs against each gateway in each round:
 *   (a) household: the unified household view (a household, its members, every department's
 *       fields, built from per-department fragments; a department whose subgraph is down or
 *       whose fragment fails for a user is left out of that user's query and named in the output)
 *   (b) chain:     resident → help requests → dispute → court case with hearings and judge (as
 *       far along the chain as the user may read)
 *   (c) page:      a page of 20 households of a town with their members
 * The workload is what many users produce: each request takes the next item of a pool of
 * distinct households, residents with help requests and pages, drawn from every town (and from
 * the grid of a grid worker), sent as one of several demo users whose jurisdiction covers it,
 * each with a purpose. With every request asking for the same record, in-flight deduplication
 * would share one subgraph call among many clients; `--single-key` adds that run (the analyst,
 * one household, one resident, one page) as a separately labelled extra.
 * Also: the floor (operation (a)'s subgraph requests, captured once from a logging data
 * source, replayed directly against the subgraphs in the same dependency order under the same
 * load), store commands per request (docstore counters), each gateway's peak RSS, and the
 * ten hottest functions of the anmulong gateway from a `--cpu-prof` run.
 *
 * Writes a markdown report to stdout and to bench/results/gateway-<date>.md.
 *
 * Flags: --scale 1 (≈160k residents) · --duration 10 (s per run) · --connections 20 ·
 *   --rounds 3 · --warmup 3 (s, after each gateway start, per operation) ·
 *   --pool 2000 (distinct households, residents and pages per operation, at most) ·
 *   --users analyst,police.officer,mediator,caseworker,judge,organizer,gridworker (--role U: one user) ·
 *   --single-key (adds the single-record runs) ·
 *   --purpose "performance benchmark" · --gateways anmulong,apollo-plain,hive ·
 *   --subgraphs registry,police,… (default SUBGRAPHS) · --no-profile · --out FILE ·
 *   --profile-only (set up, profile the anmulong gateway under (a), print the top functions, stop) ·
 *   --in-memory (docstore without its journal; by default it journals and fsyncs as `npm start` does)
 * The parts: this file (the parent: set-up, the runs, in order), children.ts (every process it
 * starts), operations.ts (the workloads and the floor's requests), report.ts (the markdown).
 */
import fs from 'node:fs';
import { decodeClaims, freePort } from '@anmulong/testkit';
import os from 'node:os';
import path from 'node:path';
import { cpuSince, cpuSnapshot, fmt } from '../measure';
import { post } from '../operations';
import { runMain, runToResult, startChild, type Child } from '../processes';
import { CHILD_SCRIPT, type ChildKind, type FloorFetch, type GatewayChildKind, type LoadResult, type WorkItem } from './children';
import { parseFlags, type Flags, type GatewayKind, type OpName } from './flags';
import { buildWorkloads, captureFloor, requestsFile, type Operation, type RunningGateway, type User, type Workloads } from './operations';
import { report, summariseProfile } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const SUPERGRAPH = path.join(ROOT, 'gateway', 'supergraph.graphql');

/** Runs a load or floor child to completion and returns its result. */
const runLoad = (kind: Extract<ChildKind, 'load' | 'floor'>, args: object) => runToResult<LoadResult>(CHILD_SCRIPT, kind, args);

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
  const started = Date.now();

  const { startDocstore } = require('@anmulong/docstore') as typeof import('@anmulong/docstore');
  const { startIdentityProvider } = require('@anmulong/identity') as typeof import('@anmulong/identity');
  const { loadDemo } = require('@anmulong/demo') as typeof import('@anmulong/demo');
  const { fetchToken } = require('@anmulong/platform') as typeof import('@anmulong/platform');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anmulong-bench-gw-'));
  const children: Child[] = [];
  /** The processes whose CPU time is accounted per request (the gateway's is added per run). */
  const processes: { name: string; pid: number }[] = [{ name: 'docstore + identity', pid: process.pid }];
  const cleanup = async () => {
    for (const c of children.reverse()) await c.stop().catch(() => undefined);
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    // ------------------------------------------------------------ store, data, identity
    // Journaled as `npm start` runs it (every acknowledged write fsynced), unless --in-memory.
    const docstore = await startDocstore({ port: 0, quiet: true, dbpath: flags.inMemory ? undefined : path.join(tmp, 'docstore') });
    log(`docstore at ${docstore.uri}; loading demo data at scale ${flags.scale}…`);
    const demo = await loadDemo({ mongoUri: docstore.uri, scale: flags.scale, drop: true });
    const residentCount = Object.entries(demo.counts.registry ?? {}).find(([k]) => /resident/i.test(k))?.[1] ?? NaN;
    log(`loaded ${demo.total} documents (${residentCount} residents) in ${demo.loadMs} ms`);
    const idp = await startIdentityProvider({ port: 0, dataDir: path.join(tmp, 'identity'), tokenLifetimeSeconds: 24 * 3600 });
    /** Each user's token and jurisdiction (its claim); every user states the purpose. */
    const login = async (username: string): Promise<User> => {
      const token = await fetchToken(idp.url, username);
      const claims = decodeClaims(token) as { jurisdiction?: string };
      return { username, jurisdiction: String(claims.jurisdiction ?? ''), authorization: `Bearer ${token}` };
    };
    const users: User[] = [];
    for (const u of new Set(flags.users)) users.push(await login(u));
    // The analyst (banner-wide) finds the pool's records; it is also the single-key runs' user.
    const analyst = users.find((u) => u.username === 'analyst') ?? (await login('analyst'));
    const baseHeaders = { 'content-type': 'application/json', 'x-access-purpose': flags.purpose };
    const headersOf = (authorization: string) => ({ ...baseHeaders, authorization });

    // ------------------------------------------------------------ subgraphs, each its own process
    const { subgraphUrls, skipped } = await startSubgraphs(flags.subgraphs, { mongoUri: docstore.uri, keycloakUrl: idp.url }, children, processes, log);
    // The supergraph with the subgraphs' real addresses, for apollo-plain and hive.
    let sdl = fs.readFileSync(SUPERGRAPH, 'utf8');
    sdl = sdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (m, name: string) =>
      subgraphUrls[name] ? `@join__graph(name: "${name}", url: "${subgraphUrls[name]}")` : m,
    );
    const supergraphFile = path.join(tmp, 'supergraph.graphql');
    fs.writeFileSync(supergraphFile, sdl);
    const port = await freePort();

    const startGatewayChild = async (kind: GatewayChildKind, nodeArgs: string[] = []): Promise<RunningGateway> => {
      const child = startChild(CHILD_SCRIPT, 'gateway', { kind, port, keycloakUrl: idp.url, subgraphUrls, supergraphFile, outboxDir: path.join(tmp, 'gateway-outbox') }, { nodeArgs, longLived: true });
      const m = await child.ready;
      return { child, url: String(m.url) };
    };

    // ------------------------------------------------------------ operations and their data
    const gw = await startGatewayChild('capture-apollo');
    const up = Object.keys(subgraphUrls);
    const w = await buildWorkloads({ flags, log, users, analyst, headersOf, up, skipped, tmp }, gw.url);
    const { ops } = w;
    const first = ops[0].requests[0];
    const firstHeaders = headersOf(first.authorization);
    const run: Run = { flags, log, tmp, baseHeaders, headersOf, startGateway: startGatewayChild, ops };

    // ------------------------------------------------------------ the floor's requests, captured once
    const { apolloFetches, capturedFetches, floorFetches, floorStages } = await captureFloor(gw, startGatewayChild, first, firstHeaders, log);

    // ------------------------------------------------------------ CPU profile of our gateway
    const profileTable = flags.profile && flags.gateways.includes('anmulong') ? await profileOurGateway(run) : '';
    if (flags.profileOnly && profileTable) {
      process.stdout.write(profileTable + '\n');
      return;
    }

    // ------------------------------------------------------------ rounds: A B C, A B C, …
    const { results, peakMB, cpuPerRequest, errorDetails } = await runRounds(run, processes);

    // ------------------------------------------------------------ the floor under the same load
    const { floor, single } = await runFloor(run, floorFetches, first);

    // ------------------------------------------------------------ store commands per request
    const storeRows = await storeCommands(run, docstore, analyst, w);

    // ------------------------------------------------------------ report
    const { text, errorsTotal } = report({
      flags, started, residentCount, documents: demo.total, up, skipped, towns: w.towns, narrow: w.narrow, ops, leftOut: w.leftOut, left: w.left, notPermitted: w.notPermitted,
      results, floor, single, apolloFetches, capturedFetches, floorStages, peakMB, processes, cpuPerRequest, storeRows, profileTable, errorDetails,
    });
    process.stdout.write(text);
    const out = flags.out ?? path.join(ROOT, 'bench', 'results', `gateway-${new Date().toISOString().slice(0, 10)}.md`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, text);
    log(`written to ${path.relative(ROOT, out)}`);

    await cleanup();
    await idp.close();
    await docstore.close();
    if (errorsTotal > 0) process.exitCode = 1;
  } finally {
    await cleanup();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** What each stage of the run uses. */
interface Run {
  flags: Flags;
  log: (s: string) => void;
  tmp: string;
  /** Every request's headers but the user's token. */
  baseHeaders: Record<string, string>;
  headersOf(authorization: string): Record<string, string>;
  startGateway(kind: GatewayChildKind): Promise<RunningGateway>;
  ops: Operation[];
}

/** Starts each subgraph of `names` (default: SUBGRAPHS) as its own process; one that fails to start is left out (and why). */
async function startSubgraphs(names: string[] | null, at: { mongoUri: string; keycloakUrl: string }, children: Child[], processes: { name: string; pid: number }[], log: (s: string) => void) {
  const { SUBGRAPHS } = require('@anmulong/platform') as typeof import('@anmulong/platform');
  const wanted = (names ?? [...SUBGRAPHS]).filter((n) => (SUBGRAPHS as readonly string[]).includes(n));
  const subgraphUrls: Record<string, string> = {};
  const skipped: Record<string, string> = {};
  for (const name of wanted) {
    const child = startChild(CHILD_SCRIPT, 'subgraph', { name, ...at, subgraphUrls }, { longLived: true });
    try {
      const m = await Promise.race([child.ready, new Promise<never>((_, r) => setTimeout(() => r(new Error('not ready after 120 s')), 120_000))]);
      subgraphUrls[name] = String(m.url);
      children.push(child);
      processes.push({ name, pid: child.proc.pid! });
      log(`subgraph ${name} at ${subgraphUrls[name]}`);
    } catch (e) {
      skipped[name] = (e as Error).message.split('\n')[0].slice(0, 200);
      log(`subgraph ${name} failed to start, left out: ${skipped[name]}`);
      await child.stop();
    }
  }
  for (const n of SUBGRAPHS) if (!(n in subgraphUrls) && !(n in skipped)) skipped[n] = 'not requested (--subgraphs)';
  return { subgraphUrls, skipped };
}

/** The hottest functions of our gateway under (a), from a CPU profile of the measured load (kept in bench/results/). */
async function profileOurGateway(run: Run): Promise<string> {
  const { flags, ops } = run;
  const gw = await run.startGateway('anmulong');
  const load = { url: gw.url, headers: run.baseHeaders, requestsFile: requestsFile(run.tmp, ops[0].name), connections: flags.connections };
  await runLoad('load', { ...load, duration: Math.max(flags.warmup, 2) });
  const file = path.join(ROOT, 'bench', 'results', `gateway-anmulong-${new Date().toISOString().slice(0, 10)}.cpuprofile`);
  await gw.child.request({ type: 'profile-start' }, 'profiling');
  await runLoad('load', { ...load, duration: flags.duration });
  await gw.child.request({ type: 'profile-stop', file }, 'profiled');
  await gw.child.stop();
  run.log(`CPU profile kept at ${path.relative(ROOT, file)} (open in Chrome DevTools)`);
  return summariseProfile(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Rounds A B C, A B C, …: every operation against each gateway, each gateway started afresh per round. */
async function runRounds(run: Run, processes: { name: string; pid: number }[]) {
  const { flags, ops, log } = run;
  const results: Record<GatewayKind, Record<OpName, LoadResult[]>> = {} as never;
  const peakMB: Record<string, number> = {};
  /** gateway kind → operation → process → CPU ms and requests, summed over rounds. */
  const cpuPerRequest: Partial<Record<GatewayKind, Partial<Record<OpName, Record<string, { ms: number; requests: number }>>>>> = {};
  const errorDetails: string[] = [];
  for (const k of flags.gateways) results[k] = Object.fromEntries(ops.map((op) => [op.name, []]));
  for (let round = 1; round <= flags.rounds; round++) {
    for (const kind of flags.gateways) {
      const gw = await run.startGateway(kind);
      for (const op of ops) {
        const check = await post(gw.url, run.headersOf(op.requests[0].authorization), op.requests[0].body);
        if (check.status !== 200 || check.errors?.length) errorDetails.push(`${kind} ${op.name}: ${JSON.stringify(check.errors ?? check.status).slice(0, 300)}`);
        const load = { url: gw.url, headers: run.baseHeaders, requestsFile: requestsFile(run.tmp, op.name), connections: flags.connections };
        if (flags.warmup > 0) await runLoad('load', { ...load, duration: flags.warmup });
        const before = cpuSnapshot([...processes, { name: 'gateway', pid: gw.child.proc.pid! }]);
        const r = await runLoad('load', { ...load, duration: flags.duration });
        results[kind][op.name].push(r);
        const spent = cpuSince(before);
        const acc = (cpuPerRequest[kind] ??= {});
        for (const [name, ms] of Object.entries(spent)) {
          const row = ((acc[op.name] ??= {})[name] ??= { ms: 0, requests: 0 });
          row.ms += ms;
          row.requests += r.total;
        }
        if (r.errors) errorDetails.push(`${kind} ${op.name} round ${round}: ${r.detail}`);
        log(`round ${round} ${kind} ${op.name}: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}`);
      }
      const mem = await gw.child.request({ type: 'mem' }, 'mem');
      peakMB[kind] = Math.max(peakMB[kind] ?? 0, Number(mem.maxRssMB));
      await gw.child.stop();
    }
  }
  return { results, peakMB, cpuPerRequest, errorDetails };
}

/**
 * The floor under the same load, then each gateway at one connection alternating with it.
 * The floor replays the subgraph requests of the pool's first household (one record: the
 * subgraphs' own cost of a household view, which the gateways add theirs to).
 */
async function runFloor(run: Run, floorFetches: FloorFetch[], first: WorkItem) {
  const { flags, log } = run;
  const firstHeaders = run.headersOf(first.authorization);
  const floorArgs = { fetches: floorFetches, headers: firstHeaders, connections: flags.connections };
  if (flags.warmup > 0) await runLoad('floor', { ...floorArgs, duration: flags.warmup });
  const floor = await runLoad('floor', { ...floorArgs, duration: flags.duration });
  log(`floor: ${fmt(floor.rps)} replays/s, p50 ${fmt(floor.p50, 2)} ms, errors ${floor.errors}`);
  // And unloaded (one connection), each gateway against the floor: timed by the same client
  // (sub-millisecond), in alternating one-second slices so drift hits both sides alike.
  const single: Partial<Record<GatewayKind, LoadResult>> = {};
  for (const kind of flags.gateways) {
    const gw = await run.startGateway(kind);
    const versus = [{ url: gw.url, body: first.body, deps: [] }];
    await runLoad('floor', { fetches: versus, headers: firstHeaders, connections: 1, duration: 2 });
    single[kind] = await runLoad('floor', { ...floorArgs, connections: 1, versus, slices: 5, duration: 2 * Math.min(5, flags.duration) });
    await gw.child.stop();
  }
  return { floor, single };
}

/** Store commands per request through our gateway (docstore counters): each operation's first request, and (a) on the smallest and largest household. */
async function storeCommands(run: Run, docstore: { resetCounters(): void; counters(): { commands: number; byDb: Record<string, Record<string, number>> } }, analyst: User, w: Workloads) {
  const { flags, ops } = run;
  const { analystHousehold, small, big } = w;
  const gw = await run.startGateway(flags.gateways.includes('anmulong') ? 'anmulong' : flags.gateways[0]);
  const N = 20;
  const commandsPer = async (item: WorkItem) => {
    const headers = run.headersOf(item.authorization);
    for (let i = 0; i < 3; i++) await post(gw.url, headers, item.body); // warm caches
    docstore.resetCounters();
    for (let i = 0; i < N; i++) await post(gw.url, headers, item.body);
    const c = docstore.counters();
    const byDb = Object.entries(c.byDb)
      .map(([db, m]) => [db.replace(/^anmulong_/, ''), Object.values(m).reduce((a, b) => a + b, 0) / N] as const)
      .filter(([, n]) => n > 0)
      .map(([db, n]) => `${db} ${fmt(n, 1)}`)
      .join(', ');
    return { perRequest: c.commands / N, byDb };
  };
  const storeRows: { label: string; perRequest: number; byDb: string }[] = [];
  for (const op of ops) storeRows.push({ label: `${op.label} (its first request)`, ...(await commandsPer(op.requests[0])) });
  if (small && big && analystHousehold) {
    const asAnalyst = (id: string): WorkItem => ({ body: JSON.stringify({ query: analystHousehold, variables: { id } }), authorization: analyst.authorization, user: analyst.username });
    storeRows.push({ label: `(a) as analyst, on a household of ${small.n} member(s)`, ...(await commandsPer(asAnalyst(small.id))) });
    storeRows.push({ label: `(a) as analyst, on a household of ${big.n} members`, ...(await commandsPer(asAnalyst(big.id))) });
  }
  await gw.child.stop();
  return storeRows;
}

runMain(main);
