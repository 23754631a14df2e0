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
 *       whose fragment fails is left out and named in the output)
 *   (b) chain:     resident → help requests → dispute → court case with hearings and judge
 *   (c) page:      20 households of a town with their members
 * Also: the floor (operation (a)'s subgraph requests, captured once from a logging data
 * source, replayed directly against the subgraphs in the same dependency order under the same
 * load), store commands per request (docstore counters), each gateway's peak RSS, and the
 * ten hottest functions of the anmulong gateway from a `--cpu-prof` run.
 *
 * Writes a markdown report to stdout and to bench/results/gateway-<date>.md.
 *
 * Flags: --scale 1 (≈160k residents) · --duration 10 (s per run) · --connections 20 ·
 *   --rounds 3 · --warmup 3 (s, after each gateway start, per operation) ·
 *   --role analyst · --purpose "performance benchmark" · --gateways anmulong,apollo-plain,hive ·
 *   --subgraphs registry,police,… (default SUBGRAPHS) · --no-profile · --out FILE ·
 *   --profile-only (set up, profile the anmulong gateway under (a), print the top functions, stop) ·
 *   --in-memory (docstore without its journal; by default it journals and fsyncs as `npm start` does)
 * Internal: --child <kind> <json> runs one child (subgraph, gateway, load, floor).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CpuProfiler, cpuMsOf } from './measure';

const ROOT = path.resolve(__dirname, '..');
const SUPERGRAPH = path.join(ROOT, 'gateway', 'supergraph.graphql');
/**
 * The first three run by default; the variants (opt-in with --gateways) turn off in-flight
 * deduplication (`-nodedupe`) or the access log (`anmulong-noaudit`, to measure its cost).
 */
const GATEWAYS = ['anmulong', 'apollo-plain', 'hive', 'anmulong-nodedupe', 'hive-nodedupe', 'anmulong-noaudit'] as const;
const DEFAULT_GATEWAYS: GatewayKind[] = ['anmulong', 'apollo-plain', 'hive'];
type GatewayKind = (typeof GATEWAYS)[number];
type OpName = 'household' | 'chain' | 'page';

// ====================================================================== children

type Msg = Record<string, unknown> & { type: string };
const send = (m: Msg) => process.send?.(m);

