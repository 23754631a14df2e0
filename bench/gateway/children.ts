/**
 * The gateway benchmark's children, each its own process (started by runner.ts through
 * ../processes.ts with `--child <kind> <json>`):
 *   - subgraph: one subgraph of SUBGRAPHS
 *   - gateway:  one of the gateways compared (GATEWAYS), or a capturing gateway that records
 *               its subgraph requests for the floor
 *   - load:     autocannon over a workload's requests
 *   - floor:    subgraph requests replayed directly, optionally alternating with a gateway's
 * Each loads only what it runs, so a gateway's memory and CPU are its own.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { median, quantile } from '../measure';
import { runChild, send, serveControl } from '../processes';
import type { GatewayKind } from './flags';

async function childSubgraph(a: { name: string; mongoUri: string; keycloakUrl: string; subgraphUrls: Record<string, string> }) {
  const { start } = require(`@anmulong/${a.name}`) as { start: (o: object) => Promise<{ url: string }> };
  // Plain @apollo/gateway, Hive Gateway and the floor's replays sign no gateway assertions: the
  // subgraphs serve a user's token alone here, for every gateway alike.
  const s = await start({ port: 0, host: '127.0.0.1', mongoUri: a.mongoUri, keycloakUrl: a.keycloakUrl, subgraphUrls: a.subgraphUrls, requireGatewayAssertion: false });
  serveControl();
  send({ type: 'ready', url: s.url });
}

export interface CapturedFetch {
  service: string;
  url: string;
  body: string;
  start: number;
  end: number;
}

/** A gateway to compare, or one that records its subgraph requests (for the floor). */
export type GatewayChildKind = GatewayKind | 'capture-apollo' | 'capture-anmulong';

async function childGateway(a: { kind: GatewayChildKind; port: number; keycloakUrl: string; subgraphUrls: Record<string, string>; supergraphFile: string; outboxDir: string }) {
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
  serveControl({
    profile: { intervalUs: 500 },
    other: (m) => {
      if (m.type === 'capture') {
        capturing = Boolean(m.on);
        if (!capturing) send({ type: 'captured', fetches: captured.splice(0) });
      }
    },
  });
  send({ type: 'ready', url: `http://127.0.0.1:${a.port}/graphql` });
}

export interface LoadArgs {
  url: string;
  headers: Record<string, string>;
  /** A JSON file of the requests to cycle through, each its body and the user's authorization. */
  requestsFile: string;
  connections: number;
  duration: number;
}
/** One request of a workload: the body and the token of the user who sends it. */
export interface WorkItem {
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
export interface FloorFetch {
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


const CHILDREN = { subgraph: childSubgraph, gateway: childGateway, load: childLoad, floor: childFloor };
export type ChildKind = keyof typeof CHILDREN;
/** This file, which the runner starts as each child. */
export const CHILD_SCRIPT = __filename;

if (require.main === module) runChild(CHILDREN);
