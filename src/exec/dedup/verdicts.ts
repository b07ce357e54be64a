import { makeVector, type RecordBatch } from 'apache-arrow';
import { setColumn } from '../../arrow/batch.ts';
import { CLUSTER_ID, CLUSTER_SIZE, IN_INDEX, KEEP_COLUMN } from '../../ops/dedup/dedup-filter.ts';

/**
 * Marks a batch of the dedup stage's input with the merge's verdicts: `root[i]` / `size[i]` belong
 * to row `i`, whose input ordinal is `first + i`. Row i is kept when it is its cluster's root and
 * not in an earlier run's index (`inIndex[i]`, then marked {@link IN_INDEX}).
 * The `dedup` step (src/ops/dedup/filter-op.ts) then drops the others with their reason.
 */
export function markBatch(batch: RecordBatch, root: Uint32Array, size: Uint32Array, first: number, clusterColumns: boolean, inIndex?: Uint8Array): RecordBatch {
  const n = batch.numRows;
  if (root.length !== n || size.length !== n) throw new Error(`dedup verdicts cover ${root.length} rows, the batch has ${n}`);
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) keep[i] = inIndex?.[i] ? IN_INDEX : root[i] === first + i ? 1 : 0;
  let out = setColumn(batch, KEEP_COLUMN, makeVector(keep), false);
  if (clusterColumns) {
    out = setColumn(out, CLUSTER_ID, makeVector(Uint32Array.from(root)), false);
    out = setColumn(out, CLUSTER_SIZE, makeVector(Uint32Array.from(size)), false);
  }
  return out;
}
