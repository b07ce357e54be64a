import { parseJobRecords, type ElementState } from './scontrol-records.ts';
import { runSlurmCommand, SlurmCommandError, type SlurmClientOptions } from './slurm-command.ts';

/** What slurmctld knows of some jobs. */
export interface JobStates {
  /** One state per array element (or per plain job), ordered by job id then index. */
  elements: ElementState[];
  /** Job ids slurmctld does not know: never submitted, or ended more than `MinJobAge` ago. */
  unknown: string[];
}

/** Slurm's name for an element: `<jobId>_<index>`, or the job id of a job that is not an array. */
export const elementName = (e: Pick<ElementState, 'jobId' | 'arrayIndex'>): string =>
  e.arrayIndex === null ? e.jobId : `${e.jobId}_${e.arrayIndex}`;

const isUnknownJob = (e: unknown): boolean => e instanceof SlurmCommandError && /Invalid job id/i.test(e.stderr);

/**
 * The state of every element of `jobIds` (array job ids or plain job ids), from
 * `scontrol -o show job <id>`: it covers pending, running and ended jobs alike, as long as
 * slurmctld keeps them (`MinJobAge`); `sacct` would need accounting, which small clusters lack.
 */
export async function jobStates(jobIds: readonly string[], opts: SlurmClientOptions = {}): Promise<JobStates> {
  const elements: ElementState[] = [];
  const unknown: string[] = [];
  for (const id of new Set(jobIds)) {
    try {
      elements.push(...parseJobRecords(await runSlurmCommand(['scontrol', '-o', 'show', 'job', id], opts)));
    } catch (e) {
      if (!isUnknownJob(e)) throw e;
      unknown.push(id);
    }
  }
  elements.sort((a, b) => Number(a.jobId) - Number(b.jobId) || (a.arrayIndex ?? -1) - (b.arrayIndex ?? -1));
  return { elements, unknown };
}

/** The cluster's `MaxArraySize`: array indexes go from 0 to one less. */
export async function maxArraySize(opts: SlurmClientOptions = {}): Promise<number> {
  const config = await runSlurmCommand(['scontrol', 'show', 'config'], opts);
  const m = /^MaxArraySize\s*=\s*(\d+)\s*$/m.exec(config);
  if (!m) throw new Error('scontrol show config: no MaxArraySize line');
  return Number(m[1]);
}

/**
 * CPUs that can run jobs in `partition` (by default the cluster's default partition, which `sinfo`
 * marks with `*`; a comma-separated list sums its partitions): allocated + idle from `sinfo`'s `%C`
 * (allocated/idle/other/total), the total when every node is down or drained (they may come back).
 */
export async function partitionCpus(partition: string | undefined, opts: SlurmClientOptions = {}): Promise<number> {
  const wanted = partition === undefined ? undefined : new Set(partition.split(','));
  const out = await runSlurmCommand(['sinfo', '-h', '-o', '%P %C', ...(partition === undefined ? [] : ['-p', partition])], opts);
  let usable = 0, total = 0;
  for (const line of out.split('\n')) {
    const [name, cpus] = line.trim().split(/\s+/);
    if (name === undefined || cpus === undefined) continue;
    if (wanted === undefined ? !name.endsWith('*') : !wanted.has(name.replace(/\*$/, ''))) continue;
    const [a = 0, i = 0, , t = 0] = cpus.split('/').map(Number);
    usable += a + i;
    total += t;
  }
  if (total === 0) throw new Error(`sinfo: no CPUs found for ${partition === undefined ? 'the default partition' : `partition ${partition}`}:\n${out}`);
  return usable > 0 ? usable : total;
}

/** Cancels jobs or single elements (`<jobId>_<index>`) with `scancel`. */
export async function cancel(ids: readonly string[], opts: SlurmClientOptions = {}): Promise<void> {
  if (ids.length > 0) await runSlurmCommand(['scancel', ...ids], opts);
}

/**
 * Clears a pending job's dependency (`scontrol update JobId=<id> Dependency=`), so it may start.
 * The way out of the trap where an `afterok` dependent of an array with a failed element pends
 * with `DependencyNeverSatisfied` forever, even after the failed element was rerun successfully.
 */
export async function releaseDependency(jobId: string, opts: SlurmClientOptions = {}): Promise<void> {
  await runSlurmCommand(['scontrol', 'update', `JobId=${jobId}`, 'Dependency='], opts);
}
