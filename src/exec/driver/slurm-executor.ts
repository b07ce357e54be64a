import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BlobStore } from '../../storage/blob-store.ts';
import { isS3Uri } from '../../storage/uri.ts';
import type { GraphTask } from '../graph/task-graph.ts';
import { committedIds, lastAttemptFailed, readAttempt, readFailure } from '../graph/task-state.ts';
import type { SlurmOptionsInput } from '../slurm/options.ts';
import { cancel } from '../slurm/queue.ts';
import type { Submission } from '../slurm/submissions.ts';
import { submitWaves, type Wave } from '../slurm/submit-waves.ts';
import { taskStates, type TaskSlurmState } from '../slurm/task-states.ts';
import { files } from '../state/layout.ts';
import type { SchedulerView } from './run-status.ts';
import type { ClaimedRun } from './run-stages.ts';

/** The `sluice` binary the jobs run (`bin/sluice.js` of this package, from `src/` or `dist/`). */
// From the package root (found by self-reference), not from this module: compiled, its code sits
// in a bundle chunk wherever the bundler put it.
const SLUICE_BIN = join(dirname(createRequire(import.meta.url).resolve('sluice/package.json')), 'bin/sluice.js');

/** Slurm states of an element that is still working on its tasks. */
const ACTIVE = new Set(['RUNNING', 'COMPLETING', 'CONFIGURING', 'SUSPENDED', 'STAGE_OUT', 'RESIZING', 'SIGNALING']);
/** States of an element waiting to start (a requeued element shows PENDING again). */
const WAITING = new Set(['PENDING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED']);

export interface SlurmRunOptions {
  outDir: string;
  run: ClaimedRun;
  slurm: SlurmOptionsInput;
  /**
   * Where scripts, `submissions.json` and sbatch's own output go (default `<output>/slurm`), and
   * task logs for an `s3://` output (`<scriptDir>/task-logs`, beside sbatch's own `logs/`): sbatch needs file-system paths, so an
   * `s3://` output must give one.
   */
  scriptDir?: string;
  /** Environment for the Slurm clients (tests point `SLURM_CONF` at their cluster). */
  env?: NodeJS.ProcessEnv;
}

export interface SlurmRunSubmission {
  submission: Submission;
  /** Tasks already committed: not submitted. */
  committed: number;
  /** Tasks still running in jobs of an earlier submission: waited for, not submitted again. */
  running: string[];
  /** Elements of earlier submissions cancelled because their tasks are submitted again. */
  cancelled: string[];
  scriptDir: string;
  /** Where each task's log goes: `<logDir>/<task id>.log`. */
  logDir: string;
}

/**
 * The Slurm executor: submits one job array per group of the task graph (the bucket tasks of a
 * dedup stage, its merge, each stage's tasks, then finalize) chained with `afterok`, each element
 * running its tasks with one `sluice task <output> <id…>`, and returns at once. Rerunning it after failures submits only
 * the tasks not committed: elements of earlier submissions still waiting for those tasks (pending
 * for ever on a dependency that failed) are cancelled first, and tasks still running in earlier
 * jobs are waited for instead of submitted twice.
 */
