/**
 * MongoDB's own CRUD specification tests (unified test format, test/spec/crud/, see SOURCE.md
 * there) run against a docstore over TCP through the official driver: one jest test per spec
 * test. A test passes, is refused by design (docstore answers with a NotImplemented error
 * naming a feature of src/unsupported.ts), is skipped (its runOnRequirements do not hold for
 * what the server presents, or it needs fail points), or fails. The summary line says which.
 *
 * With MONGODB_URI set the same tests run against that server (refusals then count as
 * failures). The spec files use their own database names (crud-tests, crud-v1, ...) and drop
 * their collections: point MONGODB_URI at a disposable server.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SERVER_VERSION } from '../src/commands';
import { REFUSED_FEATURES } from '../src/unsupported';
import { DocstoreHandle, DriverClient, MongoClient, REAL_MONGO, startServer } from './helpers';
import { Outcome, ServerDescription, UnifiedRunner, loadSpecFiles, skipReason } from './spec/unified';

const files = loadSpecFiles(path.join(__dirname, 'spec', 'crud'));

type Presented = ServerDescription & { failPoints: boolean };

function topologyOf(hello: Record<string, unknown>): ServerDescription['topology'] {
  if (hello.serviceId !== undefined) return 'load-balanced';
  if (hello.msg === 'isdbgrid') return 'sharded';
  if (hello.setName !== undefined) return 'replicaset';
  return 'single';
}

/**
 * Version and topology of MONGODB_URI, asked before the tests are declared (jest declares
 * tests synchronously, and which ones are skipped depends on the answer).
 */
function probe(uri: string): Presented {
  const script = `
    const { MongoClient } = require('mongoose').mongo;
    (async () => {
      const c = await new MongoClient(process.env.MONGODB_URI, { serverSelectionTimeoutMS: 5000 }).connect();
      const admin = c.db('admin');
      const info = await admin.command({ buildInfo: 1 });
      const hello = await admin.command({ hello: 1 });
      const p = await admin.command({ getParameter: 1, enableTestCommands: 1 }).catch(() => ({}));
      process.stdout.write(JSON.stringify({ version: info.versionArray.slice(0, 3).join('.'), hello, failPoints: Boolean(p.enableTestCommands) }));
      await c.close();
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..', '..'), env: { ...process.env, MONGODB_URI: uri } }).toString());
  return { version: out.version, topology: topologyOf(out.hello), failPoints: out.failPoints };
}

/** docstore presents itself as a single MongoDB server of SERVER_VERSION, without fail points (checked in beforeAll). */
const presented: Presented = REAL_MONGO ? probe(process.env.MONGODB_URI as string) : { version: SERVER_VERSION, topology: 'single', failPoints: false };

const summary = {
  passed: 0,
  refused: new Map<string, number>(),
  skipped: new Map<string, number>(),
  failed: [] as string[],
};
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

let server: DocstoreHandle | undefined;
let internal: MongoClient;
let runner: UnifiedRunner;
let started = 0;

beforeAll(async () => {
  started = Date.now();
  if (!REAL_MONGO) server = await startServer();
  const uri = REAL_MONGO ? (process.env.MONGODB_URI as string) : (server as DocstoreHandle).uri;
  internal = await new DriverClient(uri, { serverSelectionTimeoutMS: 5000 }).connect();
  // runOnRequirements are applied to what the server says about itself
  const info = await internal.db('admin').command({ buildInfo: 1 });
  const hello = await internal.db('admin').command({ hello: 1 });
  expect({ version: info.versionArray.slice(0, 3).join('.'), topology: topologyOf(hello) }).toEqual({ version: presented.version, topology: presented.topology });
  runner = new UnifiedRunner(uri, internal, !REAL_MONGO);
});

afterAll(async () => {
  const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`).join('; ');
  const refused = [...summary.refused.values()].reduce((a, b) => a + b, 0);
  const skipped = [...summary.skipped.values()].reduce((a, b) => a + b, 0);
  const target = REAL_MONGO ? `MongoDB ${presented.version} (${presented.topology})` : `docstore presenting MongoDB ${presented.version} (${presented.topology})`;
  console.log(
    [
      `MongoDB CRUD spec tests against ${target}: ${summary.passed} passed, ${refused} refused by design, ${skipped} skipped, ${summary.failed.length} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  refused by design (feature: tests): ${list(summary.refused) || 'none'}`,
      `  skipped (reason: tests): ${list(summary.skipped) || 'none'}`,
      ...summary.failed.map((f) => `  FAILED ${f}`),
    ].join('\n'),
  );
  await runner?.close();
  await internal?.close();
  await server?.close();
});

it('the features refused by design are the ones docstore/README.md lists as not supported', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const start = readme.indexOf('## What it does not support');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  expect(start).toBeGreaterThan(0);
  const missing = Object.values(REFUSED_FEATURES).filter((name) => !section.includes(name));
  expect(missing).toEqual([]);
});

for (const file of files) {
  describe(file.file, () => {
    for (const test of file.tests) {
      const reason = skipReason(file, test, presented, presented.failPoints);
      if (reason) {
        // the summary groups the many "written for MongoDB ≤ x.y" variants
        bump(summary.skipped, reason.startsWith('for MongoDB ≤') ? 'written for older MongoDB versions' : reason);
        it.skip(`${test.description} (skipped: ${reason})`, () => undefined);
        continue;
      }
      it(test.description, async () => {
        let outcome: Outcome;
        try {
          outcome = await runner.run(file, test);
        } catch (e) {
          summary.failed.push(`${file.file} › ${test.description}: ${(e as Error).message.split('\n')[0]}`);
          throw e;
        }
        if (outcome.status === 'refused') bump(summary.refused, outcome.feature);
        else summary.passed++;
      });
    }
  });
}
