import { rm } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { phaseOfPath, phasesOf, readCommitLog, type CommitEvent, type Phase } from './commit-log.ts';
import { bytesUnder, diffDigests, invariantProblems, outputDigest, statsCounts } from './outputs.ts';
import { describeExit, runArgs, runSluice, type PipelineCase } from './sluice-process.ts';

/**
 * An uninterrupted run of a case, which every chaos run of it must reproduce: its commit points
 * (counted and classified by phase) and its output. The fingerprint covers the output path, so
 * chaos runs write to the same `out` (the reference's files are hashed, then removed).
 */
export interface Reference {
  case: PipelineCase;
  out: string;
  events: CommitEvent[];
  phases: Phase[];
  digest: Map<string, string>;
  counts: unknown;
  /** Bytes the finished run left under its output, blob store included. */
  bytes: number;
  ms: number;
}

/** Runs `c` into `out` with the commit log on and records what a correct run leaves. */
export async function referenceRun(c: PipelineCase, out: string, logFile: string): Promise<Reference> {
  await rm(out, { recursive: true, force: true });
  await rm(logFile, { force: true });
  const r = await runSluice(runArgs(c, out), { SLUICE_CHAOS_LOG: logFile });
  if (r.code !== 0) throw new Error(`${c.name}: reference run failed: ${describeExit(r)}`);
  const problems = await invariantProblems(out);
  if (problems.length) throw new Error(`${c.name}: reference run breaks the stats invariant:\n${problems.join('\n')}`);
  const events = await readCommitLog(logFile, out);
  const ref: Reference = { case: c, out, events, phases: phasesOf(events), digest: await outputDigest(out), counts: await statsCounts(out), bytes: await bytesUnder(out), ms: r.ms };
  await rm(out, { recursive: true, force: true });
  return ref;
}

/** Commit points per phase in the reference. */
export function phaseCounts(ref: Reference): Partial<Record<Phase, number>> {
  const counts: Partial<Record<Phase, number>> = {};
  for (const p of ref.phases) counts[p] = (counts[p] ?? 0) + 1;
  return counts;
}

/**
 * The phase of a commit seen in a chaos run: by its path, or for a chunk, where the reference wrote
 * it; `undefined` for a chunk the reference does not have.
 */
export function phaseIn(ref: Reference, e: CommitEvent): Phase | undefined {
  const own = phaseOfPath(e.rel);
  if (own) return own;
  const i = ref.events.findIndex((r) => r.rel === e.rel);
  return i >= 0 ? ref.phases[i] : undefined;
}

/** What differs between the run in `ref.out` now and the reference, and its invariant problems. */
export async function compareToReference(ref: Reference): Promise<string[]> {
  const problems = diffDigests(ref.digest, await outputDigest(ref.out));
  if (!isDeepStrictEqual(await statsCounts(ref.out).catch(() => undefined), ref.counts)) problems.push('stats.json counts differ from the reference');
  problems.push(...(await invariantProblems(ref.out).catch((e: Error) => [`stats.json: ${e.message}`])));
  return problems;
}
