import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import type { RecordBatch, Table } from 'apache-arrow';
import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import { LocalBlobStore, DEFAULT_CHUNK_SIZE } from '../../storage/local-blob-store.ts';
import { writeFileAtomic } from '../../storage/atomic-write.ts';
import { finalizeSink, hasFinalizer, writeSinkPart } from '../../io/sinks.ts';
// Registers the `tokens` sink (token shards) with its finalizer.
import '../../io/token-shards/sink.ts';
import type { RunStats } from '../accounting/counters.ts';
import type { TaskExecutor } from '../pool/executor.ts';
import { threadPoolExecutor } from '../pool/thread-pool-executor.ts';
import { readCheckpoint } from '../state/checkpoint.ts';
import { limitCuts } from '../state/committed.ts';
import { planFingerprint } from '../state/fingerprint.ts';
import { files, keys } from '../state/layout.ts';
import { claimOutput, type ClaimOptions } from './claim-output.ts';
import { RunInterruptedError, StopRequested, throwIfStopped, type StageProgress } from './interrupted.ts';
import { silentProgress, type ProgressReporter } from './progress.ts';
import { collectStats } from './run-stats.ts';
import { committedRows, resultBatches, resultTable } from './results.ts';
import { scheduleStages, type ScheduleContext } from './schedule.ts';

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
  /** Run only this task (`--stage s --task i`); its parent stages must be committed. */
  only?: { stage: string; task: number };
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
  /** Where tasks run (default: a new thread pool of `workers` threads, closed at the end). A given
   *  executor is left open, so one pool can serve many runs; `workers` is then the executor's. */
  executor?: TaskExecutor;
}

export interface StageRunResult {
  fingerprint: string;
  /** Present once every stage is committed. */
  stats?: RunStats;
  /** The run was already complete: nothing ran and `stats` is the earlier run's `stats.json`. */
  alreadyComplete?: boolean;
  /** Rows of the final stage when it outputs `result` (collect). */
  table?: Table;
}

/**
 * Runs a physical plan stage by stage on a worker pool, committing everything through the blob
 * store. All coordination state (which tasks are committed, where each stopped) lives in the
 * store, so a rerun, a `--resume`, or tasks run one at a time by a cluster scheduler all continue
 * the same run.
 */
export async function runStages(plan: PhysicalPlan, options: StageRunOptions): Promise<StageRunResult> {
  const started = Date.now();
  const workers = options.workers ?? availableParallelism();
  const batchSize = options.batchSize ?? 8192;
  const { fingerprint, store } = await claimRun(plan, options);
  if (options.only) await checkParentsCommitted(store, plan, options.only.stage);
  else {
    // Rewriting a finished run's stats would replace its wall time with the rerun's few milliseconds.
    const done = await completedStats(options.outDir, fingerprint);
    if (done && !(await missingStages(store, plan)).length) return { fingerprint, stats: done, alreadyComplete: true };
  }
  const progress = options.progress ?? silentProgress;
  const executor = options.executor ?? threadPoolExecutor({ workers, ...(options.maxOldGenerationSizeMb ? { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } : {}) });
  const ctx: ScheduleContext = {
    plan, fingerprint, store, executor, progress, batchSize, outDir: options.outDir,
    docTimeoutMs: options.docTimeoutMs ?? 120_000, retries: options.retries ?? 2,
    ...(options.stop ? { stop: options.stop } : {}),
  };
  let resultParts: Map<number, RecordBatch[]>;
  try {
    try {
      resultParts = await scheduleStages(ctx, options.only);
      if (options.only && (await missingStages(store, plan)).length) return { fingerprint };
    } finally {
      if (!options.executor) await executor.close();
    }
    for (const stage of plan.stages) await finishStage(store, stage);
    for (const stage of plan.stages) {
      throwIfStopped(options.stop);
      if (stage.output.kind !== 'sink' || !hasFinalizer(stage.output.sink)) continue;
      const phase = `${stage.id} finalize ${stage.output.sink.format} sink`;
      progress.phaseStarted(phase, 1, 0);
      await finalizeSink(stage.output.sink, { fingerprint, outDir: options.outDir });
      progress.phaseFinished(phase);
    }
  } catch (e) {
    // Counted after the pool is closed: no abandoned task can still commit.
    if (e instanceof StopRequested) throw new RunInterruptedError(await committedTasks(store, plan));
    throw e;
  } finally {
    progress.stop();
  }
  const stats = await collectStats(store, plan, fingerprint, Date.now() - started);
  await writeFileAtomic(files.stats(options.outDir), JSON.stringify(stats, null, 2) + '\n');
  const last = plan.stages[plan.stages.length - 1];
  const table = last?.output.kind === 'result' ? resultTable(await resultBatches(store, last, resultParts)) : undefined;
  return { fingerprint, stats, ...(table ? { table } : {}) };
}

