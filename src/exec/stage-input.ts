import type { RecordBatch } from 'apache-arrow';
import type { PartitionSpec, PhysicalPlan, PhysicalStage } from '../planner/physical-plan.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { readCheckpoint, type Checkpoint } from './checkpoint.ts';
import { fromIpc } from './ipc.ts';
import { keys } from './layout.ts';
import { readDedupInput } from './dedup/input.ts';
import { bucketingOf, hookFor, keepBucket } from './shuffle.ts';

/**
 * The input of a task of a non-scan stage, read from committed parent outputs in the blob store
 * (verified on read) in parent partition order, then piece order: that order is input order.
 */
export async function* readStageInput(plan: PhysicalPlan, stage: PhysicalStage, partition: PartitionSpec, store: BlobStore): AsyncGenerator<RecordBatch> {
  const input = stage.input;
  if (input.kind === 'scan') throw new Error(`stage ${stage.id} scans a source; it has no stage input`);
  if (input.kind === 'stages') {
    const up = partition.upstream;
    if (!up) throw new Error(`stage ${stage.id} partition ${partition.index} has no upstream partition`);
    const parent = stageById(plan, up.stage);
    const cuts = await limitCuts(parent, store);
    yield* readWhole(store, parent, up.partition, await finalCheckpoint(store, parent, up.partition), cuts[up.partition]);
    return;
  }
  if (input.wide.kind === 'dedup') {
    yield* readDedupInput(plan, stage, partition, store);
    return;
  }
  const parent = stageById(plan, input.stage);
  const bucketing = bucketingOf(plan, parent);
  if (bucketing) {
    for (const p of parent.partitions) {
      const ck = await finalCheckpoint(store, parent, p.index);
      for (const piece of ck.pieces) {
        if ((piece.buckets?.[partition.index] ?? 0) === 0) continue;
        yield* fromIpc(await store.getBytes(keys.piece(parent.id, p.index, piece.seq, partition.index)));
      }
    }
    return;
  }
  const cuts = await limitCuts(parent, store);
  const wide = input.wide;
  const hook = wide.kind === 'limit' ? undefined : hookFor(wide);
  let remaining = wide.kind === 'limit' ? wide.n : Infinity;
  for (const p of parent.partitions) {
    const ck = await finalCheckpoint(store, parent, p.index);
    for await (const b of readWhole(store, parent, p.index, ck, cuts[p.index])) {
      if (remaining <= 0) return;
      const batch = b.numRows > remaining ? b.slice(0, remaining) : b;
      remaining -= batch.numRows;
      yield hook ? keepBucket(batch, hook.bucketOf(batch, wide, stage.partitions.length), partition.index) : batch;
    }
  }
}

/** Rows of a task's output, at most `limit` of them, in piece order. */
async function* readWhole(store: BlobStore, stage: PhysicalStage, partition: number, ck: Checkpoint, limit = Infinity): AsyncGenerator<RecordBatch> {
  let remaining = limit;
  for (const piece of ck.pieces) {
    if (remaining <= 0) return;
    if (piece.rows === 0) continue;
    for (const b of fromIpc(await store.getBytes(keys.piece(stage.id, partition, piece.seq)))) {
      if (remaining <= 0) return;
      const batch = b.numRows > remaining ? b.slice(0, remaining) : b;
      remaining -= batch.numRows;
      yield batch;
    }
  }
}

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

export async function finalCheckpoint(store: BlobStore, stage: PhysicalStage, partition: number): Promise<Checkpoint> {
  const ck = await readCheckpoint(store, keys.checkpoint(stage.id, partition));
  if (!ck?.final) throw new Error(`stage ${stage.id} task ${partition} is not committed yet; run that stage first`);
  return ck;
}

export function stageById(plan: PhysicalPlan, id: string): PhysicalStage {
  const s = plan.stages.find((x) => x.id === id);
  if (!s) throw new Error(`plan has no stage "${id}" (stages: ${plan.stages.map((x) => x.id).join(', ')})`);
  return s;
}
