import fc from 'fast-check';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { executePlan } from '../../src/exec/driver/collect.ts';
import { formatLogical } from '../../src/planner/format-plan.ts';
import { optimize } from '../../src/planner/optimize.ts';
import { BUILTIN_OP_CHOICES } from './builtin-op-choices.ts';
import { randomPipeline, tableArb, TABLE_COLUMNS, tableSource } from './random-pipelines.ts';

/**
 * The optimizer's contract, checked through the real runtime: for random small tables and random
 * pipelines of filters, projections, limits and operators over a table or a union of two, the optimized plan returns exactly the
 * rows of the unoptimized one, in the same order, with the same document identities (`__file`,
 * `__pos`). The optimized run also uses tiny partitions, so per-partition limits and scan limits
 * are exercised across partition boundaries.
 */
const ops = BUILTIN_OP_CHOICES;

const nonEmpty = tableArb.filter((rows) => rows.length > 0);

function rowsOf(table: Table): Record<string, unknown>[] {
  return table.toArray().map((r) => {
    const o = r.toJSON() as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, typeof o[k] === 'bigint' ? Number(o[k]) : o[k]]));
  });
}

describe('optimizer equivalence (runtime)', () => {
  it('optimized plans return exactly the rows of the unoptimized ones', async () => {
    const RUNS = 1000;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(nonEmpty, nonEmpty, fc.gen(), async (rows, more, g) => {
        const source = tableSource(rows, g(fc.boolean) ? more : undefined);
        const plan = randomPipeline(g, source, TABLE_COLUMNS, ops);
        const label = () => `${formatLogical(plan)}\n--- optimized ---\n${formatLogical(optimize(plan).plan)}`;
        let expected: Record<string, unknown>[];
        try {
          expected = rowsOf((await executePlan(plan, { optimize: false })).table);
        } catch {
          rejected++; // e.g. an all-null column inferred with a type the generated expression mismatches
          return;
        }
        const actual = rowsOf((await executePlan(plan, { optimize: true, partitionBytes: 40, batchSize: 3 })).table);
        expect(actual, label()).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
    expect(rejected, 'most generated plans must run').toBeLessThan(RUNS / 10);
  });
});
