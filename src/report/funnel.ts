import type { RunStats, StepStats } from '../exec/accounting/counters.ts';
import { sumDropped } from '../exec/accounting/counters.ts';

/** One row of the funnel: a step of the run, in execution order, with what it kept and removed. */
export interface FunnelRow {
  stage: string;
  step: string;
  documentsIn: number;
  documentsOut: number;
  bytesIn: number;
  bytesOut: number;
  dropped: number;
  quarantined: number;
  reasons: [string, number][];
  cpuMs: number;
  /** Input documents per CPU-second of this step (per core). */
  docsPerCpuSec: number;
}

/**
 * The run's steps as funnel rows. Bookkeeping steps that keep every document and cost nothing
 * (`select`, `drop` of columns) are folded away: they are plan mechanics, not data decisions.
 */
export function funnelRows(stats: RunStats): FunnelRow[] {
  return stats.steps.filter((s) => !isBookkeeping(s)).map((s) => ({
    stage: s.stage,
    step: s.name,
    documentsIn: s.documentsIn,
    documentsOut: s.documentsOut,
    bytesIn: s.bytesIn,
    bytesOut: s.bytesOut,
    dropped: sumDropped(s),
    quarantined: s.quarantined,
    reasons: Object.entries(s.dropped).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    cpuMs: s.cpuMs,
    docsPerCpuSec: s.cpuMs > 0 ? (s.documentsIn / s.cpuMs) * 1000 : NaN,
  }));
}

function isBookkeeping(s: StepStats): boolean {
  const kind = s.name.replace(/#\d+$/, '');
  return (kind === 'select' || kind === 'drop' || kind === 'withColumns') && s.documentsIn === s.documentsOut && s.quarantined === 0;
}

/** Per stage: tasks, documents in/out and the CPU time of its steps and overheads. */
export function stageRows(stats: RunStats): { id: string; tasks: number; documentsIn: number; documentsOut: number; cpuMs: number }[] {
  return stats.stages.map((st) => ({
    ...st,
    cpuMs: stats.steps.filter((s) => s.stage === st.id).reduce((n, s) => n + s.cpuMs, 0) +
      (stats.overheads ?? []).filter((o) => o.stage === st.id).reduce((n, o) => n + o.cpuMs, 0),
  }));
}
