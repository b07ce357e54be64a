import type { RecordBatch } from 'apache-arrow';
import { fromIpc } from '../../arrow/ipc.ts';
import type { RunStats } from '../accounting/counters.ts';
import { mergePhase } from '../dedup/phases.ts';
import type { GraphTask } from '../graph/task-graph.ts';
import { stageById } from '../state/committed.ts';
import { finalizeRun } from './finalize-run.ts';
import { runStageTask, type StageTaskContext } from './run-stage-task.ts';
import { throwIfStopped } from './interrupted.ts';
import { diskErrorCode } from '../../storage/disk-errors.ts';
import type { CpuSnapshot } from '../accounting/process-cpu.ts';

/** What a task of the graph needs; `startedAt` (ms since epoch) dates the run for `stats.json`. */
export interface GraphTaskContext extends StageTaskContext {
  startedAt: number;
  /** The process's CPU when it started the whole run (`sluice run`), so `stats.json` can attribute
   *  the runtime's and the driver's CPU and set the process's next to it; absent when tasks run
   *  one per process. */
  cpuAtStart?: CpuSnapshot;
}

/** What a task gave back: rows of a `result` stage (pool threads send them in memory), or the stats. */
export interface GraphTaskOutput {
  rows?: RecordBatch[];
  stats?: RunStats;
}

/**
 * The one entry for one task of the graph, whatever schedules it (the local pool, `collect()`,
 * `sluice task` under Slurm): stage tasks run on the executor under the watchdog, bucket tasks on
 * the executor, the merge and finalize in this thread. Each resumes from its last commit and is a
 * no-op once committed.
 */
export async function runGraphTask(ctx: GraphTaskContext, task: GraphTask): Promise<GraphTaskOutput> {
  switch (task.kind) {
    case 'stage': {
      const result = await runStageTask(ctx, stageById(ctx.plan, task.stage!), task.index!);
      return result.ipc ? { rows: fromIpc(result.ipc) } : {};
    }
    case 'bucket':
      await runBucketTask(ctx, task.stage!, task.index!);
      return {};
    case 'merge':
      await mergePhase(ctx.plan, task.stage!, ctx.store);
      return {};
    case 'finalize': {
      if (ctx.outDir === undefined) throw new Error('the finalize task needs an output directory');
      const stats = await finalizeRun({
        plan: ctx.plan, fingerprint: ctx.fingerprint, store: ctx.store, outDir: ctx.outDir,
        progress: ctx.progress, wallMs: Date.now() - ctx.startedAt, ...(ctx.stop ? { stop: ctx.stop } : {}),
        ...(ctx.cpuAtStart ? { cpuAtStart: ctx.cpuAtStart } : {}),
      });
      return { stats };
    }
  }
}

/**
 * A bucket task whose worker died (a crash, out of memory) runs again, up to `retries` times, as a
 * stage task does; it commits its edges last, so a rerun redoes it whole. A full or failing disk
 * and a stop are not retried.
 */
async function runBucketTask(ctx: GraphTaskContext, stage: string, k: number): Promise<void> {
  for (let failures = 1; ; failures++) {
    try {
      await ctx.executor.runBucket(ctx.store, ctx.plan, stage, k, ctx.stop);
      return;
    } catch (e) {
      throwIfStopped(ctx.stop);
      const what = `dedup bucket task ${stage}.bucket.${k}`;
      if (diskErrorCode(e)) throw new Error(`${what}: ${(e as Error).message}`, { cause: e });
      if (failures > ctx.retries) throw new Error(`${what} failed after ${failures} attempts: ${(e as Error).message}`, { cause: e });
    }
  }
}
