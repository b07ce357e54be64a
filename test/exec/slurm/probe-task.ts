import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A task command for the Slurm tests: `sh probe-task.sh <dir> <task id>` appends `start` and `end`
 * events to `<dir>/events` (one `>>` append each, so the file's line order is the order in which
 * tasks started and ended), fails with exit 3 for ids listed in `<dir>/fail`, and for ids in
 * `<dir>/sleep` (or, on the first attempt only, in `<dir>/sleep-once`) waits until SIGTERM (the file
 * `<dir>/trapped-<id>` says it is ready for it), and for
 * ids in `<dir>/wait-go` waits (up to 2 min) until the file `<dir>/go` exists.
 */
const PROBE = `#!/bin/sh
dir=$1
id=$2
echo "start $id job=$SLURM_JOB_ID element=\${SLURM_ARRAY_JOB_ID:-}_\${SLURM_ARRAY_TASK_ID:-} restart=\${SLURM_RESTART_COUNT:-0}" >> "$dir/events"
echo "task $id says hello"
listed() { grep -qx "$id" "$dir/$1" 2>/dev/null; }
if listed sleep || { listed sleep-once && [ "\${SLURM_RESTART_COUNT:-0}" = 0 ]; }; then
  sleep 120 &
  pid=$!
  trap 'kill $pid; echo "term $id" >> "$dir/events"; exit 143' TERM
  : > "$dir/trapped-$id"
  wait $pid
fi
if listed wait-go; then
  n=0
  while [ ! -e "$dir/go" ] && [ $n -lt 1200 ]; do sleep 0.1; n=$((n + 1)); done
fi
if listed fail; then echo "end $id failed" >> "$dir/events"; echo "task $id fails on purpose" >&2; exit 3; fi
echo "end $id" >> "$dir/events"
`;

/** One line of `<dir>/events`. */
export interface ProbeEvent {
  kind: 'start' | 'end' | 'term';
  id: string;
  /** The rest of the line (`job=… element=… restart=…` for starts, `failed` for failed ends). */
  rest: string;
}

/** Writes the probe script into `dir` and returns the task command (without the task id). */
export function probeCommand(dir: string, lists: { fail?: string[]; sleep?: string[]; sleepOnce?: string[]; waitGo?: string[] } = {}): string[] {
  const script = join(dir, 'probe-task.sh');
  writeFileSync(script, PROBE);
  for (const [file, ids] of [['fail', lists.fail], ['sleep', lists.sleep], ['sleep-once', lists.sleepOnce], ['wait-go', lists.waitGo]] as const) {
    if (ids) writeFileSync(join(dir, file), `${ids.join('\n')}\n`);
  }
  return ['/bin/sh', script, dir];
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
