import { hostname } from 'node:os';
import { readFile } from 'node:fs/promises';
import type { BlobStore } from '../../storage/blob-store.ts';
import { openRunStore } from '../state/run-store.ts';
import { readCheckpoint } from '../state/checkpoint.ts';
import { keys } from '../state/layout.ts';
import { readPlanFile, type PlanFile } from '../graph/plan-file.ts';
import { expandAfter, type GraphTask, type TaskGraph } from '../graph/task-graph.ts';
import { committedIds, lastAttemptFailed, readAttempt, readFailure } from '../graph/task-state.ts';
import type { RunManifest } from './claim-output.ts';

export type TaskState = 'committed' | 'running' | 'failed' | 'pending';

/**
 * What a cluster scheduler says about a task that is not committed. `ended` means its job is gone
 * or finished without the task committing (cancelled, out of memory, over time, node lost): the
 * task failed for good unless it is resubmitted.
 */
export interface SchedulerView {
  state: 'pending' | 'running' | 'ended';
  job: string;
  /** Slurm's state and reason, e.g. `CANCELLED`, `PENDING (DependencyNeverSatisfied)`. */
  detail: string;
}

/** `sluice status --json`: the schema is documented in the README ("Running on a Slurm cluster"). */
export interface RunStatus {
  format: 'sluice-status/1';
  output: string;
  fingerprint: string;
  /** `complete`: finalized; `failed`: a task failed for good; `running`: a task is running or queued. */
  state: 'complete' | 'failed' | 'running' | 'stopped';
  groups: { id: string; tasks: number; committed: number; running: number; failed: number; pending: number }[];
  failed: { task: string; error: string; log?: string; logTail?: string[]; job?: string; at?: string }[];
  /** Tasks that cannot run because a task they wait for failed. */
  blocked: { task: string; waitsFor: string[]; job?: string; detail?: string }[];
  documents: { in: number; seconds: number; perSecond: number };
}

/**
 * Reads a run's state from its output: committed tasks from the store, the latest attempt and
 * failure of each task, and (for Slurm runs) what the scheduler says about the others.
 */
export async function runStatus(outDir: string, scheduler?: (tasks: GraphTask[], plan: PlanFile) => Promise<Map<string, SchedulerView>>): Promise<RunStatus> {
  const file = await readPlanFile(outDir);
  const store = await openRunStore(outDir, file.settings.chunkSize);
  const graph: TaskGraph = { tasks: file.tasks, groups: file.groups };
  const committed = await committedIds(store, graph.tasks);
  const open = graph.tasks.filter((t) => !committed.has(t.id));
  const views = scheduler && open.length ? await scheduler(open, file) : new Map<string, SchedulerView>();
  // A job seen ended may have committed between the snapshot above and the scheduler's answer:
  // asked again, so a task that just finished is not reported as ended without committing.
  for (const id of await committedIds(store, open.filter((t) => views.get(t.id)?.state === 'ended'))) committed.add(id);
  const states = new Map<string, TaskState>();
  const failed: RunStatus['failed'] = [];
  const blocked: RunStatus['blocked'] = [];
  const blockedIds = new Set<string>();
  // In graph order, so what a task waits for is decided before the task.
  for (const t of graph.tasks) {
    if (committed.has(t.id)) { states.set(t.id, 'committed'); continue; }
    const view = views.get(t.id);
    const waitsFor = expandAfter(graph, t.after).filter((id) => states.get(id) === 'failed' || blockedIds.has(id));
    let state = await localState(store, t, view);
    if (state === 'pending' && waitsFor.length) {
      blockedIds.add(t.id);
      blocked.push({ task: t.id, waitsFor, ...(view ? { job: view.job, detail: view.detail } : {}) });
    } else if (state === 'pending' && view?.state === 'ended') {
      // Its job is gone and nothing it waits for failed: nothing will run it any more.
      state = 'failed';
    }
    states.set(t.id, state);
    if (state === 'failed') failed.push(await failureEntry(store, t, view));
  }
  const groups = graph.groups.map((g) => {
    const count = (s: TaskState) => g.tasks.filter((id) => states.get(id) === s).length;
    return { id: g.id, tasks: g.tasks.length, committed: count('committed'), running: count('running'), failed: count('failed'), pending: count('pending') };
  });
  const anyRunning = groups.some((g) => g.running > 0) || [...views.values()].some((v) => v.state !== 'ended');
  // From the one snapshot of commits taken above, so the counts and the state agree.
  const state = committed.size === graph.tasks.length ? 'complete' : failed.length ? 'failed' : anyRunning ? 'running' : 'stopped';
  return {
    format: 'sluice-status/1', output: outDir, fingerprint: file.fingerprint, state, groups, failed, blocked,
    documents: await throughput(store, file, state === 'complete'),
  };
}

