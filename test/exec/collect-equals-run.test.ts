import fc from 'fast-check';
import type { Table } from 'apache-arrow';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/exec/driver/collect.ts';
import { runStages } from '../../src/exec/driver/run-stages.ts';
import type { TaskExecutor } from '../../src/exec/pool/executor.ts';
import { threadPoolExecutor } from '../../src/exec/pool/thread-pool-executor.ts';
import type { LogicalPlan } from '../../src/plan/logical-plan.ts';
import { formatLogical } from '../../src/planner/format-plan.ts';
import { planQuery } from '../../src/planner/plan-query.ts';
import { BUILTIN_OP_CHOICES } from '../planner/builtin-op-choices.ts';
import { randomPipeline, tableArb, TABLE_COLUMNS, tableSource } from '../planner/random-pipelines.ts';

/**
 * `collect()` and `sluice run` are two schedulers over one task entry: for random pipelines
 * (filters, projections, limits, operators, unions, repartitions), tiny batches and partitions,
 * the rows `collect()` returns equal, in order and with their document identities, the rows a
 * pooled run returns with 1 or 2 worker threads. The pools live for the whole property.
 */
const RUNS = 200;
const OPTS = { partitionBytes: 40, batchSize: 3 } as const;
let tmp: string;
let pools: TaskExecutor[];
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-collect-run-'));
  pools = [threadPoolExecutor({ workers: 1 }), threadPoolExecutor({ workers: 2 })];
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await rm(tmp, { recursive: true, force: true });
});

function rowsOf(table: Table): Record<string, unknown>[] {
  return table.toArray().map((r) => {
    const o = r.toJSON() as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, typeof o[k] === 'bigint' ? Number(o[k]) : o[k]]));
  });
}

const repartition = (input: LogicalPlan, partitions: number): LogicalPlan => ({ kind: 'repartition', partitions, input });

describe('collect() equals sluice run', () => {
  it(`on ${RUNS} random plans, workers 1 and 2`, async () => {
    let n = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(tableArb.filter((r) => r.length > 0), tableArb, fc.gen(), async (rows, more, g) => {
        let source = tableSource(rows, more.length && g(fc.boolean) ? more : undefined);
        if (g(fc.boolean)) source = repartition(source, g(fc.integer, { min: 1, max: 4 }));
        let plan = randomPipeline(g, source, TABLE_COLUMNS, BUILTIN_OP_CHOICES);
        if (g(fc.boolean)) plan = repartition(plan, g(fc.integer, { min: 1, max: 3 }));
        let expected: Record<string, unknown>[];
        try {
          expected = rowsOf((await executePlan(plan, OPTS)).table);
        } catch {
          rejected++; // e.g. an all-null column inferred with a type a generated expression mismatches
          return;
        }
        const { physical } = await planQuery(plan, { partitionBytes: OPTS.partitionBytes });
        const executor = pools[n % 2]!;
        const result = await runStages(physical, { outDir: join(tmp, `r${n++}`), batchSize: OPTS.batchSize, executor, retries: 0 });
        expect(rowsOf(result.table!), formatLogical(plan)).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
    expect(rejected, 'most generated plans must run').toBeLessThan(RUNS / 10);
  }, 300_000);
});
