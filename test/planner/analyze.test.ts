import { expect, it } from 'vitest';
import { col } from '../../src/plan/expr.ts';
import type { LogicalPlan } from '../../src/plan/logical-plan.ts';
import { analyzePlan } from '../../src/planner/analyze.ts';

const scan: LogicalPlan = { kind: 'scan', source: { format: 'records', paths: [], options: { rows: [{ a: 1, b: 2 }] } } };

it('fills a scan schema from its reader', async () => {
  const analyzed = await analyzePlan(scan);
  expect(analyzed.kind === 'scan' && analyzed.source.schema).toEqual([{ name: 'a', type: 'Float64' }, { name: 'b', type: 'Float64' }]);
});

it('refuses a projection that names one output column twice, at plan time', async () => {
  const select: LogicalPlan = { kind: 'select', input: scan, columns: [{ name: 'z', expr: col('a').node }, { name: 'z', expr: col('b').node }] };
  await expect(analyzePlan(select)).rejects.toThrow('select: column "z" is named twice');
  const withColumns: LogicalPlan = { kind: 'withColumns', input: scan, columns: [{ name: 'x', expr: col('a').node }, { name: 'x', expr: col('b').node }] };
  await expect(analyzePlan(withColumns)).rejects.toThrow('withColumns: column "x" is named twice');
});
