import { rm } from 'node:fs/promises';
import { readCommitLog, type CommitEvent, type Phase } from './commit-log.ts';
import { compareToReference, type Reference } from './reference.ts';
import { describeExit, runArgs, runSluice } from './sluice-process.ts';

/** One interrupted run and what was checked of it. */
export interface InterruptionRecord {
  kind: 'thread' | 'SIGTERM' | 'SIGINT';
  n: number;
  phase: Phase;
  path: string;
  problems: string[];
  ms: number;
}

/** Phases whose commits happen on a worker thread (the merge, finalize and attempt records are the driver's). */
const WORKER_PHASES: ReadonlySet<Phase> = new Set(['task', 'dedup-bucket', 'sink-part']);

const ATTEMPT = /^_store\/manifests\/graph\/([^/]+)\/attempt\.json$/;

/** The blob each commit belongs to: itself, or for a chunk the next manifest or file. */
function owners(events: readonly CommitEvent[]): string[] {
  const out = new Array<string>(events.length);
  let next = '';
  for (let i = events.length - 1; i >= 0; i--) {
    if (!events[i]!.rel.startsWith('_store/chunks/')) next = events[i]!.rel;
    out[i] = next;
  }
  return out;
}

/** Reference commit indexes a worker thread makes (in `phase` only, when given), drawn with `rand`. */
export function workerCommitPoints(ref: Reference, count: number, rand: () => number, phase?: Phase): number[] {
  const own = owners(ref.events);
  const candidates = ref.phases.map((_, i) => i)
    .filter((i) => WORKER_PHASES.has(ref.phases[i]!) && (!phase || ref.phases[i] === phase) && !ATTEMPT.test(own[i]!));
  return draw(candidates, count, rand);
}

/** Reference commit indexes outside the plan phase, drawn with `rand`. */
export function anyCommitPoints(ref: Reference, count: number, rand: () => number): number[] {
  return draw(ref.phases.map((_, i) => i).filter((i) => ref.phases[i] !== 'plan'), count, rand);
}

function draw(candidates: number[], count: number, rand: () => number): number[] {
  const out: number[] = [];
  for (let k = 0; k < count && candidates.length; k++) out.push(candidates.splice(Math.floor(rand() * candidates.length), 1)[0]!);
  return out.sort((a, b) => a - b);
}

/**
 * A worker thread dies (exits, as when over `--max-worker-memory`) at reference commit `index` of a
 * fresh run: the driver must retry the task from its last commit and finish with the reference's
 * output.
 */
export async function threadDeath(ref: Reference, index: number, logFile: string): Promise<InterruptionRecord> {
  await rm(ref.out, { recursive: true, force: true });
  await rm(logFile, { force: true });
  const n = index + 1;
  const r = await runSluice(runArgs(ref.case, ref.out), { SLUICE_CHAOS_LOG: logFile, SLUICE_CHAOS_KILL_AT: `${n}:thread` });
  const rec: InterruptionRecord = { kind: 'thread', n, phase: ref.phases[index]!, path: ref.events[index]!.rel, problems: [], ms: r.ms };
  if (r.code !== 0) {
    rec.problems.push(`run with a worker dying at commit ${n} failed: ${describeExit(r)}`);
    return rec;
  }
  const exits = (await readCommitLog(logFile, ref.out)).filter((e) => e.mark === 'thread-exit');
  if (exits.length !== 1) rec.problems.push(`expected one worker thread to exit at commit ${n}, the log shows ${exits.length}`);
  rec.problems.push(...await compareToReference(ref));
  return rec;
}

/**
 * The process receives `signal` at reference commit `index` of a fresh run (it signals itself
 * from the committing thread): it must stop taking tasks (no task started after the signal
 * commits), exit 128 + the signal number saying how to resume, and the resume must finish with
 * the reference's output. Signal delivery races the completion of the task in flight, so one
 * task may start after the signal, but none may commit.
 */
export async function gracefulStop(ref: Reference, index: number, signal: 'SIGTERM' | 'SIGINT', logFile: string): Promise<InterruptionRecord> {
  await rm(ref.out, { recursive: true, force: true });
  await rm(logFile, { force: true });
  const n = index + 1;
  const r = await runSluice(runArgs(ref.case, ref.out), { SLUICE_CHAOS_LOG: logFile, SLUICE_CHAOS_KILL_AT: `${n}:${signal}` });
  const rec: InterruptionRecord = { kind: signal, n, phase: ref.phases[index]!, path: ref.events[index]!.rel, problems: [], ms: r.ms };
  const expected = signal === 'SIGINT' ? 130 : 143;
  if (r.code !== expected) rec.problems.push(`stopped run exited ${r.code ?? r.signal}, expected ${expected}: ${describeExit(r)}`);
  if (!r.stderr.includes('Resume with the same command')) rec.problems.push('the stopped run did not say how to resume');
  const after = (await readCommitLog(logFile, ref.out)).filter((e) => e.n > n);
  const started = after.map((e) => ATTEMPT.exec(e.rel)?.[1]).filter((id): id is string => id !== undefined);
  if (started.length > 1) rec.problems.push(`${started.length} tasks started after the signal: ${started.join(', ')}`);
  for (const id of started) {
    const stageTask = /^(s\d+)\.(\d+)$/.exec(id);
    const commit = stageTask && `_store/manifests/stages/${stageTask[1]}/tasks/${stageTask[2]!.padStart(5, '0')}/committed.json`;
    if (commit && after.some((e) => e.rel === commit)) rec.problems.push(`task ${id} started after the signal and committed`);
  }
  const resumed = await runSluice(runArgs(ref.case, ref.out));
  rec.ms += resumed.ms;
  if (resumed.code !== 0) rec.problems.push(`resume after ${signal} failed: ${describeExit(resumed)}`);
  else rec.problems.push(...await compareToReference(ref));
  return rec;
}
