import { col, definePipeline, readJsonl } from 'sluice';

/** Keeps documents of at least 1,500 characters, with their length as a column (default Parquet sink). */
export default definePipeline((ctx) =>
  readJsonl(ctx.files('*.jsonl'))
    .filter(col('text').length().gt(1499))
    .withColumn('chars', col('text').length()));
