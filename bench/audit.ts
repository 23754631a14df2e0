/**
 * Access-log write path: `npm run bench:audit -- [flags]` (not part of `npm test`).
 *
 * The part of the household view's cost that the access log adds, isolated: the docstore
 * (journaled, as `npm start` runs it) and the identity provider in this process, the access
 * service in a child process, and in another child the gateway's own outbox (journal on disk,
 * shipped to the access service) recording entries shaped like the household view's from
 * `--callers` concurrent callers at `--rate` entries per second in all (about what the gateway
 * serves under load), each waiting until its entry is durable before recording the next (as a
 * gateway request does). `--rate 0` records as fast as the callers can. At the end the outbox is drained, so every entry counted is
 * stored in the access service's chain.
 *
 * Prints entries per second, the p50/p99 wait for durability, and CPU time per entry of each
 * process (from /proc), so a change to the write path can be judged on its own.
 *
 * Flags: --callers 20 · --rate 300 · --duration 8 (s) · --warmup 2 (s) · --residents 8 (ids per entry) ·
 *   --scale 0 (demo data loaded first, so the store holds as much as in use) ·
 *   --cpu-prof (.cpuprofiles of the access service and the docstore during the measured load, to bench/results/)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import { CpuProfiler, cpuSince, cpuSnapshot, quantile } from './measure';
import { runChildOrMain, send, serveControl, startChild } from './processes';

const ROOT = path.resolve(__dirname, '..');

interface Flags {
  callers: number;
  rate: number;
  duration: number;
  warmup: number;
  residents: number;
  cpuProf: boolean;
  /** Demo data loaded into the docstore first (0: none), so the store is as large as in use. */
  scale: number;
}

function parseFlags(argv: string[]): Flags {
  const f: Flags = { callers: 20, rate: 300, duration: 8, warmup: 2, residents: 8, cpuProf: false, scale: 0 };
  for (let i = 0; i < argv.length; i++) {
    const num = () => {
      const n = Number(argv[++i]);
      if (!(n >= 0)) throw new Error(`${argv[i - 1]} must be a number`);
      return n;
    };
    switch (argv[i]) {
      case '--callers': f.callers = Math.max(1, Math.round(num())); break;
      case '--rate': f.rate = num(); break;
      case '--duration': f.duration = num(); break;
      case '--warmup': f.warmup = num(); break;
      case '--residents': f.residents = Math.round(num()); break;
      case '--cpu-prof': f.cpuProf = true; break;
      case '--scale': f.scale = num(); break;
      default: throw new Error(`unknown argument ${argv[i]} (see the header of bench/audit.ts)`);
    }
  }
  return f;
}

/** An entry like the gateway writes for the household view (analyst, every department's fields). */
function householdEntry(residents: number) {
  const fields = ['Household.id', 'Household.address', 'Household.members', 'Resident.id', 'Resident.name', 'Resident.idNumber (masked)', 'Resident.phone (masked)', 'Resident.birthDate', 'Resident.gender', 'Resident.ethnicity', 'Resident.division', 'Resident.helpRequests', 'Resident.aidApplications', 'Resident.partyMember', 'Resident.disputes', 'Resident.patrolIncidents', 'Household.aidGrants', 'Household.modelHousehold', 'Household.centralHousehold'];
  return {
    kind: 'READ',
    subject: new Types.ObjectId().toHexString(),
    username: 'analyst',
    roles: ['analyst'],
    department: null,
    jurisdiction: '150624',
    operationName: 'HouseholdView',
    documentHash: 'a'.repeat(64),
    purpose: 'performance benchmark',
    requestId: '',
    residentIds: Array.from({ length: residents }, () => new Types.ObjectId().toHexString()).sort(),
    householdIds: [new Types.ObjectId().toHexString()],
    fields,
    withheld: [],
  };
}

// ====================================================================== children

async function childAccess(a: { mongoUri: string; keycloakUrl: string }) {
  process.env.LOG_LEVEL = 'warn';
  const { start } = require('@anmulong/access') as typeof import('@anmulong/access');
  const s = await start({ port: 0, host: '127.0.0.1', mongoUri: a.mongoUri, keycloakUrl: a.keycloakUrl });
  send({ type: 'ready', url: s.url });
  serveControl({ close: () => s.close(), profile: {} });
}

