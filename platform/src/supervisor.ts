import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/*
 * Supervision of the platform's processes (`npm start`, the soak benchmark, the fault tests):
 * a service that exits unexpectedly is restarted with exponential backoff (0.5 s doubling to
 * 30 s; back to 0.5 s once it has run a minute), as Kubernetes and docker compose restart
 * policies do. Its state (`starting`, `up`, `restarting`, `stopped`) is written to a status file
 * the gateway's /health reads, so a service being brought back shows as `restarting`.
 * The data store is supervised like the rest: its dependants are not restarted when it dies,
 * they reconnect (the driver retries) and answer "unavailable" meanwhile.
 */

export type SupervisedState = 'starting' | 'up' | 'restarting' | 'stopped';

export interface ServiceSpec {
  name: string;
  /** Node script, run with tsx when it is TypeScript. */
  script: string;
  args?: string[];
  env?: Record<string, string>;
  /** Polled until it answers 200: the service is `up`. */
  healthUrl?: string;
}

export interface ServiceStatus {
  state: SupervisedState;
  pid: number | null;
  restarts: number;
  /** How the last unexpected exit happened, e.g. `code 1` or `signal SIGKILL`. */
  lastExit: string | null;
  since: string;
}

export interface SupervisorOptions {
  cwd: string;
  /** Where the states are written (JSON) for the gateway's /health; none if absent. */
  statusFile?: string;
  /** Launcher messages. */
  log?: (line: string) => void;
  /** Each line a service prints; default: dropped. */
  output?: (service: string, line: string) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Running this long resets the delay to its initial value. */
  healthyResetMs?: number;
}

interface Entry {
  spec: ServiceSpec;
  proc: ChildProcess | null;
  status: ServiceStatus;
  delayMs: number;
  startedAt: number;
  /** When it last answered its health check after a (re)start; 0 until then. */
  upAt: number;
  /** Its last lines of output, logged when it exits unexpectedly (even when output is not shown). */
  lastLines: string[];
  timer: NodeJS.Timeout | null;
}

