import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import type { TaskRequest } from '../task/execute-task.ts';
import type { BucketTask } from './bucket-worker.ts';
import type { TaskExecutor } from './executor.ts';
import { createPool, workerEntry, type PoolOptions } from './pool.ts';
import type { WorkerResult } from './worker.ts';

const BUCKET_ENTRY = workerEntry('bucket-worker');

/** Threads open the store themselves from its URI, so a store that lives in this process only cannot be shared with them. */
function storeAddress(store: BlobStore): { storeUri: string; chunkSize: number } {
  if (store.uri === undefined) throw new Error('the thread-pool executor needs a store other threads can open (a directory or s3://), not an in-memory one');
  return { storeUri: store.uri, chunkSize: store.chunkSize };
}

/** Runs tasks on a piscina pool of worker threads. */
export function threadPoolExecutor(options: PoolOptions): TaskExecutor {
  const pool = createPool(options);
  return {
    workers: options.workers,
    runTask(store: BlobStore, req: TaskRequest, heartbeat: SharedArrayBuffer, signal: AbortSignal): Promise<WorkerResult> {
      return pool.run({ req, ...storeAddress(store), heartbeat }, { signal }) as Promise<WorkerResult>;
    },
    async runBucket(store: BlobStore, plan: PhysicalPlan, stage: string, k: number, signal?: AbortSignal): Promise<void> {
      const task: BucketTask = { plan, stage, k, ...storeAddress(store) };
      await pool.run(task, { filename: BUCKET_ENTRY, ...(signal ? { signal } : {}) });
    },
    close: () => pool.destroy(),
  };
}
