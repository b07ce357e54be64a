import type { Command } from 'commander';

/** `sluice task <output> <task-id...>`: the entry cluster schedulers call, once per array element. */
export function registerTask(program: Command): void {
  program.command('task')
    .description('run tasks of a planned run (see plan.json) one after another in this process and commit each; exit 0 once all are committed, 1 if one failed, 2 if one cannot run yet, 143 if SIGTERM stopped it (no task runs after a stop)')
    .argument('<output>', 'output directory of a run planned by `sluice run` (plan.json)')
    .argument('<task-id...>', 'task ids from plan.json, e.g. s0.3, s1.bucket.2, s1.merge, finalize')
    .option('--log-dir <dir>', 'write each task\'s messages to <dir>/<task-id>.log between a header and an exit line, and record that log for `sluice status`')
    .action(async (output: string, taskIds: string[], o: { logDir?: string }) => (await import('./task-action.ts')).taskCommand(output, taskIds, o));
}
