import type { Command } from 'commander';
import { collectOption, defaultWorkers } from '../args.ts';

/** `sluice run <pipeline.ts> --input <dir> --output <dir> ...` */
export function registerRun(program: Command): void {
  program.command('run')
    .description('run a pipeline over an input directory; rerunning into the same output resumes it')
    .argument('<pipeline>', 'pipeline script (.ts) whose default export builds a DataFrame')
    .option('--input <dir>', 'input directory')
    .option('--output <dir>', 'output directory (documents/, quarantine/, stats.json, _store/)')
    .option('--workers <n>', `worker threads (default: ${defaultWorkers()}, the core count)`)
    .option('--force-workers', 'use --workers as given even above the core count (otherwise capped to it)')
    .option('--resume', 'continue an interrupted run (fails if the output holds none)')
    .option('--overwrite', "replace a run of another pipeline or configuration in --output (deletes only sluice's outputs there)")
    .option('--pattern <glob>', 'default glob for ctx.files() in the pipeline')
    .option('--plan-only', 'plan and claim the output, write <output>/plan.json (plan and task graph) and exit; run the tasks with `sluice task`')
    .option('--option <key=value>', 'pipeline option (repeatable), available as ctx.options', collectOption)
    .option('--disable-rule <name>', 'skip an optimizer rule, e.g. reorder-filters to keep filters in the written order (repeatable)', collectOption)
    .option('--batch-size <rows>', 'rows per batch (default 8192)')
    .option('--task-bytes <bytes>', 'input bytes per scan task: big files split, small ones coalesce (default 16777216, 16 MiB)')
    .option('--doc-timeout <seconds>', 'quarantine a document an operator spends longer on (default 120)')
    .option('--retries <n>', 'retries of a task whose worker crashed or ran out of memory (default 2)')
    .option('--max-worker-memory <MB>', 'heap limit per worker thread; a worker over it is replaced and its task retried')
    .action(async (pipeline: string, raw: Record<string, unknown>) => (await import('./run-action.ts')).runCommand(pipeline, raw));
}
