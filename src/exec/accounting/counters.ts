import { addLanguages } from './languages.ts';

/** Counts of one step in one task; summed over tasks for `stats.json`. */
export interface StepCounters {
  /** Operator name for `apply`, else the step kind (`scan`, `filter`, `select`, ...). */
  name: string;
  documentsIn: number;
  documentsOut: number;
  /** reason → count. */
  dropped: Record<string, number>;
  quarantined: number;
  bytesIn: number;
  bytesOut: number;
  cpuMs: number;
  /**
   * Output documents by `language` value, recorded at the last step of a stage whose output has a
   * `language` column: the report's kept-language counts then survive a final projection that
   * drops the column. Documents with a null language are not counted.
   */
  languages?: Record<string, number>;
}

export interface StepStats extends StepCounters {
  stage: string;
  /** Position of the step in its stage. */
  step: number;
}

/**
 * Named CPU outside the steps' per-batch loop, per stage, in ms of the CPU time of the thread that
 * did it: `worker start` (a pool thread's start-up before its first task), `operator init` (loading
 * models on a thread's first task), `stage input` (reading and verifying parent outputs, shuffle
 * buckets, dedup verdicts), `shuffle` (splitting output into buckets), `dedup signing` (MinHash
 * signatures or keys and band records of a dedup stage's parent), `commit` (output pieces,
 * quarantine, drop logs, checkpoints into the store), `task files` (sink part, quarantine and
 * drop-log files of a finished task), `dedup bucket` and `dedup merge` (the dedup phases); for the
 * whole run (stage `run`): `finalize` (global-limit parts, sink finalizers such as token shards),
 * `runtime threads (GC, JIT, I/O)` and `driver` (see `cpuSince`).
 */
export type Overheads = Record<string, number>;

/** Adds `b` into `a` by name (both may be absent). */
export function addOverheads(a: Overheads | undefined, b: Overheads | undefined): Overheads {
  const out: Overheads = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) out[k] = (out[k] ?? 0) + v;
  return out;
}

export interface RunStats {
  fingerprint: string;
  steps: StepStats[];
  /** CPU outside steps, by stage and name (see {@link Overheads}); absent in older stats files. */
  overheads?: { stage: string; name: string; cpuMs: number }[];
  totals: {
    documentsIn: number;
    documentsOut: number;
    dropped: Record<string, number>;
    quarantined: number;
    /** Steps plus named overheads: the CPU time of the thread doing each piece of work
     *  (`threadCpuMs`; wall time where the OS does not tell). */
    cpuMs: number;
    /** The steps' share of `cpuMs`. */
    stepsCpuMs?: number;
    /** CPU (user + system, all threads) of the process that ran the whole run, when one did
     *  (`sluice run`); compare with `cpuMs` to see what no step or overhead accounts for. */
    processCpuMs?: number;
    wallMs: number;
  };
  stages: { id: string; tasks: number; documentsIn: number; documentsOut: number }[];
}

export function emptyCounters(name: string): StepCounters {
  return { name, documentsIn: 0, documentsOut: 0, dropped: {}, quarantined: 0, bytesIn: 0, bytesOut: 0, cpuMs: 0 };
}

/** Adds `b` into `a` (same step). */
export function addCounters(a: StepCounters, b: StepCounters): StepCounters {
  const dropped = { ...a.dropped };
  for (const [r, n] of Object.entries(b.dropped)) dropped[r] = (dropped[r] ?? 0) + n;
  const languages = a.languages || b.languages ? addLanguages({ ...a.languages }, b.languages) : undefined;
  return {
    name: a.name,
    documentsIn: a.documentsIn + b.documentsIn,
    documentsOut: a.documentsOut + b.documentsOut,
    dropped,
    quarantined: a.quarantined + b.quarantined,
    bytesIn: a.bytesIn + b.bytesIn,
    bytesOut: a.bytesOut + b.bytesOut,
    cpuMs: a.cpuMs + b.cpuMs,
    ...(languages ? { languages } : {}),
  };
}

export function sumDropped(c: { dropped: Record<string, number> }): number {
  let n = 0;
  for (const v of Object.values(c.dropped)) n += v;
  return n;
}

/**
 * The accounting invariant: each step's input is its output plus its drops and quarantines, and
 * each step's input is the previous step's output (a stage's first step receives what the stages it
 * reads produced); and for the whole run, input = output + drops + quarantines. Returns one message per violation; an empty list means every document is
 * accounted for.
 */
export function checkInvariant(stats: RunStats, stageInputs: Map<string, string[]>): string[] {
  const problems: string[] = [];
  const byStage = new Map<string, StepStats[]>();
  for (const s of stats.steps) {
    const list = byStage.get(s.stage) ?? [];
    list.push(s);
    byStage.set(s.stage, list);
  }
  const stageOut = new Map<string, number>();
  for (const [stage, steps] of byStage) {
    for (const s of steps) {
      const accounted = s.documentsOut + sumDropped(s) + s.quarantined;
      if (s.documentsIn !== accounted) {
        problems.push(`${stage} step ${s.step} (${s.name}): documentsIn ${s.documentsIn} != out ${s.documentsOut} + dropped ${sumDropped(s)} + quarantined ${s.quarantined}`);
      }
    }
    for (let i = 1; i < steps.length; i++) {
      if (steps[i]!.documentsIn !== steps[i - 1]!.documentsOut) {
        problems.push(`${stage} step ${i} (${steps[i]!.name}): documentsIn ${steps[i]!.documentsIn} != previous step's documentsOut ${steps[i - 1]!.documentsOut}`);
      }
    }
    const parents = stageInputs.get(stage) ?? [];
    if (parents.length && steps.length) {
      const expected = parents.reduce((n, p) => n + (stageOut.get(p) ?? 0), 0);
      if (steps[0]!.documentsIn !== expected) {
        problems.push(`${stage} step 0 (${steps[0]!.name}): documentsIn ${steps[0]!.documentsIn} != output of ${parents.join('+')} (${expected})`);
      }
    }
    if (steps.length) stageOut.set(stage, steps[steps.length - 1]!.documentsOut);
  }
  // End to end, whatever the stage structure: every document read is output, dropped or quarantined.
  const t = stats.totals;
  if (t.documentsIn !== t.documentsOut + sumDropped(t) + t.quarantined) {
    problems.push(`run totals: documentsIn ${t.documentsIn} != out ${t.documentsOut} + dropped ${sumDropped(t)} + quarantined ${t.quarantined}`);
  }
  return problems;
}
