import { availableParallelism } from 'node:os';
import type { Table } from 'apache-arrow';
import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { DEFAULT_CHUNK_SIZE } from '../../storage/local-blob-store.ts';
import { readTextAt } from '../../io/location/file-uri.ts';
import type { RunStats } from '../accounting/counters.ts';
import type { RunSettings } from '../graph/plan-file.ts';
import { buildTaskGraph, type TaskGraph } from '../graph/task-graph.ts';
import { committedIds } from '../graph/task-state.ts';
import type { TaskExecutor } from '../pool/executor.ts';
import { threadPoolExecutor } from '../pool/thread-pool-executor.ts';
import { planFingerprint } from '../state/fingerprint.ts';
import { files, keys } from '../state/layout.ts';
import { openRunStore } from '../state/run-store.ts';
import { claimOutput, type ClaimOptions } from './claim-output.ts';
import { RunInterruptedError, StopRequested, type StageProgress } from './interrupted.ts';
import { silentProgress, type ProgressReporter } from './progress.ts';
import { resultBatches, resultTable } from './results.ts';
import { applyRedoRequests, scheduleRedoing } from './schedule-redoing.ts';
import { cpuSnapshot } from '../accounting/process-cpu.ts';

export interface StageRunOptions {
  /** Output directory: user-facing outputs plus `_store/` (chunks, checkpoints). */
  outDir: string;
  /** Worker threads; default the core count. Does not change outputs. */
  workers?: number;
  /** Require an existing run to resume (`--resume`); rerunning into the same directory resumes anyway. */
  resume?: boolean;
  /** Replace a run of another plan in `outDir` (`--overwrite`); see {@link claimOutput}. */
  overwrite?: boolean;
  /** Told which paths `overwrite` deletes, before it deletes them. */
  onOverwrite?: (paths: string[]) => void;
  /** Rows per batch; part of the fingerprint because it shapes commit boundaries. */
  batchSize?: number;
  /** A document an operator works on for longer than this is quarantined and its worker replaced. */
  docTimeoutMs?: number;
  /** Attempts after the first for a task whose worker crashed or ran out of memory. */
  retries?: number;
  chunkSize?: number;
  maxOldGenerationSizeMb?: number;
  progress?: ProgressReporter;
  /**
   * Stops the run when it fires: no task starts after it, tasks in flight are abandoned (commits
   * are atomic, so the store holds their last unit), and `runStages` rejects with a
   * {@link RunInterruptedError} saying what is committed. Rerunning the same plan resumes.
   */
  stop?: AbortSignal;
  /** Told about tasks redone because their state or outputs were damaged (default: stderr). */
  warn?: (line: string) => void;
  /** Where tasks run (default: a new thread pool of `workers` threads, closed at the end). A given
   *  executor is left open, so one pool can serve many runs; `workers` is then the executor's. */
  executor?: TaskExecutor;
}

export interface StageRunResult {
  fingerprint: string;
  stats: RunStats;
  /** The run was already complete: nothing ran and `stats` is the earlier run's `stats.json`. */
  alreadyComplete?: boolean;
  /** Rows of the final stage when it outputs `result` (collect). */
  table?: Table;
}

/** A run claimed for its plan: the store, the task graph and the settings its tasks run with. */
export interface ClaimedRun {
  fingerprint: string;
  store: BlobStore;
  graph: TaskGraph;
  settings: RunSettings;
}

/**
 * Runs a physical plan's task graph on a worker pool, committing everything through the blob
 * store. All coordination state (which tasks are committed, where each stopped) lives in the
 * store, so a rerun, a `--resume`, or tasks run one at a time by a cluster scheduler (`sluice task`)
 * all continue the same run.
 */
