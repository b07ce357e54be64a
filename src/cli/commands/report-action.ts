import { writeReport } from '../../report/index.ts';
import { locationArg } from '../options.ts';

/** The `sluice report` command's work, loaded only when the command runs (so `--help` stays fast). */
export async function reportCommand(output: string): Promise<void> {
  const { path, summary } = await writeReport(locationArg(output));
  process.stdout.write(`${summary}report: ${path}\n`);
}
