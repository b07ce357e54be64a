import type { Command } from 'commander';
import { collectOption } from '../args.ts';

/** `sluice explain <pipeline.ts> --input <dir>`: the logical, optimized and physical plans. */
export function registerExplain(program: Command): void {
  program.command('explain')
    .description('print the logical, optimized and physical plans of a pipeline')
    .argument('<pipeline>', 'pipeline script (.ts)')
    .option('--input <dir>', 'input directory, or s3://bucket/prefix/')
    .option('--input-list <file>', 'file (local or s3://, optionally gzipped) listing the inputs, one path or URI per line, instead of --input')
    .option('--input-prefix <uri>', 'location the relative entries of --input-list are keys under, e.g. s3://commoncrawl/')
    .option('--output <dir>', 'output directory the plan would write to', 'out')
    .option('--pattern <glob>', 'default glob for ctx.files() in the pipeline')
    .option('--option <key=value>', 'pipeline option (repeatable)', collectOption)
    .option('--disable-rule <name>', 'skip an optimizer rule, e.g. reorder-filters (repeatable)', collectOption)
    .option('--task-bytes <bytes>', 'input bytes per scan task: big files split, small ones coalesce (default 16777216, 16 MiB)')
    .action(async (pipeline: string, raw: Record<string, unknown>) => (await import('./explain-action.ts')).explainCommand(pipeline, raw));
}
