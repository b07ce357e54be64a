import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { splitArrays, tasksPerElementFor } from './array-split.ts';
import { slurmOptionsSchema, type SlurmOptions, type SlurmOptionsInput } from './options.ts';
import { cancel, jobStates, maxArraySize, partitionCpus } from './queue.ts';
import { sbatch } from './sbatch.ts';
import { renderArrayScript } from './sbatch-script.ts';
import type { SlurmClientOptions } from './slurm-command.ts';
import { appendSubmission, readSubmissions, type SubmittedJob, type Submission } from './submissions.ts';

/** A set of tasks that may run in any order once the waves it comes after have succeeded. */
export interface Wave {
  /** Names the wave's scripts and jobs (letters, digits, `.`, `_`, `-`). */
  name: string;
  /** Task ids (letters, digits, `.`, `_`, `-`: they name log files); may be empty. */
  taskIds: readonly string[];
  /** Indexes of earlier waves whose tasks must all succeed first. */
  after: readonly number[];
  /** More job ids to wait for (`afterok`), e.g. still running jobs of an earlier submission. Each
   *  must be known to slurmctld (see `jobStates`): Slurm ignores a dependency on an unknown job.
   *  One that already failed or was cancelled cancels this wave at once (`--kill-on-invalid-dep`). */
  afterJobs?: readonly string[];
}

/** What {@link submitWaves} submits and where it writes. */
export interface SubmitWavesRequest extends SlurmClientOptions {
  waves: readonly Wave[];
  /** argv of an element's command without its task ids, e.g. `[process.execPath, '/abs/bin/sluice.js', 'task', '/abs/out']`. */
  command: readonly string[];
  /** Scripts, task lists, `logs/` (sbatch's own output) and `submissions.json` go here. */
  scriptDir: string;
  /** Per-task logs: `<logDir>/<task id>.log`. */
  logDir: string;
  slurm?: SlurmOptionsInput;
}

const NAME = /^[A-Za-z0-9._-]+$/;

function validate(waves: readonly Wave[]): void {
  const names = new Set<string>();
  const tasks = new Set<string>();
  waves.forEach((w, i) => {
    if (!NAME.test(w.name) || names.has(w.name)) throw new Error(`wave ${i}: name ${JSON.stringify(w.name)} is not a unique name of letters, digits, '.', '_' or '-'`);
    names.add(w.name);
    for (const a of w.after) {
      if (!Number.isInteger(a) || a < 0 || a >= i) throw new Error(`wave ${w.name}: 'after' may name only earlier waves (0..${i - 1}), got ${a}`);
    }
    for (const j of w.afterJobs ?? []) if (!/^\d+(_\d+)?$/.test(j)) throw new Error(`wave ${w.name}: ${JSON.stringify(j)} is not a job id`);
    for (const id of w.taskIds) {
      if (!NAME.test(id) || id === '.' || id === '..') throw new Error(`wave ${w.name}: task id ${JSON.stringify(id)} must be letters, digits, '.', '_' or '-'`);
      if (tasks.has(id)) throw new Error(`task ${id} is in two waves`);
      tasks.add(id);
    }
  });
}

