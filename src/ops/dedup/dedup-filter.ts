import { z } from 'zod';
import { dropColumns } from '../../arrow/batch.ts';
import { defineOperator } from '../operator.ts';

/** Per-row verdict column the dedup stage's input carries (1 = kept); this operator consumes it. */
export const KEEP_COLUMN = '__dedup_keep';
export const CLUSTER_ID = 'cluster_id';
export const CLUSTER_SIZE = 'cluster_size';

/** Drop reasons of the dedup step, by strategy, prefixed by the step's name like every operator's. */
export const DROP_REASONS = { minhash: 'dedup:minhash_duplicate', exact: 'dedup:exact_duplicate', url: 'dedup:url_duplicate' } as const;
/** Drop reason of a document found in an earlier run's index (`againstIndexes`). */
export const INDEX_DUPLICATE = 'dedup:index_duplicate';
/** {@link KEEP_COLUMN} value of a document found in an earlier run's index. */
export const IN_INDEX = 2;

/**
 * The narrow end of a dedup: the planner puts it first in the stage after the dedup cut. The wide
 * phases (src/exec/dedup) decide which documents are kept and mark each row of the stage input with
 * {@link KEEP_COLUMN}; this step drops the others with reason `dedup:minhash_duplicate`,
 * `dedup:exact_duplicate` or `dedup:url_duplicate`, so stats account for every document at this step.
 */
export const dedupFilter = defineOperator({
  name: 'dedup',
  options: z.object({
    strategy: z.enum(['minhash', 'exact', 'url']),
    /** Whether the dedup reads earlier runs' indexes (adds the `dedup:index_duplicate` reason). */
    index: z.boolean().default(false),
  }),
  declare: (o) => ({
    reads: [KEEP_COLUMN], writes: [], removes: [KEEP_COLUMN], filters: true, kind: 'narrow', costPerRow: 1,
    dropReasons: o.index ? [DROP_REASONS[o.strategy], INDEX_DUPLICATE] : [DROP_REASONS[o.strategy]],
  }),
  init: (o) => DROP_REASONS[o.strategy],
  apply(reason, batch) {
    const keep = batch.getChild(KEEP_COLUMN);
    if (!keep) throw new Error(`dedup: the stage input has no ${KEEP_COLUMN} column; dedup stages must be run by src/exec`);
    const drop = new Array<string | null>(batch.numRows);
    for (let i = 0; i < batch.numRows; i++) {
      const k = keep.get(i) as number;
      drop[i] = k === 1 ? null : k === IN_INDEX ? INDEX_DUPLICATE : reason;
    }
    return { batch: dropColumns(batch, [KEEP_COLUMN]), drop };
  },
});