if (process.argv[2] === '--child') {
  const kind = process.argv[3];
  const args = JSON.parse(process.argv[4] ?? '{}');
  const run = { subgraph: childSubgraph, gateway: childGateway, load: childLoad, floor: childFloor }[kind as 'load'];
  if (!run) throw new Error(`unknown child ${kind}`);
  run(args).catch((err: unknown) => {
    console.error(`[bench child ${kind}]`, err);
    send({ type: 'failed', error: String((err as Error)?.stack ?? err) });
    setTimeout(() => process.exit(1), 100);
  });
} else {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** Replies to the parent's `mem`/`exit` messages; every long-lived child shares this. */
function serveControl(extra: (m: Msg) => void = () => undefined) {
  process.on('message', (m: Msg) => {
    if (m.type === 'mem') {
      const ru = process.resourceUsage();
      send({ type: 'mem', maxRssMB: ru.maxRSS / 1024, rssMB: process.memoryUsage().rss / 1048576 });
    } else if (m.type === 'exit') {
      process.exit(0);
    } else extra(m);
  });
  process.on('disconnect', () => process.exit(0));
}

async function childSubgraph(a: { name: string; mongoUri: string; keycloakUrl: string; subgraphUrls: Record<string, string> }) {
  const { start } = require(`@anmulong/${a.name}`) as { start: (o: object) => Promise<{ url: string }> };
  // Plain @apollo/gateway, Hive Gateway and the floor's replays sign no gateway assertions: the
  // subgraphs serve a user's token alone here, for every gateway alike.
  const s = await start({ port: 0, host: '127.0.0.1', mongoUri: a.mongoUri, keycloakUrl: a.keycloakUrl, subgraphUrls: a.subgraphUrls, requireGatewayAssertion: false });
  serveControl();
  send({ type: 'ready', url: s.url });
}

interface CapturedFetch {
  service: string;
  url: string;
  body: string;
  start: number;
  end: number;
}

async function childGateway(a: { kind: GatewayKind | 'capture-apollo' | 'capture-anmulong'; port: number; keycloakUrl: string; subgraphUrls: Record<string, string>; supergraphFile: string; outboxDir: string }) {
  const captured: CapturedFetch[] = [];
  let capturing = false;
  if (a.kind === 'anmulong' || a.kind === 'anmulong-nodedupe' || a.kind === 'anmulong-noaudit') {
    if (a.kind === 'anmulong-nodedupe') process.env.GATEWAY_SUBGRAPH_DEDUPE = 'off';
    if (a.kind === 'anmulong-noaudit') process.env.AUDIT = 'off';
    const { startGateway } = require('@anmulong/gateway') as typeof import('@anmulong/gateway');
    await startGateway({ port: a.port, host: '127.0.0.1', keycloakUrl: a.keycloakUrl, subgraphUrls: a.subgraphUrls, accessLog: { outboxDir: a.outboxDir } });
  } else if (a.kind === 'apollo-plain' || a.kind === 'capture-apollo' || a.kind === 'capture-anmulong') {
    const { ApolloGateway, RemoteGraphQLDataSource } = require('@apollo/gateway') as typeof import('@apollo/gateway');
    const { ApolloServer } = require('@apollo/server') as typeof import('@apollo/server');
    const { startStandaloneServer } = require('@apollo/server/standalone') as typeof import('@apollo/server/standalone');
    const { PooledDataSource } = require('@anmulong/gateway/src/datasource') as typeof import('@anmulong/gateway/src/datasource');
    type Ctx = { authorization?: string; purpose?: string };
    const forwarded = (context: Ctx) => ({
      ...(context.authorization ? { authorization: context.authorization } : {}),
      ...(context.purpose ? { 'x-access-purpose': context.purpose } : {}),
    });
    class Forwarding extends RemoteGraphQLDataSource<Ctx> {
      override willSendRequest({ request, context }: { request: { http?: { headers: { set(k: string, v: string): void } } }; context: Ctx }) {
        for (const [k, v] of Object.entries(forwarded(context))) request.http?.headers.set(k, v);
      }
    }
    const record = async (service: string, url: string, options: GraphQLDataSourceProcessOptions<Ctx>, send: () => Promise<any>) => {
      if (!capturing) return send();
      const start = performance.now();
      const { query, variables, operationName } = options.request;
      const result = await send();
      captured.push({ service, url, body: JSON.stringify({ query, variables, operationName }), start, end: performance.now() });
      return result;
    };
    /** Plain @apollo/gateway's subgraph requests, recorded (for the request count of its plan). */
    class CapturingApollo extends Forwarding {
      declare name: string;
      override process(options: GraphQLDataSourceProcessOptions<Ctx>) {
        return record(this.name, this.url!, options, () => super.process(options));
      }
    }
    /** Our gateway's data source (merging included), recorded after merging: what the floor replays. */
    class CapturingPooled extends PooledDataSource<Ctx> {
      declare name: string;
      protected override send(options: GraphQLDataSourceProcessOptions<Ctx>) {
        return record(this.name, this.url, options, () => super.send(options));
      }
    }
    const gateway = new ApolloGateway({
      supergraphSdl: fs.readFileSync(a.supergraphFile, 'utf8'),
      buildService: ({ name, url }) =>
        a.kind === 'apollo-plain'
          ? new Forwarding({ url })
          : a.kind === 'capture-apollo'
            ? Object.assign(new CapturingApollo({ url }), { name })
            : Object.assign(new CapturingPooled({ url: url!, headers: forwarded }), { name }),
    });
    const server = new ApolloServer<Ctx>({ gateway });
    await startStandaloneServer(server, {
      listen: { port: a.port, host: '127.0.0.1' },
      context: async ({ req }) => ({
        authorization: req.headers.authorization,
        purpose: typeof req.headers['x-access-purpose'] === 'string' ? req.headers['x-access-purpose'] : undefined,
      }),
    });
  } else {
    // Loaded with require (its CommonJS build) and a local type, to keep tsc off its typings.
    const { createGatewayRuntime } = require('@graphql-hive/gateway') as {
      createGatewayRuntime(o: Record<string, unknown>): http.RequestListener;
    };
    const runtime = createGatewayRuntime({
      supergraph: a.supergraphFile,
      logging: 'error',
      // Hive deduplicates identical in-flight subgraph requests by default; the variant turns it off.
      ...(a.kind === 'hive-nodedupe' ? { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } } : {}),
      propagateHeaders: {
        fromClientToSubgraphs: ({ request }: { request: Request }) => ({
          authorization: request.headers.get('authorization'),
          'x-access-purpose': request.headers.get('x-access-purpose'),
        }),
      },
    });
    const server = http.createServer(runtime);
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(a.port, '127.0.0.1', resolve));
  }
  // The CPU profile covers the measured load only (what `--cpu-prof` records, minus start-up).
  const profiler = new CpuProfiler();
  serveControl((m) => {
    if (m.type === 'profile-start') {
      void profiler.start(500).then(() => send({ type: 'profiling' }));
    } else if (m.type === 'profile-stop') {
      void profiler.stop(String(m.file)).then(() => send({ type: 'profiled' }));
    } else if (m.type === 'capture') {
      capturing = Boolean(m.on);
      if (!capturing) send({ type: 'captured', fetches: captured.splice(0) });
    }
  });
  send({ type: 'ready', url: `http://127.0.0.1:${a.port}/graphql` });
}

interface LoadArgs {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
}
export interface LoadResult {
  /** With `versus`: the floor measured in the slices alternating with this result's. */
  floor?: LoadResult;
  /** Median of each Server-Timing phase, where the answers carried one. */
  phases?: Record<string, number>;
  rps: number;
  total: number;
  p50: number;
  p99: number;
  errors: number;
  detail: string;
}

async function childLoad(a: LoadArgs) {
  const autocannon = require('autocannon') as (o: Record<string, unknown>) => Promise<any>;
  const r = await autocannon({
    url: a.url,
    method: 'POST',
    headers: a.headers,
    body: a.body,
    connections: a.connections,
    duration: a.duration,
    // A GraphQL error in an HTTP 200 response is an error too.
    verifyBody: (body: string) => !body.includes('"errors"'),
  });
  const errors = r.non2xx + r.errors + r.timeouts + (r.mismatches ?? 0);
  const result: LoadResult = {
    rps: r.requests.total / r.duration,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors,
    detail: `non2xx ${r.non2xx}, socket errors ${r.errors}, timeouts ${r.timeouts}, GraphQL errors ${r.mismatches ?? 0}`,
  };
  send({ type: 'result', result });
}

/** One subgraph request of the floor, and the requests that had ended before it started. */
interface FloorFetch {
  url: string;
  body: string;
  deps: number[];
}

/**
 * Replays `fetches` for `duration` s over `connections`. With `versus` (one connection), it
 * alternates: `slices` times the floor then `versus` (a gateway's own request), each for
 * duration/slices, so drift on a shared machine hits both sides of the ratio alike.
 */
