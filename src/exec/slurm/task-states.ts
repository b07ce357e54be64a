import { elementName, jobStates } from './queue.ts';
import type { ElementState } from './scontrol-records.ts';
import type { SlurmClientOptions } from './slurm-command.ts';
import { locateTasks, readSubmissions, type TaskLocation } from './submissions.ts';

/** What Slurm says of the array element that last ran (or will run) one task. */
export interface TaskSlurmState extends TaskLocation {
  /** Slurm's name of the element, `<jobId>_<arrayIndex>` (for `scancel`, `scontrol`). */
  element: string;
  /** The element's state (see `ElementState`), or `UNKNOWN` when slurmctld no longer knows the job
   *  (it ended more than `MinJobAge` ago): then only the task's own commit tells. */
  state: string;
  reason: string;
  exitCode: number;
  restarts: number;
}

/**
 * For every task in the submissions recorded under `scriptDir`, the state of the array element
 * that last submitted it. An element runs `tasksPerArrayElement` tasks, so its state is shared by
 * them: a FAILED element means at least one of its tasks failed, and which ones their commits
 * (or their logs' `exit` lines) tell. A dependent whose wait can never be met shows PENDING with
 * reason `DependencyNeverSatisfied` (or CANCELLED with it, under `--kill-on-invalid-dep=yes`).
 */
export async function taskStates(scriptDir: string, opts: SlurmClientOptions = {}): Promise<Map<string, TaskSlurmState>> {
  const where = locateTasks(await readSubmissions(scriptDir));
  const jobIds = [...new Set([...where.values()].map((l) => l.jobId))];
  const { elements } = await jobStates(jobIds, opts);
  const byName = new Map<string, ElementState>(elements.map((e) => [elementName(e), e]));
  const out = new Map<string, TaskSlurmState>();
  for (const [taskId, loc] of where) {
    const element = `${loc.jobId}_${loc.arrayIndex}`;
    const e = byName.get(element);
    out.set(taskId, {
      ...loc,
      element,
      state: e?.state ?? 'UNKNOWN',
      reason: e?.reason ?? 'None',
      exitCode: e?.exitCode ?? 0,
      restarts: e?.restarts ?? 0,
    });
  }
  return out;
}