export async function submitSlurmRun(o: SlurmRunOptions): Promise<SlurmRunSubmission> {
  const { graph } = o.run;
  const scriptDir = slurmDirOf(o.outDir, o.scriptDir);
  const logDir = isS3Uri(o.outDir) ? join(scriptDir, 'task-logs') : files.logs(o.outDir);
  const client = o.env ? { env: o.env } : {};
  const done = await committedIds(o.run.store, graph.tasks);
  const open = graph.tasks.filter((t) => !done.has(t.id));
  const earlier = await taskStates(scriptDir, client);
  const running = new Map<string, string>();
  const stale: string[] = [];
  for (const t of open) {
    const s = earlier.get(t.id);
    if (!s) continue;
    if (ACTIVE.has(s.state)) running.set(t.id, s.element);
    else if (WAITING.has(s.state)) stale.push(s.element);
  }
  const doomed = await failedInRunningElements(o.run.store, running);
  if (doomed.length) {
    const d = doomed[0]!;
    throw new Error(`task ${d.task} failed in Slurm element ${d.element}, which is still running its other tasks; it will end failed, and Slurm would cancel whatever this submission makes wait for it. Rerun once it has ended (\`sluice status ${o.outDir}\` no longer shows it running)`);
  }
  // Cancelled before submitting: a stale dependent could otherwise start once its old dependency is met.
  const cancelled = [...new Set(stale)];
  await cancel(cancelled, client);
  const waves: Wave[] = graph.groups.map((g, i) => {
    const tasks = g.tasks.filter((id) => open.some((t) => t.id === id) && !running.has(id));
    const waitsOn = new Set(g.after);
    const afterJobs = [...new Set(open.filter((t) => waitsOn.has(t.group) && running.has(t.id)).map((t) => running.get(t.id)!))];
    return {
      name: g.id, taskIds: tasks,
      after: g.after.map((a) => graph.groups.findIndex((x) => x.id === a)).filter((k) => k >= 0 && k < i),
      ...(afterJobs.length ? { afterJobs } : {}),
    };
  });
  const submission = await submitWaves({
    waves, command: [process.execPath, SLUICE_BIN, 'task', '--log-dir', logDir, o.outDir], scriptDir, logDir,
    slurm: o.slurm, ...client,
  });
  return { submission, committed: graph.tasks.length - open.length, running: [...running.keys()], cancelled, scriptDir, logDir };
}

/**
 * Open tasks whose still-running element already recorded their failure: an element goes on with
 * its other tasks after a failure and then exits 1, so an `afterok` on it would never be met.
 */
export async function failedInRunningElements(store: BlobStore, running: ReadonlyMap<string, string>): Promise<{ task: string; element: string }[]> {
  const out: { task: string; element: string }[] = [];
  for (const [task, element] of running) {
    const attempt = await readAttempt(store, task);
    const failure = await readFailure(store, task);
    if (attempt?.job === element && lastAttemptFailed(attempt, failure)) out.push({ task, element });
  }
  return out;
}

/** The Slurm directory of a run: the one given, else `<output>/slurm` for a local output; an `s3://` output must give one. */
export function slurmDirOf(outDir: string, given: string | undefined): string {
  if (given !== undefined) return given;
  if (isS3Uri(outDir)) {
    throw new Error(`--executor slurm with an s3:// output needs --slurm-dir <dir>: sbatch reads scripts and writes task logs on a file system (a local or shared directory), while data and the store stay on S3`);
  }
  return files.slurm(outDir);
}

/**
 * What Slurm says of a run's open tasks, for `sluice status`: running, waiting in the queue, or
 * ended without committing (failed, cancelled, out of memory, over time, node lost, or forgotten by
 * slurmctld).
 */
export async function slurmView(scriptDir: string, tasks: readonly GraphTask[], env?: NodeJS.ProcessEnv): Promise<Map<string, SchedulerView>> {
  const states = await taskStates(scriptDir, env ? { env } : {});
  const out = new Map<string, SchedulerView>();
  for (const t of tasks) {
    const s = states.get(t.id);
    if (s) out.set(t.id, { state: viewOf(s), job: s.element, detail: detailOf(s) });
  }
  return out;
}

function detailOf(s: TaskSlurmState): string {
  // Slurm 22.05 drops an element cancelled before it started from `scontrol show job` at once.
  if (s.state === 'UNKNOWN') return 'no longer known to Slurm: cancelled before it started, or ended longer ago than MinJobAge';
  return s.reason && s.reason !== 'None' ? `${s.state} (${s.reason})` : s.state;
}

function viewOf(s: TaskSlurmState): SchedulerView['state'] {
  if (ACTIVE.has(s.state)) return 'running';
  if (WAITING.has(s.state) && s.reason !== 'DependencyNeverSatisfied') return 'pending';
  return 'ended';
}
