import { hostname } from 'node:os';
import { getBytesIfAny, type BlobStore } from '../../storage/blob-store.ts';
import { dedupKeys } from '../dedup/layout.ts';
import { keys } from '../state/layout.ts';
import type { GraphTask } from './task-graph.ts';

/** Where and when a task last started (what `sluice status` shows as running). */
export interface TaskAttempt {
  host: string;
  pid: number;
  startedAt: string;
  /** The task's log file, when a cluster scheduler runs it. */
  log?: string;
  /** The Slurm job running it (`<job>_<index>`), if any. */
  job?: string;
}

/** Why a task last failed. */
export interface TaskFailure extends TaskAttempt {
  failedAt: string;
  error: string;
}

/** Whether the task's commit is in the store: every kind commits one blob last, and only once done. */
export function isCommitted(store: BlobStore, task: GraphTask): Promise<boolean> {
  switch (task.kind) {
    case 'stage': return store.has(keys.committed(task.stage!, task.index!));
    case 'bucket': return store.has(dedupKeys.stars(task.stage!, task.index!));
    case 'merge': return store.has(dedupKeys.merged(task.stage!));
    case 'finalize': return store.has(keys.finalized);
  }
}

/** Commit checks in flight at once: on object storage each is a round trip. */
const CHECKS_IN_FLIGHT = 16;

/** Which of `tasks` are committed, checked {@link CHECKS_IN_FLIGHT} at a time; the ids of those that are. */
export async function committedIds(store: BlobStore, tasks: readonly GraphTask[]): Promise<Set<string>> {
  const done = new Set<string>();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < tasks.length; i = next++) if (await isCommitted(store, tasks[i]!)) done.add(tasks[i]!.id);
  };
  await Promise.all(Array.from({ length: Math.min(CHECKS_IN_FLIGHT, tasks.length) }, worker));
  return done;
}

/** This process, as recorded in attempts and failures. */
export function thisAttempt(extra: { log?: string; job?: string } = {}): TaskAttempt {
  return { host: hostname(), pid: process.pid, startedAt: new Date().toISOString(), ...extra };
}

export async function recordAttempt(store: BlobStore, taskId: string, attempt: TaskAttempt): Promise<void> {
  await store.put(keys.attempt(taskId), json(attempt));
}

export async function recordFailure(store: BlobStore, taskId: string, attempt: TaskAttempt, error: string): Promise<void> {
  const failure: TaskFailure = { ...attempt, failedAt: new Date().toISOString(), error };
  await store.put(keys.failure(taskId), json(failure));
}

export function readAttempt(store: BlobStore, taskId: string): Promise<TaskAttempt | undefined> {
  return readJson<TaskAttempt>(store, keys.attempt(taskId));
}

export function readFailure(store: BlobStore, taskId: string): Promise<TaskFailure | undefined> {
  return readJson<TaskFailure>(store, keys.failure(taskId));
}

/** Whether the task's last attempt failed: a failure recorded for it (or with no attempt recorded at all). */
export function lastAttemptFailed(attempt: TaskAttempt | undefined, failure: TaskFailure | undefined): boolean {
  return failure !== undefined && (!attempt || failure.startedAt >= attempt.startedAt);
}

async function readJson<T>(store: BlobStore, key: string): Promise<T | undefined> {
  const bytes = await getBytesIfAny(store, key);
  return bytes && JSON.parse(new TextDecoder().decode(bytes)) as T;
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}
