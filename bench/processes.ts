import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { CpuProfiler } from './measure';

/*
 * Child processes of the benchmarks: a script runs as the parent, or with `--child <kind> <json>`
 * as one of its children (a service, a gateway, a load generator), so what is measured does not
 * share an event loop with what measures it. Parent and child talk over Node's IPC channel in
 * messages with a `type`.
 */

const ROOT = path.resolve(__dirname, '..');

export type Msg = Record<string, unknown> & { type: string };

/** Sends a message to the parent (nothing when not run as a child). */
export const send = (m: Msg) => process.send?.(m);

/** Runs this process as the child named by `--child <kind> <json>`; a failure is reported to the parent as `failed`. */
export function runChild(children: Record<string, (args: any) => Promise<void>>): void {
  const kind = process.argv[3];
  const args = JSON.parse(process.argv[4] ?? '{}');
  const run = children[kind];
  if (!run) throw new Error(`unknown child ${kind}`);
  run(args).catch((err: unknown) => {
    console.error(`[bench child ${kind}]`, err);
    send({ type: 'failed', error: String((err as Error)?.stack ?? err) });
    setTimeout(() => process.exit(1), 100);
  });
}

/** Runs the parent: exits 0 when `main` resolves (children it left would keep it alive), 1 when it throws. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** A script that is both the parent and its children: `--child <kind> <json>` picks the child. */
export function runChildOrMain(children: Record<string, (args: any) => Promise<void>>, main: () => Promise<void>): void {
  if (process.argv[2] === '--child') runChild(children);
  else runMain(main);
}

/**
 * In a long-lived child: replies to the parent's `mem` (peak and current RSS), `exit` (after
 * `close`), and with `profile`, `profile-start`/`profile-stop` (a CPU profile of the measured load
 * only, not start-up, written to the message's `file`); other messages go to `other`.
 */
export function serveControl(o: { close?: () => Promise<unknown>; profile?: { intervalUs?: number }; other?: (m: Msg) => void } = {}): void {
  const profiler = new CpuProfiler();
  process.on('message', (m: Msg) => {
    if (m.type === 'mem') {
      const ru = process.resourceUsage();
      send({ type: 'mem', maxRssMB: ru.maxRSS / 1024, rssMB: process.memoryUsage().rss / 1048576 });
    } else if (m.type === 'exit') {
      if (o.close) void o.close().finally(() => process.exit(0));
      else process.exit(0);
    } else if (o.profile && m.type === 'profile-start') {
      void profiler.start(o.profile.intervalUs).then(() => send({ type: 'profiling' }));
    } else if (o.profile && m.type === 'profile-stop') {
      void profiler.stop(String(m.file)).then(() => send({ type: 'profiled' }));
    } else o.other?.(m);
  });
  process.on('disconnect', () => process.exit(0));
}

export interface Child {
  proc: ChildProcess;
  /** The child's `ready` message (rejected if it fails or exits first). */
  ready: Promise<Msg>;
  /** Sends `m` and waits for the reply of type `replyType`. */
  request(m: Msg, replyType: string): Promise<Msg>;
  /** Waits for the next message of `type` (rejected if the child fails or exits first). */
  message(type: string): Promise<Msg>;
  /** Asks it to exit (SIGKILL after 15 s) and waits until it has. */
  stop(): Promise<void>;
}

export interface ChildOptions {
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** false: the child's stdout goes to ours. By default it is discarded. */
  quiet?: boolean;
  /** Kinds that live until stopped: an exit before that is reported on stderr. */
  longLived?: boolean;
}

/** Starts `script` as the child `kind` with `args` (JSON on its argv). */
export function startChild(script: string, kind: string, args: object, opts: ChildOptions = {}): Child {
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', script, '--child', kind, JSON.stringify(args)], {
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
    // A silent death would only show as errors later.
    if (!stopping && opts.longLived) process.stderr.write(`[bench] ${kind} child ${proc.pid} exited unexpectedly (code ${code}, signal ${signal})\n`);
  });
  const message = (type: string) =>
    new Promise<Msg>((resolve, reject) => {
      waiters.set(type, resolve);
      failure = reject;
    });
  return {
    proc,
    ready,
    message,
    request(m, replyType) {
      const reply = message(replyType);
      proc.send(m);
      return reply;
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

/** Runs a child that reports one `result` message, to completion; returns that result. */
export async function runToResult<T>(script: string, kind: string, args: object, opts: ChildOptions = {}): Promise<T> {
  const child = startChild(script, kind, args, opts);
  const result = await new Promise<T>((resolve, reject) => {
    child.proc.on('message', (m: Msg) => m.type === 'result' && resolve(m.result as T));
    child.proc.once('exit', (code) => reject(new Error(`${kind} child exited with code ${code} before reporting`)));
  });
  await child.stop();
  return result;
}
