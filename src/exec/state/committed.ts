import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { readCheckpoint, type Checkpoint } from './checkpoint.ts';
import { keys } from './layout.ts';

/**
 * A stage's global limit as rows kept per partition: the first `limit` rows of the concatenated
 * output in partition order. Without a limit every partition is kept whole.
 */
export async function limitCuts(stage: PhysicalStage, store: BlobStore): Promise<number[]> {
  const cuts: number[] = [];
  let remaining = stage.limit ?? Infinity;
  for (const p of stage.partitions) {
    if (stage.limit === undefined) {
      cuts.push(Infinity);
      continue;
    }
    const rows = (await finalCheckpoint(store, stage, p.index)).pieces.reduce((n, x) => n + x.rows, 0);
    const keep = Math.min(rows, remaining);
    cuts.push(keep);
    remaining -= keep;
  }
  return cuts;
}

/** The final checkpoint of a committed task; an error names the task when it is not committed. */
export async function finalCheckpoint(store: BlobStore, stage: PhysicalStage, partition: number): Promise<Checkpoint> {
  const ck = await readCheckpoint(store, keys.committed(stage.id, partition));
  if (!ck) throw new Error(`stage ${stage.id} task ${partition} is not committed yet; run that stage first`);
  return ck;
}

/** Whether the task's final checkpoint is committed. */
export function isTaskCommitted(store: BlobStore, stage: string, partition: number): Promise<boolean> {
  return store.has(keys.committed(stage, partition));
}

/** The stage with this id; the error lists the plan's stages. */
export function stageById(plan: PhysicalPlan, id: string): PhysicalStage {
  const s = plan.stages.find((x) => x.id === id);
  if (!s) throw new Error(`plan has no stage "${id}" (stages: ${plan.stages.map((x) => x.id).join(', ')})`);
  return s;
}
