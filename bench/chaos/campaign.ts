import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PHASES, type Phase } from './commit-log.ts';
import { diskFault, faultPlaces } from './disk-faults.ts';
import { anyCommitPoints, gracefulStop, threadDeath, workerCommitPoints } from './interruptions.ts';
import { killCampaign, planKills } from './kill-campaign.ts';
import { phaseCounts, referenceRun } from './reference.ts';
import { seededRandom } from '../seeded-random.ts';
import type { PipelineCase } from './sluice-process.ts';
import { canMountTmpfs, tmpfsFull } from './tmpfs.ts';

/** How much chaos per case. */
export interface ChaosPlan {
  seed: number;
  /** SIGKILLs per case, spread over its phases. */
  kills: number;
  /** Worker threads that die, per case. */
  threadDeaths: number;
  /** Graceful stops per case, SIGTERM and SIGINT in turn. */
  signals: number;
  /** Inject the disk errors of `faultPlaces` (each once). */
  diskFaults: boolean;
  /** Also fill a real tmpfs (when mounting is allowed). */
  tmpfs: boolean;
  /** Scratch directory: outputs, logs, mount point. */
  work: string;
}

/** What one case went through. */
export interface CaseSummary {
  case: string;
  referenceMs: number;
  referenceBytes: number;
  commitPoints: Partial<Record<Phase, number>>;
  kills: number;
  killsByPhase: Partial<Record<Phase, number>>;
  resumes: number;
  rounds: number;
  threadDeaths: number;
  signals: number;
  diskFaults: number;
  tmpfs: 'passed' | 'failed' | 'not run (mount not allowed)' | 'off';
  problems: string[];
  ms: number;
}

/**
 * Runs every campaign of `plan` on each case: the reference run, the SIGKILL campaign, worker
 * deaths, graceful stops, injected disk errors and a real full tmpfs. Each random choice comes from
 * one PRNG seeded with `plan.seed` (one stream per case), so a seed replays the same moments.
 * `report` receives one object per event (kill, round, interruption, fault, case summary).
 */
export async function runChaos(cases: PipelineCase[], plan: ChaosPlan, report: (line: object) => void): Promise<CaseSummary[]> {
  await mkdir(plan.work, { recursive: true });
  const summaries: CaseSummary[] = [];
  for (const [ci, c] of cases.entries()) {
    const t0 = performance.now();
    const rand = seededRandom(plan.seed + ci * 0x9e3779b1);
    const out = join(plan.work, `${c.name}-out`);
    const log = (what: string) => join(plan.work, `${c.name}-${what}.log`);
    const ref = await referenceRun(c, out, log('reference'));
    report({ event: 'reference', case: c.name, commitPoints: ref.events.length, byPhase: phaseCounts(ref), bytes: ref.bytes, ms: Math.round(ref.ms) });
    const s: CaseSummary = {
      case: c.name, referenceMs: Math.round(ref.ms), referenceBytes: ref.bytes, commitPoints: phaseCounts(ref), kills: 0, killsByPhase: {},
      resumes: 0, rounds: 0, threadDeaths: 0, signals: 0, diskFaults: 0, tmpfs: plan.tmpfs ? 'not run (mount not allowed)' : 'off', problems: [], ms: 0,
    };
    // A resume redoes a few commits, so a kill can land a commit or two before its aim, in the
    // phase before: phases left without a kill get top-up rounds aimed at them alone.
    let only: Set<Phase> | undefined;
    for (let round = 0; round < 3 && plan.kills > 0 && (!only || only.size); round++) {
      const killed = await killCampaign(ref, planKills(ref, only ? only.size : plan.kills, rand, only), (a) => log(`attempt-${s.resumes + s.rounds + a}`), report);
      s.kills += killed.kills.length;
      for (const k of killed.kills) s.killsByPhase[k.died] = (s.killsByPhase[k.died] ?? 0) + 1;
      s.resumes += killed.attempts - killed.rounds;
      s.rounds += killed.rounds;
      s.problems.push(...killed.problems);
      only = new Set(PHASES.filter((p) => p !== 'plan' && s.commitPoints[p] && !s.killsByPhase[p]));
    }
    for (const index of workerCommitPoints(ref, plan.threadDeaths, rand)) {
      const rec = await threadDeath(ref, index, log('thread'));
      report({ event: 'interruption', case: c.name, ...rec, ms: Math.round(rec.ms) });
      s.threadDeaths++;
      s.problems.push(...rec.problems.map((p) => `${c.name} worker death at ${rec.n}: ${p}`));
    }
    for (const [i, index] of anyCommitPoints(ref, plan.signals, rand).entries()) {
      const rec = await gracefulStop(ref, index, i % 2 ? 'SIGINT' : 'SIGTERM', log('signal'));
      report({ event: 'interruption', case: c.name, ...rec, ms: Math.round(rec.ms) });
      s.signals++;
      s.problems.push(...rec.problems.map((p) => `${c.name} ${rec.kind} at ${rec.n}: ${p}`));
    }
    if (plan.diskFaults) {
      for (const place of faultPlaces(ref)) {
        const rec = await diskFault(ref, place, rand);
        report({ event: 'fault', case: c.name, ...rec, ms: Math.round(rec.ms) });
        s.diskFaults++;
        s.problems.push(...rec.problems.map((p) => `${c.name} ${rec.place} (${rec.spec}): ${p}`));
      }
    }
    const mountDir = join(plan.work, 'tmpfs');
    if (plan.tmpfs && (await mkdir(mountDir, { recursive: true }), canMountTmpfs(mountDir))) {
      const rec = await tmpfsFull(c, mountDir, log('tmpfs-reference'));
      report({ event: 'fault', case: c.name, ...rec, ms: Math.round(rec.ms) });
      s.tmpfs = rec.problems.length ? 'failed' : 'passed';
      s.problems.push(...rec.problems.map((p) => `${c.name} ${rec.place}: ${p}`));
    }
    s.ms = Math.round(performance.now() - t0);
    report({ event: 'case', ...s });
    summaries.push(s);
  }
  return summaries;
}
