import { join, resolve } from 'node:path';
import { runOneTask, TaskNotReadyError } from '../../exec/driver/task-entry.ts';
import { UnknownTaskError } from '../../exec/graph/task-graph.ts';
import { files } from '../../exec/state/layout.ts';
import { handleStopSignals, stopExitCode } from '../stop-signals.ts';
import { locationArg } from '../options.ts';

/** Exit code of a task that cannot run: unknown id, or what it waits for is not committed. */
const NOT_READY = 2;

/**
 * Runs one task; a stop signal (Slurm preemption sends SIGTERM) abandons it at its last commit, so
 * the requeued job resumes it. The finalize task also writes the report.
 */
export async function taskCommand(output: string, taskId: string, o: { logDir?: string } = {}): Promise<void> {
  const outDir = locationArg(output);
  const stop = handleStopSignals((text) => process.stderr.write(text));
  const job = slurmJob();
  try {
    const r = await runOneTask({
      outDir, taskId, stop: stop.signal,
      ...(job ? { job, log: join(o.logDir ? resolve(o.logDir) : files.logs(outDir), `${taskId}.log`) } : {}),
    });
    if (r.alreadyCommitted) {
      process.stdout.write(`task ${taskId} is already committed\n`);
      return;
    }
    if (r.task.kind === 'finalize') {
      try {
        // Loaded only here: the report's code is the heaviest part of the CLI, and every other task skips it.
        await (await import('../../report/index.ts')).writeReport(outDir);
      } catch (e) {
        process.stderr.write(`sluice: report.html not written: ${(e as Error).message} (retry with \`sluice report ${outDir}\`)\n`);
      }
    }
    process.stdout.write(`task ${taskId} committed\n`);
  } catch (e) {
    const sig = stop.received();
    if (sig) {
      process.stderr.write(`sluice: task ${taskId} stopped by ${sig}; its last commit stands and rerunning it resumes from there\n`);
      process.exitCode = stopExitCode(sig);
      return;
    }
    if (e instanceof TaskNotReadyError || e instanceof UnknownTaskError) {
      process.stderr.write(`sluice: ${(e as Error).message}\n`);
      process.exitCode = NOT_READY;
      return;
    }
    throw e;
  } finally {
    stop.dispose();
  }
}

/** The Slurm job element running this process (`<array job>_<index>` or the job id), if any. */
function slurmJob(): string | undefined {
  const env = process.env;
  if (env.SLURM_ARRAY_JOB_ID && env.SLURM_ARRAY_TASK_ID) return `${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}`;
  return env.SLURM_JOB_ID;
}
