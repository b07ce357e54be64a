import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import type { TaskRequest } from '../task/execute-task.ts';
import type { WorkerResult } from './worker.ts';

/**
 * Where the driver's tasks run: a thread pool for `sluice run`, this thread for `collect()`. Both
 * run the same task entry (`runWorkerTask`, `runBucketTask`) against the same kind of store, so
 * they commit the same pieces and give the same rows in the same order. An executor outlives runs:
 * the store is given per task, so one pool can serve many runs (tests do).
 */
export interface TaskExecutor {
  /** Tasks the driver may keep in flight at once. */
  readonly workers: number;
  /** Runs one task to its commit in `store`. `heartbeat` is the watchdog's buffer; `signal` aborts a
   *  hung task (the pool replaces its worker; an in-thread executor cannot interrupt and ignores it). */
  runTask(store: BlobStore, req: TaskRequest, heartbeat: SharedArrayBuffer, signal: AbortSignal): Promise<WorkerResult>;
  /** Runs bucket `k` of a dedup stage's wide phase; `signal` abandons it (as for `runTask`). */
  runBucket(store: BlobStore, plan: PhysicalPlan, stage: string, k: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
