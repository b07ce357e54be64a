import { definePipeline, readJsonl } from 'sluice';

/** A repartition straight into the default sink: its final stage has no steps at all. */
export default definePipeline((ctx) => readJsonl(ctx.files('*.jsonl')).repartition(3));
