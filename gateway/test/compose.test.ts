import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { envPrefix, SERVICE_PORTS, SUBGRAPHS } from '@anmulong/platform';

/*
 * Docker cannot run on these machines, so this checks docker-compose.yml against the code's own
 * configuration: every subgraph in SUBGRAPHS and the gateway has a service, on its CONTRACT port,
 * with the variables it reads, started from a file that exists; dependencies point at real
 * services; Keycloak imports the realm file and issues tokens for the URL the services expect.
 * Adding a subgraph to SUBGRAPHS without its compose service fails here.
 */
const ROOT = path.resolve(__dirname, '../..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');

interface Healthcheck { test?: string[] | string; disable?: boolean }
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | number | { target: number; published?: string | number; host_ip?: string }>;
  volumes?: Array<string | { type?: string; source?: string; target?: string; read_only?: boolean }>;
  depends_on?: string[] | Record<string, { condition?: string; required?: boolean }>;
  healthcheck?: Healthcheck;
  restart?: string;
}
interface ComposeFile { services: Record<string, ComposeService>; volumes?: Record<string, unknown> }

// `merge: true`: the file shares common settings through YAML merge keys (`<<: *app`), as Docker Compose does.
const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;
const services = compose.services;
const APP_SERVICES = [...SUBGRAPHS, 'gateway'] as const;
const KEYCLOAK_IMPORT = '/opt/keycloak/data/import/realm-otog.json';

