import { describe, expect, it } from 'vitest';
import type { LogicalPlan } from '../../src/plan/logical-plan.ts';
import { runBatches, type Rule } from '../../src/planner/rule-executor.ts';
import { limit, scan } from './plans.ts';

/** Lowers a limit by one per application until it reaches `floor`. */
const decrement = (floor: number): Rule => ({
  name: 'decrement',
  apply: (p: LogicalPlan) => (p.kind === 'limit' && p.n > floor ? { ...p, n: p.n - 1 } : p),
});
const noop: Rule = { name: 'noop', apply: (p) => p };

describe('rule executor', () => {
  it('runs a fixed-point batch until no rule changes the plan and records each firing', () => {
    const { plan, fired, capped } = runBatches(limit(scan(), 5), [
      { name: 'shrink', strategy: { maxIterations: 10 }, rules: [noop, decrement(2)] },
    ]);
    expect(plan).toMatchObject({ kind: 'limit', n: 2 });
    expect(fired).toEqual([1, 2, 3].map((iteration) => ({ batch: 'shrink', rule: 'decrement', iteration })));
    expect(capped).toEqual([]);
  });

  it('stops at the iteration cap and reports it', () => {
    const { plan, fired, capped } = runBatches(limit(scan(), 100), [
      { name: 'shrink', strategy: { maxIterations: 4 }, rules: [decrement(0)] },
    ]);
    expect(plan).toMatchObject({ n: 96 });
    expect(fired).toHaveLength(4);
    expect(capped).toEqual(['shrink']);
  });

  it('runs a once batch a single pass, in batch order, skipping disabled rules', () => {
    const start = limit(scan(), 5);
    const batches = [
      { name: 'a', strategy: 'once' as const, rules: [decrement(0)] },
      { name: 'b', strategy: { maxIterations: 3 }, rules: [decrement(3)] },
    ];
    const { plan, fired } = runBatches(start, batches);
    expect(plan).toMatchObject({ n: 3 });
    expect(fired.map((f) => `${f.batch}:${f.iteration}`)).toEqual(['a:1', 'b:1']);
    const off = runBatches(start, batches, { disabledRules: ['decrement'] });
    expect(off.plan).toBe(start);
    expect(off.fired).toEqual([]);
  });
});
