/**
 * `npm run audit:verify`: checks the access log's hash chain in the access store
 * (MONGODB_URI, else the local docstore) and exits 1 at the first bad entry.
 */
import { connectStore, loadConfig } from '@anmulong/platform';
import { accessModels } from './models';
import { AuditChain, VERIFY_RANGE } from './audit';
import { verifyWholeChain } from './verify-whole';

async function main(): Promise<void> {
  const config = loadConfig('access');
  const conn = await connectStore(config.mongoUri, config.dbName);
  try {
    // In ranges, as through the API: the same code, and memory stays flat however long the log.
    const chain = new AuditChain(accessModels(conn));
    const report = await verifyWholeChain((after) => chain.verify({ after, first: VERIFY_RANGE.maxFirst, budgetMs: Infinity }));
    console.log(JSON.stringify(report));
    if (!report.ok) {
      console.error(`access log chain broken at ${report.firstBrokenAt}`);
      process.exitCode = 1;
    } else {
      console.log(`access log chain verified: ${report.checked} entries`);
    }
  } finally {
    await conn.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
