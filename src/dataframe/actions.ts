import type { Table } from 'apache-arrow';
import type { LogicalPlan } from '../plan/logical-plan.ts';
import { SYSTEM_COLUMNS } from '../plan/logical-plan.ts';
import { optimize } from '../planner/optimize.ts';
import { planPhysical } from '../planner/physical-planner.ts';
import { explainText } from '../planner/explain.ts';
import { executePlan } from '../exec/driver/collect.ts';
import { analyzePlan } from '../planner/analyze.ts';
import { partitionSource } from '../io/sources.ts';

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

/** Analyzes, optimizes, plans and runs a logical plan in this thread. */
export async function runPlan(plan: LogicalPlan, options: RunOptions): Promise<{ table: Table }> {
  const analyzed = await analyzePlan(plan);
  const { table } = await executePlan(analyzed, {
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
  const logical = await analyzePlan(plan);
  const { plan: optimized, fired } = optimize(logical, {
    enabled: options.optimize ?? true,
    ...(options.disabledRules ? { disabledRules: options.disabledRules } : {}),
  });
  const physical = await planPhysical(optimized, { partition: partitionSource });
  return explainText({ logical, optimized, fired, physical });
}
