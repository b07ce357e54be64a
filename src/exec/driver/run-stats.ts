import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import { getBytesIfAny, type BlobStore } from '../../storage/blob-store.ts';
import { finalCheckpoints } from '../state/committed.ts';
import { addCounters, addOverheads, checkInvariant, emptyCounters, type Overheads, type RunStats, type StepCounters, type StepStats } from '../accounting/counters.ts';
import { dedupKeys } from '../dedup/layout.ts';
import { bandPartitionsOf } from '../dedup/strategy.ts';
import type { MergeSummary } from '../dedup/phases.ts';
import type { CpuSince } from '../accounting/process-cpu.ts';

/** CPU the finalize task knows of: its own work before the stats, and the process's since the run began. */
export interface RunCpu {
  finalizeMs?: number;
  process?: CpuSince;
}

/**
 * Sums the final checkpoints' counters into `stats.json`, adding the global-limit cuts as explicit
 * `limit` drops, and checks the accounting invariant: a run that cannot account for every document
 * fails instead of reporting success. CPU outside the steps is summed per stage and name from the
 * checkpoints and the dedup phases' commits (`overheads`), so the total covers the whole run.
 */
export async function collectStats(store: BlobStore, plan: PhysicalPlan, fingerprint: string, wallMs: number, cpu: RunCpu = {}): Promise<RunStats> {
  const steps: StepStats[] = [];
  const overheads: NonNullable<RunStats['overheads']> = [];
  const stages: RunStats['stages'] = [];
  const stageOut = new Map<string, number>();
  const stageInputs = new Map<string, string[]>();
  for (const stage of plan.stages) {
    let sum: StepCounters[] = [];
    let stageOverheads = await dedupPhaseCost(store, stage);
    for (const ck of await finalCheckpoints(store, stage)) {
      stageOverheads = addOverheads(stageOverheads, ck.overheadMs);
      // A task whose input was empty (every upstream document dropped) ran no unit and has no counters.
      if (!ck.counters.length) continue;
      sum = sum.length === 0 ? ck.counters.map((c) => ({ ...c, dropped: { ...c.dropped } })) : sum.map((c, i) => addCounters(c, ck.counters[i]!));
    }
    const input = stage.input;
    if (stage.steps.length === 0 && input.kind !== 'scan') sum = [await passThrough(store, stage)];
    const list: StepCounters[] = [];
    if (input.kind === 'wide' && input.wide.kind === 'limit' && sum.length) {
      list.push(limitStep(stageOut.get(input.stage) ?? 0, sum[0]!.documentsIn));
    }
    list.push(...sum);
    if (stage.limit !== undefined && list.length) {
      const produced = list[list.length - 1]!.documentsOut;
      list.push(limitStep(produced, Math.min(produced, stage.limit)));
    }
    list.forEach((c, i) => steps.push({ stage: stage.id, step: i, ...c }));
    const first = list[0];
    const last = list[list.length - 1];
    stageOut.set(stage.id, last?.documentsOut ?? 0);
    stageInputs.set(stage.id, parentsOf(stage));
    stages.push({ id: stage.id, tasks: stage.partitions.length, documentsIn: first?.documentsIn ?? 0, documentsOut: last?.documentsOut ?? 0 });
    for (const [name, cpuMs] of Object.entries(stageOverheads).sort(([a], [b]) => a.localeCompare(b))) overheads.push({ stage: stage.id, name, cpuMs });
  }
  if (cpu.finalizeMs !== undefined) overheads.push({ stage: 'run', name: 'finalize', cpuMs: cpu.finalizeMs });
  if (cpu.process) {
    overheads.push({ stage: 'run', name: 'runtime threads (GC, JIT, I/O)', cpuMs: cpu.process.runtimeThreadsMs });
    // The main thread's own work (scheduling, progress) is what it did besides the merge and finalize it ran.
    const measured = (cpu.finalizeMs ?? 0) + overheads.filter((o) => o.name === 'dedup merge').reduce((n, o) => n + o.cpuMs, 0);
    overheads.push({ stage: 'run', name: 'driver', cpuMs: Math.max(0, cpu.process.mainThreadMs - measured) });
  }
  const totals: RunStats['totals'] = { documentsIn: 0, documentsOut: 0, dropped: {}, quarantined: 0, cpuMs: 0, wallMs };
  for (const s of stages) {
    const stage = plan.stages.find((x) => x.id === s.id)!;
    if (stage.input.kind === 'scan') totals.documentsIn += s.documentsIn;
  }
  totals.documentsOut = stages[stages.length - 1]?.documentsOut ?? 0;
  for (const s of steps) {
    for (const [r, n] of Object.entries(s.dropped)) totals.dropped[r] = (totals.dropped[r] ?? 0) + n;
    totals.quarantined += s.quarantined;
    totals.cpuMs += s.cpuMs;
  }
  totals.stepsCpuMs = totals.cpuMs;
  for (const o of overheads) totals.cpuMs += o.cpuMs;
  if (cpu.process) totals.processCpuMs = cpu.process.processMs;
  const stats: RunStats = { fingerprint, steps, overheads, totals, stages };
  const problems = checkInvariant(stats, stageInputs);
  if (problems.length) {
    throw new Error(`document accounting does not add up, refusing to report success:\n  ${problems.join('\n  ')}`);
  }
  return stats;
}

function limitStep(documentsIn: number, documentsOut: number): StepCounters {
  const c = emptyCounters('limit (global)');
  c.documentsIn = documentsIn;
  c.documentsOut = documentsOut;
  if (documentsIn > documentsOut) c.dropped = { limit: documentsIn - documentsOut };
  return c;
}

/**
 * A stage with no steps (a repartition or union written straight to a sink) still moves documents:
 * it counts as one step that keeps everything it reads, so the run's totals add up.
 */
async function passThrough(store: BlobStore, stage: PhysicalStage): Promise<StepCounters> {
  const c = emptyCounters(stage.input.kind === 'wide' ? stage.input.wide.kind : 'union');
  for (const ck of await finalCheckpoints(store, stage)) {
    const rows = ck.pieces.reduce((n, x) => n + x.rows, 0);
    c.documentsIn += rows;
    c.documentsOut += rows;
  }
  return c;
}

function parentsOf(stage: PhysicalStage): string[] {
  if (stage.input.kind === 'stages') return stage.input.stages;
  if (stage.input.kind === 'wide') return [stage.input.stage];
  return [];
}

/** Bucket and merge time of a dedup stage, from their commits (absent for other stages). */
async function dedupPhaseCost(store: BlobStore, stage: PhysicalStage): Promise<Overheads> {
  if (stage.input.kind !== 'wide' || stage.input.wide.kind !== 'dedup') return {};
  const out: Overheads = {};
  const json = async <T>(key: string): Promise<T | undefined> => {
    const bytes = await getBytesIfAny(store, key);
    return bytes && JSON.parse(new TextDecoder().decode(bytes)) as T;
  };
  for (let k = 0; k < bandPartitionsOf(stage); k++) {
    const cost = await json<{ cpuMs: number }>(dedupKeys.bucketCost(stage.id, k));
    if (cost) out['dedup bucket'] = (out['dedup bucket'] ?? 0) + cost.cpuMs;
  }
  const merged = await json<MergeSummary>(dedupKeys.merged(stage.id));
  if (merged?.cpuMs !== undefined) out['dedup merge'] = merged.cpuMs;
  return out;
}
