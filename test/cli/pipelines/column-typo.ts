import { definePipeline } from '../../../src/cli/pipeline-module.ts';
import { col } from '../../../src/plan/expr.ts';
import { readJsonl } from '../../../src/dataframe/read.ts';

/** A pipeline with a column typo (`txet`), which must fail at plan time. */
export default definePipeline((ctx) =>
  readJsonl(ctx.files('*.jsonl'))
    .filter(col('txet').length().gt(200))
    .select('id', 'text'));
