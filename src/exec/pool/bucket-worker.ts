import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import { openStoreAt } from '../state/run-store.ts';
import { bucketPhase } from '../dedup/phases.ts';

/** A bucket task as the driver sends it to a pool thread (plain data). */
export interface BucketTask {
  plan: PhysicalPlan;
  stage: string;
  k: number;
  storeUri: string;
  chunkSize: number;
}

/** piscina entry (via bucket-worker-entry.mjs) for the bucket phase; in-thread runs call `bucketPhase`. */
export default async function (task: BucketTask): Promise<{ records: number; stars: number }> {
  const store = await openStoreAt(task.storeUri, task.chunkSize);
  return bucketPhase(task.plan, task.stage, task.k, store);
}
