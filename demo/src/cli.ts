/**
 * npm run demo -- [--scale 0.04] [--seed 20231128] [--uri mongodb://127.0.0.1:27017] [--drop] [--dry-run]
 *
 * Loads the demo data into each subgraph's database (`anmulong_<subgraph>`). The URI
 * defaults to MONGODB_URI, else the docstore on 127.0.0.1:27017. `--dry-run` only
 * generates and prints the counts and the time taken.
 */
import { DEFAULT_SCALE, DEFAULT_SEED, demoFigures } from './figures';
import { generateDemo } from './generate';
import { DemoAlreadyLoadedError, isDemoLoaded, loadDemo } from './load';

const USAGE = 'usage: npm run demo -- [--scale 0.04] [--seed 20231128] [--uri mongodb://127.0.0.1:27017] [--drop] [--dry-run] [--if-empty]';

function parse(argv: string[]) {
  const opts = { scale: DEFAULT_SCALE, seed: DEFAULT_SEED, uri: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017', drop: false, dryRun: false, ifEmpty: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? (arg.split(/=(.*)/s, 2) as [string, string]) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--scale': {
        const s = Number(value());
        if (!(s > 0) || !Number.isFinite(s)) throw new Error('--scale must be a positive number');
        opts.scale = s;
        break;
      }
      case '--seed': {
        const s = Number(value());
        if (!Number.isInteger(s)) throw new Error('--seed must be an integer');
        opts.seed = s;
        break;
      }
      case '--uri':
        opts.uri = value();
        break;
      case '--drop':
        opts.drop = true;
        break;
      case '--dry-run':
        opts.dryRun = true;
        break;
      case '--if-empty':
        // For deployments (docker compose): load on the first start, succeed quietly after.
        opts.ifEmpty = true;
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${arg}\n${USAGE}`);
    }
  }
  return opts;
}

async function main() {
  const opts = parse(process.argv.slice(2));
  if (opts.dryRun) {
    const t = Date.now();
    const data = generateDemo({ seed: opts.seed, scale: opts.scale });
    const ms = Date.now() - t;
    const counts = Object.fromEntries(
      Object.entries(data).map(([sub, colls]) => [sub, Object.fromEntries(Object.entries(colls as Record<string, unknown[]>).map(([k, v]) => [k, v.length]))]),
    );
    console.log(JSON.stringify({ seed: opts.seed, scale: opts.scale, generateMs: ms, counts, figures: demoFigures(opts.scale) }, null, 2));
    return;
  }
  if (opts.ifEmpty && (await isDemoLoaded(opts.uri))) {
    console.log('demo data already loaded; nothing to do');
    return;
  }
  const summary = await loadDemo({
    mongoUri: opts.uri,
    seed: opts.seed,
    scale: opts.scale,
    drop: opts.drop,
    log: (m) => console.log(m),
  });
  console.log(JSON.stringify(summary, null, 2));
}

main().catch((err: unknown) => {
  if (err instanceof DemoAlreadyLoadedError) console.error(err.message);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
