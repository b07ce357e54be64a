import { Command, CommanderError } from 'commander';
import { diskErrorCode } from '../storage/disk-errors.ts';
import { registerExplain } from './commands/explain.ts';
import { registerExtract } from './commands/extract.ts';
import { registerInspect } from './commands/inspect.ts';
import { registerReport } from './commands/report.ts';
import { registerRun } from './commands/run.ts';
import { registerStatus } from './commands/status.ts';
import { registerTask } from './commands/task.ts';
import { registerVerify } from './commands/verify.ts';

/** Builds the `sluice` program. Each command lives in `commands/<name>.ts` and adds itself here. */
export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Turn raw web crawls into training-ready token shards.')
    .showHelpAfterError()
    .exitOverride();
  registerRun(program);
  registerTask(program);
  registerStatus(program);
  registerVerify(program);
  registerExplain(program);
  registerExtract(program);
  registerReport(program);
  registerInspect(program);
  return program;
}

/**
 * Runs the CLI on `process.argv`-style arguments. Errors print one clear line (the stack only with
 * `SLUICE_DEBUG=1`) and set a non-zero exit code instead of throwing.
 */
export async function main(argv: string[]): Promise<void> {
  // The AWS SDK warns once per thread that its 2027 releases need Node 22: with a pool that is a
  // screen of repeats on every s3:// run. The user can still turn it on by setting the variable.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed the message (or help); only the exit code is left to set.
      if (e.exitCode !== 0) process.exitCode = e.exitCode;
      return;
    }
    const err = e as Error;
    process.stderr.write(`sluice: ${err.message}\n`);
    if (diskErrorCode(err)) {
      process.stderr.write('sluice: committed work is kept; free space (or repair the disk) and rerun the same command to resume\n');
    }
    if (process.env.SLUICE_DEBUG) process.stderr.write(`${err.stack ?? ''}\n`);
    process.exitCode = 1;
  }
}
