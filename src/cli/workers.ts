import { availableParallelism } from 'node:os';

/**
 * The worker count a run uses. More workers than cores only add thread start-up, memory and
 * contention (64 workers on 2 cores ran 15x slower at 3.8 GB), so a request above the core count
 * is capped with a warning unless `force` (`--force-workers`) says the user knows better.
 */
export function effectiveWorkers(requested: number | undefined, force: boolean, warn: (line: string) => void, cores = availableParallelism()): number | undefined {
  if (requested === undefined || requested <= cores) return requested;
  if (force) {
    warn(`sluice: warning: --workers ${requested} exceeds the ${cores} cores of this machine (kept because of --force-workers)`);
    return requested;
  }
  warn(`sluice: warning: --workers ${requested} exceeds the ${cores} cores of this machine; using ${cores} (pass --force-workers to keep ${requested})`);
  return cores;
}
