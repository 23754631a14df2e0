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
 * Internal: --child <kind> <json> runs one child (subgraph, gateway, load, floor).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { decodeClaims, freePort } from '@anmulong/testkit';
import os from 'node:os';
import path from 'node:path';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CpuProfiler, cpuMsOf, quantile, readFlags } from './measure';
import { DEPARTMENT_FRAGMENTS, PAGE_QUERY, chainQuery, gql, householdQuery, post } from './operations';

const ROOT = path.resolve(__dirname, '..');
const SUPERGRAPH = path.join(ROOT, 'gateway', 'supergraph.graphql');
/**
 * The first three run by default; the variants (opt-in with --gateways) turn off in-flight
 * deduplication (`-nodedupe`) or the access log (`anmulong-noaudit`, to measure its cost).
 */
const GATEWAYS = ['anmulong', 'apollo-plain', 'hive', 'anmulong-nodedupe', 'hive-nodedupe', 'anmulong-noaudit'] as const;
const DEFAULT_GATEWAYS: GatewayKind[] = ['anmulong', 'apollo-plain', 'hive'];
type GatewayKind = (typeof GATEWAYS)[number];
/** `household`, `chain`, `page`, and with --single-key the same with `-1key`. */
type OpName = string;

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
    await startGateway({
      port: a.port,
      host: '127.0.0.1',
      keycloakUrl: a.keycloakUrl,
      subgraphUrls: a.subgraphUrls,
      accessLog: { outboxDir: a.outboxDir },
      // Throughput against gateways without per-caller limits: a few users send everything here, far
      // above a person's rate and concurrency, so those caps are lifted (cost and structure are
      // still checked; `npm run bench:flood` measures the caps).
      limits: { rate: { perSecond: 1_000_000, burst: 1_000_000, maxInFlight: 1_000_000, maxCostInFlight: 1_000_000_000 } },
    });
  } else if (a.kind === 'apollo-plain' || a.kind === 'capture-apollo' || a.kind === 'capture-anmulong') {
    const { ApolloGateway, RemoteGraphQLDataSource } = require('@apollo/gateway') as typeof import('@apollo/gateway');
    const { ApolloServer } = require('@apollo/server') as typeof import('@apollo/server');
    const { startStandaloneServer } = require('@apollo/server/standalone') as typeof import('@apollo/server/standalone');
    const { PooledDataSource } = require('@anmulong/gateway') as typeof import('@anmulong/gateway');
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
  /** A JSON file of the requests to cycle through, each its body and the user's authorization. */
  requestsFile: string;
  connections: number;
  duration: number;
}
/** One request of a workload: the body and the token of the user who sends it. */
interface WorkItem {
  body: string;
  authorization: string;
  /** Who sends it (for the report). */
  user: string;
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
  const items = JSON.parse(fs.readFileSync(a.requestsFile, 'utf8')) as WorkItem[];
  // Every request, on whichever connection, takes the next item: concurrent requests differ.
  let next = 0;
  const r = await autocannon({
    url: a.url,
    method: 'POST',
    headers: a.headers,
    requests: [{
      setupRequest: (req: { headers: Record<string, string>; body?: string }) => {
        const item = items[next++ % items.length];
        return { ...req, body: item.body, headers: { ...req.headers, authorization: item.authorization } };
      },
    }],
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
  const { parseServerTiming } = require('@anmulong/gateway') as typeof import('@anmulong/gateway');
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
    const q = (p: number) => quantile(latencies, p);
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

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// ====================================================================== main

interface Flags {
  scale: number;
  duration: number;
  connections: number;
  rounds: number;
  warmup: number;
  pool: number;
  users: string[];
  singleKey: boolean;
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
    pool: 2000,
    users: ['analyst', 'police.officer', 'mediator', 'caseworker', 'judge', 'organizer', 'gridworker'],
    singleKey: false,
    purpose: 'performance benchmark',
    gateways: [...DEFAULT_GATEWAYS],
    subgraphs: null,
    profile: true,
    profileOnly: false,
    inMemory: false,
    out: null,
  };
  readFlags(argv, 'bench/gateway.ts', ({ flag, value, num }) => {
    switch (flag) {
      case '--scale': f.scale = num(); return true;
      case '--duration': f.duration = num(); return true;
      case '--connections': f.connections = Math.round(num()); return true;
      case '--rounds': f.rounds = Math.round(num()); return true;
      case '--warmup': f.warmup = Number(value()); return true;
      case '--pool': f.pool = Math.round(num()); return true;
      case '--users': f.users = value().split(',').map((s) => s.trim()).filter(Boolean); return true;
      case '--role': f.users = [value()]; return true;
      case '--single-key': f.singleKey = true; return true;
      case '--purpose': f.purpose = value(); return true;
      case '--gateways': {
        const g = value().split(',').map((s) => s.trim()) as GatewayKind[];
        for (const k of g) if (!GATEWAYS.includes(k)) throw new Error(`unknown gateway ${k}`);
        f.gateways = g;
        return true;
      }
      case '--subgraphs': f.subgraphs = value().split(',').map((s) => s.trim()); return true;
      case '--no-profile': f.profile = false; return true;
      case '--profile-only': f.profileOnly = true; return true;
      case '--in-memory': f.inMemory = true; return true;
      case '--out': f.out = value(); return true;
      default: return false;
    }
  });
  return f;
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
  const started = Date.now();

  const { startDocstore } = require('@anmulong/docstore') as typeof import('@anmulong/docstore');
  const { startIdentityProvider } = require('@anmulong/identity') as typeof import('@anmulong/identity');
  const { loadDemo } = require('@anmulong/demo') as typeof import('@anmulong/demo');
  const { SUBGRAPHS } = require('@anmulong/platform') as typeof import('@anmulong/platform');
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
    const login = async (username: string) => {
      const token = await fetchToken(idp.url, username);
      const claims = decodeClaims(token) as { jurisdiction?: string };
      return { username, jurisdiction: String(claims.jurisdiction ?? ''), authorization: `Bearer ${token}` };
    };
    type User = Awaited<ReturnType<typeof login>>;
    const users: User[] = [];
    for (const u of new Set(flags.users)) users.push(await login(u));
    // The analyst (banner-wide) finds the pool's records; it is also the single-key runs' user.
    const analyst = users.find((u) => u.username === 'analyst') ?? (await login('analyst'));
    const baseHeaders = { 'content-type': 'application/json', 'x-access-purpose': flags.purpose };
    const headersOf = (authorization: string) => ({ ...baseHeaders, authorization });

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
    const q = (query: string, variables: object = {}, as: User = analyst) => gql(gw.url, headersOf(as.authorization), query, variables);
    const up = Object.keys(subgraphUrls);
    const left: Record<string, string> = {};

    // The pools: distinct households (with the cursor before each), and residents with help
    // requests, from every town in turn, up to --pool each; a user narrower than a town (the grid
    // worker) adds records of their own jurisdiction, found as themselves.
    const towns: string[] = ((await q(`{ division(code: "150624") { children { code } } }`)).data?.division?.children ?? []).map((d: { code: string }) => d.code);
    if (!towns.length) throw new Error('no towns in the demo data');
    interface Found { id: string; code: string; after: string | null }
    const walk = async (list: 'households' | 'helpRequests', code: string, want: number, as: User = analyst): Promise<Found[]> => {
      const node = list === 'households' ? 'id division { code }' : 'resident { id division { code } }';
      const found = new Map<string, Found>();
      let after: string | null = null;
      while (found.size < want) {
        const r = await q(`query($code: String!, $after: String) { list: ${list}(divisionCode: $code, first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { ${node} } } } }`, { code, after }, as);
        if (r.errors?.length) throw new Error(`${list} of ${code} as ${as.username}: ${JSON.stringify(r.errors).slice(0, 300)}`);
        let before = after;
        for (const e of r.data.list.edges as { cursor: string; node: any }[]) {
          const rec = list === 'households' ? e.node : e.node.resident;
          if (rec && !found.has(rec.id) && found.size < want) found.set(rec.id, { id: rec.id, code: rec.division.code, after: before });
          before = e.cursor;
        }
        if (!r.data.list.pageInfo.hasNextPage) break;
        after = r.data.list.pageInfo.endCursor;
      }
      return [...found.values()];
    };
    /** Interleaves lists (one of each in turn), so consecutive requests go to different towns. */
    const interleave = <T>(lists: T[][]): T[] => {
      const out: T[] = [];
      for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]);
      return out;
    };
    const narrow = users.filter((u) => u.jurisdiction.length > 9);
    const perArea = Math.ceil(flags.pool / (towns.length + narrow.length));
    const gather = async (list: 'households' | 'helpRequests') =>
      interleave([
        ...(await Promise.all(towns.map((t) => walk(list, t, perArea)))),
        ...(await Promise.all(narrow.map((u) => walk(list, u.jurisdiction, perArea, u).catch(() => [] as Found[])))),
      ]).filter((f, i, all) => all.findIndex((g) => g.id === f.id) === i).slice(0, flags.pool);
    const households = await gather('households');
    const residents = up.includes('police') ? await gather('helpRequests') : [];
    // Pages: every 20th household of a town starts one (after the cursor before it).
    const pages = households.filter((_, i) => i % 20 === 0).map((h) => ({ id: `${h.code.slice(0, 9)}:${h.after}`, code: h.code.slice(0, 9), after: h.after }));
    log(`pools: ${households.length} households, ${residents.length} residents with help requests, ${pages.length} pages, over ${towns.length} towns${narrow.length ? ` and the jurisdictions of ${narrow.map((u) => u.username).join(', ')}` : ''}`);

