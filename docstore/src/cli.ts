/**
 * `npm run docstore -- --port 27017 --dbpath DIR [--host 127.0.0.1] [--cacheSizeMB 256] [--quiet]`
 * The cache budget defaults to DOCSTORE_CACHE_MB from the environment (so `npm start` passes it on), else 256.
 * Prints the URI it listens on; SIGINT/SIGTERM close cleanly (final snapshot).
 */
import { startDocstore } from './index';

function parseArgs(argv: string[]) {
  const out: { host?: string; port?: number; dbpath?: string; quiet?: boolean; cacheSizeMB?: number } = {};
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
      case '--quiet':
        out.quiet = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write('usage: docstore [--port 27017] [--host 127.0.0.1] [--dbpath DIR] [--cacheSizeMB 256] [--quiet]\n');
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
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
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
