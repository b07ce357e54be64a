import type { BlobStore } from '../../storage/blob-store.ts';
import { dedupKeys } from '../dedup/layout.ts';
import { keys } from '../state/layout.ts';
import type { GraphTask } from './task-graph.ts';

/** A task to run again and why (`sluice verify` found what it wrote damaged). */
export interface RedoRequest {
  task: string;
  reason: string;
  /** Output files (relative to the output) to remove before the redo, so it rebuilds them rather
   *  than trusting them (a token sink's manifest, whose presence means "shards complete"). */
  remove?: string[];
}

/** Where `sluice verify` leaves the tasks the next `sluice run` must redo. */
const REDO_KEY = 'run/redo';

/**
 * Discards a task's commit and progress so the scheduler runs it again from its first input: its
 * outputs are deterministic, so the redo rewrites every blob and file it owns with the bytes they
 * should have (the store rewrites a chunk that fails its hash instead of keeping it). Tasks that
 * already consumed its output keep their commits: they read it verified, and the redo reproduces it.
 * Finalize is always discarded too, as it is derived from every task (shards, `stats.json`).
 */
export async function discardTask(store: BlobStore, task: GraphTask): Promise<void> {
  switch (task.kind) {
    case 'stage':
      await store.delete(keys.committed(task.stage!, task.index!));
      await store.delete(keys.checkpoint(task.stage!, task.index!));
      break;
    case 'bucket':
      await store.delete(dedupKeys.stars(task.stage!, task.index!));
      break;
    case 'merge':
      await store.delete(dedupKeys.merged(task.stage!));
      break;
    case 'finalize':
      break;
  }
  await store.delete(keys.finalized);
}

/** Records tasks for the next `sluice run` to redo (replacing an earlier list; none clears it). */
export async function recordRedo(store: BlobStore, requests: readonly RedoRequest[]): Promise<void> {
  if (requests.length) await store.put(REDO_KEY, new TextEncoder().encode(JSON.stringify(requests)));
  else await store.delete(REDO_KEY);
}

/** The tasks `sluice verify` asked to redo, if any. */
export async function readRedo(store: BlobStore): Promise<RedoRequest[]> {
  if (!(await store.has(REDO_KEY))) return [];
  return JSON.parse(new TextDecoder().decode(await store.getBytes(REDO_KEY))) as RedoRequest[];
}