    // Each user's form of each operation: as much as they may read, without errors.
    const sampleFor = (pool: Found[], u: User) => pool.find((f) => f.code.startsWith(u.jurisdiction));
    const clean = async (query: string, variables: object, u: User) => {
      const r = await q(query, variables, u);
      return r.status === 200 && !r.errors?.length ? null : `${r.errors?.[0]?.extensions?.code ?? r.status} ${r.errors?.[0]?.message ?? ''}`.slice(0, 200);
    };
    const forms = new Map<string, { household?: string; chain?: string; page?: string }>();
    /** Per user, the departments whose fragment of (a) their role may not read (left out of their query). */
    const notPermitted: Record<string, string[]> = {};
    for (const u of [...users, analyst].filter((x, i, all) => all.indexOf(x) === i)) {
      const form: { household?: string; chain?: string; page?: string } = {};
      const home = sampleFor(households, u);
      if (home) {
        const departments: string[] = [];
        for (const d of DEPARTMENT_FRAGMENTS) {
          if (!up.includes(d.subgraph)) {
            left[d.subgraph] = skipped[d.subgraph] ?? 'subgraph not running';
            continue;
          }
          const why = await clean(householdQuery([d.subgraph]), { id: home.id }, u);
          if (why) (notPermitted[u.username] ??= []).push(d.subgraph);
          else departments.push(d.subgraph);
        }
        if (!(await clean(householdQuery(departments), { id: home.id }, u))) form.household = householdQuery(departments);
        if (!(await clean(PAGE_QUERY, { code: home.code.slice(0, Math.max(9, u.jurisdiction.length)), after: null }, u))) form.page = PAGE_QUERY;
      }
      // The chain's form is tried on the longest chain in the user's jurisdiction (a help request
      // that became a dispute, one that reached court if any), where what the user may not read shows.
      const disputes = up.includes('mediation') ? await q(`query($code: String!) { disputes(divisionCode: $code, first: 100) { edges { node { stage helpRequest { resident { id } } } } } }`, { code: u.jurisdiction }) : null;
      const linked: { stage: string; helpRequest: { resident: { id: string } | null } | null }[] = (disputes?.data?.disputes?.edges ?? []).map((e: any) => e.node).filter((d: any) => d.helpRequest?.resident);
      const courtParty = (linked.find((d) => d.stage === 'COURT') ?? linked[0])?.helpRequest?.resident?.id;
      const someone = courtParty ? { id: courtParty } : sampleFor(residents, u);
      if (someone) {
        // As far along resident → help requests → dispute → court case as the user may read.
        for (const chain of [['police', 'mediation', 'court'], ['police', 'mediation'], ['police']].map((c) => c.filter((d) => up.includes(d)))) {
          if (!(await clean(chainQuery(chain), { id: someone.id }, u))) {
            form.chain = chainQuery(chain);
            break;
          }
        }
      }
      forms.set(u.username, form);
      log(`${u.username} (${u.jurisdiction}): ${(['household', 'chain', 'page'] as const).map((k) => `${k} ${form[k] ? 'yes' : 'no'}`).join(', ')}`);
    }
    for (const [k, v] of Object.entries(left)) log(`operation (a) leaves out ${k}: ${v}`);
    for (const [k, v] of Object.entries(notPermitted)) log(`operation (a) as ${k} leaves out what the role may not read: ${v.join(', ')}`);

