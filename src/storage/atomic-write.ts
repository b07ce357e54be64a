import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { beforeCommitOp, committed } from './chaos-hooks.ts';
import { withPath } from './disk-errors.ts';

/** How `writeAtomically` places its temp file and makes directories. */
export interface AtomicWriteOptions {
  /** Directory for the temp file (default: the target's directory; must be on the same filesystem). */
  tmpDir?: string;
  /** `fsync` the file before the rename that commits it (default false). */
  fsync?: boolean;
  /** `mkdir -p`; the blob store passes a cached one. */
  ensureDir?: (dir: string) => Promise<void>;
  /** Called when a directory made earlier has vanished, before it is made again. */
  forgetDir?: (dir: string) => void;
  /**
   * Not a commit point for the test hooks of `chaos-hooks.ts` (default false): for files written on
   * a timer (the driver lock's heartbeat), which would make the hooks' counts depend on the clock.
   */
  uncounted?: boolean;
}

const mkdirp = async (dir: string): Promise<void> => { await mkdir(dir, { recursive: true }); };

const isNotFound = (e: unknown): boolean => (e as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/**
 * Runs `write(tmpPath)` and renames the result onto `path`, so a reader sees either no file (or the
 * old one) or the complete new one, never a partial write. The temp file is removed on failure.
 * The one atomic-write helper of sluice: the blob store, sinks and run files all commit through it.
 */
export async function writeAtomically(path: string, write: (tmp: string) => Promise<void>, opts: AtomicWriteOptions = {}): Promise<void> {
  const ensureDir = opts.ensureDir ?? mkdirp;
  const dir = dirname(path);
  const tmpDir = opts.tmpDir ?? dir;
  await ensureDir(tmpDir);
  const tmp = join(tmpDir, tempName(basename(path)));
  try {
    await write(tmp);
    if (!opts.uncounted) beforeCommitOp('write', path);
    if (opts.fsync) {
      const fh = await open(tmp, 'r+');
      try { await fh.sync(); } finally { await fh.close(); }
    }
    if (tmpDir !== dir) await ensureDir(dir);
    if (!opts.uncounted) beforeCommitOp('rename', path);
    try {
      await rename(tmp, path);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      // Someone removed the directory since it was made: make it again.
      opts.forgetDir?.(dir);
      await mkdirp(dir);
      await rename(tmp, path);
    }
  } catch (e) {
    await rm(tmp, { force: true });
    throw withPath(e, path);
  }
  if (!opts.uncounted) committed(path);
  // So a resumed run's output directory holds no debris of a killed writer.
  if (opts.tmpDir === undefined) await removeDeadTemps(dir, basename(path));
}

/** The temp file name for `name` in its own directory; {@link removeDeadTemps} recognizes it. */
export function tempName(name: string): string {
  return `.${name}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * Removes the temp files (named by {@link tempName}) that processes no longer alive left for
 * `name` in `dir`: a writer killed mid-write leaves one, and the next writer of the file clears it.
 */
export async function removeDeadTemps(dir: string, name: string): Promise<void> {
  const prefix = `.${name}.`;
  for (const f of await readdir(dir).catch(() => [] as string[])) {
    if (!f.startsWith(prefix) || !f.endsWith('.tmp')) continue;
    const pid = Number(f.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await rm(join(dir, f), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Writes `data` to `path` atomically (see `writeAtomically`). */
export async function writeFileAtomic(path: string, data: Uint8Array | string, opts: AtomicWriteOptions = {}): Promise<void> {
  await writeAtomically(path, async (tmp) => {
    const fh = await open(tmp, 'w');
    try { await fh.writeFile(data); } finally { await fh.close(); }
  }, opts);
}
