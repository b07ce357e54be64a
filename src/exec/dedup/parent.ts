import type { RecordBatch } from 'apache-arrow';
import { fromIpc } from '../../arrow/ipc.ts';
import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import type { Checkpoint } from '../state/checkpoint.ts';
import { finalCheckpoints, limitCuts, stageById } from '../state/committed.ts';
import { keys } from '../state/layout.ts';
import { dedupKeys } from './layout.ts';

/**
 * Where each document of a dedup stage's input sits: parent partition `p` holds the documents with
 * ordinals `offsets[p] .. offsets[p] + counts[p] − 1`. Partitions are in input order, so ordinals
 * are input order, whatever the partitioning or worker count.
 */
export interface ParentLayout {
  parent: PhysicalStage;
  checkpoints: Checkpoint[];
  /** Rows of each parent partition that the dedup reads (after a global limit's cut). */
  counts: number[];
  offsets: number[];
  total: number;
}

export async function parentLayout(plan: PhysicalPlan, stage: PhysicalStage, store: BlobStore): Promise<ParentLayout> {
  if (stage.input.kind !== 'wide') throw new Error(`stage ${stage.id} has no wide input`);
  const parent = stageById(plan, stage.input.stage);
  const cuts = await limitCuts(parent, store);
  const all = await finalCheckpoints(store, parent);
  const checkpoints: Checkpoint[] = [];
  const counts: number[] = [];
  const offsets: number[] = [];
  let total = 0;
  for (const [i, p] of parent.partitions.entries()) {
    const ck = all[i]!;
    checkpoints.push(ck);
    const rows = Math.min(ck.pieces.reduce((n, x) => n + x.rows, 0), cuts[p.index]!);
    offsets.push(total);
    counts.push(rows);
    total += rows;
  }
  if (total > 0xffffffff) throw new Error(`dedup of ${total} documents: ordinals must fit in 32 bits`);
  return { parent, checkpoints, counts, offsets, total };
}

/**
 * How many rows of parent partition `p` the dedup judged, once its merge is committed: what a
 * dedup stage's task checks before reading its verdicts (errors name the stage).
 */
export async function judgedRows(layout: ParentLayout, stage: PhysicalStage, p: number, store: BlobStore): Promise<number> {
  const n = layout.counts[p];
  if (n === undefined) throw new Error(`dedup stage ${stage.id} has no parent partition ${p}`);
  if (!(await store.has(dedupKeys.merged(stage.id)))) throw new Error(`dedup stage ${stage.id}: the merge phase has not committed yet`);
  return n;
}

/**
 * The first `n` rows of parent partition `p`, one batch per parent batch with the partition row it
 * starts at, so resuming by input-batch count lines up. Every dedup strategy's stage input reads them.
 */
export async function* parentRows(layout: ParentLayout, p: number, n: number, store: BlobStore): AsyncGenerator<{ batch: RecordBatch; row: number }> {
  let row = 0;
  for (const piece of layout.checkpoints[p]!.pieces) {
    if (row >= n) return;
    if (piece.rows === 0) continue;
    for (const b of fromIpc(await store.getBytes(keys.piece(layout.parent.id, p, piece.seq)))) {
      if (row >= n) return;
      const batch = b.numRows > n - row ? b.slice(0, n - row) : b;
      yield { batch, row };
      row += batch.numRows;
    }
  }
}
