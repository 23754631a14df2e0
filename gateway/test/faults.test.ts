import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadDemo } from '@anmulong/demo';
import { databaseName, fetchToken, SUBGRAPHS, supervisedState, Supervisor } from '@anmulong/platform';
import { freePort, type GraphQLResponse, type Stack, startStack } from '@anmulong/testkit';
import { startGateway, type RunningGateway } from '../src/index';

/*
 * Faults against the real stack: a department's subgraph down (each in turn, and one real
 * process SIGKILLed under load and brought back by the supervisor), the docstore process killed
 * under writes, the identity provider restarted, the access service down. The store is a real
 * docstore process with a dbpath, supervised as `npm start` supervises it.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const PURPOSE = { 'x-access-purpose': 'fault test' };

let tmp: string;
let supervisor: Supervisor;
let statusFile: string;
let mongoUri: string;
let stack: Stack;
let policePort: number;
const launcherLog: string[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anmulong-faults-'));
  statusFile = path.join(tmp, 'services.json');
  supervisor = new Supervisor({ cwd: ROOT, statusFile, log: (l) => launcherLog.push(l) });
  const port = await freePort();
  supervisor.start({
    name: 'docstore',
    script: path.join(ROOT, 'docstore/src/cli.ts'),
    args: ['--port', String(port), '--host', '127.0.0.1', '--dbpath', path.join(tmp, 'docstore'), '--quiet'],
    healthUrl: `http://127.0.0.1:${port}/health`,
  });
  await supervisor.waitUp('docstore');
  mongoUri = `mongodb://127.0.0.1:${port}`;
  stack = await startStack({ mongoUri });
  // The supervised police process (the "killed under load" test) boots in its own process while
  // the demo loads and the tests before it run; that test waits for it to be up.
  policePort = await freePort();
  supervisor.start({
    name: 'police',
    script: path.join(ROOT, 'subgraphs/police/src/index.ts'),
    env: {
      PORT: String(policePort),
      HOST: '127.0.0.1',
      MONGODB_URI: mongoUri,
      KEYCLOAK_URL: stack.keycloakUrl,
      REGISTRY_URL: stack.subgraphs.registry.url,
      ACCESS_URL: stack.subgraphs.access.url,
      LOG_LEVEL: 'silent',
    },
    healthUrl: `http://127.0.0.1:${policePort}/health`,
  });
  await loadDemo({ mongoUri, scale: 0.01 });
}, 240_000);

afterAll(async () => {
  await stack?.close();
  await supervisor?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}, 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it holds; returns how long that took. */
async function until(what: string, check: () => Promise<boolean> | boolean, ms = 60_000, everyMs = 20): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
  return Date.now() - started;
}

/**
 * A household view with every department's part: each a list or a nullable field (party
 * building's model-household standing as the nullable `modelHousehold`, not `isModelHousehold`).
 */
const HOUSEHOLD = /* GraphQL */ `
  query HouseholdView($id: ID!) {
    household(id: $id) {
      id address
      members { id name { zh } helpRequests { id } disputes { id } courtCases { id } aidGrants { id } partyMembership { branch } }
      aidGrants { id }
      modelHousehold { year }
    }
  }`;

/** Which department each part of HOUSEHOLD comes from, and how it reads when that one is down. */
const PARTS: Record<string, { fields: string[] }> = {
  police: { fields: ['helpRequests'] },
  mediation: { fields: ['disputes'] },
  court: { fields: ['courtCases'] },
  'civil-affairs': { fields: ['aidGrants'] },
  'party-building': { fields: ['partyMembership'] },
};

/** A household whose members have something from every department (the demo data has some). */
let busy: Promise<{ id: string; baseline: any }> | undefined;
/** Looked for once: no test changes what the household view shows (the faulted writes write nothing). */
const busyHousehold = () => (busy ??= findBusyHousehold());
async function findBusyHousehold(): Promise<{ id: string; baseline: any }> {
  const res = await stack.query('analyst', `{ households(divisionCode: "150624", first: 100) { edges { node { id } } } }`, {}, { headers: PURPOSE });
  let best: { id: string; baseline: any; score: number } | null = null;
  for (const { node } of res.data.households.edges) {
    const r = await stack.query('analyst', HOUSEHOLD, { id: node.id }, { headers: PURPOSE });
    expect(r.errors).toBeUndefined();
    const members = r.data.household.members as any[];
    const score = Object.values(PARTS).filter(({ fields }) => fields.some((f) => members.some((m) => (Array.isArray(m[f]) ? m[f].length : m[f])))).length;
    if (!best || score > best.score) best = { id: node.id, baseline: r.data, score };
    if (score === Object.keys(PARTS).length) break;
  }
  return best!;
}

