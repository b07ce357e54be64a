import { z } from 'zod';
import { col, defineOperator, definePipeline, readJsonl } from 'sluice';

/**
 * Test operator: spins forever on a document containing `$SLUICE_TEST_STALL_ON`. The word comes from
 * the environment, not the options, so a stalled run and its resume (without the variable) have the
 * same fingerprint; a stall guarantees the run is mid-stage when a test signals it.
 */
export const stall = defineOperator({
  name: 'test.stall',
  options: z.object({}),
  declare: () => ({ reads: ['text'], writes: [], removes: [], filters: false, kind: 'narrow', costPerRow: 100 }),
  init: () => process.env.SLUICE_TEST_STALL_ON ?? '',
  apply(word, batch) {
    const text = batch.getChild('text')!;
    for (let i = 0; i < batch.numRows; i++) {
      if (word && String(text.get(i) ?? '').includes(word)) for (;;) { /* stalled until the worker is terminated */ }
    }
    return { batch };
  },
});

/** Filter, repartition into 3, then the stall operator in the second stage (default Parquet sink). */
export default definePipeline((ctx) =>
  readJsonl(ctx.files('*.jsonl'))
    .filter(col('text').length().gt(200))
    .repartition(3)
    .apply(stall)
    .select('text'));