async function localState(store: BlobStore, t: GraphTask, view: SchedulerView | undefined): Promise<TaskState> {
  // A requeued job pends again: its task is not failed for good.
  if (view?.state === 'pending') return 'pending';
  const attempt = await readAttempt(store, t.id);
  const failure = await readFailure(store, t.id);
  const failedLast = lastAttemptFailed(attempt, failure);
  if (view?.state === 'running') {
    // An element runs its tasks one after another: a task it has not reached yet is pending, and one
    // that failed is failed while the element goes on with the others.
    if (attempt?.job !== view.job) return 'pending';
    return failedLast ? 'failed' : 'running';
  }
  if (failedLast) return 'failed';
  // Started by the scheduler, and its job ended without a commit: killed, out of memory, over time.
  if (view?.state === 'ended' && attempt) return 'failed';
  if (attempt && !view && alive(attempt.host, attempt.pid)) return 'running';
  return 'pending';
}

/** A process on this host is checked; one on another host is assumed alive (its scheduler knows better). */
function alive(host: string, pid: number): boolean {
  if (host !== hostname()) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function failureEntry(store: BlobStore, t: GraphTask, view: SchedulerView | undefined): Promise<RunStatus['failed'][number]> {
  const failure = await readFailure(store, t.id);
  const attempt = await readAttempt(store, t.id);
  const log = failure?.log ?? attempt?.log;
  const error = failure?.error ?? (view ? `job ${view.job} ended without committing (${view.detail})` : 'ended without committing');
  const job = view?.job ?? failure?.job ?? attempt?.job;
  return {
    task: t.id, error,
    ...(log ? { log, logTail: await tail(log, 5) } : {}),
    ...(job ? { job } : {}),
    ...(failure ? { at: failure.failedAt } : {}),
  };
}

async function tail(path: string, lines: number): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.trim()).slice(-lines);
}

/** Documents read by the first stage's committed tasks, over the time since the run was claimed. */
async function throughput(store: BlobStore, file: PlanFile, complete: boolean): Promise<RunStatus['documents']> {
  let docs = 0;
  const first = file.stages[0];
  for (const p of first?.partitions ?? []) {
    const ck = await readCheckpoint(store, keys.committed(first!.id, p.index));
    docs += ck?.counters[0]?.documentsIn ?? 0;
  }
  const manifest = JSON.parse(new TextDecoder().decode(await store.getBytes(keys.run))) as RunManifest;
  const end = complete ? await finalizedAt(store) : Date.now();
  const seconds = Math.max(0, (end - Date.parse(manifest.createdAt)) / 1000);
  return { in: docs, seconds: Math.round(seconds * 10) / 10, perSecond: seconds > 0 ? Math.round(docs / seconds) : 0 };
}

async function finalizedAt(store: BlobStore): Promise<number> {
  const marker = JSON.parse(new TextDecoder().decode(await store.getBytes(keys.finalized))) as { at: string };
  return Date.parse(marker.at);
}