function expectPartial(res: GraphQLResponse, baseline: any, down: string): void {
  expect(res.status).toBe(200);
  // One error, naming the department, and nothing internal.
  expect(res.errors).toEqual([{ message: expect.stringContaining(down), extensions: { code: 'DEPARTMENT_UNAVAILABLE', department: down.toUpperCase().replace(/-/g, '_') } }]);
  const household = res.data.household;
  expect(household.id).toBe(baseline.household.id);
  expect(household.address).toBe(baseline.household.address);
  expect(household.modelHousehold).toEqual(down === 'party-building' ? null : baseline.household.modelHousehold);
  household.members.forEach((m: any, i: number) => {
    const before = baseline.household.members[i];
    expect(m.name).toEqual(before.name); // the registry's part is all there
    for (const [dept, { fields }] of Object.entries(PARTS)) {
      for (const f of fields) {
        if (dept === down) expect(m[f]).toEqual(Array.isArray(before[f]) ? [] : null);
        else expect(m[f]).toEqual(before[f]); // the other departments answered in full
      }
    }
  });
}

describe('a department down', () => {
  it('each department in turn: the rest is served, its part empty with one DEPARTMENT_UNAVAILABLE error; it serves again once back', async () => {
    const { id, baseline } = await busyHousehold();
    for (const down of Object.keys(PARTS)) {
      await stack.restart(down as (typeof SUBGRAPHS)[number], async () => {
        const res = await stack.query('analyst', HOUSEHOLD, { id }, { headers: PURPOSE });
        expectPartial(res, baseline, down);
        if (down === 'party-building') {
          // the non-null isModelHousehold (CONTRACT) cannot be null: GraphQL nulls the household (README)
          const strict = await stack.query('analyst', `query($id: ID!) { household(id: $id) { id isModelHousehold } }`, { id }, { headers: PURPOSE });
          expect(strict.data).toEqual({ household: null });
          expect(strict.errors?.map((e) => e.extensions?.code)).toEqual(['DEPARTMENT_UNAVAILABLE']);
        }
      });
      // Back without a gateway restart (once its breaker lets a call through).
      await until(`${down} to serve again`, async () => {
        const r = await stack.query('analyst', HOUSEHOLD, { id }, { headers: PURPOSE });
        return !r.errors && JSON.stringify(r.data) === JSON.stringify(baseline);
      }, 15_000, 100);
    }
  }, 180_000);

  it('a mutation whose subgraph is down reports failure and writes nothing', async () => {
    const input = { category: 'THEFT', description: `while police is down ${Date.now()}`, divisionCode: '150624101001' };
    const res = await stack.restart('police', () =>
      stack.query('police.officer', `mutation($input: FileHelpRequestInput!) { fileHelpRequest(input: $input) { id } }`, { input }),
    );
    expect(res!.data).toBeNull();
    expect(res!.errors).toEqual([expect.objectContaining({ extensions: { code: 'DEPARTMENT_UNAVAILABLE', department: 'POLICE' } })]);
    expect(await stack.police.models.HelpRequest.countDocuments({ description: input.description })).toBe(0);
  }, 60_000);

  it('a department slower than its deadline and one answering 5xx: both named, the rest served, the read recorded in the access log', async () => {
    const { id, baseline } = await busyHousehold();
    // Police accepts the call and never answers; mediation answers 502 as a broken proxy would.
    const silent = http.createServer(() => undefined);
    const broken = http.createServer((_req, res) => res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway'));
    const listen = (server: http.Server) => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`)));
    const urls = Object.fromEntries(SUBGRAPHS.map((n) => [n, stack.subgraphs[n].url]));
    const gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      keycloakUrl: stack.keycloakUrl,
      assertionKeyFile: stack.assertionKeyFile,
      subgraphUrls: { ...urls, police: await listen(silent), mediation: await listen(broken) },
      accessLog: { outboxDir: path.join(tmp, 'slow-outbox') },
      subgraphTimeoutMs: 300,
    });
    try {
      const members: string[] = baseline.household.members.map((m: { id: string }) => m.id);
      const logged = async () => (await stack.query('auditor', `query($id: ID!) { accessLog(residentId: $id) { totalCount } }`, { id: members[0] })).data.accessLog.totalCount as number;
      const before = await logged();
      const started = Date.now();
      const res = await stack.query('analyst', HOUSEHOLD, { id }, { url: gateway.url, headers: PURPOSE });
      expect(Date.now() - started).toBeLessThan(10_000); // the deadline, not the silent subgraph, decides
      expect(res.status).toBe(200);
      expect(res.errors!.map((e) => e.extensions).sort((a, b) => String(a!.department).localeCompare(String(b!.department)))).toEqual([
        { code: 'DEPARTMENT_UNAVAILABLE', department: 'MEDIATION' },
        { code: 'DEPARTMENT_UNAVAILABLE', department: 'POLICE' },
      ]);
      res.data.household.members.forEach((m: any, i: number) => {
        const was = baseline.household.members[i];
        expect(m).toEqual({ ...was, helpRequests: [], disputes: [] });
      });
      // The partial answer was recorded like any other read (a failed call does not hold the entry back).
      await gateway.flushAccessLog();
      expect(await logged()).toBe(before + 1);
    } finally {
      await gateway.close();
      silent.closeAllConnections();
      silent.close();
      broken.close();
    }
  }, 60_000);

  describe('a subgraph process killed under load', () => {
    let gateway: RunningGateway;
    beforeAll(async () => {
      const urls = Object.fromEntries(SUBGRAPHS.map((n) => [n, stack.subgraphs[n].url]));
      await supervisor.waitUp('police', 180_000); // started in the first beforeAll
      // The production breaker (2 s open) and restart delay (0.5 s): the 5 s recovery bound is about them.
      gateway = await startGateway({
        port: 0,
        host: '127.0.0.1',
        keycloakUrl: stack.keycloakUrl,
        assertionKeyFile: stack.assertionKeyFile,
        subgraphUrls: { ...urls, police: `http://127.0.0.1:${policePort}/graphql` },
        accessLog: { outboxDir: path.join(tmp, 'gateway-outbox') },
        supervisorStatusFile: statusFile,
        // Four clients of one user in a tight loop are far above a person's rate: this test is about
        // a department dying under load, not the caller's rate limit.
        limits: { rate: { perSecond: 1_000_000, burst: 1_000_000 } },
      });
    }, 240_000);
    afterAll(async () => {
      await gateway?.close();
    });

    it('every request is answered, naming police while it is down; the supervisor restarts it and it serves again within 5 s of being up', async () => {
      const { id, baseline } = await busyHousehold();
      const token = await stack.token('analyst');
      const ask = async () => {
        const res = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...PURPOSE },
          body: JSON.stringify({ query: HOUSEHOLD, variables: { id } }),
        });
        return { status: res.status, ...((await res.json()) as object) } as GraphQLResponse;
      };
      const answers: { at: number; res: GraphQLResponse }[] = [];
      let running = true;
      // `at`: when the request was sent.
      const clients = Array.from({ length: 4 }, async () => {
        while (running) answers.push({ at: Date.now(), res: await ask() });
      });
      await until('the clients to be under way', () => answers.length >= 8);
      const pid = supervisor.pid('police')!;
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      // The gateway's /health says it is being brought back.
      await until('health to show police restarting', async () => {
        const h = (await (await fetch(new URL('/health', gateway.url))).json()) as { subgraphs: Record<string, string> };
        return h.subgraphs.police === 'restarting';
      }, 10_000);
      await until('the supervisor to have police up again', () => supervisedState(statusFile, 'police') === 'up', 180_000);
      const upAt = Date.now();
      // The clients' own requests tell: one sent after it was up is answered in full.
      const served = () => answers.filter((a) => a.at >= upAt && !a.res.errors);
      const recoveryMs = await until('a full answer again', () => served().length > 0, 5_000);
      // And it goes on serving: a few more full answers, each checked below with the rest.
      await until('more full answers', () => served().length >= 8);
      running = false;
      await Promise.all(clients);

      expect(supervisor.pid('police')).not.toBe(pid);
      expect(supervisor.states().police).toMatchObject({ state: 'up', restarts: 1, lastExit: 'signal SIGKILL' });
      expect(launcherLog.join('\n')).toMatch(/police exited unexpectedly \(signal SIGKILL\); restarting in 0\.5 s/);
      // 100 % answered: the household and its other departments every time, police named when empty.
      const during = answers.filter((a) => a.at >= killedAt && a.at < upAt);
      expect(during.length).toBeGreaterThan(0);
      for (const { res } of answers) {
        if (res.errors) expectPartial(res, baseline, 'police');
        else expect(res.data).toEqual(baseline);
      }
      expect(during.filter((a) => a.res.errors).length).toBeGreaterThan(0);
      process.stdout.write(`[faults] police killed: ${answers.length} answers, ${during.length} while down (all answered), serving again ${recoveryMs} ms after up\n`);
    }, 240_000);
  });
});

