import type { SlurmOptions } from './options.ts';
import { slurmTimeSeconds } from './slurm-time.ts';

/** Everything one job array script needs; paths absolute. */
export interface ArrayScriptSpec {
  /** `--job-name`. */
  jobName: string;
  /** A comment saying what the array runs (wave, part, task range), for people reading the script. */
  description: string;
  /** The wave's task ids, one per line. */
  taskListFile: string;
  /** Line (0-based) of `taskListFile` where this array's tasks start: the offset of a split array. */
  firstTask: number;
  /** Tasks of this array, from `firstTask` on. */
  taskCount: number;
  /** Tasks each element runs, one after another. */
  tasksPerElement: number;
  /** Each task runs `command` with the task id appended, e.g. `[node, /abs/bin/sluice.js, task, /abs/out]`. */
  command: readonly string[];
  /** Task output goes to `<logDir>/<task id>.log` (appended, one header line per attempt). */
  logDir: string;
  /** sbatch's own output: `<slurmLogDir>/%A_%a.out`. */
  slurmLogDir: string;
  /** The job's working directory (`--chdir`): on the shared filesystem, unlike, perhaps, the
   *  directory sbatch was called from. */
  workDir: string;
  /** Job ids this array waits for (`afterok`); none, no dependency. */
  dependsOn: readonly string[];
  options: SlurmOptions;
}

