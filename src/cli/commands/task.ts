import type { Command } from 'commander';

/** `sluice task <output> <task-id>`: the one-task entry cluster schedulers call. */
export function registerTask(program: Command): void {
  program.command('task')
    .description('run one task of a planned run (see plan.json) and commit it; exit 0 once committed, 1 if it failed, 2 if it cannot run yet')
    .argument('<output>', 'output directory of a run planned by `sluice run` (plan.json)')
    .argument('<task-id>', 'task id from plan.json, e.g. s0.3, s1.bucket.2, s1.merge, finalize')
    .option('--log-dir <dir>', 'where the scheduler writes this task\'s log, recorded for `sluice status` (default <output>/logs)')
    .action(async (output: string, taskId: string, o: { logDir?: string }) => (await import('./task-action.ts')).taskCommand(output, taskId, o));
}
