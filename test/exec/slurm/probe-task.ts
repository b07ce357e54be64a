import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A task command for the Slurm tests, standing in for `sluice task --log-dir <logs>`: `sh
 * probe-task.sh <dir> <logs> <task id…>` runs the ids in order, each between the header and exit
 * lines `sluice task` writes to `<logs>/<id>.log`, and exits with the first failed one's code. Per
 * id it appends `start` and `end` events to `<dir>/events` (one `>>` append each, so the file's
 * line order is the order in which tasks started and ended), fails with exit 3 for ids listed in
 * `<dir>/fail`, kills its own process (SIGKILL) at ids in `<dir>/die`, and for ids in `<dir>/sleep` (or, on the first attempt only, in `<dir>/sleep-once`)
 * waits until SIGTERM (the file `<dir>/trapped-<id>` says it is ready for it), and for ids in
 * `<dir>/wait-go` waits (up to 2 min) until the file `<dir>/go` exists.
 */
const PROBE = `#!/bin/sh
dir=$1
logs=$2
shift 2
echo "$*" >> "$dir/invocations"
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
listed() { grep -qx "$id" "$dir/$1" 2>/dev/null; }
run_one() {
  echo "start $id job=$SLURM_JOB_ID element=\${SLURM_ARRAY_JOB_ID:-}_\${SLURM_ARRAY_TASK_ID:-} restart=\${SLURM_RESTART_COUNT:-0}" >> "$dir/events"
  echo "task $id says hello"
  if listed sleep || { listed sleep-once && [ "\${SLURM_RESTART_COUNT:-0}" = 0 ]; }; then
    sleep 120 &
    pid=$!
    trap 'kill $pid; echo "term $id" >> "$dir/events"; exit 143' TERM
    : > "$dir/trapped-$id"
    wait $pid
  fi
  if listed die; then kill -9 $$; fi
  if listed wait-go; then
    n=0
    while [ ! -e "$dir/go" ] && [ $n -lt 1200 ]; do sleep 0.1; n=$((n + 1)); done
  fi
  if listed fail; then echo "end $id failed" >> "$dir/events"; echo "task $id fails on purpose" >&2; return 3; fi
  echo "end $id" >> "$dir/events"
}
first=0
for id in "$@"; do
  log="$logs/$id.log"
  echo "=== sluice task $id | $(now) | host $(hostname) | array element \${SLURM_ARRAY_JOB_ID:-}_\${SLURM_ARRAY_TASK_ID:-} (job $SLURM_JOB_ID) | attempt $(( \${SLURM_RESTART_COUNT:-0} + 1 ))" >> "$log"
  run_one >> "$log" 2>&1
  rc=$?
  echo "=== sluice task $id | exit $rc | $(now)" >> "$log"
  if [ $rc -ne 0 ] && [ $first -eq 0 ]; then first=$rc; fi
done
exit $first
`;

/** One line of `<dir>/events`. */
export interface ProbeEvent {
  kind: 'start' | 'end' | 'term';
  id: string;
  /** The rest of the line (`job=… element=… restart=…` for starts, `failed` for failed ends). */
  rest: string;
}

/** Writes the probe script into `dir` and returns the task command (without the task ids) logging to `logDir`. */
export function probeCommand(dir: string, logDir: string, lists: { fail?: string[]; die?: string[]; sleep?: string[]; sleepOnce?: string[]; waitGo?: string[] } = {}): string[] {
  const script = join(dir, 'probe-task.sh');
  writeFileSync(script, PROBE);
  for (const [file, ids] of [['fail', lists.fail], ['die', lists.die], ['sleep', lists.sleep], ['sleep-once', lists.sleepOnce], ['wait-go', lists.waitGo]] as const) {
    if (ids) writeFileSync(join(dir, file), `${ids.join('\n')}\n`);
  }
  return ['/bin/sh', script, dir, logDir];
}

/** The events written so far, in file order. */
export function probeEvents(dir: string): ProbeEvent[] {
  const file = join(dir, 'events');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => {
    const [kind, id, ...rest] = line.split(' ');
    return { kind: kind as ProbeEvent['kind'], id: id!, rest: rest.join(' ') };
  });
}

/** The task ids of each probe process, in the order the processes started. */
export function probeInvocations(dir: string): string[][] {
  const file = join(dir, 'invocations');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => line.split(' '));
}