describe('the store killed under writes', () => {
  it('loses no acknowledged write; the subgraphs reconnect without a restart', async () => {
    const mutation = `mutation($input: FileHelpRequestInput!) { fileHelpRequest(input: $input) { id } }`;
    const acked: string[] = [];
    const failures: string[] = [];
    let n = 0;
    let running = true;
    const policeBefore = stack.police;
    const writers = Array.from({ length: 3 }, async () => {
      while (running) {
        const res = await stack.query('police.officer', mutation, { input: { category: 'THEFT', description: `soak write ${n++}`, divisionCode: '150624101001' } });
        if (res.data?.fileHelpRequest?.id) acked.push(res.data.fileHelpRequest.id);
        else failures.push(`${res.status} ${res.errors?.map((e) => e.extensions?.code).join(',')}`);
      }
    });
    await until('some writes', () => acked.length >= 10, 30_000);
    const ackedBeforeKill = acked.length;
    const storePid = supervisor.pid('docstore')!;
    process.kill(storePid, 'SIGKILL');
    // A new process up (the status file says `up` until the supervisor has seen the old one exit).
    await until('the docstore to be restarted', () => supervisor.pid('docstore') !== storePid && supervisedState(statusFile, 'docstore') === 'up', 60_000);
    // Writes go through again without restarting any subgraph.
    const before = acked.length;
    await until('writes to succeed again', () => acked.length >= before + 10, 60_000);
    running = false;
    await Promise.all(writers);

    expect(stack.police).toBe(policeBefore);
    expect(acked.length).toBeGreaterThan(ackedBeforeKill);
    // Failures while it was down were clean: the department reported unavailable, nothing internal.
    for (const f of failures) expect(f).toBe('200 DEPARTMENT_UNAVAILABLE');
    const client = await mongoose.mongo.MongoClient.connect(mongoUri);
    try {
      const ids = acked.map((id) => new mongoose.Types.ObjectId(id));
      const found = await client.db(databaseName('police')).collection('helprequests').countDocuments({ _id: { $in: ids } });
      expect(found).toBe(acked.length);
    } finally {
      await client.close();
    }
    const health = (await (await fetch(new URL('/health', stack.police.url))).json()) as { store: string };
    expect(health.store).toBe('up');
  }, 180_000);
});