/**
 * Fingerprints the plan and claims the output directory for it (records the run manifest and
 * `plan.json`), or checks that the run already there is this one. `--plan-only` stops here, so
 * tasks later run one by one (`--stage/--task`, e.g. by a cluster scheduler) find the run claimed.
 */
export async function claimRun(plan: PhysicalPlan, options: ClaimOptions & Pick<StageRunOptions, 'batchSize' | 'chunkSize'>): Promise<{ fingerprint: string; store: LocalBlobStore }> {
  const fingerprint = await planFingerprint(plan, { batchSize: options.batchSize ?? 8192 });
  const store = new LocalBlobStore(files.store(options.outDir), { chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE });
  await claimOutput(store, options, fingerprint, plan);
  return { fingerprint, store };
}

/** A task run alone needs every stage its stage reads to be committed; say which is not. */
async function checkParentsCommitted(store: LocalBlobStore, plan: PhysicalPlan, stageId: string): Promise<void> {
  const stage = plan.stages.find((s) => s.id === stageId);
  if (!stage) throw new Error(`--stage ${stageId}: the plan has no such stage (stages: ${plan.stages.map((s) => s.id).join(', ')})`);
  const parents = stage.input.kind === 'wide' ? [stage.input.stage] : stage.input.kind === 'stages' ? stage.input.stages : [];
  const missing = (await missingStages(store, plan)).filter((id) => parents.includes(id));
  if (missing.length) {
    throw new Error(`--stage ${stageId} reads ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not fully committed yet; run ${missing.length > 1 ? 'those stages' : 'that stage'} first`);
  }
}

/** Stages with a global limit write their sink parts once all their tasks are committed. */
async function finishStage(store: LocalBlobStore, stage: PhysicalStage): Promise<void> {
  if (stage.output.kind !== 'sink' || stage.limit === undefined) return;
  const cuts = await limitCuts(stage, store);
  for (const p of stage.partitions) {
    const batches = await committedRows(store, stage, p.index, cuts[p.index]!);
    if (batches.length) await writeSinkPart(stage.output.sink, stage.id, p.index, batches);
  }
}

/** The `stats.json` a finished run of this fingerprint left in `outDir`, if any. */
async function completedStats(outDir: string, fingerprint: string): Promise<RunStats | undefined> {
  const stats = await readFile(files.stats(outDir), 'utf8').then((t) => JSON.parse(t) as RunStats, () => undefined);
  return stats?.fingerprint === fingerprint ? stats : undefined;
}

async function committedTasks(store: LocalBlobStore, plan: PhysicalPlan): Promise<StageProgress[]> {
  const out: StageProgress[] = [];
  for (const s of plan.stages) {
    let committed = 0;
    for (const p of s.partitions) if ((await readCheckpoint(store, keys.checkpoint(s.id, p.index)))?.final) committed++;
    out.push({ stage: s.id, committed, tasks: s.partitions.length });
  }
  return out;
}

async function missingStages(store: LocalBlobStore, plan: PhysicalPlan): Promise<string[]> {
  return (await committedTasks(store, plan)).filter((s) => s.committed < s.tasks).map((s) => s.stage);
}
