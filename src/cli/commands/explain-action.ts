import { z } from 'zod';
import { keyValues, parseCliOptions, positiveInt } from '../options.ts';
import { planPipeline } from '../plan-pipeline.ts';
import { checkInputFlags, InputFlags, pipelineInputOf } from '../input-options.ts';

const ExplainOptions = z.object({
  output: z.string().default('out'),
  pattern: z.string().optional(),
  option: keyValues,
  disableRule: z.array(z.string()).default([]),
  taskBytes: positiveInt('--task-bytes').optional(),
}).extend(InputFlags.shape).superRefine(checkInputFlags);

/** The `sluice explain` command's work, loaded only when the command runs (so `--help` stays fast). */
export async function explainCommand(pipeline: string, raw: Record<string, unknown>): Promise<void> {
  const o = parseCliOptions(ExplainOptions, raw);
  const { explain } = await planPipeline({ pipeline, input: pipelineInputOf(o), output: o.output, pattern: o.pattern, options: o.option, disabledRules: o.disableRule, ...(o.taskBytes ? { taskBytes: o.taskBytes } : {}) });
  process.stdout.write(explain() + '\n');
}
