import { blobOwner, brokenBlobKey } from '../graph/blob-owner.ts';
import { discardTask } from '../graph/redo.ts';
import { taskById, type TaskGraph } from '../graph/task-graph.ts';
import type { GraphTaskContext } from './run-graph-task.ts';
import { scheduleGraph, type ScheduleResult } from './schedule.ts';

/**
 * The local scheduler, redoing what damaged state costs instead of failing the run: when a task
 * fails because a blob it read is corrupt or gone (a checkpoint, a piece, dedup records, edges or
 * verdicts; `BlobCorruptError`), the task that wrote that blob is discarded and the graph is
 * scheduled again, so exactly that task reruns (and the one that failed on it, which never
 * committed). Each blob is redone once: damaged again after its redo means the disk keeps
 * corrupting it, and the error is the run's. A blob no task writes (the run manifest) fails the run.
 */
export async function scheduleRedoing(ctx: GraphTaskContext, graph: TaskGraph, warn: (line: string) => void): Promise<ScheduleResult> {
  const redone = new Set<string>();
  for (;;) {
    try {
      return await scheduleGraph(ctx, graph);
    } catch (e) {
      const key = brokenBlobKey(e);
      if (key === undefined || redone.has(key)) throw e;
      const owner = blobOwner(key);
      if (owner.task === undefined) {
        if (!key.startsWith('graph/')) throw e;
        // A status record: nothing depends on it, drop it and go on.
        await ctx.store.delete(key);
        warn(`sluice: ${owner.what} was damaged (blob ${key}); removed it`);
      } else {
        await discardTask(ctx.store, taskById(graph, owner.task));
        await ctx.store.delete(key);
        warn(`sluice: redoing task ${owner.task}: ${owner.what} is damaged (${(e as Error).message.split('\n')[0]})`);
      }
      redone.add(key);
    }
  }
}
