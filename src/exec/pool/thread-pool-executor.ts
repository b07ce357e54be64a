import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import type { LocalBlobStore } from '../../storage/local-blob-store.ts';
import type { TaskRequest } from '../task/execute-task.ts';
import type { BucketTask } from './bucket-worker.ts';
import type { TaskExecutor } from './executor.ts';
import { createPool, type PoolOptions } from './pool.ts';
import type { WorkerResult } from './worker.ts';

const BUCKET_ENTRY = new URL('./bucket-worker-entry.mjs', import.meta.url).href;

/** Runs tasks on a piscina pool of worker threads that open the run's store from its directory. */
export function threadPoolExecutor(store: LocalBlobStore, options: PoolOptions): TaskExecutor {
  const pool = createPool(options);
  return {
    workers: options.workers,
    runTask(req: TaskRequest, heartbeat: SharedArrayBuffer, signal: AbortSignal): Promise<WorkerResult> {
      return pool.run({ req, storeRoot: store.root, chunkSize: store.chunkSize, heartbeat }, { signal }) as Promise<WorkerResult>;
    },
    async runBucket(plan: PhysicalPlan, stage: string, k: number): Promise<void> {
      const task: BucketTask = { plan, stage, k, storeRoot: store.root, chunkSize: store.chunkSize };
      await pool.run(task, { filename: BUCKET_ENTRY });
    },
    close: () => pool.destroy(),
  };
}
