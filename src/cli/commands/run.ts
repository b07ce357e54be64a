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
    .option('--executor <name>', 'local (a thread pool in this process, the default) or slurm (submit job arrays running `sluice task`, then return)', 'local')
    .option('--slurm-partition <name>', 'slurm: partition (default: the cluster default)')
    .option('--slurm-time <time>', 'slurm: time limit per array element, e.g. 4:00:00; tasks requeue shortly before it and resume')
    .option('--slurm-cpus-per-task <n>', 'slurm: CPUs per array element')
    .option('--slurm-mem-per-cpu <size>', 'slurm: memory per CPU, e.g. 2G')
    .option('--slurm-account <name>', 'slurm: account (sent only when given)')
    .option('--slurm-qos <name>', 'slurm: QOS (sent only when given)')
    .option('--slurm-tasks-per-element <n>', 'slurm: tasks run one after another by each array element (default 1)')
    .option('--slurm-array-parallelism <n>', 'slurm: at most n elements of an array at once (%n)')
    .option('--slurm-max-array-size <n>', "slurm: split larger arrays (default: the cluster's MaxArraySize)")
    .option('--slurm-sbatch-arg <arg>', 'slurm: extra sbatch argument, passed verbatim (repeatable)', collectOption)
    .option('--slurm-setup <line>', 'slurm: shell line run before the tasks, e.g. "module load nodejs"')
    .option('--slurm-job-name <prefix>', 'slurm: job name prefix (default sluice)')
    .option('--slurm-dir <dir>', 'slurm: where scripts and submissions.json go (default <output>/slurm)')
    .action(async (pipeline: string, raw: Record<string, unknown>) => (await import('./run-action.ts')).runCommand(pipeline, raw));
}
