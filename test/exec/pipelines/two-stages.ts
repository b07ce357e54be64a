import { col, definePipeline, readJsonl } from 'sluice';

/**
 * A two-stage pipeline: a filter, a repartition (shuffle through the blob store), then per-row
 * work and a global limit in the second stage, written as JSONL.
 */
export default definePipeline((ctx) => ({
  frame: readJsonl(ctx.files('*.jsonl'))
    .filter(col('text').length().gt(200))
    .repartition(Number(ctx.options.partitions ?? '3'))
    .withColumn('chars', col('text').length())
    .filter(col('chars').lt(20_000))
    .select('text', 'chars')
    .limit(Number(ctx.options.limit ?? '1000')),
  sink: { format: 'jsonl', path: 'out' },
}));
