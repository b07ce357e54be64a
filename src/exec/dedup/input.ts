import type { RecordBatch } from 'apache-arrow';
import type { PartitionSpec, PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { dedupKeys } from './layout.ts';
import { judgedRows, parentLayout, parentRows } from './parent.ts';
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
  const n = await judgedRows(layout, stage, p, store);
  const bytes = await store.getBytes(dedupKeys.assign(stage.id, p));
  const words = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (words.length !== 2 * n) throw new Error(`dedup verdicts of partition ${p}: ${words.length / 2} documents, expected ${n}`);
  const root = words.subarray(0, n), size = words.subarray(n);
  const inIndex = await readInIndex(dedupSpecOf(stage), stage.id, p, store);
  for await (const { batch, row } of parentRows(layout, p, n, store)) {
    const end = row + batch.numRows;
    yield markBatch(batch, root.subarray(row, end), size.subarray(row, end), layout.offsets[p]! + row, clusterColumns, inIndex?.subarray(row, end));
  }
}