describe('the identity provider restarted', () => {
  it('tokens issued before still verify (cached keys) while it is down; new ones are issued after', async () => {
    const before = await fetchToken(stack.keycloakUrl, 'police.officer');
    const q = `{ helpRequests(divisionCode: "150624101", first: 1) { totalCount } }`;
    await stack.restart('identity', async () => {
      await expect(fetchToken(stack.keycloakUrl, 'police.officer')).rejects.toThrow();
      const res = await stack.query({ authorization: `Bearer ${before}` }, q);
      expect(res.errors).toBeUndefined();
      expect(res.data.helpRequests.totalCount).toBeGreaterThan(0);
    });
    const after = await fetchToken(stack.keycloakUrl, 'police.officer');
    for (const token of [before, after]) {
      const res = await stack.query({ authorization: `Bearer ${token}` }, q);
      expect(res.errors).toBeUndefined();
    }
  }, 60_000);
});

describe('the access service down', () => {
  it('reads go on while the outbox holds them, then are refused (fail closed); entries ship once it is back', async () => {
    await stack.withGateway({ accessLog: { maxBacklog: 3, shipIntervalMs: 200 } }, async (gateway) => {
      const q = `query($id: ID!) { household(id: $id) { id members { id name { zh } } } }`;
      const { id } = await busyHousehold();
      const read = () => stack.query('analyst', q, { id }, { url: gateway.url, headers: PURPOSE });
      const statuses = await stack.restart('access', async () => {
        const out: number[] = [];
        for (let i = 0; i < 6; i++) out.push((await read()).status);
        return out;
      });
      // The first reads are recorded in the outbox and served; past its bound, nothing is served.
      expect(statuses!.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses!.slice(-1)).toEqual([503]);
      await until('reads to be served again', async () => (await read()).status === 200, 30_000, 100);
      await gateway.flushAccessLog();
    });
  }, 90_000);
});
