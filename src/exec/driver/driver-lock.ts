import { hostname } from 'node:os';
import { join } from 'node:path';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../storage/atomic-write.ts';

/** Who drives a run: what a refused second driver is told. */
export interface LockHolder {
  host: string;
  pid: number;
  startedAt: string;
  /** Refreshed while the driver lives, so a holder on another host can be judged stale. */
  heartbeatAt: string;
}

/** The lock file's name inside the output directory (claiming ignores it: it is not output). */
export const LOCK_FILE = '.sluice-driver.lock';
/** A holder on another host whose heartbeat is older than this is presumed dead. */
export const STALE_AFTER_MS = 120_000;
const HEARTBEAT_MS = 20_000;

/** Another driver is alive on this output. */
export class OutputLockedError extends Error {
  constructor(readonly outDir: string, readonly holder: LockHolder) {
    super(`${outDir} is being run by another sluice driver (host ${holder.host}, pid ${holder.pid}, started ${holder.startedAt}); ` +
      `wait for it to finish, or stop it, then rerun this command to resume`);
    this.name = 'OutputLockedError';
  }
}

export interface DriverLock {
  /** Removes the lock if it is still this driver's. */
  release(): Promise<void>;
}

/**
 * Takes the output for this driver: one `sluice run` per output at a time (the `sluice task`
 * processes of a run take no lock: tasks are idempotent). The lock file is created exclusively; a
 * holder whose pid is dead on this host, or whose heartbeat is older than {@link STALE_AFTER_MS}
 * from another host, is taken over with a warning. On a shared filesystem without reliable
 * exclusive create, or on object storage, the lock is best effort.
 */
export async function lockOutput(outDir: string, warn: (line: string) => void): Promise<DriverLock> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, LOCK_FILE);
  const now = new Date().toISOString();
  const me: LockHolder = { host: hostname(), pid: process.pid, startedAt: now, heartbeatAt: now };
  const created = await writeFile(path, JSON.stringify(me), { flag: 'wx' }).then(() => true, (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
    return false;
  });
  if (!created) {
    const holder = await readHolder(path);
    if (holder && !isStale(holder)) throw new OutputLockedError(outDir, holder);
    if (holder) warn(`sluice: taking over the lock of a driver that is gone (host ${holder.host}, pid ${holder.pid}, started ${holder.startedAt})`);
    // The lock is not run state: not a commit point for the chaos hooks (storage/chaos-hooks.ts).
    await writeFileAtomic(path, JSON.stringify(me), { uncounted: true });
  }
  const beat = setInterval(() => {
    void writeFileAtomic(path, JSON.stringify({ ...me, heartbeatAt: new Date().toISOString() }), { uncounted: true }).catch(() => {});
  }, HEARTBEAT_MS);
  beat.unref();
  return {
    async release() {
      clearInterval(beat);
      const holder = await readHolder(path);
      if (holder?.host === me.host && holder.pid === me.pid) await rm(path, { force: true });
    },
  };
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as LockHolder;
  } catch {
    // A lock file torn by a crash while being written holds nobody.
    return undefined;
  }
}

function isStale(holder: LockHolder): boolean {
  if (holder.host === hostname()) {
    try {
      process.kill(holder.pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code !== 'EPERM';
    }
  }
  return Date.now() - Date.parse(holder.heartbeatAt) > STALE_AFTER_MS;
}
