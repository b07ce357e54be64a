import type { Command } from 'commander';

/** `sluice report <output dir>`: regenerates `report.html` and prints the summary table. */
export function registerReport(program: Command): void {
  program.command('report')
    .description('regenerate report.html of a finished run and print its summary')
    .argument('<output>', 'output directory of a finished `sluice run`')
    .action(async (output: string) => (await import('./report-action.ts')).reportCommand(output));
}