export class Supervisor {
  private readonly entries = new Map<string, Entry>();
  private stopping = false;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly healthyResetMs: number;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: SupervisorOptions) {
    this.initialDelayMs = opts.initialDelayMs ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.healthyResetMs = opts.healthyResetMs ?? 60_000;
    this.log = opts.log ?? (() => undefined);
  }

  /** Starts a service and keeps it running until `stop()`. */
  start(spec: ServiceSpec): void {
    const entry: Entry = {
      spec,
      proc: null,
      status: { state: 'starting', pid: null, restarts: 0, lastExit: null, since: new Date().toISOString() },
      delayMs: this.initialDelayMs,
      startedAt: 0,
      upAt: 0,
      lastLines: [],
      timer: null,
    };
    this.entries.set(spec.name, entry);
    this.spawn(entry);
  }

  pid(name: string): number | null {
    return this.entries.get(name)?.proc?.pid ?? null;
  }

  states(): Record<string, ServiceStatus> {
    return Object.fromEntries([...this.entries].map(([n, e]) => [n, { ...e.status }]));
  }

  /** One line: every service and its state. */
  summary(): string {
    return [...this.entries].map(([n, e]) => `${n} ${e.status.state}${e.status.restarts ? ` (${e.status.restarts} restarts)` : ''}`).join(' · ');
  }

  /** Resolves once the service answers its health check (it may be restarted meanwhile). */
  async waitUp(name: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.stopping) throw new Error('stopping');
      if (this.entries.get(name)?.status.state === 'up') return;
      // An in-memory look: cheap enough to notice `up` within a few milliseconds.
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`${name} did not become healthy within ${timeoutMs / 1000} s`);
  }

  /** Stops every service in reverse start order (the store last, so it writes its snapshot). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const e of this.entries.values()) if (e.timer) clearTimeout(e.timer);
    for (const e of [...this.entries.values()].reverse()) {
      const proc = e.proc;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            proc.kill('SIGKILL');
            resolve();
          }, 15_000);
          proc.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      this.set(e, 'stopped');
    }
  }

  private set(e: Entry, state: SupervisedState): void {
    e.status.state = state;
    e.status.pid = e.proc?.pid ?? null;
    e.status.since = new Date().toISOString();
    this.writeStatus();
  }

  private writeStatus(): void {
    const file = this.opts.statusFile;
    if (!file) return;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ updatedAt: new Date().toISOString(), services: this.states() }));
    fs.renameSync(tmp, file); // readers never see half a file
  }

  private spawn(e: Entry): void {
    const { spec } = e;
    // tsx only for TypeScript: loading it costs a plain JavaScript service ~0.2 CPU-s and ~0.5 s per start.
    const loader = /\.[cm]?tsx?$/.test(spec.script) ? ['--import', 'tsx'] : [];
    const proc = spawn(process.execPath, [...loader, spec.script, ...(spec.args ?? [])], {
      cwd: this.opts.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    e.proc = proc;
    e.startedAt = Date.now();
    e.upAt = 0;
    const out = this.opts.output;
    e.lastLines = [];
    const lines = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        out?.(spec.name, line);
        e.lastLines.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
        if (e.lastLines.length > 3) e.lastLines.shift();
      }
    };
    proc.stdout!.on('data', lines);
    proc.stderr!.on('data', lines);
    proc.on('error', (err) => this.log(`${spec.name}: could not start (${err.message})`));
    proc.on('exit', (code, signal) => this.exited(e, proc, code, signal));
    this.set(e, e.status.restarts ? 'restarting' : 'starting');
    void this.watchHealth(e, proc);
  }

  private async watchHealth(e: Entry, proc: ChildProcess): Promise<void> {
    const url = e.spec.healthUrl;
    while (!this.stopping && e.proc === proc && proc.exitCode === null && proc.signalCode === null) {
      const ok = url ? await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false) : true;
      if (ok && e.proc === proc && !this.stopping) {
        if (e.status.restarts) this.log(`${e.spec.name} is up again (pid ${proc.pid}, ${((Date.now() - e.startedAt) / 1000).toFixed(1)} s after its restart)`);
        e.upAt = Date.now();
        this.set(e, 'up');
        this.log(`services: ${this.summary()}`);
        return;
      }
      // A refused connection costs next to nothing: looking often reports a service up (and its
      // dependants started, the gateway's /health told) as soon as it listens, not up to 200 ms late.
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private exited(e: Entry, proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || e.proc !== proc) return;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    // A service that was healthy for a minute: its next failure starts the backoff afresh.
    if (e.upAt && Date.now() - e.upAt >= this.healthyResetMs) e.delayMs = this.initialDelayMs;
    const delay = e.delayMs;
    e.delayMs = Math.min(e.delayMs * 2, this.maxDelayMs);
    e.status.restarts++;
    e.status.lastExit = how;
    e.proc = null;
    this.set(e, 'restarting');
    this.log(`${e.spec.name} exited unexpectedly (${how}); restarting in ${(delay / 1000).toFixed(1)} s (restart ${e.status.restarts})`);
    // What it said before dying (a kill by signal says nothing about why).
    if (!this.opts.output && !signal && e.lastLines.length) this.log(`${e.spec.name}'s last output: ${e.lastLines.join(' ⏎ ')}`);
    e.timer = setTimeout(() => {
      e.timer = null;
      if (!this.stopping) this.spawn(e);
    }, delay);
  }
}

/** A service's state in a launcher's status file; undefined when there is no file or no entry. */
export function supervisedState(statusFile: string | undefined, name: string): SupervisedState | undefined {
  if (!statusFile) return undefined;
  try {
    return (JSON.parse(fs.readFileSync(statusFile, 'utf8')) as { services: Record<string, ServiceStatus> }).services[name]?.state;
  } catch {
    return undefined;
  }
}
