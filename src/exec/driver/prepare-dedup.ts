import type { Piscina } from 'piscina';
import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { LocalBlobStore } from '../../storage/local-blob-store.ts';
import { mergePhase, pendingBuckets, type MergeSummary } from '../dedup/phases.ts';
import type { BucketTask } from '../pool/bucket-worker.ts';

const ENTRY = new URL('../pool/bucket-worker-entry.mjs', import.meta.url).href;

/**
 * Runs the wide part of a dedup stage before its tasks: the bucket tasks on the pool (at most
 * `workers` in flight), then the merge in this thread. Everything is committed in the blob store
 * and skipped when already there, so reruns and `--resume` continue where a run stopped.
 */
export async function prepareDedup(ctx: {
  plan: PhysicalPlan; store: LocalBlobStore; pool: Piscina<unknown, unknown>; workers: number;
}, stage: PhysicalStage): Promise<MergeSummary> {
  const todo = await pendingBuckets(ctx.plan, stage.id, ctx.store);
  let next = 0;
  const runNext = async (): Promise<void> => {
    while (next < todo.length) {
      const task: BucketTask = { plan: ctx.plan, stage: stage.id, k: todo[next++]!, storeRoot: ctx.store.root, chunkSize: ctx.store.chunkSize };
      await ctx.pool.run(task, { filename: ENTRY });
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.workers, todo.length) }, runNext));
  return mergePhase(ctx.plan, stage.id, ctx.store);
}

/** Whether a stage starts with a dedup (its wide phases must run before its tasks). */
export function isDedupStage(stage: PhysicalStage): boolean {
  return stage.input.kind === 'wide' && stage.input.wide.kind === 'dedup';
}
