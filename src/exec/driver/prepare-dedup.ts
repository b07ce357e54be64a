import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { mergePhase, pendingBuckets, type MergeSummary } from '../dedup/phases.ts';
import type { TaskExecutor } from '../pool/executor.ts';
import { bandPartitionsOf } from '../dedup/strategy.ts';
import { throwIfStopped } from './interrupted.ts';
import type { ProgressReporter } from './progress.ts';

/**
 * Runs the wide part of a dedup stage before its tasks: the bucket tasks on the executor (at most
 * `workers` in flight), then the merge in this thread. Everything is committed in the blob store
 * and skipped when already there, so reruns and `--resume` continue where a run stopped.
 */
export async function prepareDedup(ctx: { plan: PhysicalPlan; store: BlobStore; executor: TaskExecutor; progress: ProgressReporter; stop?: AbortSignal }, stage: PhysicalStage): Promise<MergeSummary> {
  const todo = await pendingBuckets(ctx.plan, stage.id, ctx.store);
  const buckets = `${stage.id} dedup buckets`, merge = `${stage.id} dedup merge`;
  const total = bandPartitionsOf(stage);
  ctx.progress.phaseStarted(buckets, total, total - todo.length);
  let next = 0;
  const runNext = async (): Promise<void> => {
    while (next < todo.length) {
      throwIfStopped(ctx.stop);
      try {
        await ctx.executor.runBucket(ctx.store, ctx.plan, stage.id, todo[next++]!, ctx.stop);
        ctx.progress.phaseUpdate(buckets);
      } catch (e) {
        throwIfStopped(ctx.stop);
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.executor.workers, todo.length) }, runNext));
  ctx.progress.phaseFinished(buckets);
  throwIfStopped(ctx.stop);
  ctx.progress.phaseStarted(merge, 1, 0);
  const summary = await mergePhase(ctx.plan, stage.id, ctx.store);
  ctx.progress.phaseFinished(merge);
  return summary;
}

/** Whether a stage starts with a dedup (its wide phases must run before its tasks). */
export function isDedupStage(stage: PhysicalStage): boolean {
  return stage.input.kind === 'wide' && stage.input.wide.kind === 'dedup';
}
