import { runSlurmCommand, type SlurmClientOptions } from './slurm-command.ts';

/**
 * The environment to submit from: `env` without the `SLURM_*` and `SBATCH_*` variables it
 * inherited, except `SLURM_CONF`. Submitting from inside an allocation (an `salloc` shell, a job
 * that launches the next stage) otherwise hands the new job the old job's `SLURM_JOB_ID`,
 * `SLURM_ARRAY_*`, CPU and memory settings, and sbatch reads `SBATCH_*` as defaults for its own
 * flags (datatrove #248). `SLURM_CONF` is kept: it is how clients find the cluster.
 */
export function submitEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (k !== 'SLURM_CONF' && (k.startsWith('SLURM_') || k.startsWith('SBATCH_'))) continue;
    out[k] = v;
  }
  return out;
}

/**
 * Submits `script` with `sbatch --parsable [...args]` from {@link submitEnv} of `opts.env`, and
 * returns the new job's id (for an array, the array's job id). A refusal rejects with a
 * `SlurmCommandError` holding sbatch's stderr.
 */
export async function sbatch(script: string, args: readonly string[], opts: SlurmClientOptions = {}): Promise<string> {
  const out = await runSlurmCommand(['sbatch', '--parsable', ...args, script], { env: submitEnv(opts.env ?? process.env) });
  // --parsable prints "<jobid>" or "<jobid>;<cluster>".
  const jobId = out.trim().split(';')[0] ?? '';
  if (!/^\d+$/.test(jobId)) throw new Error(`sbatch ${script}: unexpected output ${JSON.stringify(out)}`);
  return jobId;
}
