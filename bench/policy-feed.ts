/**
 * What a policy change costs the access service as versions pile up: `npm run bench:policy-feed -- [--versions 1000,4000] [--rounds 40] [--cache-mb 8]`
 * (not part of `npm test`).
 *
 * A journaled docstore (in this process, its cache at --cache-mb so that old versions are cold,
 * as in a long run) holds every department's policy with --versions versions stored (spread over
 * the departments, shaped as the shipped policies). Each round stores one more version of a
 * department taken in turn and times how the feed reads the new set (`PolicyFeed.current()`:
 * each department's next version by point look-ups), against reading the set whole
 * (`currentPolicies()`: sort every version, keep each department's newest: what the feed did
 * before, and still does when look-ups cannot account for a change). Medians over --rounds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startDocstore } from '@anmulong/docstore';
import { type Department, DEPARTMENTS } from '@anmulong/platform';
import { accessModels, currentPolicies, PolicyFeed, shippedPolicy } from '@anmulong/access';
import { fmt, median, readFlags } from './measure';

const flags = { versions: [1_000, 4_000], rounds: 40, cacheMb: 8 };
readFlags(process.argv.slice(2), 'bench/policy-feed.ts', ({ flag, num, value }) => {
  if (flag === '--versions') flags.versions = value().split(',').map(Number);
  else if (flag === '--rounds') flags.rounds = Math.round(num());
  else if (flag === '--cache-mb') flags.cacheMb = num();
  else return false;
  return true;
});
if (flags.versions.some((n) => !(n >= DEPARTMENTS.length))) throw new Error(`--versions: each at least ${DEPARTMENTS.length} (one per department)`);

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function measure(total: number): Promise<{ feed: number; whole: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-policy-feed-'));
  const ds = await startDocstore({ port: 0, dbpath: dir, cacheSizeMB: flags.cacheMb });
  const conn = await mongoose.createConnection(ds.uri, { dbName: 'bench_policy' }).asPromise();
  try {
    const models = accessModels(conn);
    await models.PolicyVersion.init();
    const latest = new Map<Department, number>();
    const version = (department: Department, n: number) => {
      const doc = shippedPolicy(department);
      return { department, version: n, roles: doc.roles, purposeRequiredFor: doc.purposeRequiredFor ?? [], updatedAt: new Date(), updatedBy: 'bench', change: { kind: 'SET_SCOPE', summary: 'bench', diff: [] } };
    };
    const batch: ReturnType<typeof version>[] = [];
    for (let i = 0; i < total; i++) {
      const d = DEPARTMENTS[i % DEPARTMENTS.length];
      const n = (latest.get(d) ?? 0) + 1;
      latest.set(d, n);
      batch.push(version(d, n));
      if (batch.length === 500 || i === total - 1) await models.PolicyVersion.insertMany(batch.splice(0));
    }
    const feed = new PolicyFeed(models);
    await feed.current();
    const feedMs: number[] = [];
    const wholeMs: number[] = [];
    for (let r = 0; r < flags.rounds; r++) {
      const d = DEPARTMENTS[r % DEPARTMENTS.length];
      const n = (latest.get(d) as number) + 1;
      latest.set(d, n);
      await models.PolicyVersion.create(version(d, n));
      let t0 = process.hrtime.bigint();
      const set = await feed.current();
      feedMs.push(ms(t0));
      t0 = process.hrtime.bigint();
      const whole = await currentPolicies(models);
      wholeMs.push(ms(t0));
      // both must read the same set: every department at its newest version
      const got = (ps: { department: string; version: number }[]) => ps.map((p) => `${p.department}:${p.version}`).sort().join(',');
      const want = [...latest].map(([k, v]) => `${k}:${v}`).sort().join(',');
      if (got(set.policies) !== want || got(whole) !== want) throw new Error(`round ${r}: the feed or the whole read missed a version`);
    }
    return { feed: median(feedMs), whole: median(wholeMs) };
  } finally {
    await conn.close();
    await ds.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const rows: string[] = [];
  for (const n of flags.versions) {
    const r = await measure(n);
    rows.push(`| ${fmt(n)} | ${fmt(r.feed, 2)} ms | ${fmt(r.whole, 2)} ms | ${fmt(r.whole / r.feed, 1)}× |`);
    process.stderr.write(`[bench:policy-feed] ${n} versions: feed ${fmt(r.feed, 2)} ms, whole ${fmt(r.whole, 2)} ms\n`);
  }
  const date = new Date().toISOString().slice(0, 10);
  const text = [
    `# Policy set after a change, as versions pile up (${date})`,
    '',
    `\`npm run bench:policy-feed -- --versions ${flags.versions.join(',')} --rounds ${flags.rounds} --cache-mb ${flags.cacheMb}\`: a journaled docstore in process (cache ${flags.cacheMb} MiB, so old versions are cold), ${DEPARTMENTS.length} departments' policies with that many versions stored; each round stores one version more and reads the new set. Medians over ${flags.rounds} rounds; machine shared (2 cores), compare within a row.`,
    '',
    '| versions stored | the feed (next version per department) | the whole set (sort every version) | whole / feed |',
    '|--:|--:|--:|--:|',
    ...rows,
    '',
  ].join('\n');
  process.stdout.write(text + '\n');
  fs.writeFileSync(path.join(__dirname, 'results', `policy-feed-${date}.md`), text);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
