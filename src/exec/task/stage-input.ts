import type { RecordBatch } from 'apache-arrow';
import type { PartitionSpec, PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import type { Checkpoint } from '../state/checkpoint.ts';
import { finalCheckpoint, finalCheckpoints, limitCuts, stageById } from '../state/committed.ts';
import { fromIpc } from '../../arrow/ipc.ts';
import { keys } from '../state/layout.ts';
import { readDedupInput } from '../dedup/input.ts';
import { bucketingOf, hookFor, keepBucket } from '../shuffle/shuffle.ts';

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
    const checkpoints = await finalCheckpoints(store, parent);
    for (const [i, p] of parent.partitions.entries()) {
      const ck = checkpoints[i]!;
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
  const checkpoints = await finalCheckpoints(store, parent);
  for (const [i, p] of parent.partitions.entries()) {
    for await (const b of readWhole(store, parent, p.index, checkpoints[i]!, cuts[p.index])) {
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
