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
  /** Each element runs `command` with its task ids appended, e.g. `[node, /abs/bin/sluice.js, task, --log-dir, /abs/logs, /abs/out]`. */
  command: readonly string[];
  /** The command writes each task's log to `<logDir>/<task id>.log`; the script creates the directory. */
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
 * on lines `firstTask + id·tasksPerElement …` of the task list with one process, `command <task
 * id…>`, which logs each task to `<logDir>/<task id>.log` itself and runs them in order (`sluice
 * task`); its other output goes to the element's Slurm output. One process per element, not per
 * task: a Node process starting, loading its modules and models and warming up V8 cost more than
 * a small task's work (measured: 1.2 s of CPU per task for tasks of 0.1–0.3 s). The element exits 1
 * if the process does not exit 0. SIGTERM (preemption, scancel) and SIGUSR1 (sent
 * `requeueBeforeTimeLimit` seconds before the time limit) stop the process with SIGTERM; after
 * SIGUSR1 the element requeues itself so it resumes from its last commit.
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
    '# Written by sluice (src/exec/slurm). Each array element runs its tasks one after another, in one process.',
    ...sbatchDirectives(spec).map((f) => `#SBATCH ${f}`),
    'set -uo pipefail',
    '',
    `TASK_LIST=${shellQuote(spec.taskListFile)}`,
    `FIRST_TASK=${spec.firstTask}  # this array's first line in TASK_LIST, counted from 0`,
    `TASK_COUNT=${spec.taskCount}`,
    `TASKS_PER_ELEMENT=${spec.tasksPerElement}`,
    `LOG_DIR=${shellQuote(spec.logDir)}`,
    `TASK_COMMAND=(${spec.command.map(shellQuote).join(' ')})  # + the element's task ids`,
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
    `ELEMENT_OUT=${shellQuote(spec.slurmLogDir)}/"$element.out"  # this element's --output`,
    '# bash runs a trap only when its foreground command returns, so the task process runs in the',
    '# background and the script waits for it. The trap stops what the job table holds (a process',
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
    '"${TASK_COMMAND[@]}" "${TASK_IDS[@]}" &',
    'wait $!',
    'rc=$?',
    'if (( rc != 0 )); then',
    '  # A process that died in a task left that task with a header and no exit line: write one that',
    '  # points at the element\'s output, where the process\'s last words are.',
    '  for id in "${TASK_IDS[@]}"; do',
    '    log="$LOG_DIR/$id.log"',
    '    if [ -f "$log" ] && grep "^=== sluice task " "$log" | tail -n 1 | grep -q "^=== sluice task [^ ]* | [0-9]\\{4\\}-"; then',
    '      echo "=== sluice task $id | exit $rc (the task process died; its output: $ELEMENT_OUT) | $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$log"',
    '    fi',
    '  done',
    '  echo "sluice: the tasks of element $element exited with $rc (logs in $LOG_DIR)" >&2',
    '  exit 1',
    'fi',
    '',
  ].join('\n');
}
