import { joinUri } from '../../storage/uri.ts';

/**
 * Names of everything a run persists. Blob keys live in the run's store (`<out>/_store`); files
 * under `<out>` are the user-facing outputs. Names derive from stage ids and partition indexes only,
 * never from workers or completion order, which is what makes outputs independent of scheduling.
 */
export const keys = {
  /** The run's fingerprint and plan, written before any task runs. */
  run: 'run/manifest',
  task(stage: string, partition: number): string {
    return `stages/${stage}/tasks/${pad(partition)}`;
  },
  /** The task's latest progress: where a resumed task continues. Only a hint: concurrent copies of
   *  one task may each overwrite it, and any of their checkpoints lists pieces that exist. */
  checkpoint(stage: string, partition: number): string {
    return `${keys.task(stage, partition)}/checkpoint`;
  },
  /** The task's final checkpoint, written once its outputs are complete and never replaced by a
   *  partial one: a task is committed iff this exists (so a slow duplicate copy cannot un-commit it). */
  committed(stage: string, partition: number): string {
    return `${keys.task(stage, partition)}/committed`;
  },
  /** The finalize task's commit: written after sinks, `stats.json` and the report. */
  finalized: 'run/finalized',
  /** Latest start of a task of the task graph (`{host, pid, startedAt, attempt}`), for `sluice status`. */
  attempt(taskId: string): string {
    return `graph/${taskId}/attempt`;
  },
  /** Why a task of the task graph last failed, for `sluice status`. */
  failure(taskId: string): string {
    return `graph/${taskId}/failure`;
  },
  /** One committed piece of task output (Arrow IPC stream), numbered in output order. */
  piece(stage: string, partition: number, seq: number, bucket?: number): string {
    const b = bucket === undefined ? '' : `b${pad(bucket)}-`;
    return `${keys.task(stage, partition)}/out/${b}${pad(seq)}.arrow`;
  },
  /** Quarantined documents committed with a piece (JSON lines). */
  quarantine(stage: string, partition: number, seq: number): string {
    return `${keys.task(stage, partition)}/quarantine/${pad(seq)}.jsonl`;
  },
} as const;

/** The blob store's folder directly under a run's output folder. */
export const STORE_DIR = '_store';

/**
 * Files of a run's output folder. `out` is a URI (a local directory or an `s3://` prefix), so
 * these are URIs too, read and written through `io/location`.
 */
export const files = {
  store: (out: string) => joinUri(out, STORE_DIR),
  stats: (out: string) => joinUri(out, 'stats.json'),
  plan: (out: string) => joinUri(out, 'plan.json'),
  documents: (out: string) => joinUri(out, 'documents'),
  quarantine: (out: string) => joinUri(out, 'quarantine'),
  dropped: (out: string) => joinUri(out, 'dropped'),
  /** Per-task logs of tasks run by a cluster scheduler (`sluice task` output); local paths only. */
  logs: (out: string) => joinUri(out, 'logs'),
  /** Scripts and submission records of the Slurm executor; local paths only. */
  slurm: (out: string) => joinUri(out, 'slurm'),
} as const;

export function pad(n: number): string {
  return String(n).padStart(5, '0');
}
