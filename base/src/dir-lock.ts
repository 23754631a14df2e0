import fs from 'node:fs';
import path from 'node:path';

/*
 * One owner per data directory (the docstore's dbpath, a gateway's access-log outbox): a lock
 * file holding the owner's pid, its start time and the boot it started in (Linux's
 * /proc/<pid>/stat and boot_id). A lock left by a process that is gone is taken over; one held by
 * a live process, or by another owner in this process, is refused with `inUse`'s message.
 * "Gone" includes a zombie and a pid now used by another program: after a container restart pids
 * start low again and the new docstore may even get its dead predecessor's pid, which `kill(pid,
 * 0)` alone would take for a live owner.
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
      fs.writeSync(fd, ownerRecord(process.pid));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.linkSync(tmp, lockPath);
      held.add(abs);
      return lockPath;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = parseOwner(fs.readFileSync(lockPath, 'utf8'));
      if (holder && holder.pid !== process.pid && ownerAlive(holder)) throw new Error(inUse(`process ${holder.pid}`));
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

export interface LockOwner {
  pid: number;
  /** Clock ticks after boot when the process started (field 22 of /proc/<pid>/stat); null off Linux. */
  startTime: string | null;
  bootId: string | null;
}

/** State and start time of a live process from /proc; null if there is no such process (or no /proc). */
export function processStat(pid: number): { state: string; startTime: string } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces and parentheses): state is the 3rd
    // field of the line, starttime the 22nd.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], startTime: f[19] };
  } catch {
    return null;
  }
}

function bootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** The lock file's content for `pid`: `pid start-time boot-id` (the last two `-` off Linux). */
export function ownerRecord(pid: number): string {
  return `${pid} ${processStat(pid)?.startTime ?? '-'} ${bootId() ?? '-'}\n`;
}

export function parseOwner(text: string): LockOwner | null {
  const [pid, startTime, boot] = text.trim().split(/\s+/);
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return null; // empty or garbled: nobody holds it
  return { pid: n, startTime: startTime && startTime !== '-' ? startTime : null, bootId: boot && boot !== '-' ? boot : null };
}

/** Whether the process that wrote the lock still runs (not a zombie, not another program on its pid). */
export function ownerAlive(owner: LockOwner): boolean {
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return false; // written before a reboot
  if (boot !== null) {
    const now = processStat(owner.pid);
    if (!now || now.state === 'Z' || now.state === 'X') return false;
    return owner.startTime === null || owner.startTime === now.startTime;
  }
  // No /proc (not Linux): the pid alone is all there is to go on.
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
