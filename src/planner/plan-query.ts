import type { LogicalPlan } from '../plan/logical-plan.ts';
import type { PhysicalPlan } from '../plan/physical-plan.ts';
import { DEFAULT_PARTITION_BYTES, partitionSource } from '../io/sources.ts';
import { forgetInputStats } from '../io/location/input-file.ts';
import { analyzePlan } from './analyze.ts';
import { explainText } from './explain.ts';
import { optimize } from './optimize.ts';
import { planPhysical } from './physical-planner.ts';
import { coalesceSplits } from './size-tasks.ts';
import type { RuleFiring } from './rule-executor.ts';

/** How to plan a query. */
export interface PlanQueryOptions {
  /** Run the optimizer (default true); `false` plans the query as written. */
  optimize?: boolean;
  /** Optimizer rules to skip, e.g. `['reorder-filters']`. */
  disabledRules?: readonly string[];
  /** Modules workers import before running tasks (pipeline scripts defining operators). */
  modules?: readonly string[];
  /**
   * Input bytes per scan task (default {@link DEFAULT_PARTITION_BYTES}, 16 MiB): big files split into
   * tasks of about this size and small ones coalesce into one (see `coalesceSplits`). Tests use tiny ones.
   */
  partitionBytes?: number;
}

/** Every form of a planned query: what `explain` prints and what runs. */
export interface PlannedQuery {
  /** The plan as written, with scan schemas filled in by the analyzer. */
  logical: LogicalPlan;
  optimized: LogicalPlan;
  /** The rules that changed the plan, in order. */
  fired: RuleFiring[];
  physical: PhysicalPlan;
  explain(): string;
}

/**
 * analyze → optimize → physical plan: the one planning path, shared by `sluice run`/`explain`,
 * `collect()` and the DataFrame's `explain()`, so all of them run and show the same plan.
 */
export async function planQuery(plan: LogicalPlan, options: PlanQueryOptions = {}): Promise<PlannedQuery> {
  try {
    return await planOnce(plan, options);
  } finally {
    // Object sizes listed for this planning are not reused by the next one.
    forgetInputStats();
  }
}

async function planOnce(plan: LogicalPlan, options: PlanQueryOptions): Promise<PlannedQuery> {
  const logical = await analyzePlan(plan);
  const { plan: optimized, fired } = optimize(logical, {
    enabled: options.optimize ?? true,
    disabledRules: [...(options.disabledRules ?? [])],
  });
  const physical = await planPhysical(optimized, {
    partition: async (source, scan) => {
      const target = options.partitionBytes ?? DEFAULT_PARTITION_BYTES;
      return coalesceSplits(await partitionSource(source, scan, target), target);
    },
    modules: [...(options.modules ?? [])],
  });
  return { logical, optimized, fired, physical, explain: () => explainText({ logical, optimized, fired, physical }) };
}
