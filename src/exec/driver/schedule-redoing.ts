import { blobOwner, brokenBlobKey, type BlobOwner } from '../graph/blob-owner.ts';
import { isAbsolute } from 'node:path';
import type { BlobStore } from '../../storage/blob-store.ts';
import { openFile, openLocation } from '../../io/location/open-location.ts';
import { discardTask, readRedo, recordRedo } from '../graph/redo.ts';
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
      const damage = await discardDamaged(ctx.store, graph, key);
      if (!damage) throw e;
      warn(damage.task === undefined
        ? `sluice: ${damage.what} was damaged (blob ${key}); removed it`
        : `sluice: redoing task ${damage.task}: ${damage.what} is damaged (${(e as Error).message.split('\n')[0]})`);
      redone.add(key);
    }
  }
}

/**
 * Discards the task that wrote a damaged blob, and the blob, so scheduling the graph again redoes
 * that task; a damaged status record (nothing depends on it) is only removed. Returns undefined
 * when no task can rewrite the blob (the run manifest): the damage is then the run's error.
 */
export async function discardDamaged(store: BlobStore, graph: TaskGraph, key: string): Promise<BlobOwner | undefined> {
  const owner = blobOwner(key);
  if (owner.task === undefined && !key.startsWith('graph/')) return undefined;
  if (owner.task !== undefined) await discardTask(store, taskById(graph, owner.task));
  await store.delete(key);
  return owner;
}

/**
 * Discards the tasks `sluice verify` asked to redo (`run/redo`) and removes the output files it
 * named for rebuilding, so the next scheduling of the run, whoever does it, runs them again. The
 * request is cleared last: a crash part way applies it again. A task the graph does not have is
 * skipped (the request named an earlier plan's task).
 */
export async function applyRedoRequests(store: BlobStore, graph: TaskGraph, outUri: string, warn: (line: string) => void): Promise<void> {
  const requests = await readRedo(store);
  for (const r of requests) {
    const task = graph.tasks.find((t) => t.id === r.task);
    if (!task) continue;
    for (const path of r.remove ?? []) {
      const file = isAbsolute(path) ? await openFile(path) : { location: await openLocation(outUri), path };
      await file.location.delete(file.path);
    }
    await discardTask(store, task);
    warn(`sluice: redoing task ${r.task}: ${r.reason}`);
  }
  if (requests.length) await recordRedo(store, []);
}
