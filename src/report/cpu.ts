import type { RunStats } from '../exec/accounting/counters.ts';

/** Where a run's CPU went: steps, named overheads (summed over stages) and the process's own figure. */
export interface CpuBreakdown {
  totalMs: number;
  stepsMs: number;
  /** name → ms over all stages, largest first. */
  overheads: [string, number][];
  processMs?: number;
}

/** The run's CPU split into steps and overheads (stats of older runs have steps only). */
export function cpuBreakdown(stats: RunStats): CpuBreakdown {
  const byName = new Map<string, number>();
  for (const o of stats.overheads ?? []) byName.set(o.name, (byName.get(o.name) ?? 0) + o.cpuMs);
  const overheads = [...byName].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const t = stats.totals;
  return {
    totalMs: t.cpuMs,
    stepsMs: t.stepsCpuMs ?? t.cpuMs,
    overheads,
    ...(t.processCpuMs !== undefined ? { processMs: t.processCpuMs } : {}),
  };
}

/** `CPU 63.0 s (steps 51.2 s, outside steps 11.8 s; process 65.1 s)`: one line for the terminal. */
export function cpuLine(c: CpuBreakdown): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const parts = c.overheads.length ? [`steps ${s(c.stepsMs)}`, `outside steps ${s(c.totalMs - c.stepsMs)}`] : [];
  const process = c.processMs !== undefined ? `process ${s(c.processMs)}` : '';
  const detail = [parts.join(', '), process].filter(Boolean).join('; ');
  return `CPU ${s(c.totalMs)}${detail ? ` (${detail})` : ''}`;
}
