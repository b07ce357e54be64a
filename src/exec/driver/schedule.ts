import type { RecordBatch } from 'apache-arrow';
import type { RunStats } from '../accounting/counters.ts';
import { committedIds, recordAttempt, recordFailure, thisAttempt } from '../graph/task-state.ts';
import type { GraphTask, TaskGraph, TaskGroup } from '../graph/task-graph.ts';
import { throwIfStopped } from './interrupted.ts';
import { runGraphTask, type GraphTaskContext } from './run-graph-task.ts';

/** What the local scheduler gives back: in-memory rows of a `result` stage, and the finalize task's stats. */
export interface ScheduleResult {
  resultParts: Map<number, RecordBatch[]>;
  stats?: RunStats;
}

/**
 * The local scheduler: runs the task graph group by group in order, at most `executor.workers`
 * tasks in flight, skipping committed tasks, so it continues any earlier attempt — including one
 * made by another scheduler. With an output directory it records each task's start and failure
 * for `sluice status`.
 */
export async function scheduleGraph(ctx: GraphTaskContext, graph: TaskGraph): Promise<ScheduleResult> {
  const out: ScheduleResult = { resultParts: new Map() };
  for (const group of graph.groups) {
    throwIfStopped(ctx.stop);
    const members = group.tasks.map((id) => graph.tasks.find((t) => t.id === id)!);
    const done = await committedIds(ctx.store, members);
    const pending = members.filter((t) => !done.has(t.id));
    const progress = groupProgress(ctx, group, members[0]!);
    progress.started(members.length, members.length - pending.length);
    let next = 0;
    let failed = false;
    const runNext = async (): Promise<void> => {
      while (!failed && next < pending.length) {
        throwIfStopped(ctx.stop);
        const task = pending[next++]!;
        const result = await runRecorded(ctx, task).catch((e: unknown) => {
          failed = true;
          throwIfStopped(ctx.stop);
          throw e;
        });
        if (result.rows) out.resultParts.set(task.index!, result.rows);
        if (result.stats) out.stats = result.stats;
        progress.done();
      }
    };
    // At most `workers` tasks in flight: the pool's queue never grows. A failure stops new tasks
    // and waits for those in flight, so no task of this call still runs when it rejects (a caller
    // that schedules again after a redo must not race its own earlier tasks).
    const settled = await Promise.allSettled(Array.from({ length: Math.min(ctx.executor.workers, pending.length) }, runNext));
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    progress.finished();
  }
  return out;
}

async function runRecorded(ctx: GraphTaskContext, task: GraphTask): ReturnType<typeof runGraphTask> {
  if (ctx.outDir === undefined) return runGraphTask(ctx, task);
  const attempt = thisAttempt();
  await recordAttempt(ctx.store, task.id, attempt);
  try {
    return await runGraphTask(ctx, task);
  } catch (e) {
    // A record that cannot be written (the disk is full) must not replace the failure it records.
    if (!ctx.stop?.aborted) await recordFailure(ctx.store, task.id, attempt, (e as Error).message).catch(() => {});
    throw e;
  }
}

/** Stage groups show as stages (bars with documents); dedup phases and finalize as phases. */
function groupProgress(ctx: GraphTaskContext, group: TaskGroup, first: GraphTask): { started(n: number, done: number): void; done(): void; finished(): void } {
  const p = ctx.progress;
  if (first.kind === 'stage') {
    return { started: (n, d) => p.stageStarted(group.id, n, d), done: () => p.update(group.id, 0, true), finished: () => p.stageFinished(group.id) };
  }
  if (first.kind === 'finalize') return { started: () => {}, done: () => {}, finished: () => {} };
  const name = first.kind === 'bucket' ? `${first.stage} dedup buckets` : `${first.stage} dedup merge`;
  return { started: (n, d) => p.phaseStarted(name, n, d), done: () => p.phaseUpdate(name), finished: () => p.phaseFinished(name) };
}
