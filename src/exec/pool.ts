import { Piscina } from 'piscina';
import type { WorkerResult, WorkerTask } from './worker.ts';
// Before any thread spawns: the crash-injection counter (tests only) is shared with the workers.
import './test-hooks.ts';

export interface PoolOptions {
  workers: number;
  /** Heap cap per worker in MB; a worker over it dies with ERR_WORKER_OUT_OF_MEMORY and its task is retried. */
  maxOldGenerationSizeMb?: number;
}

/**
 * One long-lived pool per run: `minThreads = maxThreads = workers` so threads (and the operators'
 * per-worker `init` state: models, tokenizers) live for the whole run. The queue is bounded by the
 * driver, which never has more than `workers` tasks in flight.
 */
export function createPool(options: PoolOptions): Piscina<WorkerTask, WorkerResult> {
  return new Piscina<WorkerTask, WorkerResult>({
    filename: new URL('./worker-entry.mjs', import.meta.url).href,
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: 2 ** 31 - 1,
    maxQueue: options.workers,
    ...(options.maxOldGenerationSizeMb ? { resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } } : {}),
  });
}
