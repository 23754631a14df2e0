import { startDocstore } from '@anmulong/docstore';
(async () => {
  const t3 = Date.now(); const cu3 = process.cpuUsage(); const s2 = await startDocstore({ dbpath: process.argv[2] }); const u3 = process.cpuUsage(cu3);
  console.log(`reopen ${Date.now() - t3} ms wall ${(u3.user+u3.system)/1000} ms cpu heap ${(process.memoryUsage().heapUsed/1048576).toFixed(0)}MB`);
  if (process.argv[3] !== 'kill') await s2.close(); else process.kill(process.pid, 'SIGKILL');
})();