async function childLoad(a: { accessUrl: string; keycloakUrl: string; callers: number; rate: number; duration: number; residents: number; outboxDir: string }) {
  const { AccessLogClient } = require('@anmulong/gateway') as typeof import('@anmulong/gateway');
  const { AccessLogOutbox } = require('@anmulong/gateway') as typeof import('@anmulong/gateway');
  const { createLogger } = require('@anmulong/platform') as typeof import('@anmulong/platform');
  const transport = new AccessLogClient(a.accessUrl, a.keycloakUrl);
  const client = new AccessLogOutbox({ dir: a.outboxDir, ship: (e) => transport.store(e), log: createLogger('bench', 'warn') });
  await client.open();
  const cpu0 = process.cpuUsage();
  const entry = householdEntry(a.residents);
  const latencies: number[] = [];
  let errors = 0;
  const start = Date.now();
  const end = start + a.duration * 1000;
  const gap = a.rate > 0 ? (1000 * a.callers) / a.rate : 0; // ms between one caller's entries
  await Promise.all(
    Array.from({ length: a.callers }, async (_, i) => {
      for (let n = 0; Date.now() < end; n++) {
        const due = start + (i * gap) / a.callers + n * gap;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        const t = performance.now();
        try {
          await client.record({ ...entry, requestId: `bench-${i}-${n}` });
          latencies.push(performance.now() - t);
        } catch {
          errors++;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    }),
  );
  await client.close(30_000);
  const cpu = process.cpuUsage(cpu0);
  const q = (p: number) => quantile(latencies, p);
  send({ type: 'result', entries: latencies.length, errors, p50: q(0.5), p99: q(0.99), cpuMs: (cpu.user + cpu.system) / 1000, left: client.status().unshipped });
  process.disconnect?.();
}

// ====================================================================== parent

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const { startDocstore } = require('@anmulong/docstore') as typeof import('@anmulong/docstore');
  const { startIdentityProvider } = require('@anmulong/identity') as typeof import('@anmulong/identity');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anmulong-bench-audit-'));
  const docstore = await startDocstore({ port: 0, quiet: true, dbpath: path.join(tmp, 'docstore') });
  if (flags.scale > 0) {
    const { loadDemo } = require('@anmulong/demo') as typeof import('@anmulong/demo');
    const demo = await loadDemo({ mongoUri: docstore.uri, scale: flags.scale, drop: true });
    process.stderr.write(`[bench] loaded ${demo.total} documents at scale ${flags.scale}\n`);
  }
  const idp = await startIdentityProvider({ port: 0, dataDir: path.join(tmp, 'identity'), tokenLifetimeSeconds: 3600 });
  const profDir = path.join(ROOT, 'bench', 'results');
  const access = startChild(__filename, 'access', { mongoUri: docstore.uri, keycloakUrl: idp.url }, { longLived: true });
  const accessUrl = String((await access.ready).url);
  try {
    const load = (duration: number) => {
      const c = startChild(__filename, 'load', { accessUrl, keycloakUrl: idp.url, callers: flags.callers, rate: flags.rate, duration, residents: flags.residents, outboxDir: path.join(tmp, 'outbox') });
      return c.message('result');
    };
    if (flags.warmup > 0) await load(flags.warmup);
    const day = new Date().toISOString().slice(0, 10);
    const profileFile = path.join(profDir, `audit-access-${day}.cpuprofile`);
    // The docstore runs in this process: its profile is taken here.
    const docstoreProfiler = new CpuProfiler();
    if (flags.cpuProf) {
      await access.request({ type: 'profile-start' }, 'profiling');
      await docstoreProfiler.start();
    }
    const before = cpuSnapshot([{ name: 'access', pid: access.proc.pid! }, { name: 'docstore', pid: process.pid }]);
    const r = await load(flags.duration);
    if (flags.cpuProf) {
      await access.request({ type: 'profile-stop', file: profileFile }, 'profiled');
      const docstoreFile = path.join(profDir, `audit-docstore-${day}.cpuprofile`);
      await docstoreProfiler.stop(docstoreFile);
      process.stderr.write(`[bench] CPU profiles of the access service and the docstore at ${path.relative(ROOT, profileFile)}, ${path.relative(ROOT, docstoreFile)}\n`);
    }
    const entries = Number(r.entries);
    const per = (ms: number) => (ms / entries).toFixed(3);
    const { access: accessMs, docstore: docstoreMs } = cpuSince(before);
    const lines = [
      `# Access-log write path, ${new Date().toISOString().slice(0, 10)}`,
      '',
      `${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; docstore journaled (fsync per acknowledged write) holding ${flags.scale > 0 ? `the demo data at scale ${flags.scale}` : 'only the log'}; ${flags.callers} concurrent callers at ${flags.rate || 'unbounded'} entries/s through the gateway's outbox (shipping every 500 ms), entries with ${flags.residents} resident ids, ${flags.duration} s.`,
      '',
      '| entries/s | durable p50 ms | durable p99 ms | refused | left unshipped | CPU ms/entry: gateway outbox | access service | docstore + identity |',
      '|--:|--:|--:|--:|--:|--:|--:|--:|',
      `| ${(entries / flags.duration).toFixed(0)} | ${Number(r.p50).toFixed(2)} | ${Number(r.p99).toFixed(2)} | ${r.errors} | ${r.left} | ${per(Number(r.cpuMs))} | ${per(accessMs)} | ${per(docstoreMs)} |`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await access.stop();
    await idp.close();
    await docstore.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

runChildOrMain({ access: childAccess, load: childLoad }, main);
