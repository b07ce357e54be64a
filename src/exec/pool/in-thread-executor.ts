import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { bucketPhase } from '../dedup/phases.ts';
import type { TaskRequest } from '../task/execute-task.ts';
import type { TaskExecutor } from './executor.ts';
import { runWorkerTask, type WorkerResult } from './worker.ts';

/**
 * Runs tasks one at a time in this thread (`collect()`): the same entry as a pool thread, without
 * thread start-up or copies. Nothing can interrupt synchronous operator code here, so there is no
 * per-document time limit; `sluice run` has one.
 */
export const inThreadExecutor: TaskExecutor = {
  workers: 1,
  runTask: (store: BlobStore, req: TaskRequest, heartbeat: SharedArrayBuffer): Promise<WorkerResult> => runWorkerTask(req, store, heartbeat, false),
  async runBucket(store: BlobStore, plan: PhysicalPlan, stage: string, k: number): Promise<void> {
    await bucketPhase(plan, stage, k, store);
  },
  close: async () => {},
};
