import { resolve } from 'node:path';
import { writeReport } from '../../report/index.ts';

/** The `sluice report` command's work, loaded only when the command runs (so `--help` stays fast). */
export async function reportCommand(output: string): Promise<void> {
  const { path, summary } = await writeReport(resolve(output));
  process.stdout.write(`${summary}report: ${path}\n`);
}
