import { startDocstore } from '@anmulong/docstore';
import { loadDemo, isDemoLoaded } from './src';
async function main() {
  const scale = Number(process.argv[2] ?? 0.04);
  const dbpath = process.argv[3];
  const ds = await startDocstore({ host: '127.0.0.1', port: 0, quiet: true, dbpath });
  console.log('before', await isDemoLoaded(ds.uri));
  const t = Date.now();
  const s = await loadDemo({ mongoUri: ds.uri, scale, log: (m) => console.log(new Date().toISOString().slice(11, 23), m) });
  console.log(JSON.stringify(s), 'wall', Date.now() - t);
  console.log('after', await isDemoLoaded(ds.uri));
  await ds.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
