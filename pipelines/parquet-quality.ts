/**
 * A small Parquet pipeline that shows the optimizer at work:
 *
 *   npx sluice explain pipelines/parquet-quality.ts --input fixtures/parquet
 *   npx sluice run pipelines/parquet-quality.ts --input fixtures/parquet --output out/parquet-quality
 *
 * The filter on `chars` is written last but reads a column neither operator produces, so the
 * optimizer pushes it below both of them and into the scan (row groups whose statistics rule it out
 * are skipped); the scan reads only `id`, `text` and `chars`.
 */
import { col, definePipeline, readParquet, regexLineFilter, textLength } from 'sluice';

export default definePipeline((ctx) =>
  readParquet(ctx.files('**/*.parquet'))
    // Navigation-like lines ("Home | About | Contact") are rarely part of the main text.
    .apply(regexLineFilter, { pattern: '^\\s*(?:[^|]{1,30}\\|){2,}[^|]*$' })
    .apply(textLength, { output: 'bytes' })
    .filter(col('chars').gt(2000))
    .select('id', 'bytes'),
);
