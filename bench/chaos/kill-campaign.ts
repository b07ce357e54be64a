import { rm } from 'node:fs/promises';
import { alignToReference, readCommitLog, type Phase } from './commit-log.ts';
import { compareToReference, phaseIn, type Reference } from './reference.ts';
import { describeExit, runArgs, runSluice } from './sluice-process.ts';

/** A kill the campaign aims at: a commit point of the reference, and whether to die before or after its rename. */
export interface PlannedKill {
  refIndex: number;
  phase: Phase;
  how: 'after' | 'before';
}

/** A kill that happened: where it was aimed and where the process really died. */
export interface KillRecord extends PlannedKill {
  /** The commit point of the killed process (`SLUICE_CHAOS_KILL_AT`). */
  n: number;
  /** The phase of the commit the process died at. */
  died: Phase;
  path: string;
  /** How far into the reference's commits the run had got (the aim was `refIndex`). */
  reached: number;
  /** Which fresh output the kill belonged to (a campaign restarts when a resume finishes early). */
  round: number;
}

export interface KillCampaignResult {
  kills: KillRecord[];
  /** Planned kills no run reached (the output was still checked). */
  unreached: number;
  attempts: number;
  rounds: number;
  problems: string[];
  ms: number;
}

/**
 * Kill moments drawn with `rand`: phases take turns (every phase with commits but `plan`, or only
 * those of `only`), each a random commit point of that phase at least `MIN_GAP` commits from those
 * drawn before, half of them just before the rename. Sorted in run order; fewer than `count` when
 * the phases run out of such points.
 */
export function planKills(ref: Reference, count: number, rand: () => number, only?: ReadonlySet<Phase>): PlannedKill[] {
  const byPhase = new Map<Phase, number[]>();
  ref.phases.forEach((p, i) => { if (p !== 'plan' && (!only || only.has(p))) byPhase.set(p, [...(byPhase.get(p) ?? []), i]); });
  const phases = [...byPhase.keys()];
  const out: PlannedKill[] = [];
  for (let i = 0; phases.length && out.length < count; i++) {
    const phase = phases[i % phases.length]!;
    // Moments closer than a resume's redone commits would merge into one: keep them apart.
    const free = byPhase.get(phase)!.filter((c) => out.every((k) => Math.abs(k.refIndex - c) >= MIN_GAP));
    byPhase.set(phase, free);
    if (!free.length) {
      phases.splice(phases.indexOf(phase), 1);
      continue;
    }
    const refIndex = free.splice(Math.floor(rand() * free.length), 1)[0]!;
    out.push({ refIndex, phase, how: rand() < 0.5 ? 'after' : 'before' });
  }
  return out.sort((a, b) => a.refIndex - b.refIndex);
}

/** Fewest reference commits between two planned kills. */
const MIN_GAP = 4;

/** How many commits a resume makes before it reaches new work, until one has been measured. */
const FIRST_RESUME_OVERHEAD = 3;

/**
 * SIGKILLs the case's run at each planned moment, resuming with the same command after each, and
 * checks the finished output against the reference. A resumed process counts its commit points
 * from 1 and first redoes a few (plan.json, its attempt record, a piece whose checkpoint was lost),
 * so the kill index for the next planned moment is its distance from where the previous attempt got
 * in the reference (`alignToReference`) plus that overhead, as measured on the previous resume. The
 * phase reported for each kill is where the process really died. When a resume finishes before the
 * next moment, that round's output is checked and the remaining kills start a fresh output.
 */
export async function killCampaign(ref: Reference, planned: PlannedKill[], logFile: (attempt: number) => string, report: (line: object) => void): Promise<KillCampaignResult> {
  const t0 = performance.now();
  const pending = [...planned];
  const result: KillCampaignResult = { kills: [], unreached: 0, attempts: 0, rounds: 0, problems: [], ms: 0 };
  const refPaths = ref.events.map((e) => e.rel);
  while (pending.length) {
    result.rounds++;
    await rm(ref.out, { recursive: true, force: true });
    let cursor = 0;
    let overhead = 0;
    const killsBefore = result.kills.length;
    for (;;) {
      const next = pending[0];
      const log = logFile(result.attempts++);
      await rm(log, { force: true });
      const n = next ? Math.max(1, overhead + (next.refIndex - cursor) + 1) : 0;
      const env: Record<string, string> = { SLUICE_CHAOS_LOG: log, ...(next ? { SLUICE_CHAOS_KILL_AT: `${n}:${next.how}` } : {}) };
      const r = await runSluice(runArgs(ref.case, ref.out), env);
      const events = await readCommitLog(log, ref.out);
      if (r.signal === 'SIGKILL' && next) {
        const commits = events.filter((e) => e.mark === 'commit').map((e) => e.rel);
        const aligned = alignToReference(refPaths, cursor, commits);
        const last = events[events.length - 1]!;
        // A chunk the reference does not have (an attempt record, a checkpoint: they hold times)
        // belongs to the reference commit the run had reached.
        const died = phaseIn(ref, last) ?? ref.phases[Math.min(aligned.cursor, ref.phases.length - 1)]!;
        const kill: KillRecord = { ...next, n, died, path: last.rel, reached: aligned.cursor, round: result.rounds };
        result.kills.push(kill);
        report({ event: 'kill', case: ref.case.name, ...kill, ms: Math.round(r.ms) });
        pending.shift();
        overhead = cursor > 0 ? aligned.prefix : FIRST_RESUME_OVERHEAD;
        cursor = Math.max(aligned.cursor, 1);
        continue;
      }
      if (r.code !== 0) {
        result.problems.push(`${ref.case.name}: attempt ${result.attempts} (kill at ${n}) ended unexpectedly: ${describeExit(r)}`);
        result.ms = performance.now() - t0;
        return result;
      }
      break;
    }
    const problems = await compareToReference(ref);
    report({ event: 'round', case: ref.case.name, round: result.rounds, kills: result.kills.length - killsBefore, identical: problems.length === 0 });
    result.problems.push(...problems.map((p) => `${ref.case.name} round ${result.rounds}: ${p}`));
    // A round that killed nothing cannot make progress with these moments: give up on them. (A
    // run's commit count varies by a commit or two: attempt records started in the same
    // millisecond share a chunk. So a moment aimed at the last commits may not exist.)
    if (result.kills.length === killsBefore && pending.length) {
      result.unreached = pending.length;
      report({ event: 'unreached', case: ref.case.name, kills: pending.length });
      break;
    }
  }
  result.ms = performance.now() - t0;
  return result;
}
