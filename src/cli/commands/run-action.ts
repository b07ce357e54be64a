import { z } from 'zod';
import { files } from '../../exec/state/layout.ts';
import { statAt } from '../../io/location/file-uri.ts';
import { defaultProgress } from '../../exec/driver/progress.ts';
import { reportFile, writeReport } from '../../report/index.ts';
import { RunInterruptedError } from '../../exec/driver/interrupted.ts';
import { claimRun, runStages, type StageRunOptions } from '../../exec/driver/run-stages.ts';
import type { ClaimOptions } from '../../exec/driver/claim-output.ts';
import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import { lockOutput } from '../../exec/driver/driver-lock.ts';
import { keyValues, locationArg, parseCliOptions, positiveInt } from '../options.ts';
import { planPipeline } from '../plan-pipeline.ts';
import { checkInputFlags, InputFlags, pipelineInputOf } from '../input-options.ts';
import { anySlurmFlag, SlurmFlags, slurmOptionsFrom } from '../slurm-options.ts';
import { slurmOptionsSchema } from '../../exec/slurm/options.ts';
import { effectiveWorkers } from '../workers.ts';
import { handleStopSignals, stopExitCode, stoppedCompleteMessage, stoppedMessage, type StopHandle } from '../stop-signals.ts';

const RunOptions = z.object({
  output: z.string({ error: 'is required' }).min(1, 'is required'),
  workers: positiveInt('--workers').optional(),
  forceWorkers: z.boolean().default(false),
  resume: z.boolean().default(false),
  overwrite: z.boolean().default(false),
  pattern: z.string().optional(),
  planOnly: z.boolean().default(false),
  option: keyValues,
  disableRule: z.array(z.string()).default([]),
  batchSize: positiveInt('--batch-size').optional(),
  taskBytes: positiveInt('--task-bytes').optional(),
  docTimeout: z.string().regex(/^\d+(\.\d+)?$/, 'must be a number of seconds').transform(Number).optional(),
  retries: z.string().regex(/^\d+$/, 'must be a non-negative integer').transform(Number).optional(),
  maxWorkerMemory: positiveInt('--max-worker-memory').optional(),
  executor: z.enum(['local', 'slurm'], { error: 'must be local or slurm' }).default('local'),
}).extend(InputFlags.shape).extend(SlurmFlags.shape).superRefine(checkInputFlags).refine((o) => o.executor === 'slurm' || !anySlurmFlag(o), {
  message: '--slurm-* options need --executor slurm', path: ['executor'],
});

/** The `sluice run` command's work, loaded only when the command runs (so `--help` stays fast). */
export async function runCommand(pipeline: string, raw: Record<string, unknown>): Promise<void> {
  const o = parseCliOptions(RunOptions, raw);
  const output = locationArg(o.output);
  const claim = {
    outDir: output, resume: o.resume, overwrite: o.overwrite,
    onOverwrite: (paths: string[]) => process.stderr.write(`sluice: --overwrite: deleting the earlier run in ${output}:\n${paths.map((p) => `  ${p}\n`).join('')}`),
  };
  const { physical } = await planPipeline({ pipeline, input: pipelineInputOf(o), output, pattern: o.pattern, options: o.option, disabledRules: o.disableRule, ...(o.taskBytes ? { taskBytes: o.taskBytes } : {}) });
  const settings = {
    ...(o.batchSize ? { batchSize: o.batchSize } : {}),
    ...(o.docTimeout !== undefined ? { docTimeoutMs: o.docTimeout * 1000 } : {}),
    ...(o.retries !== undefined ? { retries: o.retries } : {}),
    ...(o.maxWorkerMemory ? { maxOldGenerationSizeMb: o.maxWorkerMemory } : {}),
  };
  // Bad Slurm options are a pipeline error: said now, before the output is claimed.
  if (o.executor === 'slurm') {
    parseCliSlurm(o);
    (await import('../../exec/driver/slurm-executor.ts')).slurmDirOf(output, o.slurmDir);
  }
  const lock = await lockOutput(output, (line) => process.stderr.write(line + '\n'));
  try {
    await drive(o, physical, output, claim, settings);
  } finally {
    await lock.release();
  }
}