    /** A pool's items, each sent by the next of the users who cover it and may run the operation. */
    const workload = (pool: { id: string; code: string }[], kind: 'household' | 'chain' | 'page', variables: (f: any) => object, by: User[] = users): WorkItem[] => {
      const items: WorkItem[] = [];
      /** Whose turn it is among the users covering an area, so each area's records go round them all. */
      const turn = new Map<string, number>();
      pool.forEach((f) => {
        const covering = by.filter((u) => forms.get(u.username)?.[kind] && f.code.startsWith(u.jurisdiction));
        const key = covering.map((u) => u.username).join();
        const n = turn.get(key) ?? 0;
        turn.set(key, n + 1);
        const u = covering[n % covering.length];
        if (!u) return;
        items.push({ body: JSON.stringify({ query: forms.get(u.username)![kind], variables: variables(f) }), authorization: u.authorization, user: u.username });
      });
      return items;
    };
    /** How many of a workload's requests each user sends. */
    const shares = (items: WorkItem[]) => {
      const n: Record<string, number> = {};
      for (const i of items) n[i.user] = (n[i.user] ?? 0) + 1;
      return Object.entries(n).map(([u, k]) => `${u} ${k}`).join(', ');
    };
    const ops: { name: OpName; label: string; requests: ReturnType<typeof workload> }[] = [
      { name: 'household', label: '(a) household view', requests: workload(households, 'household', (f) => ({ id: f.id })) },
      { name: 'chain', label: '(b) resident → help requests → dispute → court case', requests: workload(residents, 'chain', (f) => ({ id: f.id })) },
      { name: 'page', label: '(c) 20 households with members', requests: workload(pages, 'page', (f) => ({ code: f.code, after: f.after })) },
    ];
    if (flags.singleKey) {
      // The earlier workload, as a labelled extra: the analyst asking for one record every time.
      for (const op of [...ops]) {
        const one = workload(op.name === 'household' ? households : op.name === 'chain' ? residents : pages, op.name as 'household' | 'chain' | 'page', (f) => (op.name === 'page' ? { code: f.code, after: f.after } : { id: f.id }), [analyst]).slice(0, 1);
        ops.push({ name: `${op.name}-1key`, label: `${op.label}, single key (one record, \`analyst\`)`, requests: one });
      }
    }
    /** Requests left out of each workload because they answered with errors. */
    const leftOut: Record<string, number> = {};
    for (const op of ops) {
      // Every request must answer cleanly before anything is measured: one whose record holds
      // something its user may not read (a form was chosen on one sample) leaves the workload.
      const failed: string[] = [];
      const ok = new Array<boolean>(op.requests.length);
      let at = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let i = at++; i < op.requests.length; i = at++) {
          const r = await post(gw.url, headersOf(op.requests[i].authorization), op.requests[i].body);
          ok[i] = r.status === 200 && !r.errors?.length;
          if (!ok[i]) failed.push(`${r.errors?.[0]?.extensions?.code ?? r.status} ${r.errors?.[0]?.message ?? ''}`.slice(0, 200));
        }
      }));
      const kept = op.requests.filter((_, i) => ok[i]);
      if (failed.length) log(`operation ${op.name}: ${failed.length} of ${op.requests.length} requests answer with errors and are left out, e.g. ${failed[0]}`);
      if (failed.length) leftOut[op.name] = failed.length;
      op.requests = kept;
      if (!op.requests.length) throw new Error(`operation ${op.name}: no request in its workload (no user covers its records, or all fail)`);
      fs.writeFileSync(requestsFile(op.name), JSON.stringify(op.requests));
      log(`operation ${op.name}: ${op.requests.length} distinct requests (${shares(op.requests)})`);
    }
    const first = ops[0].requests[0];
    const firstHeaders = headersOf(first.authorization);
    /** Where each operation's workload is kept for the load child (too long for its argv). */
    function requestsFile(name: string): string {
      return path.join(tmp, `requests-${name}.json`);
    }

    // Households with the fewest and the most members in a town, for the store-command check.
    const analystHousehold = forms.get(analyst.username)?.household;
    const pageR = await q(`query($code: String!) { households(divisionCode: $code, first: 100) { edges { node { id members { id } } } } }`, { code: towns[0] });
    const sizes: { id: string; n: number }[] = (pageR.data?.households?.edges ?? []).map((e: any) => ({ id: e.node.id, n: e.node.members.length }));
    sizes.sort((x, y) => x.n - y.n);
    const small = sizes[0];
    const big = sizes[sizes.length - 1];

    // ------------------------------------------------------------ the floor's requests, captured once
    const capture = async () => {
      await post(gw.url, firstHeaders, first.body); // plan cached, so capture times only the fetches
      gw.child.proc.send({ type: 'capture', on: true });
      const r = await post(gw.url, firstHeaders, first.body);
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
      const load = { url: gw.url, headers: baseHeaders, requestsFile: requestsFile(ops[0].name), connections: flags.connections };
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
    for (const k of flags.gateways) results[k] = Object.fromEntries(ops.map((op) => [op.name, []]));
    for (let round = 1; round <= flags.rounds; round++) {
      for (const kind of flags.gateways) {
        gw = await startGatewayChild(kind);
        for (const op of ops) {
          const check = await post(gw.url, headersOf(op.requests[0].authorization), op.requests[0].body);
          if (check.status !== 200 || check.errors?.length) errorDetails.push(`${kind} ${op.name}: ${JSON.stringify(check.errors ?? check.status).slice(0, 300)}`);
          const load = { url: gw.url, headers: baseHeaders, requestsFile: requestsFile(op.name), connections: flags.connections };
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
    // The floor replays the subgraph requests of the pool's first household (one record: the
    // subgraphs' own cost of a household view, which the gateways add theirs to).
    const floorArgs = { fetches: floorFetches, headers: firstHeaders, connections: flags.connections };
    if (flags.warmup > 0) await runLoad('floor', { ...floorArgs, duration: flags.warmup });
    const floor = await runLoad('floor', { ...floorArgs, duration: flags.duration });
    log(`floor: ${fmt(floor.rps)} replays/s, p50 ${fmt(floor.p50, 2)} ms, errors ${floor.errors}`);
    // And unloaded (one connection), each gateway against the floor: timed by the same client
    // (sub-millisecond), in alternating one-second slices so drift hits both sides alike.
    const single: Partial<Record<GatewayKind, LoadResult>> = {};
    for (const kind of flags.gateways) {
      gw = await startGatewayChild(kind);
      const versus = [{ url: gw.url, body: first.body, deps: [] }];
      await runLoad('floor', { fetches: versus, headers: firstHeaders, connections: 1, duration: 2 });
      single[kind] = await runLoad('floor', { ...floorArgs, connections: 1, versus, slices: 5, duration: 2 * Math.min(5, flags.duration) });
      await gw.child.stop();
    }

    // ------------------------------------------------------------ store commands per request
    gw = await startGatewayChild(flags.gateways.includes('anmulong') ? 'anmulong' : flags.gateways[0]);
    const N = 20;
    const commandsPer = async (item: WorkItem) => {
      const headers = headersOf(item.authorization);
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
        `Demo data at scale ${flags.scale} (${residentCount} residents, ${demo.total} documents), docstore ${flags.inMemory ? 'in memory (--in-memory)' : 'journaled: every acknowledged write fsynced, as `npm start` runs it'}. ` +
        `autocannon, ${flags.connections} connections, ${flags.duration} s per run after ${flags.warmup} s warm-up, ${flags.rounds} rounds alternating ${flags.gateways.join(' → ')}; ` +
        `every process (docstore + identity provider, ${up.length} subgraphs, gateway, load generator) shares the same cores. ` +
        `Workload: each request takes the next of a pool of distinct records from ${towns.length} towns${narrow.length ? ` and the jurisdictions of ${narrow.map((u) => u.username).join(', ')}` : ''}, sent as a demo user whose jurisdiction covers it, with \`X-Access-Purpose\` (${ops.map((op) => `${op.name}: ${op.requests.length} requests, ${shares(op.requests)}${leftOut[op.name] ? `, ${leftOut[op.name]} more left out as they answered with errors` : ''}`).join('; ')}). Subgraphs: ${up.join(', ')}` +
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
    if (Object.keys(notPermitted).length) lines.push('', `Each user's (a) leaves out the departments their role may not read: ${Object.entries(notPermitted).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')}.`);
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
