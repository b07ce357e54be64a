import { appendFile, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { openTaskRunner, TaskNotReadyError, type TaskRunner } from '../../exec/driver/task-entry.ts';
import { UnknownTaskError } from '../../exec/graph/task-graph.ts';
import { handleStopSignals, stopExitCode, type StopHandle } from '../stop-signals.ts';
import { locationArg } from '../options.ts';

/** Exit code of a task that cannot run: unknown id, or what it waits for is not committed. */
const NOT_READY = 2;
/** Exit code of a task that failed (its failure is recorded for `sluice status`). */
const FAILED = 1;

/** Where one task's messages go: the terminal, or (for a scheduler) its own log file. */
interface TaskOutput {
  out(text: string): Promise<void>;
  err(text: string): Promise<void>;
}

const terminal: TaskOutput = {
  out: async (text) => { process.stdout.write(text); },
  err: async (text) => { process.stderr.write(text); },
};

/** Appends to `<logDir>/<id>.log` (mode of `--log-dir`): each task's log holds only its own lines. */
function logFile(path: string): TaskOutput {
  const write = (text: string) => appendFile(path, text);
  return { out: write, err: write };
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Runs tasks one after another in this process, so an array element with several tasks starts
 * Node, loads the modules and the operators' models and warms up V8 once (see `openTaskRunner`).
 * A failed task does not stop the next ones; a stop signal (Slurm preemption sends SIGTERM)
 * abandons the running task at its last commit and runs no other, so the requeued element resumes.
 * With `--log-dir` (what the Slurm scripts pass) each task's messages go to `<dir>/<id>.log` between
 * a header (time, host, Slurm element and attempt) and a footer with its exit code. Exit code: 0 when
 * every task is committed, otherwise the first failed task's (1 failed, 2 cannot run yet), or 143 /
 * 130 when a stop left tasks not run.
 */
export async function taskCommand(output: string, taskIds: readonly string[], o: { logDir?: string } = {}): Promise<void> {
  const outDir = locationArg(output);
  const stop = handleStopSignals((text) => process.stderr.write(text), { repeatExits: false });
  const logDir = o.logDir === undefined ? undefined : resolve(o.logDir);
  if (logDir !== undefined) await mkdir(logDir, { recursive: true });
  // Opened by the first task: a run that cannot be opened (plan.json and store disagree) fails
  // every task with that reason, each in its own log.
  let runner: Promise<TaskRunner> | undefined;
  const open = () => (runner ??= openTaskRunner(outDir));
  let ran = 0;
  try {
    for (const id of taskIds) {
      if (stop.received()) break;
      ran++;
      const log = logDir === undefined ? undefined : join(logDir, `${id}.log`);
      const to = log === undefined ? terminal : logFile(log);
      if (log !== undefined) await to.out(`=== sluice task ${id} | ${now()} | host ${hostname()}${slurmElement()}\n`);
      const code = await runTask(open, outDir, id, to, stop, log);
      if (log !== undefined) await to.out(`=== sluice task ${id} | exit ${code} | ${now()}\n`);
      if (code !== 0 && !process.exitCode) process.exitCode = code;
    }
    const sig = stop.received();
    // A stop between tasks, or in one that finished anyway, still leaves the others not run.
    if (sig && ran < taskIds.length && !process.exitCode) process.exitCode = stopExitCode(sig);
  } finally {
    try {
      await (await runner?.catch(() => undefined))?.close();
    } finally {
      stop.dispose();
    }
  }
}

/** Runs one task and returns its exit code; messages go to `to`, and `log` (the file they go to, if any) is recorded for `sluice status`. */
async function runTask(open: () => Promise<TaskRunner>, outDir: string, id: string, to: TaskOutput, stop: StopHandle, log: string | undefined): Promise<number> {
  const job = slurmJob();
  try {
    const r = await (await open()).run({ taskId: id, stop: stop.signal, ...(log !== undefined ? { log } : {}), ...(job ? { job } : {}) });
    if (r.alreadyCommitted) {
      await to.out(`task ${id} is already committed\n`);
      return 0;
    }
    if (r.task.kind === 'finalize') {
      try {
        // Loaded only here: the report's code is the heaviest part of the CLI, and every other task skips it.
        await (await import('../../report/index.ts')).writeReport(outDir);
      } catch (e) {
        await to.err(`sluice: report.html not written: ${(e as Error).message} (retry with \`sluice report ${outDir}\`)\n`);
      }
    }
    await to.out(`task ${id} committed\n`);
    return 0;
  } catch (e) {
    const sig = stop.received();
    if (sig) {
      await to.err(`sluice: task ${id} stopped by ${sig}; its last commit stands and rerunning it resumes from there\n`);
      return stopExitCode(sig);
    }
    await to.err(`sluice: ${(e as Error).message}\n`);
    if (process.env.SLUICE_DEBUG) await to.err(`${(e as Error).stack ?? ''}\n`);
    return e instanceof TaskNotReadyError || e instanceof UnknownTaskError ? NOT_READY : FAILED;
  }
}

/** The Slurm job element running this process (`<array job>_<index>` or the job id), if any. */
function slurmJob(): string | undefined {
  const env = process.env;
  if (env.SLURM_ARRAY_JOB_ID && env.SLURM_ARRAY_TASK_ID) return `${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}`;
  return env.SLURM_JOB_ID;
}

/** The header's Slurm part: element, job and attempt (Slurm counts requeues in SLURM_RESTART_COUNT). */
function slurmElement(): string {
  const job = slurmJob();
  if (job === undefined) return '';
  return ` | array element ${job} (job ${process.env.SLURM_JOB_ID ?? job}) | attempt ${Number(process.env.SLURM_RESTART_COUNT ?? 0) + 1}`;
}