async function drive(o: z.output<typeof RunOptions>, physical: PhysicalPlan, output: string, claim: ClaimOptions, settings: Pick<StageRunOptions, 'batchSize' | 'docTimeoutMs' | 'retries' | 'maxOldGenerationSizeMb'>): Promise<void> {
  if (o.planOnly) {
    const { fingerprint, graph } = await claimRun(physical, { ...claim, ...settings });
    for (const g of graph.groups) process.stdout.write(`${g.id}: ${g.tasks.length} task${g.tasks.length === 1 ? '' : 's'}\n`);
    process.stdout.write(`plan ${fingerprint} written to ${files.plan(output)}; run each task with \`sluice task ${output} <task-id>\`\n`);
    return;
  }
  if (o.executor === 'slurm') {
    const run = await claimRun(physical, { ...claim, ...settings });
    await (await import('./run-slurm.ts')).submitToSlurm(output, run, o);
    return;
  }
  const workers = effectiveWorkers(o.workers, o.forceWorkers, (line) => process.stderr.write(line + '\n'));
  const progress = defaultProgress();
  const stop = handleStopSignals((text) => process.stderr.write(text));
  try {
    const result = await runStages(physical, {
      ...claim,
      ...settings,
      ...(workers ? { workers } : {}),
      progress,
      stop: stop.signal,
    }).catch((e: unknown) => {
      const sig = stop.received();
      if (!(e instanceof RunInterruptedError) || !sig) throw e;
      process.stderr.write(stoppedMessage(sig, e.stages, process.argv.slice(2)));
      process.exitCode = stopExitCode(sig);
      return undefined;
    });
    if (!result) return;
    if (result.alreadyComplete) {
      process.stdout.write(`already complete: ${output} holds a finished run of this pipeline; outputs, ${files.stats(output)} ` +
        `and ${reportFile(output)} are left as they are (use a new --output to run again)\n`);
      // A run killed after committing but before its report was written: the report is all it lacks.
      if ((await statAt(reportFile(output))) === undefined) await report(output);
      return;
    }
    const t = result.stats.totals;
    const dropped = Object.values(t.dropped).reduce((a, b) => a + b, 0);
    process.stdout.write(`done: ${t.documentsIn} documents in, ${t.documentsOut} out, ${dropped} dropped, ` +
      `${t.quarantined} quarantined; stats in ${files.stats(output)}\n`);
    // The driver checks for a stop before each task; one that arrives later (during shard assembly
    // or finalize) finds every task committed. Stopping still means stopping: the report waits.
    if (stoppedWhenComplete(stop, false)) return;
    await report(output);
    // A signal that came with the report's last write reaches its handler only on a later turn of
    // the event loop; `dispose()` below would drop it and the run would exit 0.
    await new Promise<void>((resolve) => setImmediate(resolve));
    stoppedWhenComplete(stop, true);
  } finally {
    stop.dispose();
  }
}

/** After a complete run: if a stop signal arrived, says so (with the resume command) and sets its exit code. */
function stoppedWhenComplete(stop: StopHandle, reportWritten: boolean): boolean {
  const sig = stop.received();
  if (!sig) return false;
  process.stderr.write(stoppedCompleteMessage(sig, reportWritten, process.argv.slice(2)));
  process.exitCode = stopExitCode(sig);
  return true;
}

/** Writes the run report; the outputs are complete, so a report that cannot be built is a warning, not a failed run. */
async function report(output: string): Promise<void> {
  try {
    const written = await writeReport(output);
    process.stdout.write(`\n${written.summary}report: ${written.path}\n`);
  } catch (e) {
    process.stderr.write(`sluice: report.html not written: ${(e as Error).message} (retry with \`sluice report ${output}\`)\n`);
  }
}

function parseCliSlurm(o: z.output<typeof RunOptions>): void {
  const r = slurmOptionsSchema.safeParse(slurmOptionsFrom(o));
  if (!r.success) {
    const flag = (field: string) => `--slurm-${SLURM_FLAG_NAMES[field] ?? field.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;
    throw new Error(`invalid Slurm options:\n${r.error.issues.map((i) => `  ${flag(String(i.path[0] ?? ''))}: ${i.message}`).join('\n')}`);
  }
}

/** Fields of the Slurm options whose flag is not their kebab-cased name. */
const SLURM_FLAG_NAMES: Record<string, string> = { tasksPerArrayElement: 'tasks-per-element', jobNamePrefix: 'job-name', extraArgs: 'sbatch-arg' };