async function childFloor(a: { fetches: FloorFetch[]; headers: Record<string, string>; connections: number; duration: number; versus?: FloorFetch[]; slices?: number }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  let errors = 0;
  /** Server-Timing phases of the answers (our gateway sends them), for the time breakdown. */
  const phases: Record<string, number[]> = {};
  const { parseServerTiming } = require('@anmulong/gateway/src/timing') as typeof import('@anmulong/gateway/src/timing');
  const post = (f: FloorFetch) =>
    new Promise<void>((resolve) => {
      const u = new URL(f.url);
      const req = http.request(
        { agent, host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ...a.headers, 'content-length': Buffer.byteLength(f.body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode !== 200 || Buffer.concat(chunks).includes('"errors"')) errors++;
            const header = res.headers['server-timing'];
            if (header) for (const [k, v] of Object.entries(parseServerTiming(String(header)))) (phases[k] ??= []).push(v);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(f.body);
    });
  /** The captured requests, each started once the ones it depends on are done. */
  const once = (fetches: FloorFetch[]) => {
    const done: Promise<void>[] = [];
    for (const f of fetches) done.push(Promise.all(f.deps.map((d) => done[d])).then(() => post(f)));
    return Promise.all(done);
  };
  const measure = async (fetches: FloorFetch[], seconds: number, into: number[]) => {
    const deadline = performance.now() + seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await once(fetches);
        into.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: a.connections }, worker));
  };
  const summary = (latencies: number[], fetches: FloorFetch[], seconds: number, withPhases: boolean): LoadResult => {
    latencies.sort((x, y) => x - y);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
    return {
      rps: latencies.length / seconds,
      total: latencies.length,
      p50: q(0.5),
      p99: q(0.99),
      errors,
      detail: `${fetches.length} requests per replay`,
      ...(withPhases ? { phases: Object.fromEntries(Object.entries(phases).map(([k, xs]) => [k, median(xs)])) } : {}),
    };
  };
  const floorLatencies: number[] = [];
  if (!a.versus) {
    await measure(a.fetches, a.duration, floorLatencies);
    send({ type: 'result', result: summary(floorLatencies, a.fetches, a.duration, true) });
    return;
  }
  const versusLatencies: number[] = [];
  const slices = a.slices ?? 5;
  for (let i = 0; i < slices; i++) {
    await measure(a.fetches, a.duration / slices, floorLatencies);
    await measure(a.versus, a.duration / slices, versusLatencies);
  }
  const floor = summary(floorLatencies, a.fetches, a.duration / 2, false);
  send({ type: 'result', result: { ...summary(versusLatencies, a.versus, a.duration / 2, true), floor } });
}

// ====================================================================== parent helpers

interface Child {
  proc: ChildProcess;
  ready: Promise<Msg>;
  request(m: Msg, replyType: string): Promise<Msg>;
  stop(): Promise<void>;
}

