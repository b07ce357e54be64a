import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { diskErrorCode } from '../../storage/disk-errors.ts';
import type { TaskExecutor } from '../pool/executor.ts';
import { Heartbeat } from '../pool/heartbeat.ts';
import type { WorkerResult } from '../pool/worker.ts';
import { describeTask } from '../task/describe.ts';
import { brokenBlobKey } from '../graph/blob-owner.ts';
import type { TaskRequest } from '../task/execute-task.ts';
import { throwIfStopped } from './interrupted.ts';
import type { ProgressReporter } from './progress.ts';

/** What running one stage task needs: the plan, where commits go, where it runs, its limits. */
export interface StageTaskContext {
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
  /** Stops the run: the task in flight is abandoned. */
  stop?: AbortSignal;
}

/**
 * Runs one stage task to its commit under a watchdog: a document an operator works on for longer
 * than `docTimeoutMs` gets its worker terminated, is quarantined, and the task resumes after it;
 * a crashed or out-of-memory worker is retried `retries` times, each retry resuming from the last
 * commit. The same for `sluice run`'s pool and `sluice task`.
 */
export async function runStageTask(ctx: StageTaskContext, stage: PhysicalStage, t: number): Promise<WorkerResult> {
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
      // Damaged state fails the same way on every attempt: the scheduler redoes the task that wrote it.
      if (brokenBlobKey(e) !== undefined) throw e;
      // A full or failing disk stays so for a retry: stop the run now (its commits are atomic).
      if (diskErrorCode(e)) throw new Error(`${describeTask(stage, part)}: ${(e as Error).message}`, { cause: e });
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
