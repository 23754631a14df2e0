import fs from 'node:fs';
import { Session } from 'node:inspector';

/*
 * Measuring helpers the benchmarks share: CPU time and memory of a process from /proc, quantiles,
 * medians and means, and a CPU profile of this process over a chosen window (what `--cpu-prof` records, minus start-up).
 */

const CLOCK_TICKS = 100; // USER_HZ, 100 on every Linux we run on

/** CPU time (user + system, ms) a process has used so far, from /proc; NaN if unreadable. */
export function cpuMsOf(pid: number): number {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN; // not Linux, or the process is gone
  }
}

/** CPU times of some processes now, to take the time each spends from here (`cpuSince`). */
export interface CpuSnapshot {
  procs: { name: string; pid: number }[];
  ms: Map<number, number>;
}
export function cpuSnapshot(procs: { name: string; pid: number }[]): CpuSnapshot {
  const ms = new Map<number, number>();
  for (const p of procs) ms.set(p.pid, cpuMsOf(p.pid));
  return { procs, ms };
}
/** CPU time (ms) each process of the snapshot has used since, by name. */
export function cpuSince(s: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of s.procs) out[p.name] = cpuMsOf(p.pid) - s.ms.get(p.pid)!;
  return out;
}

/** Resident set size (MiB) of a process, from /proc; NaN if unreadable. */
export function rssMibOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN; // not Linux, or the process is gone
  }
}

/** The q-quantile (0..1) of `xs`; NaN for none. */
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** A figure for a report: `digits` decimals, a dash when there is none. */
export const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/** V8's sampling profiler on this process, started and stopped around the measured load. */
export class CpuProfiler {
  private session: Session | null = null;

  private post(method: string, params: object = {}): Promise<any> {
    return new Promise((resolve, reject) => this.session!.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  }

  /** `intervalUs`: sampling interval in microseconds (V8's default when omitted). */
  async start(intervalUs?: number): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.post('Profiler.enable');
    if (intervalUs) await this.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await this.post('Profiler.start');
  }

  /** Stops and writes the profile (a `.cpuprofile` for Chrome DevTools) to `file`. */
  async stop(file: string): Promise<void> {
    const { profile } = await this.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    this.session!.disconnect();
    this.session = null;
  }
}

/** One command-line flag being read: `--name value` or `--name=value`. */
export interface FlagReader {
  flag: string;
  value(): string;
  /** The value as a positive number. */
  num(): number;
}

/** Reads `argv` flag by flag; `apply` returns false for a flag it does not know. */
export function readFlags(argv: string[], script: string, apply: (f: FlagReader) => boolean): void {
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
    if (!apply({ flag, value, num })) throw new Error(`unknown argument ${argv[i]} (see the header of ${script})`);
  }
}
