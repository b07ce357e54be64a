import type { Command } from 'commander';
import { z } from 'zod';
import { collectOption, keyValues, parseCliOptions } from '../options.ts';
import { planPipeline } from '../plan-pipeline.ts';

const ExplainOptions = z.object({
  input: z.string({ error: 'is required' }).min(1, 'is required'),
  output: z.string().default('out'),
  pattern: z.string().optional(),
  option: keyValues,
  disableRule: z.array(z.string()).default([]),
});

/** `sluice explain <pipeline.ts> --input <dir>`: the logical, optimized and physical plans. */
export function registerExplain(program: Command): void {
  program.command('explain')
    .description('print the logical, optimized and physical plans of a pipeline')
    .argument('<pipeline>', 'pipeline script (.ts)')
    .option('--input <dir>', 'input directory')
    .option('--output <dir>', 'output directory the plan would write to', 'out')
    .option('--pattern <glob>', 'default glob for ctx.files() in the pipeline')
    .option('--option <key=value>', 'pipeline option (repeatable)', collectOption)
    .option('--disable-rule <name>', 'skip an optimizer rule, e.g. reorder-filters (repeatable)', collectOption)
    .action(async (pipeline: string, raw: Record<string, unknown>) => {
      const o = parseCliOptions(ExplainOptions, raw);
      const { explain } = await planPipeline({ pipeline, input: o.input, output: o.output, pattern: o.pattern, options: o.option, disabledRules: o.disableRule });
      process.stdout.write(explain() + '\n');
    });
}
