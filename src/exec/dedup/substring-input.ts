import type { RecordBatch } from 'apache-arrow';
import { setColumn } from '../../arrow/batch.ts';
import { tokensListData } from '../../arrow/token-lists.ts';
import { CUT_COLUMN } from '../../ops/dedup/substrings-op.ts';
import { bytesToWords } from '../../ops/dedup/substrings-records.ts';
import { decodeSpans, type CutSpans } from '../../ops/dedup/substrings-spans.ts';
import type { PartitionSpec, PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { dedupKeys } from './layout.ts';
import { judgedRows, parentLayout, parentRows } from './parent.ts';

/**
 * Input of task `p` of a substring dedup stage: parent partition p's documents in their order, each
 * batch carrying its rows' cut spans as the List<Uint32> column `__substr_cut` (`[start, end)` token
 * pairs), which the stage's first step (`substring_dedup`) applies. One output batch per parent
 * batch, so resuming by input-batch count lines up.
 */
export async function* readSubstringInput(plan: PhysicalPlan, stage: PhysicalStage, partition: PartitionSpec, store: BlobStore): AsyncGenerator<RecordBatch> {
  const layout = await parentLayout(plan, stage, store);
  const p = partition.index;
  const n = await judgedRows(layout, stage, p, store);
  const key = dedupKeys.assign(stage.id, p);
  const spans = decodeSpans(bytesToWords(await store.getBytes(key), 1, `cut spans ${key}`));
  if (spans.documents !== n) throw new Error(`cut spans of partition ${p}: ${spans.documents} documents, expected ${n}`);
  for await (const { batch, row } of parentRows(layout, p, n, store)) {
    yield setColumn(batch, CUT_COLUMN, cutColumn(spans, row, batch.numRows), false);
  }
}

/** Spans of rows `from .. from + rows` as a List<Uint32> column (flattened pairs). */
function cutColumn(spans: CutSpans, from: number, rows: number) {
  const first = spans.offsets[from]!;
  const offsets = new Int32Array(rows + 1);
  for (let i = 0; i <= rows; i++) offsets[i] = 2 * (spans.offsets[from + i]! - first);
  return tokensListData(spans.pairs.slice(2 * first, 2 * spans.offsets[from + rows]!), offsets);
}
