import type { Command } from 'commander';
import { collectOption } from '../args.ts';

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
    .option('--task-bytes <bytes>', 'input bytes per scan task: big files split, small ones coalesce (default 16777216, 16 MiB)')
    .action(async (pipeline: string, raw: Record<string, unknown>) => (await import('./explain-action.ts')).explainCommand(pipeline, raw));
}
