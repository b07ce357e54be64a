import { changedInputs, describeChanges, inputFilesOf } from '../graph/input-files.ts';
import { physicalOf, readPlanFile, type PlanFile } from '../graph/plan-file.ts';
import { expandAfter, taskById, type GraphTask, type TaskGraph } from '../graph/task-graph.ts';
import { brokenBlobKey } from '../graph/blob-owner.ts';
import { discardDamaged } from './schedule-redoing.ts';
import { isCommitted, recordAttempt, recordFailure, thisAttempt } from '../graph/task-state.ts';
import { inThreadExecutor } from '../pool/in-thread-executor.ts';
import { threadPoolExecutor } from '../pool/thread-pool-executor.ts';
import type { TaskExecutor } from '../pool/executor.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { openRunStore } from '../state/run-store.ts';
import { keys } from '../state/layout.ts';
import type { RunManifest } from './claim-output.ts';
import { silentProgress } from './progress.ts';
import { runGraphTask } from './run-graph-task.ts';

/** The task cannot run yet: what it waits for is not committed (`sluice task` exits 2). */
export class TaskNotReadyError extends Error {
  constructor(readonly task: string, readonly missing: string[]) {
    const shown = missing.length > 5 ? `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more` : missing.join(', ');
    super(`task ${task} waits for ${shown}, not committed yet; run ${missing.length > 1 ? 'those' : 'that'} first`);
    this.name = 'TaskNotReadyError';
  }
}

export interface OneTaskOptions {
  taskId: string;
  /** Recorded with the attempt so `sluice status` can point at it. */
  log?: string;
  /** The Slurm element running it, recorded with the attempt. */
  job?: string;
  stop?: AbortSignal;
}

export interface OneTaskResult {
  task: GraphTask;
  /** It was committed before this call: nothing ran. */
  alreadyCommitted: boolean;
}

/** Runs tasks of one planned run in this process, one after another (see {@link openTaskRunner}). */
export interface TaskRunner {
  /** Runs one task from its last commit; throws {@link TaskNotReadyError} when what it waits for is not committed. */
  run(o: OneTaskOptions): Promise<OneTaskResult>;
  /** Stops the worker thread, if one was started. */
  close(): Promise<void>;
}

/**
 * Opens a planned run to execute some of its tasks here — no re-planning, no other task's work —
 * each from its last commit, with the settings in `plan.json`. Stage and bucket tasks run in one
 * worker thread under the same watchdog as in `sluice run`, so a runaway document is quarantined
 * instead of running into a cluster time limit. The thread is started by the first task that needs
 * it and kept for the next ones: a Slurm array element that runs several tasks loads the modules
 * and the operators' models once and keeps V8's optimized code (measured: a process per task
 * spent 3.65× the CPU of the pooled run on 76 MB of WARC, most of it starting up).
 */
export async function openTaskRunner(outDir: string): Promise<TaskRunner> {
  const file = await readPlanFile(outDir);
  const plan = physicalOf(file);
  const store = await openRunStore(outDir, file.settings.chunkSize);
  // Checked before each task, not once: a long element must not go on with a plan that `sluice
  // run --overwrite` replaced meanwhile.
  const sameRun = async (): Promise<RunManifest> => {
    const manifest = await readManifest(store);
    if (manifest?.fingerprint !== file.fingerprint) {
      throw new Error(`${outDir}: plan.json (fingerprint ${file.fingerprint}) does not match the run in its store (${manifest?.fingerprint ?? 'none'}); rerun \`sluice run\` to plan it again`);
    }
    return manifest;
  };
  const graph = { tasks: file.tasks, groups: file.groups };
  const s = file.settings;
  let pool: TaskExecutor | undefined;
  const threads = () => pool ??= threadPoolExecutor({ workers: 1, ...(s.maxWorkerMemoryMb ? { maxOldGenerationSizeMb: s.maxWorkerMemoryMb } : {}) });
  return {
    async run(o) {
      const manifest = await sameRun();
      const task = taskById(graph, o.taskId);
      if (await isCommitted(store, task)) return { task, alreadyCommitted: true };
      const missing: string[] = [];
      for (const id of expandAfter(graph, task.after)) if (!(await isCommitted(store, taskById(graph, id)))) missing.push(id);
      if (missing.length) throw new TaskNotReadyError(task.id, missing);
      await checkInputs(file, task);
      const executor = task.kind === 'stage' || task.kind === 'bucket' ? threads() : inThreadExecutor;
      const attempt = thisAttempt({ ...(o.log ? { log: o.log } : {}), ...(o.job ? { job: o.job } : {}) });
      await recordAttempt(store, task.id, attempt);
      try {
        await runGraphTask({
          plan, fingerprint: file.fingerprint, store, executor, progress: silentProgress,
          batchSize: s.batchSize, outDir, docTimeoutMs: s.docTimeoutMs, retries: s.retries,
          startedAt: Date.parse(manifest.createdAt), ...(o.stop ? { stop: o.stop } : {}),
        }, task);
        return { task, alreadyCommitted: false };
      } catch (e) {
        const error = await explainDamage(store, graph, task, e);
        if (!o.stop?.aborted) await recordFailure(store, task.id, attempt, error.message);
        throw error;
      }
    },
    close: async () => { await pool?.close(); },
  };
}

/**
 * A task that failed on a damaged blob: the task that wrote it is discarded (so whatever schedules
 * the run runs it again, `sluice run` resubmitting what is not committed) and the error says so.
 */
async function explainDamage(store: BlobStore, graph: TaskGraph, task: GraphTask, e: unknown): Promise<Error> {
  const key = brokenBlobKey(e);
  const damage = key === undefined ? undefined : await discardDamaged(store, graph, key);
  if (damage?.task === undefined) return e as Error;
  const redo = damage.task === task.id ? 'rerun this task' : `run task ${damage.task} again, then this one`;
  return new Error(`${(e as Error).message}\n${damage.what} is damaged: task ${damage.task} was discarded; ${redo} (rerunning \`sluice run\` does both)`, { cause: e });
}

/** A scan task refuses input files that changed since planning (it would mix two versions). */
async function checkInputs(file: PlanFile, task: GraphTask): Promise<void> {
  const stage = task.kind === 'stage' ? file.stages.find((st) => st.id === task.stage) : undefined;
  if (stage?.input.kind !== 'scan') return;
  const mine = new Set(inputFilesOf(file, [stage.partitions[task.index!]!]));
  const changed = await changedInputs(file.inputs.filter((f) => mine.has(f.path)));
  if (changed.length) throw new Error(`task ${task.id}: its input changed since the run was planned:\n${describeChanges(changed)}`);
}

async function readManifest(store: BlobStore): Promise<RunManifest | undefined> {
  if (!(await store.has(keys.run))) return undefined;
  return JSON.parse(new TextDecoder().decode(await store.getBytes(keys.run))) as RunManifest;
}
