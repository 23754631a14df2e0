import fs from 'node:fs';
import path from 'node:path';

/*
 * One owner per data directory (the docstore's dbpath, a gateway's access-log outbox): a lock
 * file holding the owner's pid. A lock left by a process that is gone is taken over; one held by
 * a live process, or by another owner in this process, is refused with `inUse`'s message.
 */

/** Locks held by this process, so two owners in one process also conflict. */
const held = new Set<string>();

export function acquireDirLock(lockPath: string, inUse: (holder: string) => string): string {
  const abs = path.resolve(lockPath);
  if (held.has(abs)) throw new Error(inUse('this process'));
  for (let attempt = 0; attempt < 2; attempt++) {
    // Written in full under a private name, then linked into place: another process never sees
    // an empty lock file (which it would take for a dead owner's).
    const tmp = `${lockPath}.${process.pid}.${Date.now()}`;
    try {
      const fd = fs.openSync(tmp, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.linkSync(tmp, lockPath);
      held.add(abs);
      return lockPath;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (pid && pid !== process.pid && pidAlive(pid)) throw new Error(inUse(`process ${pid}`));
      // stale lock from a process that died (or from this pid in an earlier life): take over
      fs.rmSync(lockPath, { force: true });
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  throw new Error(`could not acquire lock ${lockPath}`);
}

export function releaseDirLock(lockPath: string): void {
  fs.rmSync(lockPath, { force: true });
  held.delete(path.resolve(lockPath));
}

/** Makes a directory's entries (a new or renamed file) survive a crash. */
export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // some platforms cannot fsync directories; renames are still atomic
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
