import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { readCheckpoint, type Checkpoint } from './checkpoint.ts';
import { keys } from './layout.ts';

/**
 * A stage's global limit as rows kept per partition: the first `limit` rows of the concatenated
 * output in partition order. Without a limit every partition is kept whole.
 */
export async function limitCuts(stage: PhysicalStage, store: BlobStore): Promise<number[]> {
  if (stage.limit === undefined) return stage.partitions.map(() => Infinity);
  const cuts: number[] = [];
  let remaining = stage.limit;
  for (const ck of await finalCheckpoints(store, stage)) {
    const rows = ck.pieces.reduce((n, x) => n + x.rows, 0);
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

/** Final checkpoints read at once per stage: on object storage each is a round trip. */
const CHECKPOINTS_IN_FLIGHT = 16;

/**
 * The final checkpoints of all of a stage's tasks, in partition order. A task reading a shuffle
 * or a dedup needs every parent's, so they are read {@link CHECKPOINTS_IN_FLIGHT} at a time
 * rather than one round trip after another.
 */
export async function finalCheckpoints(store: BlobStore, stage: PhysicalStage): Promise<Checkpoint[]> {
  const out: Checkpoint[] = new Array<Checkpoint>(stage.partitions.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < stage.partitions.length; i = next++) out[i] = await finalCheckpoint(store, stage, stage.partitions[i]!.index);
  };
  await Promise.all(Array.from({ length: Math.min(CHECKPOINTS_IN_FLIGHT, stage.partitions.length) }, worker));
  return out;
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
