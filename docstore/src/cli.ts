/**
 * `npm run docstore -- --port 27017 --dbpath DIR [--host 127.0.0.1] [--cacheSizeMB 256] [--heapGrowingPercent 25] [--quiet]`
 * The cache budget defaults to DOCSTORE_CACHE_MB from the environment (so `npm start` passes it on), else 256.
 * Prints the URI it listens on; SIGINT/SIGTERM close cleanly (final snapshot).
 */
import * as v8 from 'v8';
import { startDocstore } from './index';

/**
 * How far V8 lets the heap grow past the live data before its next full collection, in per cent.
 * Left to itself V8 allows up to 4× while collecting is cheap: on a server whose live heap is the
 * cache, that is hundreds of MiB of garbage kept as RSS (the soak saw the heap total grow
 * 498 → 864 MiB over a live heap of 405 → 472). A bounded cache wants a bounded heap, so the
 * server collects at 1.25× instead (0 leaves V8's own growth).
 */
const DEFAULT_HEAP_GROWING_PERCENT = 25;

function parseArgs(argv: string[]) {
  const out: { host?: string; port?: number; dbpath?: string; quiet?: boolean; cacheSizeMB?: number; heapGrowingPercent?: number } = {};
  if (process.env.DOCSTORE_CACHE_MB) out.cacheSizeMB = Number(process.env.DOCSTORE_CACHE_MB);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s, 2) : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        out.port = Number(value());
        break;
      case '--host':
      case '--bind_ip':
        out.host = value();
        break;
      case '--dbpath':
        out.dbpath = value();
        break;
      case '--cacheSizeMB':
        out.cacheSizeMB = Number(value());
        break;
      case '--heapGrowingPercent':
        out.heapGrowingPercent = Number(value());
        break;
      case '--quiet':
        out.quiet = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write('usage: docstore [--port 27017] [--host 127.0.0.1] [--dbpath DIR] [--cacheSizeMB 256] [--heapGrowingPercent 25] [--quiet]\n');
        process.exit(0);
        break;
      default:
        process.stderr.write(`docstore: unknown argument ${a}\n`);
        process.exit(2);
    }
  }
  if (out.port !== undefined && (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535)) {
    process.stderr.write('docstore: --port must be an integer between 0 and 65535\n');
    process.exit(2);
  }
  if (out.cacheSizeMB !== undefined && !(out.cacheSizeMB > 0)) {
    process.stderr.write('docstore: --cacheSizeMB (or DOCSTORE_CACHE_MB) must be a positive number of MiB\n');
    process.exit(2);
  }
  if (out.heapGrowingPercent !== undefined && !(Number.isInteger(out.heapGrowingPercent) && out.heapGrowingPercent >= 0)) {
    process.stderr.write('docstore: --heapGrowingPercent must be a whole number of per cent (0: V8 decides)\n');
    process.exit(2);
  }
  return out;
}

async function main() {
  const { heapGrowingPercent = DEFAULT_HEAP_GROWING_PERCENT, ...args } = parseArgs(process.argv.slice(2));
  // read by V8 each time it sets the next collection's limit, so setting it now takes effect
  if (heapGrowingPercent > 0) v8.setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
  const handle = await startDocstore({ port: 27017, ...args, quiet: args.quiet ?? false });
  process.stdout.write(`${handle.uri}\n`);
  process.stderr.write(
    `[docstore] listening on ${handle.uri} (${args.dbpath ? `dbpath ${args.dbpath}, cache ${args.cacheSizeMB ?? 256} MiB` : 'in memory, nothing is saved'})\n`,
  );
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[docstore] ${sig}: shutting down\n`);
    try {
      await handle.close();
      process.exit(0);
    } catch (e) {
      process.stderr.write(`[docstore] shutdown failed: ${(e as Error).message}\n`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