function startChild(kind: string, args: object, opts: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv; quiet?: boolean } = {}): Child {
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', __filename, '--child', kind, JSON.stringify(args)], {
    cwd: ROOT,
    // Service logs (pino, one line per request) go to /dev/null: written, as shipped, but not kept.
    stdio: ['ignore', opts.quiet === false ? 'inherit' : 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, ...opts.env },
  });
  const waiters = new Map<string, (m: Msg) => void>();
  let failure: ((e: Error) => void) | null = null;
  const ready = new Promise<Msg>((resolve, reject) => {
    waiters.set('ready', resolve);
    failure = reject;
  });
  proc.on('error', () => undefined); // e.g. EPIPE when a child that finished has already gone
  ready.catch(() => undefined); // load children never report ready; their exit is not a failure
  proc.on('message', (m: Msg) => {
    if (m.type === 'failed') failure?.(new Error(String(m.error)));
    const w = waiters.get(m.type);
    if (w) {
      waiters.delete(m.type);
      w(m);
    }
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let stopping = false;
  proc.once('exit', (code, signal) => {
    failure?.(new Error(`${kind} child exited with code ${code}`));
    // Subgraphs and gateways live until stopped: a silent death would only show as errors later.
    if (!stopping && (kind === 'subgraph' || kind === 'gateway')) process.stderr.write(`[bench] ${kind} child ${proc.pid} exited unexpectedly (code ${code}, signal ${signal})\n`);
  });
  return {
    proc,
    ready,
    request(m, replyType) {
      return new Promise<Msg>((resolve, reject) => {
        waiters.set(replyType, resolve);
        failure = reject;
        proc.send(m);
      });
    },
    async stop() {
      stopping = true;
      if (proc.exitCode === null && proc.signalCode === null) {
        if (proc.connected) proc.send({ type: 'exit' }, () => undefined);
        const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

/** Runs a load or floor child to completion and returns its result. */
async function runLoad(kind: 'load' | 'floor', args: object): Promise<LoadResult> {
  const child = startChild(kind, args);
  const result = await new Promise<LoadResult>((resolve, reject) => {
    child.proc.on('message', (m: Msg) => m.type === 'result' && resolve(m.result as LoadResult));
    child.proc.once('exit', (code) => reject(new Error(`${kind} child exited with code ${code} before reporting`)));
  });
  await child.stop();
  return result;
}

/** CPU time (user + system, ms) of each process now, from /proc (Linux). */
function cpuSnapshot(procs: { name: string; pid: number }[]): { procs: { name: string; pid: number }[]; ms: Map<number, number> } {
  const ms = new Map<number, number>();
  for (const p of procs) ms.set(p.pid, cpuMsOf(p.pid));
  return { procs, ms };
}
function cpuSince(s: ReturnType<typeof cpuSnapshot>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of s.procs) out[p.name] = cpuMsOf(p.pid) - s.ms.get(p.pid)!;
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

interface GqlResult {
  status: number;
  data?: any;
  errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[];
}

async function gql(url: string, headers: Record<string, string>, query: string, variables: object = {}): Promise<GqlResult> {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  try {
    return { status: res.status, ...(JSON.parse(text) as object) };
  } catch {
    return { status: res.status, errors: [{ message: text.slice(0, 300) }] };
  }
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// ====================================================================== operations

/**
 * Operation (a) is assembled from one fragment per department; a department joins when its
 * subgraph runs and its fragment answers without errors. A new department adds one entry.
 */
const DEPARTMENT_FRAGMENTS: { subgraph: string; resident?: string; household?: string }[] = [
  { subgraph: 'registry', resident: 'petitions { id }' },
  { subgraph: 'police', resident: 'helpRequests { id category status reportedAt resolvedAt }' },
  { subgraph: 'mediation', resident: 'disputes { id category stage status }' },
  { subgraph: 'court', resident: 'courtCases { id caseNumber status hearings { date mode } judge { id name { zh mn } } }' },
  {
    subgraph: 'civil-affairs',
    resident: 'aidGrants { id program amountYuan startDate endDate status }',
    household: 'aidGrants { id program amountYuan status }',
  },
  {
    subgraph: 'party-building',
    resident: 'partyMembership { joinedOn branch isCentralHousehold }',
    household: 'isModelHousehold centralHousehold { id }',
  },
];

const fragName = (subgraph: string, on: string) => `${subgraph.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}${on}`;

function householdQuery(departments: string[]): string {
  const frags = DEPARTMENT_FRAGMENTS.filter((d) => departments.includes(d.subgraph));
  const spread = (on: 'Resident' | 'Household') =>
    frags.filter((d) => (on === 'Resident' ? d.resident : d.household)).map((d) => `...${fragName(d.subgraph, on)}`).join(' ');
  const defs = frags
    .flatMap((d) => [
      d.resident ? `fragment ${fragName(d.subgraph, 'Resident')} on Resident { ${d.resident} }` : '',
      d.household ? `fragment ${fragName(d.subgraph, 'Household')} on Household { ${d.household} }` : '',
    ])
    .filter(Boolean)
    .join('\n');
  return `query HouseholdView($id: ID!) {
  household(id: $id) {
    id address type division { code name { zh mn } parent { code name { zh } } }
    head { id name { zh mn } }
    members {
      id idNumber name { zh mn } gender birthDate ethnicity phone relationToHead languages
      ${spread('Resident')}
    }
    ${spread('Household')}
  }
}
${defs}`;
}

function chainQuery(departments: string[]): string {
  const court = departments.includes('court') ? 'courtCase { id caseNumber status filedOn hearings { date mode } judge { id name { zh mn } languages } }' : '';
  const dispute = departments.includes('mediation') ? `dispute { id category stage status ${court} }` : '';
  return `query ResidentChain($id: ID!) {
  resident(id: $id) {
    id name { zh mn } idNumber
    helpRequests { id category status reportedAt ${dispute} }
  }
}`;
}

const PAGE_QUERY = `query HouseholdPage($code: String!) {
  households(divisionCode: $code, first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id address type
      head { id name { zh mn } }
      members { id name { zh mn } gender birthDate relationToHead phone }
    } }
  }
}`;

// ====================================================================== main

interface Flags {
  scale: number;
  duration: number;
  connections: number;
  rounds: number;
  warmup: number;
  role: string;
  purpose: string;
  gateways: GatewayKind[];
  subgraphs: string[] | null;
  profile: boolean;
  profileOnly: boolean;
  inMemory: boolean;
  out: string | null;
}

function parseFlags(argv: string[]): Flags {
  const f: Flags = {
    scale: 1,
    duration: 10,
    connections: 20,
    rounds: 3,
    warmup: 3,
    role: 'analyst',
    purpose: 'performance benchmark',
    gateways: [...DEFAULT_GATEWAYS],
    subgraphs: null,
    profile: true,
    profileOnly: false,
    inMemory: false,
    out: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? (argv[i].split(/=(.*)/s, 2) as [string, string]) : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const num = () => {
      const n = Number(value());
      if (!(n > 0)) throw new Error(`${flag} must be a positive number`);
      return n;
    };
    switch (flag) {
      case '--scale': f.scale = num(); break;
      case '--duration': f.duration = num(); break;
      case '--connections': f.connections = Math.round(num()); break;
      case '--rounds': f.rounds = Math.round(num()); break;
      case '--warmup': f.warmup = Number(value()); break;
      case '--role': f.role = value(); break;
      case '--purpose': f.purpose = value(); break;
      case '--gateways': {
        const g = value().split(',').map((s) => s.trim()) as GatewayKind[];
        for (const k of g) if (!GATEWAYS.includes(k)) throw new Error(`unknown gateway ${k}`);
        f.gateways = g;
        break;
      }
      case '--subgraphs': f.subgraphs = value().split(',').map((s) => s.trim()); break;
      case '--no-profile': f.profile = false; break;
      case '--profile-only': f.profileOnly = true; break;
      case '--in-memory': f.inMemory = true; break;
      case '--out': f.out = value(); break;
      default: throw new Error(`unknown argument ${argv[i]} (see the header of bench/gateway.ts)`);
    }
  }
  return f;
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
  const started = Date.now();

  const { startDocstore } = require('@anmulong/docstore') as typeof import('@anmulong/docstore');
  const { startIdentityProvider } = require('@anmulong/identity') as typeof import('@anmulong/identity');
  const { loadDemo } = require('@anmulong/demo') as typeof import('@anmulong/demo');
  const { SUBGRAPHS } = require('@anmulong/platform/src/config') as typeof import('@anmulong/platform/src/config');
  const { fetchToken } = require('@anmulong/platform/src/tokens') as typeof import('@anmulong/platform/src/tokens');

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
    const residents = Object.entries(demo.counts.registry ?? {}).find(([k]) => /resident/i.test(k))?.[1] ?? NaN;
    log(`loaded ${demo.total} documents (${residents} residents) in ${demo.loadMs} ms`);
    const idp = await startIdentityProvider({ port: 0, dataDir: path.join(tmp, 'identity'), tokenLifetimeSeconds: 24 * 3600 });
    const token = await fetchToken(idp.url, flags.role);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-access-purpose': flags.purpose };

    // ------------------------------------------------------------ subgraphs, each its own process
    const wanted = (flags.subgraphs ?? [...SUBGRAPHS]).filter((n) => (SUBGRAPHS as readonly string[]).includes(n));
    const subgraphUrls: Record<string, string> = {};
    const skipped: Record<string, string> = {};
    for (const name of wanted) {
      const child = startChild('subgraph', { name, mongoUri: docstore.uri, keycloakUrl: idp.url, subgraphUrls });
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
    // The supergraph with the subgraphs' real addresses, for apollo-plain and hive.
    let sdl = fs.readFileSync(SUPERGRAPH, 'utf8');
    sdl = sdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (m, name: string) =>
      subgraphUrls[name] ? `@join__graph(name: "${name}", url: "${subgraphUrls[name]}")` : m,
    );
    const supergraphFile = path.join(tmp, 'supergraph.graphql');
    fs.writeFileSync(supergraphFile, sdl);
    const port = await freePort();

    const startGatewayChild = async (kind: GatewayKind | 'capture-apollo' | 'capture-anmulong', nodeArgs: string[] = []) => {
      const child = startChild('gateway', { kind, port, keycloakUrl: idp.url, subgraphUrls, supergraphFile, outboxDir: path.join(tmp, 'gateway-outbox') }, { nodeArgs });
      const m = await child.ready;
      return { child, url: String(m.url) };
    };

    // ------------------------------------------------------------ operations and their data
    let gw = await startGatewayChild('capture-apollo');
    const q = (query: string, variables: object = {}) => gql(gw.url, headers, query, variables);
    const up = Object.keys(subgraphUrls);
    const left: Record<string, string> = {};

    // (b) a resident whose help request became a dispute that reached court, if there is one.
    let residentId: string | null = null;
    if (up.includes('mediation')) {
      const r = await q(`{ disputes(divisionCode: "150624", first: 100) { edges { node { courtCase { id } helpRequest { resident { id } } } } } }`);
      const edges: any[] = r.data?.disputes?.edges ?? [];
      const pick = edges.find((e) => e.node.courtCase && e.node.helpRequest?.resident) ?? edges.find((e) => e.node.helpRequest?.resident);
      residentId = pick?.node.helpRequest.resident.id ?? null;
      if (!residentId) log(`no dispute with a help request found (${r.errors?.[0]?.message ?? 'no errors'})`);
    }
    if (!residentId) {
      const r = await q(`{ helpRequests(divisionCode: "150624", first: 50) { edges { node { resident { id } } } } }`);
      residentId = (r.data?.helpRequests?.edges ?? []).map((e: any) => e.node.resident?.id).find(Boolean) ?? null;
    }
    if (!residentId) throw new Error('no resident with help requests in the demo data');
    const home = await q(`query($id: ID!) { resident(id: $id) { household { id } division { code } } }`, { id: residentId });
    const householdId: string = home.data?.resident?.household?.id;
    const villageCode: string = home.data?.resident?.division?.code;
    if (!householdId) throw new Error(`resident ${residentId} has no household: ${JSON.stringify(home.errors)}`);
    const townCode = villageCode.slice(0, 9);

    // (a) department fragments that answer cleanly for this role.
    const departments: string[] = [];
    for (const d of DEPARTMENT_FRAGMENTS) {
      if (!up.includes(d.subgraph)) {
        left[d.subgraph] = skipped[d.subgraph] ?? 'subgraph not running';
        continue;
      }
      const r = await q(householdQuery([d.subgraph]), { id: householdId });
      if (r.status !== 200 || r.errors?.length) left[d.subgraph] = `fragment failed: ${r.errors?.[0]?.extensions?.code ?? r.status} ${r.errors?.[0]?.message ?? ''}`.slice(0, 200);
      else departments.push(d.subgraph);
    }
    for (const [k, v] of Object.entries(left)) log(`operation (a) leaves out ${k}: ${v}`);

    // Households with the fewest and the most members in the town, for the store-command check.
    const pageR = await q(`query($code: String!) { households(divisionCode: $code, first: 100) { edges { node { id members { id } } } } }`, { code: townCode });
    const sizes: { id: string; n: number }[] = (pageR.data?.households?.edges ?? []).map((e: any) => ({ id: e.node.id, n: e.node.members.length }));
    sizes.sort((x, y) => x.n - y.n);
    const small = sizes[0];
    const big = sizes[sizes.length - 1];

    const ops: { name: OpName; label: string; query: string; variables: object }[] = [
      { name: 'household', label: '(a) household view', query: householdQuery(departments), variables: { id: householdId } },
      { name: 'chain', label: '(b) resident → help requests → dispute → court case', query: chainQuery(up), variables: { id: residentId } },
      { name: 'page', label: '(c) 20 households with members', query: PAGE_QUERY, variables: { code: townCode } },
    ];
    for (const op of ops) {
      const r = await q(op.query, op.variables);
      if (r.status !== 200 || r.errors?.length) throw new Error(`operation ${op.name} fails on apollo-plain: ${JSON.stringify(r.errors ?? r.status).slice(0, 500)}`);
    }
    const bodyOf = (op: (typeof ops)[number]) => JSON.stringify({ query: op.query, variables: op.variables });

    // ------------------------------------------------------------ the floor's requests, captured once
    const capture = async () => {
      await q(ops[0].query, ops[0].variables); // plan cached, so capture times only the fetches
      gw.child.proc.send({ type: 'capture', on: true });
      const r = await q(ops[0].query, ops[0].variables);
      if (r.errors?.length) throw new Error(`capture: ${JSON.stringify(r.errors).slice(0, 300)}`);
      const m = await gw.child.request({ type: 'capture', on: false }, 'captured');
      await gw.child.stop();
      return m.fetches as CapturedFetch[];
    };
    const apolloFetches = await capture();
    gw = await startGatewayChild('capture-anmulong');
    const capturedFetches = await capture();
    const floorFetches: FloorFetch[] = capturedFetches.map((f, i) => ({
      url: f.url,
      body: f.body,
      deps: capturedFetches.map((g, j) => (j !== i && g.end <= f.start ? j : -1)).filter((j) => j >= 0),
    }));
    const floorStages = (() => {
      const depth: number[] = [];
      floorFetches.forEach((f, i) => (depth[i] = f.deps.length ? Math.max(...f.deps.map((d) => depth[d])) + 1 : 0));
      return Math.max(0, ...depth) + 1;
    })();
    log(`operation (a): plain @apollo/gateway makes ${apolloFetches.length} subgraph requests (${apolloFetches.map((f) => f.service).join(', ')}); anmulong ${floorFetches.length} in ${floorStages} dependent steps: ${capturedFetches.map((f) => f.service).join(', ')}`);

    // ------------------------------------------------------------ CPU profile of our gateway
    let profileTable = '';
    if (flags.profile && flags.gateways.includes('anmulong')) {
      gw = await startGatewayChild('anmulong');
      const load = { url: gw.url, headers, body: bodyOf(ops[0]), connections: flags.connections };
      await runLoad('load', { ...load, duration: Math.max(flags.warmup, 2) });
      const file = path.join(ROOT, 'bench', 'results', `gateway-anmulong-${new Date().toISOString().slice(0, 10)}.cpuprofile`);
      await gw.child.request({ type: 'profile-start' }, 'profiling');
      await runLoad('load', { ...load, duration: flags.duration });
      await gw.child.request({ type: 'profile-stop', file }, 'profiled');
      await gw.child.stop();
      profileTable = summariseProfile(JSON.parse(fs.readFileSync(file, 'utf8')));
      log(`CPU profile kept at ${path.relative(ROOT, file)} (open in Chrome DevTools)`);
      if (flags.profileOnly) {
        process.stdout.write(profileTable + '\n');
        return;
      }
    }

    // ------------------------------------------------------------ rounds: A B C, A B C, …
    const results: Record<GatewayKind, Record<OpName, LoadResult[]>> = {} as never;
    const peakMB: Record<string, number> = {};
    /** gateway kind → operation → process → CPU ms and requests, summed over rounds. */
    const cpuPerRequest: Partial<Record<GatewayKind, Partial<Record<OpName, Record<string, { ms: number; requests: number }>>>>> = {};
    const errorDetails: string[] = [];
    for (const k of flags.gateways) results[k] = { household: [], chain: [], page: [] };
    for (let round = 1; round <= flags.rounds; round++) {
      for (const kind of flags.gateways) {
        gw = await startGatewayChild(kind);
        for (const op of ops) {
          const check = await gql(gw.url, headers, op.query, op.variables);
          if (check.status !== 200 || check.errors?.length) errorDetails.push(`${kind} ${op.name}: ${JSON.stringify(check.errors ?? check.status).slice(0, 300)}`);
          const load = { url: gw.url, headers, body: bodyOf(op), connections: flags.connections };
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

    // ------------------------------------------------------------ the floor under the same load
    const floorArgs = { fetches: floorFetches, headers, connections: flags.connections };
    if (flags.warmup > 0) await runLoad('floor', { ...floorArgs, duration: flags.warmup });
    const floor = await runLoad('floor', { ...floorArgs, duration: flags.duration });
    log(`floor: ${fmt(floor.rps)} replays/s, p50 ${fmt(floor.p50, 2)} ms, errors ${floor.errors}`);
    // And unloaded (one connection), each gateway against the floor: timed by the same client
    // (sub-millisecond), in alternating one-second slices so drift hits both sides alike.
    const single: Partial<Record<GatewayKind, LoadResult>> = {};
    for (const kind of flags.gateways) {
      gw = await startGatewayChild(kind);
      const versus = [{ url: gw.url, body: bodyOf(ops[0]), deps: [] }];
      await runLoad('floor', { fetches: versus, headers, connections: 1, duration: 2 });
      single[kind] = await runLoad('floor', { ...floorArgs, connections: 1, versus, slices: 5, duration: 2 * Math.min(5, flags.duration) });
      await gw.child.stop();
    }

    // ------------------------------------------------------------ store commands per request
    gw = await startGatewayChild(flags.gateways.includes('anmulong') ? 'anmulong' : flags.gateways[0]);
    const N = 20;
    const commandsPer = async (query: string, variables: object) => {
      for (let i = 0; i < 3; i++) await gql(gw.url, headers, query, variables); // warm caches
      docstore.resetCounters();
      for (let i = 0; i < N; i++) await gql(gw.url, headers, query, variables);
      const c = docstore.counters();
      const byDb = Object.entries(c.byDb)
        .map(([db, m]) => [db.replace(/^anmulong_/, ''), Object.values(m).reduce((a, b) => a + b, 0) / N] as const)
        .filter(([, n]) => n > 0)
        .map(([db, n]) => `${db} ${fmt(n, 1)}`)
        .join(', ');
      return { perRequest: c.commands / N, byDb };
    };
    const storeRows: { label: string; perRequest: number; byDb: string }[] = [];
    for (const op of ops) storeRows.push({ label: op.label, ...(await commandsPer(op.query, op.variables)) });
    if (small && big) {
      storeRows.push({ label: `(a) on a household of ${small.n} member(s)`, ...(await commandsPer(ops[0].query, { id: small.id })) });
      storeRows.push({ label: `(a) on a household of ${big.n} members`, ...(await commandsPer(ops[0].query, { id: big.id })) });
    }
    await gw.child.stop();

    // ------------------------------------------------------------ report
    const agg = (rs: LoadResult[]) => ({
      rps: mean(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      rounds: rs.map((r) => fmt(r.rps)).join(' / '),
    });
    const date = new Date().toISOString().slice(0, 10);
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const lines: string[] = [];
    lines.push(`# Gateway benchmark, ${date}`);
    lines.push('');
    lines.push(
      `Machine: ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average at start ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}. ` +
        `Demo data at scale ${flags.scale} (${residents} residents, ${demo.total} documents), docstore ${flags.inMemory ? 'in memory (--in-memory)' : 'journaled: every acknowledged write fsynced, as `npm start` runs it'}. ` +
        `autocannon, ${flags.connections} connections, ${flags.duration} s per run after ${flags.warmup} s warm-up, ${flags.rounds} rounds alternating ${flags.gateways.join(' → ')}; ` +
        `every process (docstore + identity provider, ${up.length} subgraphs, gateway, load generator) shares the same cores. ` +
        `Token of \`${flags.role}\` with \`X-Access-Purpose\`. Subgraphs: ${up.join(', ')}` +
        (Object.keys(skipped).length ? `; left out: ${Object.entries(skipped).map(([k, v]) => `${k} (${v})`).join(', ')}` : '') +
        '.',
    );
    const described: Record<GatewayKind, string> = {
      anmulong: 'our gateway as shipped (`startGateway`): token verification, purpose check, one access-log entry per personal-data read fsynced to its outbox before the answer and shipped to the access service in batches, a JSON log line per request; subgraph calls merged per subgraph and tick, identical in-flight calls shared, pooled keep-alive sockets',
      'anmulong-nodedupe': 'the same with in-flight deduplication off (`GATEWAY_SUBGRAPH_DEDUPE=off`)',
      'anmulong-noaudit': 'our gateway with the access log off (`AUDIT=off`), only to show what the log costs',
      'apollo-plain': '`@apollo/gateway` 2.14 + Apollo Server 5 standalone, RemoteGraphQLDataSource forwarding `Authorization` and `X-Access-Purpose`',
      hive: '`@graphql-hive/gateway` (`createGatewayRuntime` on node:http, one process) forwarding the same two headers; as shipped it deduplicates identical in-flight subgraph requests',
      'hive-nodedupe': 'the same with `deduplicateInflightRequests: false`',
    };
    lines.push('');
    for (const k of flags.gateways) lines.push(`- **${k}**: ${described[k]}.`);
    if (Object.keys(left).length) lines.push('', `Operation (a) leaves out: ${Object.entries(left).map(([k, v]) => `${k}: ${v}`).join('; ')}.`);
    lines.push('');
    lines.push('| operation | gateway | RPS (mean) | RPS per round | p50 ms | p99 ms | errors | RPS ÷ hive | RPS ÷ apollo-plain |');
    lines.push('|---|---|--:|---|--:|--:|--:|--:|--:|');
    for (const op of ops) {
      const base = Object.fromEntries(flags.gateways.map((k) => [k, agg(results[k][op.name])])) as Record<GatewayKind, ReturnType<typeof agg>>;
      for (const k of flags.gateways) {
        const a = base[k];
        // anmulong against hive as shipped; anmulong-nodedupe against hive-nodedupe (both without deduplication).
        const ratio = (other: GatewayKind) => (k.startsWith('anmulong') && base[other] ? fmt(a.rps / base[other].rps, 2) : '');
        const hive: GatewayKind = k === 'anmulong-nodedupe' ? 'hive-nodedupe' : 'hive';
        lines.push(`| ${op.label} | ${k} | ${fmt(a.rps)} | ${a.rounds} | ${fmt(a.p50)} | ${fmt(a.p99)} | ${a.errors} | ${ratio(hive)} | ${ratio('apollo-plain')} |`);
      }
    }
    if (flags.gateways.includes('anmulong') && flags.gateways.includes('anmulong-noaudit')) {
      // What the access log costs: mean RPS with it ÷ without, and the same per round (adjacent runs).
      const cost = ops.map((op) => {
        const on = results.anmulong[op.name];
        const off = results['anmulong-noaudit'][op.name];
        const perRound = on.map((r, i) => fmt(r.rps / off[i].rps, 2)).join(' / ');
        return `${op.name} ${fmt(mean(on.map((r) => r.rps)) / mean(off.map((r) => r.rps)), 2)} (rounds ${perRound})`;
      });
      lines.push('', `Access log on ÷ off (RPS, anmulong ÷ anmulong-noaudit): ${cost.join('; ')}.`);
    }
    lines.push('');
    lines.push(
      `Floor for (a): the ${floorFetches.length} subgraph requests the anmulong gateway makes for it (${floorStages} dependent steps: ${capturedFetches.map((f) => f.service).join(', ')}; ` +
        `plain @apollo/gateway makes ${apolloFetches.length}: ${apolloFetches.map((f) => f.service).join(', ')}), captured from its data source and replayed directly against the subgraphs in the same dependency order, with the same token and purpose.`,
    );
    lines.push('');
    lines.push('| (a) household view | p50 ms | RPS | gateway p50 ÷ floor p50 |');
    lines.push('|---|--:|--:|--:|');
    lines.push(`| floor, ${flags.connections} connections | ${fmt(floor.p50, 1)} | ${fmt(floor.rps)} | |`);
    for (const k of flags.gateways) {
      const a = agg(results[k].household);
      lines.push(`| ${k}, ${flags.connections} connections | ${fmt(a.p50, 1)} | ${fmt(a.rps)} | ${fmt(a.p50 / floor.p50, 2)} |`);
    }
    for (const k of flags.gateways) {
      const s = single[k]!;
      lines.push(`| floor, 1 connection, alternating with ${k} | ${fmt(s.floor!.p50, 2)} | ${fmt(s.floor!.rps)} | |`);
      lines.push(`| ${k}, 1 connection | ${fmt(s.p50, 2)} | ${fmt(s.rps)} | ${fmt(s.p50 / s.floor!.p50, 2)} |`);
    }
    const timed = flags.gateways.filter((k) => Object.keys(single[k]?.phases ?? {}).length);
    if (timed.length) {
      const names = ['request', 'plan', 'subgraphs', 'shape', 'audit', 'total'];
      lines.push('');
      lines.push(`Where (a)'s time goes inside our gateway, one request at a time (medians of its \`Server-Timing\` header, ms; request: received → context ready (body, token, purpose); plan: → first subgraph call; subgraphs: first call → last answer, both dependent stages and the gateway's work between them; shape: merging the answers; audit: the access-log entry made durable; total: received → answered). The floor's p50, alternating with each, is in the table above.`);
      lines.push('');
      lines.push(`| gateway | ${names.join(' | ')} | client p50 | floor p50 |`);
      lines.push(`|---|${names.map(() => '--:').join('|')}|--:|--:|`);
      for (const k of timed) lines.push(`| ${k} | ${names.map((n) => fmt(single[k]!.phases![n] ?? NaN, 2)).join(' | ')} | ${fmt(single[k]!.p50, 2)} | ${fmt(single[k]!.floor!.p50, 2)} |`);
    }
    lines.push('');
    lines.push(`Peak RSS of each gateway process (max over rounds): ${flags.gateways.map((k) => `${k} ${fmt(peakMB[k])} MB`).join(', ')}.`);
    lines.push('');
    lines.push('CPU time per request, by process (ms, from /proc over the measured runs; the load generator is not counted):');
    lines.push('');
    const procNames = ['gateway', ...processes.map((p) => p.name)];
    lines.push(`| operation | gateway | total | ${procNames.join(' | ')} |`);
    lines.push(`|---|---|--:|${procNames.map(() => '--:').join('|')}|`);
    for (const op of ops) {
      for (const k of flags.gateways) {
        const row = cpuPerRequest[k]?.[op.name];
        if (!row) continue;
        const per = (n: string) => (row[n] && row[n].requests ? row[n].ms / row[n].requests : NaN);
        const total = procNames.reduce((a, n) => a + (Number.isFinite(per(n)) ? per(n) : 0), 0);
        lines.push(`| ${op.label} | ${k} | ${fmt(total, 2)} | ${procNames.map((n) => fmt(per(n), 2)).join(' | ')} |`);
      }
    }
    lines.push('');
    lines.push('Store commands per request (docstore counters, through the anmulong gateway, mean of 20 sequential requests after warm-up):');
    lines.push('');
    lines.push('| operation | commands per request | by database |');
    lines.push('|---|--:|---|');
    for (const r of storeRows) lines.push(`| ${r.label} | ${fmt(r.perRequest, 1)} | ${r.byDb} |`);
    if (profileTable) {
      lines.push('');
      lines.push(`Hottest functions of the anmulong gateway (self time, \`--cpu-prof\` during ${flags.duration} s of (a) at ${flags.connections} connections):`);
      lines.push('');
      lines.push(profileTable);
    }
    const errorsTotal = flags.gateways.reduce((a, k) => a + ops.reduce((b, op) => b + agg(results[k][op.name]).errors, 0), 0) + floor.errors +
      // an alternating run counts the errors of both its sides
      Object.values(single).reduce((a, r) => a + (r?.errors ?? 0), 0);
    lines.push('');
    lines.push(errorsTotal === 0 && errorDetails.length === 0 ? 'Errors: none.' : `Errors: ${errorsTotal}. ${errorDetails.join('; ')}`);
    lines.push('');
    lines.push(`Reproduce: \`npm run bench:gateway -- ${process.argv.slice(2).join(' ')}\`. Took ${Math.round((Date.now() - started) / 1000)} s.`);
    const report = lines.join('\n') + '\n';
    process.stdout.write(report);
    const out = flags.out ?? path.join(ROOT, 'bench', 'results', `gateway-${date}.md`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, report);
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

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (top 10), and per package, from a V8 .cpuprofile. */
function summariseProfile(p: CpuProfile): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  let total = 0;
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  for (const [id, us] of self) {
    const cf = byId.get(id)!.callFrame;
    total += us;
    if (cf.functionName === '(idle)') continue;
    const where = cf.url.replace(/^file:\/\//, '').replace(ROOT + '/', '');
    const key = `${cf.functionName || '(anonymous)'} — ${where ? `${where}:${cf.lineNumber + 1}` : 'native'}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? (where.startsWith('node:') ? 'node (core)' : where ? where.split('/').slice(0, 2).join('/') : cf.functionName);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0);
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)} %`;
  const top = [...fns].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const rows = ['| # | function — location | self time |', '|--:|---|--:|'];
  top.forEach(([k, us], i) => rows.push(`| ${i + 1} | \`${k.replace(/\|/g, '\\|')}\` | ${pct(us)} |`));
  rows.push('');
  rows.push(
    `By package (self time; idle ${pct(idle)}): ` +
      [...pkgs]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([k, us]) => `${k} ${pct(us)}`)
        .join(', ') +
      '.',
  );
  return rows.join('\n');
}
