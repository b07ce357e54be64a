import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeReport } from '../../report/index.ts';

/** `sluice report <output dir>`: regenerates `report.html` and prints the summary table. */
export function registerReport(program: Command): void {
  program.command('report')
    .description('regenerate report.html of a finished run and print its summary')
    .argument('<output>', 'output directory of a finished `sluice run`')
    .action(async (output: string) => {
      const { path, summary } = await writeReport(resolve(output));
      process.stdout.write(`${summary}report: ${path}\n`);
    });
}