export async function runStages(plan: PhysicalPlan, options: StageRunOptions): Promise<StageRunResult> {
  const started = Date.now();
  const cpuAtStart = cpuSnapshot();
  const workers = options.workers ?? availableParallelism();
  const { fingerprint, store, graph, settings } = await claimRun(plan, options);
  const warn = options.warn ?? toStderr;
  // Rewriting a finished run's stats would replace its wall time with the rerun's few milliseconds.
  const done = await completedStats(options.outDir, fingerprint);
  if (await store.has(keys.finalized)) {
    if (done) return { fingerprint, stats: done, alreadyComplete: true };
    // Finalized, but its stats.json is gone: finalize again (it rewrites the same outputs).
    await store.delete(keys.finalized);
  }
  const progress = options.progress ?? silentProgress;
  const executor = options.executor ?? threadPoolExecutor({ workers, ...(options.maxOldGenerationSizeMb ? { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } : {}) });
  let result: Awaited<ReturnType<typeof scheduleRedoing>>;
  try {
    try {
      result = await scheduleRedoing({
        plan, fingerprint, store, executor, progress, batchSize: settings.batchSize, outDir: options.outDir,
        docTimeoutMs: settings.docTimeoutMs, retries: settings.retries, startedAt: started, cpuAtStart,
        ...(options.stop ? { stop: options.stop } : {}),
      }, graph, warn);
    } finally {
      if (!options.executor) await executor.close();
    }
  } catch (e) {
    // Counted after the pool is closed: no abandoned task can still commit.
    if (e instanceof StopRequested) throw new RunInterruptedError(await committedTasks(store, graph));
    throw e;
  } finally {
    progress.stop();
  }
  const last = plan.stages[plan.stages.length - 1];
  const table = last?.output.kind === 'result' ? resultTable(await resultBatches(store, last, result.resultParts)) : undefined;
  return { fingerprint, stats: result.stats!, ...(table ? { table } : {}) };
}

/**
 * Fingerprints the plan and claims the output directory for it (records the run manifest and
 * `plan.json` with the task graph), or checks that the run already there is this one.
 * `--plan-only` stops here, so tasks later run one by one (`sluice task`) find the run claimed.
 */
export async function claimRun(plan: PhysicalPlan, options: ClaimOptions & Pick<StageRunOptions, 'batchSize' | 'chunkSize' | 'docTimeoutMs' | 'retries' | 'maxOldGenerationSizeMb' | 'warn'>): Promise<ClaimedRun> {
  const settings: RunSettings = {
    batchSize: options.batchSize ?? 8192,
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
    docTimeoutMs: options.docTimeoutMs ?? 120_000,
    retries: options.retries ?? 2,
    ...(options.maxOldGenerationSizeMb ? { maxWorkerMemoryMb: options.maxOldGenerationSizeMb } : {}),
  };
  const fingerprint = await planFingerprint(plan, { batchSize: settings.batchSize });
  const store = await openRunStore(options.outDir, settings.chunkSize);
  const graph = buildTaskGraph(plan, { finalize: true });
  await claimOutput(store, options, fingerprint, plan, settings, graph);
  // Whatever executes the run next (this driver, Slurm, `sluice task`) finds those tasks not committed.
  await applyRedoRequests(store, graph, options.outDir, options.warn ?? toStderr);
  return { fingerprint, store, graph, settings };
}

const toStderr = (line: string): void => { process.stderr.write(line + '\n'); };

/** The `stats.json` a finished run of this fingerprint left in `outDir`, if any. */
async function completedStats(outDir: string, fingerprint: string): Promise<RunStats | undefined> {
  const text = await readTextAt(files.stats(outDir));
  const stats = text === undefined ? undefined : JSON.parse(text) as RunStats;
  return stats?.fingerprint === fingerprint ? stats : undefined;
}

/** Committed tasks per group, for the message of an interrupted run. */
async function committedTasks(store: BlobStore, graph: TaskGraph): Promise<StageProgress[]> {
  const out: StageProgress[] = [];
  const done = await committedIds(store, graph.tasks);
  for (const g of graph.groups) out.push({ stage: g.id, committed: g.tasks.filter((id) => done.has(id)).length, tasks: g.tasks.length });
  return out;
}
