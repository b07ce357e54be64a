import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogicalPlan } from '../../src/plan/logical-plan.ts';
import type { OperatorDecl } from '../../src/plan/operator-decl.ts';
import { formatLogical } from '../../src/planner/format-plan.ts';
import { optimize } from '../../src/planner/optimize.ts';
import { interpret, type Row, type TestOp } from './reference-interpreter.ts';
import { randomPipeline, tableArb, TABLE_COLUMNS, type OpChoice } from './random-pipelines.ts';

/**
 * Optimizer equivalence against a naive reference interpreter: runs fast and does not depend on the
 * Arrow runtime, so a wrong rule is caught here with a readable plan. optimizer-equivalence.test.ts
 * checks the same property through the real DataFrame runtime.
 */
const decl = (d: Partial<OperatorDecl>): OperatorDecl => ({ reads: [], writes: [], removes: [], filters: false, kind: 'narrow', costPerRow: 100, ...d });

const ops: OpChoice[] = [
  { op: 't_len', options: {}, decl: decl({ reads: ['s'], writes: ['s_len'], costPerRow: 30 }), requires: { s: 'str' }, produces: { s_len: 'num' } },
  { op: 't_short', options: {}, decl: decl({ reads: ['s'], filters: true, selectivity: 0.6, costPerRow: 500 }), requires: { s: 'str' }, produces: {} },
  { op: 't_double_a', options: {}, decl: decl({ reads: ['a'], writes: ['a'] }), requires: { a: 'num' }, produces: { a: 'num' } },
  { op: 't_pos_b', options: {}, decl: decl({ reads: ['b'], writes: ['b_pos'], filters: true, selectivity: 0.3, costPerRow: 5 }), requires: { b: 'num' }, produces: { b_pos: 'bool' } },
  { op: 't_remove_s', options: {}, decl: decl({ reads: ['s'], removes: ['s'], costPerRow: 1 }), requires: { s: 'str' }, produces: {} },
];

const impls: Record<string, TestOp> = {
  t_len: (r) => ({ row: { ...r, s_len: typeof r.s === 'string' ? r.s.length : null }, keep: true }),
  t_short: (r) => ({ row: r, keep: r.s === null || (r.s as string).length <= 3 }),
  t_double_a: (r) => ({ row: { ...r, a: r.a === null ? null : (r.a as number) * 2 }, keep: true }),
  t_pos_b: (r) => ({ row: { ...r, b_pos: (r.b as number) > 0 }, keep: (r.b as number) >= 0 }),
  t_remove_s: (r) => ({ row: Object.fromEntries(Object.entries(r).filter(([k]) => k !== 's')), keep: true }),
};

const sorted = (r: Row): Row => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));

describe('optimizer equivalence (reference interpreter)', () => {
  it('optimized plans return exactly the rows of the unoptimized ones, in order', () => {
    fc.assert(
      fc.property(tableArb, tableArb, fc.gen(), (rows, more, g) => {
        const schema = [...TABLE_COLUMNS.keys()].map((name) => ({ name, type: 'x' }));
        const scan = (r: Row[]): LogicalPlan => ({ kind: 'scan', source: { format: 'records', paths: [], schema, options: { rows: r } } });
        const source: LogicalPlan = g(fc.boolean) ? { kind: 'union', inputs: [scan(rows), scan(more)] } : scan(rows);
        const plan = randomPipeline(g, source, TABLE_COLUMNS, ops);
        const optimized = optimize(plan).plan;
        const expected = interpret(plan, impls).map(sorted);
        const actual = interpret(optimized, impls).map(sorted);
        expect(actual, `${formatLogical(plan)}\n--- optimized ---\n${formatLogical(optimized)}`).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });
});
