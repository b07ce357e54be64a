import type { RecordBatch } from 'apache-arrow';
import type { PartitionSpec, PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { fromIpc } from '../../arrow/ipc.ts';
import { keys } from '../state/layout.ts';
import { dedupKeys } from './layout.ts';
import { parentLayout } from './parent.ts';
import { dedupRuntime, dedupSpecOf } from './strategy.ts';
import { markBatch } from './verdicts.ts';
import { readSubstringInput } from './substring-input.ts';
import { readInIndex } from './dedup-index.ts';

/**
 * Input of task `p` of a dedup stage: parent partition p's documents, in their order (dedup never
 * moves documents), each batch marked with the merge's verdicts. One output batch per parent batch,
 * so resuming by input-batch count lines up. Needs the merge task committed (see `exec/graph/task-graph.ts`).
 */
export async function* readDedupInput(plan: PhysicalPlan, stage: PhysicalStage, partition: PartitionSpec, store: BlobStore): AsyncGenerator<RecordBatch> {
  if (dedupSpecOf(stage).strategy === 'substrings') {
    yield* readSubstringInput(plan, stage, partition, store);
    return;
  }
  const { clusterColumns } = dedupRuntime(dedupSpecOf(stage));
  const layout = await parentLayout(plan, stage, store);
  const p = partition.index;
  const n = layout.counts[p];
  if (n === undefined) throw new Error(`dedup stage ${stage.id} has no parent partition ${p}`);
  if (!(await store.has(dedupKeys.merged(stage.id)))) throw new Error(`dedup stage ${stage.id}: the merge phase has not committed yet`);
  const bytes = await store.getBytes(dedupKeys.assign(stage.id, p));
  const words = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (words.length !== 2 * n) throw new Error(`dedup verdicts of partition ${p}: ${words.length / 2} documents, expected ${n}`);
  const root = words.subarray(0, n), size = words.subarray(n);
  const inIndex = await readInIndex(dedupSpecOf(stage), stage.id, p, store);
  let row = 0;
  for (const piece of layout.checkpoints[p]!.pieces) {
    if (row >= n) return;
    if (piece.rows === 0) continue;
    for (const b of fromIpc(await store.getBytes(keys.piece(layout.parent.id, p, piece.seq)))) {
      if (row >= n) return;
      const batch = b.numRows > n - row ? b.slice(0, n - row) : b;
      const at = layout.offsets[p]! + row;
      yield markBatch(batch, root.subarray(row, row + batch.numRows), size.subarray(row, row + batch.numRows), at, clusterColumns, inIndex?.subarray(row, row + batch.numRows));
      row += batch.numRows;
    }
  }
}
