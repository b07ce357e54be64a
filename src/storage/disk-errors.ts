/**
 * Errors of the disk rather than of the task: retrying the task cannot help (the disk is still
 * full), and the run must stop with the error's path and how to resume, not a stack.
 */
export const DISK_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EIO: 'i/o error',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
};

const MESSAGE = new RegExp(`^(${Object.keys(DISK_ERRORS).join('|')}): `);

/**
 * The code (`ENOSPC`, ...) of `e` or of an error in its `cause` chain when it is a disk error. An
 * error from a worker thread arrives as a structured clone, which keeps the message (Node's
 * `ENOSPC: no space left on device, write '<path>'`) but not always `code`, so the message counts too.
 */
export function diskErrorCode(e: unknown): string | undefined {
  for (let err = e, depth = 0; err instanceof Error && depth < 8; err = err.cause, depth++) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && code in DISK_ERRORS) return code;
    const m = MESSAGE.exec(err.message);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * `e` naming `path` when it is a disk error that does not: a write through a file handle fails
 * with just `ENOSPC: no space left on device, write` (the system call has no path), and the user
 * must learn which disk filled up. Other errors are returned as they are.
 */
export function withPath(e: unknown, path: string): unknown {
  const code = diskErrorCode(e);
  if (!code || !(e instanceof Error) || e.message.includes(path)) return e;
  return Object.assign(new Error(`${e.message} '${path}'`, { cause: e }), { code, path });
}
