/**
 * Access-log chain verification through the API: `npm run bench:chain-verify -- [flags]` (not part of `npm test`).
 *
 * A stack in this process (docstore, identity provider, subgraphs, gateway; no demo data), its
 * access log filled with entries shaped like the gateway's reads up to each `--sizes` count, then
 * the chain verified as an auditor through the gateway
 *   - in ranges: `verifyAuditChain(after, first)` calls, each from the last one's continuation,
 *     at the default range (20,000 entries or about 3 s) and at `--first`;
 *   - in one walk: a single call with the range's limits lifted (what the API did before ranges;
 *     past the subgraph's 10 s deadline the gateway answers DEPARTMENT_UNAVAILABLE);
 *   - and, for reference, the walk in the access service itself, without the API.
 * Prints entries verified per second (median of `--rounds`) and the calls each took.
 *
 * Flags: --sizes 20000,100000 · --first 5000 · --rounds 3
 */
import { performance } from 'node:perf_hooks';
import { startStack } from '@anmulong/testkit';
import { chainOf, VERIFY_RANGE, verifyWholeChainThroughApi, type AccessModels } from '@anmulong/access';
import { quantile } from './measure';

function parseFlags(argv: string[]) {
  const f = { sizes: [20_000, 100_000], first: 5_000, rounds: 3 };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[++i];
    switch (argv[i - 1]) {
      case '--sizes': f.sizes = value.split(',').map(Number); break;
      case '--first': f.first = Number(value); break;
      case '--rounds': f.rounds = Number(value); break;
      default: throw new Error(`unknown argument ${argv[i - 1]} (see the header of bench/chain-verify.ts)`);
    }
  }
  if (f.sizes.some((n) => !(n > 0)) || !(f.first >= 1 && f.first <= VERIFY_RANGE.maxFirst) || !(f.rounds >= 1)) throw new Error('--sizes, --first and --rounds must be positive (--first at most 100000)');
  return f;
}

const read = (i: number) => ({
  kind: 'READ' as const, username: 'analyst', roles: ['analyst'], jurisdiction: '150624', operationName: 'HouseholdView', purpose: 'benchmark',
  documentHash: 'a'.repeat(64), residentIds: Array.from({ length: 8 }, (_, j) => `r${i}-${j}`), householdIds: [`h${i}`],
  fields: ['Household.address', 'Household.members', 'Resident.name', 'Resident.idNumber (masked)', 'Resident.phone (masked)', 'Resident.birthDate'],
});

async function main() {
  process.env.LOG_LEVEL ??= 'warn'; // a line per request would be most of the output
  const flags = parseFlags(process.argv.slice(2));
  const stack = await startStack();
  const models = stack.subgraphs.access.models as AccessModels;
  const chain = chainOf(models);
  /** The longest single call of the current measurement (what meets the subgraph's deadline). */
  let longest = 0;
  const post = async (query: string, variables: Record<string, unknown>) => {
    const t0 = performance.now();
    try {
      return await stack.query('auditor', query, variables);
    } finally {
      longest = Math.max(longest, performance.now() - t0);
    }
  };
  const lines = ['| entries | how | calls | entries/s (median) | longest call (s) | result |', '|---:|---|---:|---:|---:|---|'];
  try {
    for (const size of flags.sizes) {
      for (let n = await models.AuditEntry.countDocuments(); n < size; n += 1000) {
        await chain.appendMany(Array.from({ length: Math.min(1000, size - n) }, (_, i) => read(n + i)));
      }
      const all = size + 1000; // one range holding the whole chain
      await chain.verify({ first: all, budgetMs: Infinity }); // warm-up (JIT, the store's caches), not measured
      const measure = async (how: string, run: () => Promise<{ checked: number; calls: number; result: string }>) => {
        const rates: number[] = [];
        let last = { checked: 0, calls: 0, result: '' };
        longest = 0;
        for (let r = 0; r < flags.rounds; r++) {
          const t0 = performance.now();
          last = await run();
          rates.push(last.checked / ((performance.now() - t0) / 1000));
        }
        lines.push(`| ${size.toLocaleString('en')} | ${how} | ${last.calls} | ${Math.round(quantile(rates, 0.5)).toLocaleString('en')} | ${longest ? (longest / 1000).toFixed(1) : '—'} | ${last.result} |`);
        console.log(lines.at(-1));
      };
      const ranges = (first?: number) => async () => {
        const r = await verifyWholeChainThroughApi(post, first);
        return { checked: r.checked, calls: r.ranges, result: r.ok ? `ok, ${r.checked.toLocaleString('en')} checked` : `not ok: ${r.firstBrokenAt}` };
      };
      await measure(`API, ranges of ${VERIFY_RANGE.defaultFirst.toLocaleString('en')} / ${VERIFY_RANGE.budgetMs / 1000} s (default)`, ranges());
      await measure(`API, ranges of ${flags.first.toLocaleString('en')}`, ranges(flags.first));
      await measure('API, one walk (limits lifted)', async () => {
        const saved = { ...VERIFY_RANGE };
        Object.assign(VERIFY_RANGE, { defaultFirst: all, maxFirst: all, budgetMs: Infinity });
        try {
          const res = await post(`{ verifyAuditChain { ok checked } }`, {});
          const r = res.data?.verifyAuditChain;
          return r
            ? { checked: r.checked, calls: 1, result: r.ok ? `ok, ${r.checked.toLocaleString('en')} checked` : 'not ok' }
            : { checked: 0, calls: 1, result: `failed: ${res.errors?.map((e: any) => e.extensions?.code ?? e.message).join(', ')}` };
        } finally {
          Object.assign(VERIFY_RANGE, saved);
        }
      });
      await measure('in the access service, one walk (no API)', async () => {
        const r = await chain.verify({ first: all, budgetMs: Infinity });
        return { checked: r.checked, calls: 1, result: r.ok ? `ok, ${r.checked.toLocaleString('en')} checked` : 'not ok' };
      });
    }
  } finally {
    await stack.close();
  }
  console.log(`\n${lines.join('\n')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