/** Single-quotes `s` for bash. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** An `#SBATCH` value: double-quoted when needed (sbatch's directive parser knows only double quotes). */
function directiveValue(s: string): string {
  if (/["\n]/.test(s)) throw new Error(`#SBATCH value may not hold a double quote or newline: ${JSON.stringify(s)}`);
  return /\s/.test(s) ? `"${s}"` : s;
}

/** The `#SBATCH` flags of an array script, in the order they are written. */
export function sbatchDirectives(spec: ArrayScriptSpec): string[] {
  const o = spec.options;
  const elements = Math.ceil(spec.taskCount / spec.tasksPerElement);
  const array = `0-${elements - 1}${o.arrayParallelism === undefined ? '' : `%${o.arrayParallelism}`}`;
  // '%' starts a filename pattern in --output: a literal one in the directory is written '%%'.
  const out = `${spec.slurmLogDir.replaceAll('%', '%%')}/%A_%a.out`;
  const flags = [
    `--job-name=${directiveValue(spec.jobName)}`,
    `--array=${array}`,
    `--output=${directiveValue(out)}`,
    `--chdir=${directiveValue(spec.workDir)}`,
    '--open-mode=append',
    // Preempted or self-requeued elements run again and resume from their last commit.
    '--requeue',
    // Without it, dependents of an array with a failed element pend forever (DependencyNeverSatisfied).
    '--kill-on-invalid-dep=yes',
  ];
  if (spec.dependsOn.length > 0) flags.push(`--dependency=afterok:${spec.dependsOn.join(':')}`);
  if (o.partition !== undefined) flags.push(`--partition=${directiveValue(o.partition)}`);
  if (o.time !== undefined) flags.push(`--time=${o.time}`);
  if (o.time !== undefined && slurmTimeSeconds(o.time) > o.requeueBeforeTimeLimit + 60) flags.push(`--signal=B:USR1@${o.requeueBeforeTimeLimit}`);
  if (o.cpusPerTask !== undefined) flags.push(`--cpus-per-task=${o.cpusPerTask}`);
  if (o.memPerCpu !== undefined) flags.push(`--mem-per-cpu=${o.memPerCpu}`);
  if (o.account !== undefined) flags.push(`--account=${directiveValue(o.account)}`);
  if (o.qos !== undefined) flags.push(`--qos=${directiveValue(o.qos)}`);
  return flags;
}

/**
 * Renders a readable bash script for one job array. Element `SLURM_ARRAY_TASK_ID` runs the tasks
 * on lines `firstTask + id·tasksPerElement …` of the task list, each as `command <task id>` with
 * stdout and stderr appended to `<logDir>/<task id>.log` after a header line (time, host, array
 * element, job id, attempt), and exits 1 if any task failed. SIGTERM (preemption, scancel) and
 * SIGUSR1 (sent `requeueBeforeTimeLimit` seconds before the time limit) stop the running task with
 * SIGTERM; after SIGUSR1 the element requeues itself so it resumes from its last commit.
 */
export function renderArrayScript(spec: ArrayScriptSpec): string {
  if (spec.taskCount < 1) throw new Error('renderArrayScript: an array needs at least one task');
  if (spec.command.length === 0) throw new Error('renderArrayScript: empty task command');
  const setup = spec.options.setup === undefined ? [] : [
    '# Environment setup (--slurm-setup).',
    spec.options.setup,
    'rc=$?; if (( rc != 0 )); then echo "sluice: the setup line failed with exit $rc" >&2; exit 1; fi',
    '',
  ];
  return [
    '#!/bin/bash',
    `# ${spec.description.replaceAll('\n', ' ')}`,
    '# Written by sluice (src/exec/slurm). Each array element runs its tasks one after another.',
    ...sbatchDirectives(spec).map((f) => `#SBATCH ${f}`),
    'set -uo pipefail',
    '',
    `TASK_LIST=${shellQuote(spec.taskListFile)}`,
    `FIRST_TASK=${spec.firstTask}  # this array's first line in TASK_LIST, counted from 0`,
    `TASK_COUNT=${spec.taskCount}`,
    `TASKS_PER_ELEMENT=${spec.tasksPerElement}`,
    `LOG_DIR=${shellQuote(spec.logDir)}`,
    `TASK_COMMAND=(${spec.command.map(shellQuote).join(' ')})  # + the task id`,
    '',
    ...setup,
    'first=$(( FIRST_TASK + SLURM_ARRAY_TASK_ID * TASKS_PER_ELEMENT ))',
    'end=$(( first + TASKS_PER_ELEMENT ))',
    'if (( end > FIRST_TASK + TASK_COUNT )); then end=$(( FIRST_TASK + TASK_COUNT )); fi',
    'mapfile -t TASK_IDS < <(sed -n "$(( first + 1 )),${end}p" "$TASK_LIST")',
    'if (( ${#TASK_IDS[@]} != end - first )); then',
    '  echo "sluice: expected $(( end - first )) task ids from line $(( first + 1 )) of $TASK_LIST, found ${#TASK_IDS[@]}" >&2',
    '  exit 1',
    'fi',
    '',
    'element="${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"',
    '# bash runs a trap only when its foreground command returns, so each task runs in the',
    '# background and the script waits for it. The trap stops what the job table holds (a task',
    '# forked an instant before the signal included). Node reserves SIGUSR1 (inspector): tasks get SIGTERM.',
    'stop() {',
    '  local pids',
    '  pids=$(jobs -p)',
    '  if [ -n "$pids" ]; then kill -TERM $pids 2>/dev/null; wait; fi',
    '  if [ "$1" = USR1 ]; then scontrol requeue "$element"; fi',
    '  exit 143',
    '}',
    "trap 'stop TERM' TERM",
    "trap 'stop USR1' USR1",
    '',
    'mkdir -p "$LOG_DIR"',
    'failed=0',
    'for id in "${TASK_IDS[@]}"; do',
    '  log="$LOG_DIR/$id.log"',
    '  echo "=== sluice task $id | $(date -u +%Y-%m-%dT%H:%M:%SZ) | host $(hostname) | array element $element (job $SLURM_JOB_ID) | attempt $(( ${SLURM_RESTART_COUNT:-0} + 1 ))" >> "$log"',
    '  "${TASK_COMMAND[@]}" "$id" >> "$log" 2>&1 &',
    '  wait $!',
    '  rc=$?',
    '  echo "=== sluice task $id | exit $rc | $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$log"',
    '  if (( rc != 0 )); then failed=$(( failed + 1 )); fi',
    'done',
    'if (( failed > 0 )); then echo "sluice: $failed of ${#TASK_IDS[@]} tasks failed (logs in $LOG_DIR)" >&2; exit 1; fi',
    '',
  ].join('\n');
}
