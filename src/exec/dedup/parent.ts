import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import type { Checkpoint } from '../state/checkpoint.ts';
import { finalCheckpoint, limitCuts, stageById } from '../state/committed.ts';

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
  const checkpoints: Checkpoint[] = [];
  const counts: number[] = [];
  const offsets: number[] = [];
  let total = 0;
  for (const p of parent.partitions) {
    const ck = await finalCheckpoint(store, parent, p.index);
    checkpoints.push(ck);
    const rows = Math.min(ck.pieces.reduce((n, x) => n + x.rows, 0), cuts[p.index]!);
    offsets.push(total);
    counts.push(rows);
    total += rows;
  }
  if (total > 0xffffffff) throw new Error(`dedup of ${total} documents: ordinals must fit in 32 bits`);
  return { parent, checkpoints, counts, offsets, total };
}
