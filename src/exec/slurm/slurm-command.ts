import { execFile } from 'node:child_process';

/** A Slurm client command (`sbatch`, `scontrol`, `scancel`) that failed; `stderr` is its own words. */
export class SlurmCommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${argv.join(' ')} failed (exit ${exitCode ?? 'signal'}): ${stderr.trim() || '(no output)'}`);
    this.name = 'SlurmCommandError';
  }
}

/** Where and how Slurm client commands run. */
export interface SlurmClientOptions {
  /** Environment of the client commands; default `process.env`. It must hold `SLURM_CONF` when the
   *  cluster's configuration is not at the compiled-in path. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs one Slurm client command and returns its stdout. A missing binary or a non-zero exit
 * rejects with {@link SlurmCommandError} carrying the command's stderr, because Slurm's messages
 * ("Invalid job id specified", "Batch job submission failed: ...") are the useful part.
 */
export function runSlurmCommand(argv: readonly string[], opts: SlurmClientOptions = {}): Promise<string> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('runSlurmCommand: empty argv');
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const code = typeof err.code === 'number' ? err.code : null;
      const why = err.code === 'ENOENT' ? `${file} not found on PATH` : stderr;
      reject(new SlurmCommandError(argv, code, why));
    });
  });
}
