import { col, definePipeline, readJsonl } from 'sluice';

/** A pipeline with a column typo (`txet`), which must fail at plan time. */
export default definePipeline((ctx) =>
  readJsonl(ctx.files('*.jsonl'))
    .filter(col('txet').length().gt(200))
    .select('id', 'text'));
