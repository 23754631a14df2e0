import type { Logger } from 'pino';
import { validatePolicy, type VersionedPolicy } from './policy';
import type { Department } from './departments';
import { ServiceToken } from './service-token';

/**
 * Keeps every department's current policy in memory, polling the access service (its
 * `/policies` endpoint, conditional on the version set it already has) every `intervalMs`,
 * so an admin's change is in force everywhere within about two polls. If the access service
 * cannot be reached, the last policies stay in force and `status()` says they are stale; a
 * service that has never loaded a policy denies everything.
 */
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

  constructor(private opts: PolicySourceOptions) {
    this.url = new URL('/policies', opts.accessUrl).toString();
    this.intervalMs = opts.intervalMs ?? Number(process.env.POLICY_POLL_MS ?? 1000);
    this.token = new ServiceToken(opts.keycloakUrl);
  }

  get(department: Department): VersionedPolicy | undefined {
    return this.policies.get(department);
  }

  status(): PolicyStatus {
    const stale = this.lastSuccess === 0 || Date.now() - this.lastSuccess > 3 * this.intervalMs;
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

  /** First load (waits up to `waitMs` for it), then polls in the background. */
  async start(waitMs = 10_000): Promise<void> {
    const deadline = Date.now() + waitMs;
    while (!(await this.refresh()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const tick = () => {
      this.timer = setTimeout(() => void this.refresh().finally(() => this.timer && tick()), this.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One poll; true when the policies are current. Never throws. */
  async refresh(): Promise<boolean> {
    try {
      const res = await fetch(this.url, {
        headers: { authorization: `Bearer ${await this.token.get()}`, ...(this.etag ? { 'if-none-match': this.etag } : {}) },
        signal: AbortSignal.timeout(5000),
      });
      if (res.status === 401) this.token.reset();
      if (res.status === 304) return this.succeeded();
      if (!res.ok) throw new Error(`access service answered HTTP ${res.status}`);
      const body = (await res.json()) as { policies: VersionedPolicy[] };
      const next = new Map<Department, VersionedPolicy>();
      for (const p of body.policies) next.set(p.department, { ...validatePolicy(p), version: p.version, updatedAt: p.updatedAt, updatedBy: p.updatedBy });
      this.policies = next;
      this.etag = res.headers.get('etag');
      for (const fn of this.listeners) fn();
      return this.succeeded();
    } catch (e) {
      const message = (e as Error).message;
      if (message !== this.lastError) this.opts.log?.warn({ err: message }, 'cannot refresh access policies; keeping the last ones');
      this.lastError = message;
      return false;
    }
  }

  private succeeded(): true {
    this.lastSuccess = Date.now();
    this.lastError = null;
    return true;
  }
}
