import { appendFileSync } from 'node:fs';
import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads';
import { DISK_ERRORS } from './disk-errors.ts';

/**
 * Test hooks at sluice's commit points, for the chaos runner (`npm run chaos`) and the crash and
 * disk-error tests. A commit point is the rename that makes a written file visible: every blob-store
 * chunk and manifest, sink part, quarantine and drop log, `stats.json` and run file goes through
 * `writeAtomically` (`atomic-write.ts`), and every token shard through `LocalDirOutput`
 * (`io/token-shards/output.ts`); both call the functions below, so commit points are counted in
 * one place. All hooks are off unless their variable is set when the process starts; then each
 * call is one boolean test.
 *
 * - `SLUICE_CHAOS_KILL_AT=<n>[:<how>]`: at the process's n-th commit point, `how` happens:
 *   `after` (default): SIGKILL just after the rename; `before`: SIGKILL just before it (the file is
 *   written, not committed); `thread`: the worker thread committing exits (as a worker dies out of
 *   memory; on the main thread nothing happens); `SIGTERM` / `SIGINT`: the process signals itself
 *   just after the rename and goes on (the graceful stop).
 * - `SLUICE_CHAOS_LOG=<file>`: append `<n> <path>` for each commit point (how the runner counts the
 *   commit points of each phase in a reference run), and `<n> before <path>` or
 *   `<n> thread-exit <path>` when a kill of that kind happens there.
 * - `SLUICE_FAULT_FS=<op>:<n>:<errno>[:<path part>]`: the n-th `op` on a path containing
 *   `<path part>` fails with `errno` (`ENOSPC`, `EIO`, `EDQUOT`, `EROFS`), as the system call
 *   would; `op` is `write` (the temp file's content) or `rename` (its commit). It fires once.
 *
 * Counts are shared by all threads of the process (a `SharedArrayBuffer` that the main thread
 * hands to the workers it spawns), so n means the same whatever the scheduling of one worker.
 */
const env = process.env;
const killSpec = /^(\d+)(?::(after|before|thread|SIGTERM|SIGINT))?$/.exec(env.SLUICE_CHAOS_KILL_AT ?? '');
if (env.SLUICE_CHAOS_KILL_AT && !killSpec) throw new Error(`SLUICE_CHAOS_KILL_AT=${env.SLUICE_CHAOS_KILL_AT}: expected <n>[:after|before|thread|SIGTERM|SIGINT]`);
const killAt = killSpec ? Number(killSpec[1]) : 0;
const how = killSpec?.[2] ?? 'after';
const logFile = env.SLUICE_CHAOS_LOG || undefined;
const fault = parseFault(env.SLUICE_FAULT_FS);
const enabled = killAt > 0 || logFile !== undefined || fault !== undefined;

/** What a file operation is doing when a fault is injected. */
export type FaultOp = 'write' | 'rename';

interface FaultSpec { op: FaultOp; n: number; code: string; pathPart: string }

function parseFault(spec: string | undefined): FaultSpec | undefined {
  if (!spec) return undefined;
  const [op, n, code, ...rest] = spec.split(':');
  if ((op !== 'write' && op !== 'rename') || !/^\d+$/.test(n ?? '') || !code || !(code in DISK_ERRORS)) {
    throw new Error(`SLUICE_FAULT_FS=${spec}: expected <write|rename>:<n>:<${Object.keys(DISK_ERRORS).join('|')}>[:<path part>]`);
  }
  return { op, n: Number(n), code, pathPart: rest.join(':') };
}

const KEY = 'sluice:chaos-counters';
/** [0]: commit points so far; [1]: operations matching the fault so far. */
const counters = enabled ? sharedCounters() : undefined;

function sharedCounters(): Int32Array {
  if (isMainThread) {
    const c = new Int32Array(new SharedArrayBuffer(8));
    setEnvironmentData(KEY, c.buffer as SharedArrayBuffer);
    return c;
  }
  const buf = getEnvironmentData(KEY) as SharedArrayBuffer | undefined;
  return new Int32Array(buf ?? new SharedArrayBuffer(8));
}

/**
 * Called just before `op` on the file that will become `path`: throws the injected error when this
 * is the fault's n-th matching operation; with `op = 'rename'`, also the `:before` kill point.
 */
export function beforeCommitOp(op: FaultOp, path: string): void {
  if (!enabled) return;
  if (op === 'rename' && how === 'before' && Atomics.load(counters!, 0) + 1 === killAt) {
    if (logFile) appendFileSync(logFile, `${killAt} before ${path}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
  if (!fault || fault.op !== op || !path.includes(fault.pathPart)) return;
  if (Atomics.add(counters!, 1, 1) + 1 !== fault.n) return;
  const err = new Error(`${fault.code}: ${DISK_ERRORS[fault.code]}, ${op} '${path}'`) as NodeJS.ErrnoException;
  Object.assign(err, { code: fault.code, syscall: op, path });
  throw err;
}

/** Called just after the rename that committed `path`: counts, logs and (at n) kills. */
export function committed(path: string): void {
  if (!enabled) return;
  const n = Atomics.add(counters!, 0, 1) + 1;
  if (logFile) appendFileSync(logFile, `${n} ${path}\n`);
  if (n !== killAt || how === 'before') return;
  if (how === 'after') process.kill(process.pid, 'SIGKILL');
  else if (how === 'thread') {
    if (isMainThread) return;
    if (logFile) appendFileSync(logFile, `${n} thread-exit ${path}\n`);
    process.exit(70);
  }
  else process.kill(process.pid, how);
}
