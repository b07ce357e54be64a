import { describe, expect, it } from 'vitest';
import { checkInvariant, emptyCounters, type RunStats, type StepStats } from '../../src/exec/accounting/counters.ts';

function step(stage: string, step: number, name: string, documentsIn: number, documentsOut: number, dropped: Record<string, number> = {}): StepStats {
  return { ...emptyCounters(name), stage, step, documentsIn, documentsOut, dropped };
}

function stats(steps: StepStats[], totals: Partial<RunStats['totals']>): RunStats {
  return {
    fingerprint: 'f', steps, stages: [],
    totals: { documentsIn: 0, documentsOut: 0, dropped: {}, quarantined: 0, cpuMs: 0, wallMs: 0, ...totals },
  };
}

describe('checkInvariant', () => {
  const steps = [step('s0', 0, 'scan', 10, 10), step('s0', 1, 'gopher_quality', 10, 7, { 'gopher_quality:short': 3 })];

  it('accepts a run whose counts add up per step, across steps and in total', () => {
    const s = stats(steps, { documentsIn: 10, documentsOut: 7, dropped: { 'gopher_quality:short': 3 } });
    expect(checkInvariant(s, new Map())).toEqual([]);
  });

  it('names the step whose counts do not add up', () => {
    const bad = [steps[0]!, step('s0', 1, 'gopher_quality', 10, 8, { 'gopher_quality:short': 3 })];
    expect(checkInvariant(stats(bad, { documentsIn: 10, documentsOut: 8, dropped: { 'gopher_quality:short': 3 } }), new Map()))
      .toEqual(expect.arrayContaining([expect.stringMatching(/s0 step 1 \(gopher_quality\): documentsIn 10 != out 8/)]));
  });

  it('catches documents lost between stages that no step reports (e.g. a stage without counters)', () => {
    const s = stats(steps, { documentsIn: 10, documentsOut: 5, dropped: { 'gopher_quality:short': 3 } });
    expect(checkInvariant(s, new Map())).toEqual(['run totals: documentsIn 10 != out 5 + dropped 3 + quarantined 0']);
  });
});
