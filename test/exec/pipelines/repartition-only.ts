import { definePipeline } from '../../../src/cli/pipeline-module.ts';
import { readJsonl } from '../../../src/dataframe/read.ts';

/** A repartition straight into the default sink: its final stage has no steps at all. */
export default definePipeline((ctx) => readJsonl(ctx.files('*.jsonl')).repartition(3));
