import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { deleteAt, readTextAt, writeFileAt } from '../../io/location/file-uri.ts';
import { isS3Uri, joinUri } from '../../storage/uri.ts';
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
 * exclusive create the lock is best effort; on object storage (no conditional writes, see
 * docs/s3.md) it is read, then written, then read back, which refuses a second driver started
 * after the first wrote its lock, but not two started within the same round trip.
 */
export async function lockOutput(outDir: string, warn: (line: string) => void): Promise<DriverLock> {
  const path = joinUri(outDir, LOCK_FILE);
  const now = new Date().toISOString();
  const me: LockHolder = { host: hostname(), pid: process.pid, startedAt: now, heartbeatAt: now };
  const created = isS3Uri(path) ? false : await createExclusive(path, JSON.stringify(me));
  if (!created) {
    const holder = await readHolder(path);
    if (holder && !isStale(holder)) throw new OutputLockedError(outDir, holder);
    if (holder) warn(`sluice: taking over the lock of a driver that is gone (host ${holder.host}, pid ${holder.pid}, started ${holder.startedAt})`);
    await writeLock(path, JSON.stringify(me));
    const after = await readHolder(path);
    if (after && !isMe(after, me)) throw new OutputLockedError(outDir, after);
  }
  const beat = setInterval(() => {
    void writeLock(path, JSON.stringify({ ...me, heartbeatAt: new Date().toISOString() })).catch(() => {});
  }, HEARTBEAT_MS);
  beat.unref();
  return {
    async release() {
      clearInterval(beat);
      const holder = await readHolder(path);
      if (holder && isMe(holder, me)) await deleteAt(path);
    },
  };
}

const isMe = (holder: LockHolder, me: LockHolder): boolean => holder.host === me.host && holder.pid === me.pid && holder.startedAt === me.startedAt;

/**
 * Writes the lock file. Locally it is not a commit point for the chaos hooks
 * (`storage/chaos-hooks.ts`): the heartbeat runs on a timer, and counted commits must not depend on the clock.
 */
function writeLock(path: string, text: string): Promise<void> {
  return isS3Uri(path) ? writeFileAt(path, text) : writeFileAtomic(path, text, { uncounted: true });
}

/** Creates the lock file only if there is none (a local or POSIX shared file system). */
async function createExclusive(path: string, text: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  return writeFile(path, text, { flag: 'wx' }).then(() => true, (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
    return false;
  });
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  const text = await readTextAt(path).catch(() => undefined);
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
