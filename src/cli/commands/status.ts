import type { Command } from 'commander';

/** `sluice status <output> [--wait] [--timeout <s>] [--json]` */
export function registerStatus(program: Command): void {
  program.command('status')
    .description("show a run's tasks per group (committed, running, failed, pending), failed tasks with their logs, and throughput")
    .argument('<output>', 'output directory of a run started by `sluice run` (local or --executor slurm)')
    .option('--wait', 'block until the run is complete (exit 0), a task failed for good (exit 1) or --timeout passed (exit 3)')
    .option('--timeout <seconds>', 'with --wait: give up after this many seconds')
    .option('--json', 'print the status as JSON (schema in the README)')
    .option('--slurm-dir <dir>', 'the --slurm-dir the run was submitted with (default <output>/slurm)')
    .action(async (output: string, raw: Record<string, unknown>) => (await import('./status-action.ts')).statusCommand(output, raw));
}
