import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The environment for Slurm clients in tests, or why the Slurm tests are skipped. */
export interface SlurmTestEnv {
  env: NodeJS.ProcessEnv;
  /** Set only when `sbatch` is not installed. */
  skip?: string;
}

const START = resolve(import.meta.dirname, '../../.ci/slurm/start.sh');

const onPath = (bin: string): boolean => (process.env.PATH ?? '').split(delimiter).some((dir) => {
  try {
    accessSync(join(dir, bin), constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

let cached: SlurmTestEnv | undefined;

/**
 * Finds the test cluster: `SLURM_CONF` when set (`.ci/run` evals `.ci/slurm/start.sh`), else runs
 * `.ci/slurm/start.sh` itself, which starts the cluster once (under a lock) and otherwise only
 * prints its `SLURM_CONF`. Tests skip only when `sbatch` is absent; a cluster that fails to
 * start is an error, not a skip.
 */
export function slurmEnv(): SlurmTestEnv {
  if (cached) return cached;
  if (!onPath('sbatch')) {
    cached = { env: process.env, skip: 'sbatch not found: run .ci/slurm/start.sh (it installs slurm-wlm and munge)' };
    process.stderr.write(`Slurm tests skipped: ${cached.skip}\n`);
  } else if (process.env.SLURM_CONF && existsSync(process.env.SLURM_CONF)) {
    cached = { env: process.env };
  } else {
    const exports = execFileSync('bash', [START], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const env = { ...process.env };
    for (const m of exports.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
    if (!env.SLURM_CONF) throw new Error(`${START} printed no SLURM_CONF:\n${exports}`);
    cached = { env };
  }
  return cached;
}
