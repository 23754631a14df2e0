import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  buildRealm, DEFAULT_REALM_FILE, developmentRealm, type IdentityProvider, type RealmRepresentation, startIdentityProvider,
} from '@anmulong/identity';
import { loadConfig } from '../src/config';
import { developmentSecrets, refuseDevelopmentSecrets } from '../src/production';

/*
 * Secure defaults (issue 16, item 7): loopback unless HOST says otherwise, and with
 * NODE_ENV=production no service starts on development secrets. The refusals are checked as
 * functions (every case) and through the real entry points in child processes (each kind of
 * service), against real identity providers: the shipped demo realm, and one made fit for
 * production.
 */

let dir: string;
let demoIdp: IdentityProvider;
let productionIdp: IdentityProvider;
let productionRealmFile: string;
const ROOT = path.resolve(__dirname, '..', '..');

/** The shipped realm with every password and the gateway client's secret changed. */
function productionRealm(): RealmRepresentation {
  const rep = JSON.parse(readFileSync(DEFAULT_REALM_FILE, 'utf8')) as RealmRepresentation;
  for (const u of rep.users ?? []) if (u.credentials?.length) u.credentials = [{ type: 'password', value: `not-the-demo-password-${u.username}` }];
  for (const c of rep.clients ?? []) if (c.secret) c.secret = 'a-production-secret';
  return rep;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'anmulong-secure-'));
  productionRealmFile = path.join(dir, 'realm-production.json');
  writeFileSync(productionRealmFile, JSON.stringify(productionRealm()));
  demoIdp = await startIdentityProvider({ port: 0, dataDir: path.join(dir, 'demo-idp') });
  productionIdp = await startIdentityProvider({ port: 0, dataDir: path.join(dir, 'production-idp'), realmFile: productionRealmFile });
});
afterAll(async () => {
  await demoIdp?.close();
  await productionIdp?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('binding', () => {
  const saved = process.env.HOST;
  afterEach(() => (saved === undefined ? delete process.env.HOST : (process.env.HOST = saved)));

  it('every service listens on 127.0.0.1 unless HOST says otherwise', () => {
    delete process.env.HOST;
    for (const service of ['gateway', 'registry', 'access'] as const) expect(loadConfig(service).host).toBe('127.0.0.1');
    process.env.HOST = '0.0.0.0';
    expect(loadConfig('police').host).toBe('0.0.0.0');
  });

  it('docker compose sets HOST=0.0.0.0 for every service container explicitly', () => {
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const anchor = compose.slice(compose.indexOf('x-service-urls: &service-urls'), compose.indexOf('\nservices:'));
    expect(anchor).toMatch(/\n {2}HOST: 0\.0\.0\.0\n/);
    // Every Anmulong service container merges that block.
    const merged = compose.match(/<<: \*service-urls/g) ?? [];
    expect(merged.length).toBe(8); // seven subgraphs and the gateway
  });
});

describe('development secrets a production service refuses (each says what to set)', () => {
  const ready = { NODE_ENV: 'production', ANMULONG_CLIENT_SECRET: 'a-production-secret', KEYCLOAK_URL: 'https://sso.example' };

  it('the shipped client secret, as the fallback or set explicitly', () => {
    const { ANMULONG_CLIENT_SECRET: _s, ...unset } = ready;
    expect(developmentSecrets('registry', unset)).toEqual([expect.stringMatching(/^ANMULONG_CLIENT_SECRET: set it to the secret of the anmulong-gateway client/)]);
    expect(developmentSecrets('registry', { ...ready, ANMULONG_CLIENT_SECRET: 'anmulong-gateway-secret' })).toEqual([expect.stringMatching(/^ANMULONG_CLIENT_SECRET:/)]);
  });

  it('no KEYCLOAK_URL: the development identity provider would be trusted', () => {
    const { KEYCLOAK_URL: _k, ...unset } = ready;
    expect(developmentSecrets('police', unset)).toEqual([expect.stringMatching(/^KEYCLOAK_URL: set it to your Keycloak/)]);
  });

  it('the gateway’s assertion key generated in .data/gateway', () => {
    expect(developmentSecrets('gateway', ready)).toEqual([expect.stringMatching(/^GATEWAY_ASSERTION_KEY_FILE: set it to the Ed25519 private key/)]);
    expect(developmentSecrets('gateway', { ...ready, GATEWAY_ASSERTION_KEY_FILE: '/run/secrets/gateway.pem' })).toEqual([]);
  });

  it('the access service’s checkpoint key generated in .data/access', () => {
    expect(developmentSecrets('access', ready)).toEqual([expect.stringMatching(/^AUDIT_KEY_FILE:/)]);
  });

  it('subgraphs serving a user token alone', () => {
    expect(developmentSecrets('court', { ...ready, REQUIRE_GATEWAY_ASSERTION: 'false' })).toEqual([expect.stringMatching(/^REQUIRE_GATEWAY_ASSERTION=false: remove it/)]);
    expect(developmentSecrets('court', ready)).toEqual([]);
  });

  it('an identity provider that signs the demo users in with their shared password; none outside production', async () => {
    await expect(refuseDevelopmentSecrets('registry', demoIdp.url, { ...ready, KEYCLOAK_URL: demoIdp.url })).rejects.toThrow(
      `registry refuses to start with NODE_ENV=production on development secrets:\n  - KEYCLOAK_URL: the identity provider at ${demoIdp.url} signs the demo users in with their shared password`,
    );
    await expect(refuseDevelopmentSecrets('registry', productionIdp.url, { ...ready, KEYCLOAK_URL: productionIdp.url })).resolves.toBeUndefined();
    await expect(refuseDevelopmentSecrets('registry', demoIdp.url, { NODE_ENV: 'development' })).resolves.toBeUndefined();
  });

  it('the identity provider: a key generated in .data/identity, demo-password users, the shipped client secret', async () => {
    const demo = await developmentRealm(buildRealm(JSON.parse(readFileSync(DEFAULT_REALM_FILE, 'utf8'))), undefined);
    expect(demo).toEqual([
      expect.stringMatching(/^IDENTITY_KEY_FILE: set it to the realm's RS256 private key/),
      expect.stringMatching(/^IDENTITY_REALM_FILE: the realm has users signing in with the shared demo password \(admin, police\.officer, .*auditor\)/),
      expect.stringMatching(/^IDENTITY_REALM_FILE: client anmulong-gateway has the shipped secret anmulong-gateway-secret/),
    ]);
    expect(await developmentRealm(buildRealm(productionRealm()), '/run/secrets/realm.pem')).toEqual([]);
  });
});

/** Runs an entry point as deployed (tsx), with this environment only; resolves when it exits or prints `ready`. */
function run(script: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const { HOST: _h, KEYCLOAK_URL: _k, ANMULONG_CLIENT_SECRET: _s, GATEWAY_ASSERTION_KEY_FILE: _g, IDENTITY_KEY_FILE: _i, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...inherited, PORT: '0', LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve) => {
    const take = (c: Buffer) => {
      out += c;
      if (/ready at|identity provider \(realm otog\) at/.test(out)) {
        child.kill('SIGTERM');
        resolve({ code: null, out });
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('the real entry points with NODE_ENV=production', () => {
  it('the gateway refuses to start without its secrets, listing what to set', async () => {
    const { code, out } = await run(path.join(ROOT, 'gateway/src/index.ts'), { NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(out).toContain('gateway refuses to start with NODE_ENV=production on development secrets');
    for (const v of ['ANMULONG_CLIENT_SECRET:', 'KEYCLOAK_URL:', 'GATEWAY_ASSERTION_KEY_FILE:']) expect(out).toContain(v);
  }, 60_000);

  it('a subgraph pointed at the demo realm refuses, naming the shipped secret and the demo password', async () => {
    const { code, out } = await run(path.join(ROOT, 'subgraphs/registry/src/index.ts'), {
      NODE_ENV: 'production', KEYCLOAK_URL: demoIdp.url, ANMULONG_CLIENT_SECRET: 'anmulong-gateway-secret', MONGODB_URI: 'mongodb://127.0.0.1:1',
    });
    expect(code).toBe(1);
    expect(out).toContain('registry refuses to start with NODE_ENV=production on development secrets');
    expect(out).toContain('ANMULONG_CLIENT_SECRET: set it to the secret of the anmulong-gateway client');
    expect(out).toContain('signs the demo users in with their shared password');
  }, 60_000);

  it('the identity provider refuses the shipped realm and a generated key, and starts on a realm and key fit for production', async () => {
    const refused = await run(path.join(ROOT, 'identity/src/cli.ts'), { NODE_ENV: 'production' });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('the identity provider refuses to start with NODE_ENV=production on development secrets');
    expect(refused.out).toContain('IDENTITY_KEY_FILE:');
    expect(refused.out).toContain('shared demo password');

    const { generateKeyPairSync } = await import('node:crypto');
    const keyFile = path.join(dir, 'realm-key.pem');
    writeFileSync(keyFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const started = await run(path.join(ROOT, 'identity/src/cli.ts'), { NODE_ENV: 'production', IDENTITY_KEY_FILE: keyFile, IDENTITY_REALM_FILE: productionRealmFile });
    expect(started.out).toMatch(/identity provider \(realm otog\) at/);
  }, 60_000);
});
