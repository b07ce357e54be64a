/** The state of one job, or of one element of a job array, as slurmctld reports it. */
export interface ElementState {
  /** The array's job id (`ArrayJobId`), or the job id of a job that is not an array. */
  jobId: string;
  /** The element's index (`ArrayTaskId`); null for a job that is not an array. */
  arrayIndex: number | null;
  /** `JobState`: PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT,
   *  OUT_OF_MEMORY, NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE, REQUEUED, SUSPENDED, … */
  state: string;
  /** `Reason`: why it pends or ended, e.g. `Dependency`, `DependencyNeverSatisfied`,
   *  `JobArrayTaskLimit`, `NonZeroExitCode`; `None` when there is none. */
  reason: string;
  /** Exit status of the batch script's last run (`ExitCode=<status>:<signal>`): 0 before the first
   *  run ends; a requeued element keeps its last run's status while it pends again. */
  exitCode: number;
  /** Signal that ended it, 0 if none (`scancel` shows 15). */
  signal: number;
  /** How often it was requeued (`Restarts`). */
  restarts: number;
  /** `Dependency` as Slurm shows it, e.g. `afterok:12_*(failed)`; empty when none. */
  dependency: string;
}

/**
 * Splits one `scontrol -o show job` line into its fields. A field starts at a space followed by a
 * key (a letter, then letters, digits, `_`, `:` or `/`) and `=`; values may themselves hold `=`
 * (`TRES=cpu=1,mem=512M`) since only a space starts a new field.
 */
export function parseScontrolLine(line: string): Map<string, string> {
  const fields = new Map<string, string>();
  const keyAt = /(?:^|\s)([A-Za-z][\w:/]*)=/g;
  const starts: { key: string; valueStart: number; fieldStart: number }[] = [];
  for (let m = keyAt.exec(line); m !== null; m = keyAt.exec(line)) {
    starts.push({ key: m[1]!, valueStart: m.index + m[0].length, fieldStart: m.index });
  }
  starts.forEach((s, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.fieldStart : line.length;
    if (!fields.has(s.key)) fields.set(s.key, line.slice(s.valueStart, end).trim());
  });
  return fields;
}

/**
 * Expands an `ArrayTaskId` value into indexes: `3`, `2-5`, `0-9%2` (the `%` throttle is not an
 * index), `1,4-6`, `0-10:2` (a step).
 */
export function expandArrayIndexes(spec: string): number[] {
  const out: number[] = [];
  for (const range of spec.replace(/%\d+$/, '').split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(range.trim());
    if (!m) throw new Error(`unexpected ArrayTaskId ${JSON.stringify(spec)}`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    for (let i = from; i <= to; i += step) out.push(i);
  }
  return out;
}

/**
 * Element states from the output of `scontrol -o show job` (one job record per line). A pending
 * array's not yet started elements share one record (`ArrayTaskId=2-5%2`): it becomes one state
 * per element.
 */
export function parseJobRecords(text: string): ElementState[] {
  const out: ElementState[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('JobId=')) continue;
    const f = parseScontrolLine(line);
    const [exit, signal] = (f.get('ExitCode') ?? '0:0').split(':').map(Number);
    const dependency = f.get('Dependency') ?? '';
    const base = {
      state: f.get('JobState') ?? 'UNKNOWN',
      reason: f.get('Reason') ?? 'None',
      exitCode: exit ?? 0,
      signal: signal ?? 0,
      restarts: Number(f.get('Restarts') ?? 0),
      dependency: dependency === '(null)' ? '' : dependency,
    };
    const arrayJobId = f.get('ArrayJobId');
    const indexes = f.get('ArrayTaskId');
    if (arrayJobId === undefined || indexes === undefined) {
      out.push({ jobId: f.get('JobId')!, arrayIndex: null, ...base });
      continue;
    }
    for (const arrayIndex of expandArrayIndexes(indexes)) out.push({ jobId: arrayJobId, arrayIndex, ...base });
  }
  return out;
}