function env(service: string): Record<string, string> {
  const e = services[service]?.environment ?? {};
  if (Array.isArray(e)) {
    return Object.fromEntries(e.map((kv) => {
      const i = kv.indexOf('=');
      return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Published ports as { host, container } pairs, from the short ("127.0.0.1:4001:4001") or long syntax. */
function ports(service: string): Array<{ host: number | null; container: number }> {
  return (services[service]?.ports ?? []).map((p) => {
    if (typeof p === 'object') return { host: p.published === undefined ? null : Number(p.published), container: p.target };
    const parts = String(p).replace(/\/(tcp|udp)$/, '').split(':');
    const container = Number(parts.at(-1));
    return { host: parts.length >= 2 ? Number(parts.at(-2)) : null, container };
  });
}

function dependsOn(service: string): Record<string, string> {
  const d = services[service]?.depends_on ?? {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(d).map(([name, v]) => [name, v?.condition ?? 'service_started']));
}

function command(service: string): string[] {
  const c = services[service]?.command ?? [];
  return Array.isArray(c) ? c.map(String) : c.split(/\s+/).filter(Boolean);
}

/** The TypeScript entry point a `node --import tsx <file>` command runs. */
function entryPoint(service: string): string | undefined {
  return command(service).find((arg) => /\.(ts|js)$/.test(arg));
}

const builtFromRepo = (s: ComposeService) => s.build !== undefined;

/** `http://host:port/...` or `mongodb://host:port` → { host, port }. */
function hostPort(url: string): { host: string; port: number; pathname: string } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)), pathname: u.pathname };
}

describe('docker-compose.yml', () => {
  it('has MongoDB, Keycloak 26, the demo loader, every subgraph and the gateway', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['mongodb', 'keycloak', 'demo', ...APP_SERVICES]));
    expect(services.mongodb!.image).toMatch(/^mongo:8(\b|\.)/);
    expect(services.keycloak!.image).toMatch(/^quay\.io\/keycloak\/keycloak:26(\.\d+){0,2}$/);
  });

  it.each(APP_SERVICES)('%s: a service on its CONTRACT port, answering /health', (name) => {
    const s = services[name];
    expect(s).toBeDefined();
    const port = SERVICE_PORTS[name];
    expect(env(name).PORT).toBe(String(port));
    expect(ports(name)).toContainEqual({ host: port, container: port });
    const test = s!.healthcheck?.test;
    expect(test).toBeDefined();
    expect(s!.healthcheck?.disable).not.toBe(true);
    // The shared check reads PORT, or names the port itself.
    expect([test].flat().join(' ')).toMatch(new RegExp(`/health\\b`));
    expect([test].flat().join(' ')).toMatch(new RegExp(`process\\.env\\.PORT|:${port}/health`));
  });

  it.each(SUBGRAPHS)('%s: runs its subgraphs/<name>/src/index.ts on MongoDB and Keycloak, after the demo data', (name) => {
    expect(entryPoint(name)).toBe(`subgraphs/${name}/src/index.ts`);
    const { host, port } = hostPort(env(name).MONGODB_URI ?? 'mongodb://missing');
    expect(host).toBe('mongodb');
    expect(ports('mongodb').map((p) => p.container)).toContain(port);
    expect(hostPort(env(name).KEYCLOAK_URL ?? 'http://missing').host).toBe('keycloak');
    expect(dependsOn(name)).toMatchObject({
      mongodb: 'service_healthy',
      demo: 'service_completed_successfully',
      keycloak: 'service_healthy',
    });
  });

  it('gateway: a <NAME>_URL for every subgraph, pointing at its service and port, and waits for each', () => {
    const gw = env('gateway');
    expect(entryPoint('gateway')).toBe('gateway/src/index.ts');
    expect(hostPort(gw.KEYCLOAK_URL ?? 'http://missing').host).toBe('keycloak');
    for (const name of SUBGRAPHS) {
      const url = gw[`${envPrefix(name)}_URL`];
      expect({ name, url }).toEqual({ name, url: expect.any(String) });
      const { host, port, pathname } = hostPort(url!);
      expect({ name, host, port, pathname }).toEqual({ name, host: name, port: SERVICE_PORTS[name], pathname: '/graphql' });
      expect(env(name).PORT).toBe(String(port));
      expect(dependsOn('gateway')[name]).toBe('service_healthy');
    }
    expect(dependsOn('gateway').keycloak).toBe('service_healthy');
  });

  it('every service that runs our code is a subgraph in SUBGRAPHS, the gateway or the demo loader', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!builtFromRepo(s)) continue;
      const entry = entryPoint(name);
      const sub = /^subgraphs\/([^/]+)\/src\/index\.ts$/.exec(entry ?? '')?.[1];
      if (sub) expect({ name, inSUBGRAPHS: (SUBGRAPHS as readonly string[]).includes(sub) }).toEqual({ name, inSUBGRAPHS: true });
      else expect({ name, entry }).toEqual({ name, entry: expect.stringMatching(/^(gateway\/src\/index\.ts|demo\/src\/cli\.ts)$/) });
    }
  });

  it('every command built from the repo runs `node --import tsx` on a file that exists', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!builtFromRepo(s)) continue;
      const cmd = command(name);
      expect({ name, runner: cmd.slice(0, 3) }).toEqual({ name, runner: ['node', '--import', 'tsx'] });
      const entry = entryPoint(name);
      expect({ name, entry, exists: entry !== undefined && existsSync(path.join(ROOT, entry)) }).toEqual({ name, entry, exists: true });
    }
  });

  it('the image is built from the Dockerfile at the repository root', () => {
    for (const [, s] of Object.entries(services)) {
      if (!builtFromRepo(s)) continue;
      const context = typeof s.build === 'string' ? s.build : (s.build?.context ?? '.');
      const dockerfile = typeof s.build === 'object' ? (s.build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
      expect(existsSync(path.join(ROOT, context, dockerfile))).toBe(true);
    }
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim\b/m);
    expect(dockerfile).toMatch(/npm ci\b/);
    const ignore = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignore).toEqual(expect.arrayContaining(['node_modules', '.data']));
  });

  it('the demo loader fills MongoDB once MongoDB is healthy, and does not restart', () => {
    expect(entryPoint('demo')).toBe('demo/src/cli.ts');
    const cmd = command('demo');
    const uri = cmd[cmd.indexOf('--uri') + 1] ?? env('demo').MONGODB_URI;
    expect(hostPort(uri!).host).toBe('mongodb');
    expect(dependsOn('demo')).toMatchObject({ mongodb: 'service_healthy' });
    expect(services.demo!.restart ?? 'no').toBe('no');
  });

  it('depends_on names existing services; conditions are ones the targets can meet', () => {
    for (const name of Object.keys(services)) {
      for (const [target, condition] of Object.entries(dependsOn(name))) {
        expect({ name, target, exists: target in services }).toEqual({ name, target, exists: true });
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect({ target, healthcheck: !!services[target]!.healthcheck?.test }).toEqual({ target, healthcheck: true });
        if (condition === 'service_completed_successfully') expect({ target, restart: services[target]!.restart ?? 'no' }).toEqual({ target, restart: 'no' });
      }
    }
  });

  it('Keycloak imports keycloak/realm-otog.json and issues tokens for the URL the services use', () => {
    const kc = services.keycloak!;
    expect(command('keycloak')).toEqual(expect.arrayContaining(['start-dev', '--import-realm']));
    const mounts = (kc.volumes ?? []).map((v) =>
      typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : { source: v.source, target: v.target },
    );
    const realm = mounts.find((m) => m.target === KEYCLOAK_IMPORT);
    expect(realm).toBeDefined();
    expect(path.resolve(ROOT, realm!.source!)).toBe(path.join(ROOT, 'keycloak/realm-otog.json'));
    expect(existsSync(path.join(ROOT, 'keycloak/realm-otog.json'))).toBe(true);
    expect(ports('keycloak')).toContainEqual({ host: SERVICE_PORTS.identity, container: 8080 });
    // Tokens' `iss` is <frontend URL>/realms/otog; the services require <KEYCLOAK_URL>/realms/otog.
    const frontend = env('keycloak').KC_HOSTNAME;
    expect(frontend).toMatch(/^https?:\/\//);
    for (const name of APP_SERVICES) expect({ name, KEYCLOAK_URL: env(name).KEYCLOAK_URL }).toEqual({ name, KEYCLOAK_URL: frontend });
    expect(hostPort(frontend!).port).toBe(8080);
    expect(kc.healthcheck?.test).toBeDefined();
    expect(env('keycloak').KC_HEALTH_ENABLED).toBe('true');
  });

  it('what must outlive a container is on a volume the image prepares for its user', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const onVolume = (service: string, file: string) => {
      const mounts = (services[service]!.volumes ?? []).map(String).map((v) => ({ source: v.split(':')[0], target: v.split(':')[1] }));
      const mount = mounts.find((m) => file.startsWith(`${m.target}/`));
      expect({ service, file, mount }).toEqual({ service, file, mount: expect.objectContaining({ source: expect.stringMatching(/^[a-z-]+$/) }) });
      expect(Object.keys(compose.volumes ?? {})).toContain(mount!.source);
      // Named volumes copy the ownership of the image's directory: it must exist, owned by `node`.
      expect(dockerfile).toContain(mount!.target);
      expect(dockerfile).toMatch(new RegExp(`chown -R node:node ${mount!.target.split('/').slice(0, 4).join('/')}`));
    };
    onVolume('access', env('access').AUDIT_KEY_FILE!);
    onVolume('gateway', env('gateway').AUDIT_OUTBOX_DIR!);
  });

  it('MongoDB is on its CONTRACT port with a healthcheck and a volume', () => {
    expect(ports('mongodb')).toContainEqual({ host: SERVICE_PORTS.docstore, container: 27017 });
    expect(services.mongodb!.healthcheck?.test).toBeDefined();
    expect((services.mongodb!.volumes ?? []).map(String).some((v) => v.endsWith(':/data/db'))).toBe(true);
  });
});
