/**
 * The dbpath lock (base/src/dir-lock.ts): a lock left by a process that is gone is taken
 * over, including a zombie and a pid now used by an unrelated program (the container case: pids
 * start low again after a restart, the new docstore may even get the dead one's pid); a lock held
 * by a live docstore on the same dbpath is refused. Real processes throughout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDocstore } from '@anmulong/docstore';
import { ownerRecord, processStat } from '@anmulong/base';
import { describeDocstore, rmDir, sleep, tmpDir } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const LINUX = fs.existsSync('/proc/self/stat');
const itLinux = LINUX ? it : it.skip;

const lockOf = (dbpath: string) => path.join(dbpath, 'docstore.lock');

/** Opens the dbpath in this process: the lock now names this process. */
async function takesTheLock(dbpath: string): Promise<void> {
  const store = await startDocstore({ port: 0, dbpath, quiet: true });
  try {
    expect(fs.readFileSync(lockOf(dbpath), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
  } finally {
    await store.close();
  }
}

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describeDocstore('docstore dbpath lock', () => {
  let dir: string;
  const procs: ChildProcess[] = [];
  beforeEach(() => {
    dir = tmpDir('lock');
  });
  afterEach(() => {
    for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    rmDir(dir);
  });

  itLinux('takes over a lock whose pid now belongs to an unrelated live program (pid reuse)', async () => {
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    procs.push(other);
    await until('sleep to start', () => processStat(other.pid!) !== null);
    // What a docstore that died wrote: the same pid, but its own start time, in this boot.
    const [, , boot] = ownerRecord(other.pid!).trim().split(' ');
    fs.writeFileSync(lockOf(dir), `${other.pid} 1 ${boot}\n`);
    await takesTheLock(dir);
    expect(other.exitCode).toBeNull(); // the unrelated program was left alone
  });

  itLinux('takes over a lock whose pid is its own from an earlier life (the container restart case)', async () => {
    fs.writeFileSync(lockOf(dir), `${process.pid} 1 ${ownerRecord(process.pid).trim().split(' ')[2]}\n`);
    await takesTheLock(dir);
  });

  itLinux('takes over a lock written before a reboot', async () => {
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    procs.push(other);
    await until('sleep to start', () => processStat(other.pid!) !== null);
    const [pid, start] = ownerRecord(other.pid!).trim().split(' ');
    fs.writeFileSync(lockOf(dir), `${pid} ${start} 00000000-0000-0000-0000-000000000000\n`);
    await takesTheLock(dir);
  });

  itLinux('takes over a lock held by a zombie', async () => {
    // The shell forks a short `sleep`, prints its pid, then becomes a long `sleep` that never
    // reaps it: the short one stays a zombie (state Z) whose pid kill(pid, 0) still finds.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    procs.push(parent);
    const zombie = await new Promise<number>((resolve) => parent.stdout!.once('data', (b: Buffer) => resolve(Number(b.toString().trim()))));
    await until('the child to become a zombie', () => processStat(zombie)?.state === 'Z', 10_000);
    fs.writeFileSync(lockOf(dir), ownerRecord(zombie)); // exactly what it wrote, start time included
    expect(() => process.kill(zombie, 0)).not.toThrow(); // what the old check took for a live owner
    await takesTheLock(dir);
  });

  it('refuses a dbpath a live docstore process holds, and takes it over once that process is killed', async () => {
    const live = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'docstore/src/cli.ts'), '--port', '0', '--dbpath', dir, '--quiet'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    procs.push(live);
    let stderr = '';
    live.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const uri = await new Promise<string>((resolve, reject) => {
      live.stdout!.once('data', (b: Buffer) => resolve(b.toString().trim()));
      live.once('exit', () => reject(new Error(`docstore exited: ${stderr}`)));
    });
    expect(uri).toMatch(/^mongodb:\/\//);
    if (LINUX) expect(fs.readFileSync(lockOf(dir), 'utf8')).toBe(ownerRecord(live.pid!));
    await expect(startDocstore({ port: 0, dbpath: dir, quiet: true })).rejects.toThrow(new RegExp(`in use by another process \\(pid ${live.pid}`));

    live.kill('SIGKILL'); // no clean close: the lock file stays behind
    await new Promise((r) => live.once('exit', r));
    expect(fs.existsSync(lockOf(dir))).toBe(true);
    await takesTheLock(dir);
  }, 120_000);
});
