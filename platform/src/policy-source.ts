import type { Logger } from 'pino';
import { validatePolicy, type VersionedPolicy } from './policy';
import type { Department } from './departments';
import { ServiceToken } from './service-token';

/**
 * Keeps every department's current policy in memory. It long-polls the access service's
 * `/policies` (conditional on the version set it holds, `Prefer: wait=25`): the access service
 * answers as soon as a policy changes, so a change is in force everywhere within a round trip,
 * and an idle platform makes one request per service every 25 s. Between failed attempts it
 * waits `intervalMs`. If the access service cannot be reached, the last policies stay in force
 * and `status()` says they are stale; a service that has never loaded a policy denies everything.
 */
/** Seconds the access service may hold a poll (it caps this at its own maximum). */
const WAIT_S = 25;

export interface PolicyStatus {
  loaded: boolean;
  stale: boolean;
  lastSuccessAt: string | null;
  lastError: string | null;
  versions: Partial<Record<Department, number>>;
}

export interface PolicySourceOptions {
  /** The access subgraph's GraphQL URL; `/policies` is served beside it. */
  accessUrl: string;
  keycloakUrl: string;
  intervalMs?: number;
  log?: Logger;
}

export class PolicySource {
  private policies = new Map<Department, VersionedPolicy>();
  private etag: string | null = null;
  private token: ServiceToken;
  private timer: NodeJS.Timeout | null = null;
  private lastSuccess = 0;
  private lastError: string | null = null;
  private readonly url: string;
  private readonly intervalMs: number;
  private listeners: (() => void)[] = [];
  /** When the long poll in flight started (it counts as contact until its wait is over). */
  private pollingSince = 0;
  private inFlight: AbortController | null = null;
  private stopped = false;

  constructor(private opts: PolicySourceOptions) {
    this.url = new URL('/policies', opts.accessUrl).toString();
    this.intervalMs = opts.intervalMs ?? Number(process.env.POLICY_POLL_MS ?? 1000);
    this.token = new ServiceToken(opts.keycloakUrl);
  }

  get(department: Department): VersionedPolicy | undefined {
    return this.policies.get(department);
  }

  status(): PolicyStatus {
    const now = Date.now();
    const waiting = this.pollingSince > 0 && now - this.pollingSince < (WAIT_S + 5) * 1000;
    const stale = this.lastSuccess === 0 || (now - this.lastSuccess > 3 * this.intervalMs && !waiting);
    return {
      loaded: this.policies.size > 0,
      stale,
      lastSuccessAt: this.lastSuccess ? new Date(this.lastSuccess).toISOString() : null,
      lastError: this.lastError,
      versions: Object.fromEntries([...this.policies].map(([d, p]) => [d, p.version])),
    };
  }

  /** Called after every change of the policy set (tests and caches use it). */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** First load (waits up to `waitMs` for it), then long-polls in the background. */
  async start(waitMs = 10_000): Promise<void> {
    const deadline = Date.now() + waitMs;
    while (!(await this.refresh()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const loop = async () => {
      while (!this.stopped) {
        const waited = await this.refresh(true);
        // An access service that did not hold the request (or failed) is asked again after intervalMs.
        if (!waited && !this.stopped) await new Promise((r) => (this.timer = setTimeout(r, this.intervalMs)).unref());
      }
    };
    void loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight?.abort();
  }

  /**
   * One request; true when the policies are current (with `longPoll`: only when the access
   * service held the request until a change or its wait was over). Never throws.
   */
  async refresh(longPoll = false): Promise<boolean> {
    const wait = longPoll && this.etag !== null;
    const abort = (this.inFlight = new AbortController());
    const timeout = setTimeout(() => abort.abort(), wait ? (WAIT_S + 5) * 1000 : 5000).unref();
    this.pollingSince = wait ? Date.now() : 0;
    try {
      const res = await fetch(this.url, {
        headers: {
          authorization: `Bearer ${await this.token.get()}`,
          ...(this.etag ? { 'if-none-match': this.etag } : {}),
          ...(wait ? { prefer: `wait=${WAIT_S}` } : {}),
        },
        signal: abort.signal,
      });
      const held = wait && res.headers.has('preference-applied');
      if (res.status === 401) this.token.reset();
      if (res.status === 304) return this.succeeded() && (!wait || held);
      if (!res.ok) throw new Error(`access service answered HTTP ${res.status}`);
      const body = (await res.json()) as { policies: VersionedPolicy[] };
      const next = new Map<Department, VersionedPolicy>();
      for (const p of body.policies) next.set(p.department, { ...validatePolicy(p), version: p.version, updatedAt: p.updatedAt, updatedBy: p.updatedBy });
      this.policies = next;
      this.etag = res.headers.get('etag');
      for (const fn of this.listeners) fn();
      // A new set answers at once: ask again straight away (the next request waits).
      return this.succeeded();
    } catch (e) {
      if (this.stopped) return false;
      const message = (e as Error).message;
      if (message !== this.lastError) this.opts.log?.warn({ err: message }, 'cannot refresh access policies; keeping the last ones');
      this.lastError = message;
      return false;
    } finally {
      clearTimeout(timeout);
      this.pollingSince = 0;
      if (this.inFlight === abort) this.inFlight = null;
    }
  }

  private succeeded(): true {
    this.lastSuccess = Date.now();
    this.lastError = null;
    return true;
  }
}
