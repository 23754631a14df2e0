/**
 * The gateway benchmark's report: markdown with the figures of every run (throughput and
 * latency per operation and gateway, the floor, where the time goes, memory, CPU per request by
 * process, store commands per request, the hottest functions of our gateway).
 */
import os from 'node:os';
import path from 'node:path';
import { fmt, mean, median } from '../measure';
import type { CapturedFetch, LoadResult } from './children';
import type { Flags, GatewayKind, OpName } from './flags';
import { shares, type Operation, type User } from './operations';

const ROOT = path.resolve(__dirname, '..', '..');

/** Everything measured, as the runner gathered it. */
export interface Measured {
  flags: Flags;
  /** When the run started (ms since the epoch). */
  started: number;
  residentCount: number;
  documents: number;
  /** Subgraphs running, and why the others are not. */
  up: string[];
  skipped: Record<string, string>;
  towns: string[];
  narrow: User[];
  ops: Operation[];
  leftOut: Record<string, number>;
  left: Record<string, string>;
  notPermitted: Record<string, string[]>;
  results: Record<GatewayKind, Record<OpName, LoadResult[]>>;
  floor: LoadResult;
  /** Each gateway at one connection, alternating with the floor. */
  single: Partial<Record<GatewayKind, LoadResult>>;
  apolloFetches: CapturedFetch[];
  capturedFetches: CapturedFetch[];
  floorStages: number;
  peakMB: Record<string, number>;
  /** The processes whose CPU time is accounted per request, besides the gateway. */
  processes: { name: string; pid: number }[];
  /** gateway kind → operation → process → CPU ms and requests, summed over rounds. */
  cpuPerRequest: Partial<Record<GatewayKind, Partial<Record<OpName, Record<string, { ms: number; requests: number }>>>>>;
  storeRows: { label: string; perRequest: number; byDb: string }[];
  profileTable: string;
  errorDetails: string[];
}

/** The report, and the number of errors it counts (any fails the run). */
export function report(m: Measured): { text: string; errorsTotal: number } {
  const { flags, started, residentCount, documents, up, skipped, towns, narrow, ops, leftOut, left, notPermitted, results, floor, single, apolloFetches, capturedFetches, floorStages, peakMB, processes, cpuPerRequest, storeRows, profileTable, errorDetails } = m;
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
      `Demo data at scale ${flags.scale} (${residentCount} residents, ${documents} documents), docstore ${flags.inMemory ? 'in memory (--in-memory)' : 'journaled: every acknowledged write fsynced, as `npm start` runs it'}. ` +
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
    `Floor for (a): the ${capturedFetches.length} subgraph requests the anmulong gateway makes for it (${floorStages} dependent steps: ${capturedFetches.map((f) => f.service).join(', ')}; ` +
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
  return { text: lines.join('\n') + '\n', errorsTotal };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (top 10), and per package, from a V8 .cpuprofile. */
export function summariseProfile(p: CpuProfile): string {
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
