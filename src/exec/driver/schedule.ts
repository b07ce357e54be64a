import type { RecordBatch } from 'apache-arrow';
import { fromIpc } from '../../arrow/ipc.ts';
import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import type { TaskExecutor } from '../pool/executor.ts';
import { Heartbeat } from '../pool/heartbeat.ts';
import type { WorkerResult } from '../pool/worker.ts';
import { readCheckpoint } from '../state/checkpoint.ts';
import { keys } from '../state/layout.ts';
import { describeTask } from '../task/describe.ts';
import type { TaskRequest } from '../task/execute-task.ts';
import { isDedupStage, prepareDedup } from './prepare-dedup.ts';
import { throwIfStopped } from './interrupted.ts';
import type { ProgressReporter } from './progress.ts';

/** What the scheduler needs: the plan, where commits go, where tasks run, and the task options. */
export interface ScheduleContext {
  plan: PhysicalPlan;
  fingerprint: string;
  store: BlobStore;
  executor: TaskExecutor;
  progress: ProgressReporter;
  batchSize: number;
  /** User-facing output directory; absent for `collect()`. */
  outDir?: string;
  docTimeoutMs: number;
  retries: number;
  /** Stops the run: no task starts after it fires, and tasks in flight are abandoned. */
  stop?: AbortSignal;
}

/**
 * Runs the tasks of the given stages (all by default) in plan order: a dedup stage's wide phases
 * first, then its tasks, at most `executor.workers` in flight. Committed tasks are skipped, so this
 * continues any earlier attempt. Returns the output of `result` stages that came back in memory.
 */
export async function scheduleStages(ctx: ScheduleContext, only?: { stage: string; task: number }): Promise<Map<number, RecordBatch[]>> {
  const resultParts = new Map<number, RecordBatch[]>();
  for (const stage of ctx.plan.stages) {
    if (only && only.stage !== stage.id) continue;
    if (only && !stage.partitions[only.task]) {
      throw new Error(`stage ${stage.id} has ${stage.partitions.length} tasks; --task ${only.task} does not exist`);
    }
    const todo = only ? [only.task] : stage.partitions.map((p) => p.index);
    throwIfStopped(ctx.stop);
    if (isDedupStage(stage)) await prepareDedup(ctx, stage);
    await runStage(ctx, stage, todo, resultParts);
  }
  return resultParts;
}

async function runStage(ctx: ScheduleContext, stage: PhysicalStage, tasks: number[], resultParts: Map<number, RecordBatch[]>): Promise<void> {
  const pending: number[] = [];
  for (const t of tasks) {
    const ck = await readCheckpoint(ctx.store, keys.checkpoint(stage.id, t));
    if (!ck?.final) pending.push(t);
  }
  ctx.progress.stageStarted(stage.id, stage.partitions.length, stage.partitions.length - pending.length);
  let next = 0;
  const runNext = async (): Promise<void> => {
    while (next < pending.length) {
      throwIfStopped(ctx.stop);
      const t = pending[next++]!;
      const result = await runTaskWithRetries(ctx, stage, t);
      if (result.ipc) resultParts.set(t, fromIpc(result.ipc));
      ctx.progress.update(stage.id, 0, true);
    }
  };
  // At most `workers` tasks in flight: the pool's queue never grows, and a failure stops new tasks.
  await Promise.all(Array.from({ length: Math.min(ctx.executor.workers, pending.length) }, runNext));
  ctx.progress.stageFinished(stage.id);
}

async function runTaskWithRetries(ctx: ScheduleContext, stage: PhysicalStage, t: number): Promise<WorkerResult> {
  const timeoutMs = ctx.docTimeoutMs;
  const poisoned: TaskRequest['poisoned'][number][] = [];
  const part = stage.partitions[t]!;
  let failures = 0;
  for (;;) {
    throwIfStopped(ctx.stop);
    const hb = new Heartbeat();
    const abort = new AbortController();
    const onStop = () => abort.abort();
    ctx.stop?.addEventListener('abort', onStop);
    let overdue: { file: number; pos: number; ms: number } | undefined;
    let reported = 0;
    const report = () => {
      const docs = hb.docs();
      if (docs > reported) { ctx.progress.update(stage.id, docs - reported, false); reported = docs; }
    };
    const watch = setInterval(() => {
      report();
      overdue = hb.overdue(timeoutMs);
      if (overdue) abort.abort();
    }, Math.min(500, Math.max(10, timeoutMs / 4)));
    const req: TaskRequest = {
      plan: ctx.plan, fingerprint: ctx.fingerprint, stage: stage.id, partition: t,
      ...(ctx.outDir !== undefined ? { outDir: ctx.outDir } : {}), batchSize: ctx.batchSize, poisoned,
    };
    try {
      return await ctx.executor.runTask(ctx.store, req, hb.buffer, abort.signal);
    } catch (e) {
      throwIfStopped(ctx.stop);
      if (overdue) {
        // The worker was terminated mid-document: quarantine that document and continue after it.
        poisoned.push({ file: overdue.file, pos: overdue.pos, error: `timed out: no progress for ${Math.round(overdue.ms)} ms (limit ${timeoutMs} ms)` });
        if (poisoned.length > 1000) throw new Error(`${describeTask(stage, part)}: more than 1000 documents timed out`);
        continue;
      }
      failures++;
      if (failures > ctx.retries) {
        throw new Error(`${describeTask(stage, part)} failed after ${failures} attempts: ${(e as Error).message}`, { cause: e });
      }
    } finally {
      ctx.stop?.removeEventListener('abort', onStop);
      clearInterval(watch);
      report();
    }
  }
}

