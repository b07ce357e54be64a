import { resolve } from 'node:path';
import type { ClaimedRun } from '../../exec/driver/run-stages.ts';
import { submitSlurmRun } from '../../exec/driver/slurm-executor.ts';
import { slurmOptionsFrom, type SlurmFlagValues } from '../slurm-options.ts';

/**
 * `sluice run --executor slurm`: submits the run's open tasks as job arrays, prints the jobs and how
 * to follow them, and returns; the jobs do the work (`sluice task`), `sluice status` follows it.
 */
export async function submitToSlurm(output: string, run: ClaimedRun, flags: SlurmFlagValues): Promise<void> {
  const r = await submitSlurmRun({
    outDir: output, run, slurm: slurmOptionsFrom(flags),
    ...(flags.slurmDir ? { scriptDir: resolve(flags.slurmDir) } : {}),
  });
  const total = run.graph.tasks.length;
  const lines = [`slurm: ${total} tasks, ${r.committed} already committed` +
    (r.running.length ? `, ${r.running.length} still running in earlier jobs (waited for)` : '') +
    (r.cancelled.length ? `; cancelled ${r.cancelled.length} waiting element(s) of earlier submissions: ${r.cancelled.join(' ')}` : '')];
  for (const w of r.submission.waves) {
    if (!w.jobs.length) continue;
    const tasks = w.jobs.reduce((n, j) => n + j.taskIds.length, 0);
    lines.push(`  ${w.name.padEnd(12)} job${w.jobs.length > 1 ? 's' : ''} ${w.jobs.map((j) => j.jobId).join(', ')}  (${tasks} task${tasks === 1 ? '' : 's'})`);
  }
  if (r.submission.waves.every((w) => !w.jobs.length)) lines.push('  nothing to submit: every task is committed or running');
  lines.push(`follow:  sluice status ${output}${flags.slurmDir ? ` --slurm-dir ${r.scriptDir}` : ''} --wait`);
  lines.push(`scripts: ${r.scriptDir}   task logs: ${r.logDir}/<task-id>.log`);
  lines.push('after a failure, fix its cause and rerun this command: only tasks not committed are submitted again');
  process.stdout.write(lines.join('\n') + '\n');
}
