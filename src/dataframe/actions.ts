import type { Table } from 'apache-arrow';
import type { LogicalPlan } from '../plan/logical-plan.ts';
import { SYSTEM_COLUMNS } from '../plan/logical-plan.ts';
import { planQuery } from '../planner/plan-query.ts';
import { executePlan } from '../exec/driver/collect.ts';

/** Options shared by the DataFrame actions. */
export interface RunOptions {
  /** Run the optimizer (default true); `false` executes the plan as written. */
  optimize?: boolean;
  /** Optimizer rules to skip, e.g. `['reorder-filters']` to keep filters in the written order. */
  disabledRules?: string[];
  /** Rows per batch to aim for. */
  batchSize?: number;
  /** Keep the `__file`/`__pos` identity columns in collected results (default false). */
  withSystemColumns?: boolean;
}

/** Plans and runs a logical plan in this thread, through the same task entry as `sluice run`. */
export async function runPlan(plan: LogicalPlan, options: RunOptions): Promise<{ table: Table }> {
  const { table } = await executePlan(plan, {
    optimize: options.optimize ?? true,
    ...(options.disabledRules ? { disabledRules: options.disabledRules } : {}),
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  });
  if (options.withSystemColumns) return { table };
  const keep = table.schema.fields.map((f) => f.name).filter((n) => !SYSTEM_COLUMNS.includes(n));
  return { table: table.select(keep) };
}

/** The three plans of `explain()` as text. */
export async function explainPlan(plan: LogicalPlan, options: RunOptions): Promise<string> {
  const planned = await planQuery(plan, {
    optimize: options.optimize ?? true,
    ...(options.disabledRules ? { disabledRules: options.disabledRules } : {}),
  });
  return planned.explain();
}
