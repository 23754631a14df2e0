import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDocstore, type DocstoreHandle } from '@anmulong/docstore';
import { startIdentityProvider } from '@anmulong/identity';
import { PolicySource, ServiceToken, type StartedSubgraph } from '@anmulong/platform';
import { currentPolicies, MAX_POLICY_WAIT_S, start, type AccessModels } from '@anmulong/access';

/*
 * How policies reach the services (CONTRACT: a change is in force everywhere within 2 s): each
 * service long-polls `/policies`, and the access service answers as soon as a version is stored,
 * by itself or by another replica writing to the same store.
 */
let docstore: DocstoreHandle;
let idp: { url: string; close(): Promise<void> };
let service: StartedSubgraph<AccessModels>;
let dataDir: string;
let token: ServiceToken;
const sources: PolicySource[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'anmulong-policy-feed-'));
  docstore = await startDocstore({ port: 0 });
  idp = await startIdentityProvider({ port: 0, dataDir: path.join(dataDir, 'identity') });
  service = (await start({ port: 0, mongoUri: docstore.uri, dbName: 'policy_feed', keycloakUrl: idp.url })) as StartedSubgraph<AccessModels>;
  token = new ServiceToken(idp.url);
}, 60_000);

afterAll(async () => {
  for (const s of sources) s.stop();
  await service?.close();
  await idp?.close();
  await docstore?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function source(intervalMs: number): Promise<PolicySource> {
  const s = new PolicySource({ accessUrl: service.url, keycloakUrl: idp.url, intervalMs });
  sources.push(s);
  await s.start();
  return s;
}

/** A new POLICE version written straight to the store, as another access replica would. */
async function storeVersionElsewhere(): Promise<number> {
  const current = (await currentPolicies(service.models)).find((p) => p.department === 'POLICE')!;
  await service.models.PolicyVersion.create({
    department: 'POLICE', version: current.version + 1, roles: current.roles, purposeRequiredFor: current.purposeRequiredFor,
    updatedAt: new Date(), updatedBy: 'another-replica', change: { kind: 'SET_SCOPE', summary: 'written by another replica', diff: [] },
  });
  return current.version + 1;
}

async function getPolicies(headers: Record<string, string>) {
  const t0 = Date.now();
  const res = await fetch(new URL('/policies', service.url), { headers: { authorization: `Bearer ${await token.get()}`, ...headers } });
  return { status: res.status, etag: res.headers.get('etag'), applied: res.headers.get('preference-applied'), ms: Date.now() - t0 };
}

describe('the access service holds a poll until the policies change', () => {
  it('with the current ETag and Prefer: wait=1 it answers 304 after the wait, saying so', async () => {
    const { etag } = await getPolicies({});
    const held = await getPolicies({ 'if-none-match': etag!, prefer: 'wait=1' });
    expect(held).toMatchObject({ status: 304, etag, applied: 'wait=1' });
    expect(held.ms).toBeGreaterThanOrEqual(950);
  });

  it('with an old ETag, or without Prefer, it answers at once', async () => {
    expect(await getPolicies({ 'if-none-match': '"POLICE:0"', prefer: 'wait=20' })).toMatchObject({ status: 200, applied: null });
    const { etag } = await getPolicies({});
    expect(await getPolicies({ 'if-none-match': etag! })).toMatchObject({ status: 304, applied: null });
  });

  it('caps the wait it grants', async () => {
    const { etag } = await getPolicies({});
    const pending = getPolicies({ 'if-none-match': etag!, prefer: 'wait=9999' });
    await storeVersionElsewhere(); // ends the wait early; the header still shows the cap
    expect((await pending).applied).toBe(`wait=${MAX_POLICY_WAIT_S}`);
  });

  it('refuses a poll without a service token', async () => {
    const res = await fetch(new URL('/policies', service.url), { headers: { prefer: 'wait=1' } });
    expect(res.status).toBe(401);
  });
});

describe('the set after a change', () => {
  const scans = () => docstore.counters().collections['policy_feed.policyversions']?.collectionScans ?? 0;
  const policeIn = (etag: string | null) => Number(/POLICE:(\d+)/.exec(etag ?? '')?.[1]);
  const write = async (version: number, base: { roles: unknown; purposeRequiredFor: string[] }) =>
    service.models.PolicyVersion.create({
      department: 'POLICE', version, roles: base.roles, purposeRequiredFor: base.purposeRequiredFor,
      updatedAt: new Date(), updatedBy: 'another-replica', change: { kind: 'SET_SCOPE', summary: 'written by another replica', diff: [] },
    });

  it('is read by asking each department for its next version, not by sorting every version stored', async () => {
    const base = (await currentPolicies(service.models)).find((p) => p.department === 'POLICE')!;
    const before = await getPolicies({});
    expect(policeIn(before.etag)).toBe(base.version);
    const scansBefore = scans();
    for (let v = base.version + 1; v <= base.version + 3; v++) await write(v, base);
    const after = await getPolicies({});
    expect(policeIn(after.etag)).toBe(base.version + 3);
    expect(after.etag!.replace(/POLICE:\d+/, '')).toBe(before.etag!.replace(/POLICE:\d+/, '')); // the other departments unchanged
    expect(scans()).toBe(scansBefore);
  });

  it('is read whole when the look-ups cannot account for what was added', async () => {
    const base = (await currentPolicies(service.models)).find((p) => p.department === 'POLICE')!;
    await getPolicies({});
    await write(base.version + 2, base); // a gap: no version + 1 to find
    expect(policeIn((await getPolicies({})).etag)).toBe(base.version + 2);
  });
});

describe('a service long-polling the policies', () => {
  it('gets a version stored by another replica without waiting for its next poll', async () => {
    const s = await source(60_000); // a poll every minute could not explain what follows
    const changed = new Promise<void>((resolve) => s.onChange(resolve));
    const version = await storeVersionElsewhere();
    const t0 = Date.now();
    await changed;
    expect(s.get('POLICE')?.version).toBe(version);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('is not stale while its poll is held, and is once the access service is gone', async () => {
    const s = await source(200);
    await new Promise((r) => setTimeout(r, 1_500)); // > 3 × intervalMs with one held request
    expect(s.status()).toMatchObject({ loaded: true, stale: false, lastError: null });
    const closing = Date.now();
    await service.close();
    // Held polls are answered at close: they do not hold the server's drain (10 s grace) open.
    expect(Date.now() - closing).toBeLessThan(5_000);
    const deadline = Date.now() + 10_000;
    while (!s.status().stale && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(s.status()).toMatchObject({ loaded: true, stale: true });
    expect(s.get('POLICE')).toBeDefined(); // the last policies stay in force
  });
});