/** One element per `cpusPerTask` CPUs of the partition, at most `arrayParallelism`. */
async function elementSlots(options: SlurmOptions, client: SlurmClientOptions): Promise<number> {
  let cpus: number;
  try {
    cpus = await partitionCpus(options.partition, client);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n(the default tasks per array element spreads a wave over the partition's CPUs; give --slurm-partition, or --slurm-tasks-per-element)`);
  }
  return Math.min(Math.max(1, Math.floor(cpus / (options.cpusPerTask ?? 1))), options.arrayParallelism ?? Infinity);
}

/**
 * Submits waves of tasks as Slurm job arrays and returns (and appends to
 * `<scriptDir>/submissions.json`) what was submitted. Each wave gets one array script per
 * `maxArraySize` elements (`tasksPerArrayElement` tasks per element, by default a wave's tasks
 * spread over the partition's CPUs) under
 * `<scriptDir>/submission-<n>/`, waiting with `afterok` for every array of the waves in its `after`
 * and for its `afterJobs`. An empty wave submits nothing: waves after it wait for what it waited
 * for. `afterJobs` unknown to Slurm are an error before anything is submitted. When one sbatch
 * fails, the arrays this call already submitted are cancelled and the error
 * (with sbatch's stderr) is thrown, so no half-submitted run is left queued.
 */
export async function submitWaves(req: SubmitWavesRequest): Promise<Submission> {
  validate(req.waves);
  if (req.command.length === 0) throw new Error('submitWaves: empty task command');
  const options = slurmOptionsSchema.parse(req.slurm ?? {});
  const client = { env: req.env };
  // Slurm (22.05) takes a dependency on a job it does not know as satisfied: the wave would start at once.
  const { unknown } = await jobStates(req.waves.flatMap((w) => w.afterJobs ?? []), client);
  if (unknown.length > 0) {
    throw new Error(`afterJobs ${unknown.join(', ')} not known to Slurm (never submitted, or ended more than MinJobAge ago): Slurm would ignore a dependency on them`);
  }
  const maxSize = options.maxArraySize ?? (await maxArraySize(client));
  // Elements that can run at once: asked of Slurm once, and only when a wave needs the default.
  let slots: number | undefined;
  const perElementFor = async (tasks: number): Promise<number> => {
    if (options.tasksPerArrayElement !== undefined) return options.tasksPerArrayElement;
    slots ??= await elementSlots(options, client);
    return tasksPerElementFor(tasks, slots);
  };
  const scriptDir = resolve(req.scriptDir);
  const logDir = resolve(req.logDir);
  const dir = join(scriptDir, `submission-${(await readSubmissions(scriptDir)).length}`);
  const slurmLogDir = join(scriptDir, 'logs');
  await Promise.all([dir, slurmLogDir, logDir].map((d) => mkdir(d, { recursive: true })));

  const submission: Submission = { submittedAt: new Date().toISOString(), waves: [] };
  // Job ids a dependent of each wave waits for: its own arrays, or, when empty, what it waited for.
  const waitFor: string[][] = [];
  const submitted: string[] = [];
  try {
    for (const [i, wave] of req.waves.entries()) {
      const dependsOn = [...new Set([...wave.after.flatMap((a) => waitFor[a]!), ...(wave.afterJobs ?? [])])];
      const jobs: SubmittedJob[] = [];
      if (wave.taskIds.length > 0) {
        const stem = join(dir, `${String(i).padStart(2, '0')}-${wave.name}`);
        const taskListFile = `${stem}.tasks`;
        await writeFile(taskListFile, `${wave.taskIds.join('\n')}\n`);
        const perElement = await perElementFor(wave.taskIds.length);
        const parts = splitArrays(wave.taskIds.length, perElement, maxSize);
        for (const [k, part] of parts.entries()) {
          const suffix = parts.length > 1 ? `.part${k}` : '';
          const script = `${stem}${suffix}.sh`;
          const taskIds = wave.taskIds.slice(part.firstTask, part.firstTask + part.taskCount);
          await writeFile(script, renderArrayScript({
            jobName: `${options.jobNamePrefix}-${wave.name}${suffix}`,
            description: `wave ${wave.name}${parts.length > 1 ? `, array ${k + 1} of ${parts.length}` : ''}: tasks ${taskIds[0]} .. ${taskIds.at(-1)} (lines ${part.firstTask + 1}-${part.firstTask + part.taskCount} of the task list)`,
            taskListFile,
            firstTask: part.firstTask,
            taskCount: part.taskCount,
            tasksPerElement: perElement,
            command: req.command,
            logDir,
            slurmLogDir,
            workDir: scriptDir,
            dependsOn,
            options,
          }), { mode: 0o755 });
          const jobId = await sbatch(script, options.extraArgs, client);
          submitted.push(jobId);
          jobs.push({ jobId, taskIds, tasksPerElement: perElement, script, dependsOn });
        }
      }
      waitFor.push(jobs.length > 0 ? jobs.map((j) => j.jobId) : dependsOn);
      submission.waves.push({ name: wave.name, jobs });
    }
  } catch (e) {
    await cancel(submitted, client).catch(() => undefined);
    throw e;
  }
  await appendSubmission(scriptDir, submission);
  return submission;
}
