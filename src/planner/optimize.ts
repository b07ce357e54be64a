import type { LogicalPlan } from '../plan/logical-plan.ts';
import { runBatches, type RuleBatch, type RuleFiring } from './rule-executor.ts';
import { combineFiltersRule } from './rules/combine-filters.ts';
import { foldConstantsRule } from './rules/fold-constants.ts';
import { pruneColumnsRule } from './rules/prune-columns.ts';
import { pushDownLimitRule } from './rules/push-down-limit.ts';
import { pushDownPredicatesRule } from './rules/push-down-predicates.ts';
import { reorderFiltersRule } from './rules/reorder-filters.ts';
import { simplifyBooleansRule } from './rules/simplify-booleans.ts';

/**
 * The default batches, in order: simplify expressions once; move filters and limits down to a fixed
 * point (they enable each other: combined filters move as one); order adjacent filters by
 * cost/selectivity; finally prune columns, which needs filters in their final place.
 */
export const DEFAULT_BATCHES: readonly RuleBatch[] = [
  { name: 'simplify', strategy: 'once', rules: [foldConstantsRule, simplifyBooleansRule] },
  { name: 'pushdown', strategy: { maxIterations: 100 }, rules: [combineFiltersRule, pushDownPredicatesRule, pushDownLimitRule, simplifyBooleansRule] },
  { name: 'reorder', strategy: 'once', rules: [reorderFiltersRule] },
  { name: 'prune', strategy: 'once', rules: [pruneColumnsRule] },
];

/** Names of every rule the optimizer runs, e.g. `reorder-filters`. */
export const RULE_NAMES: readonly string[] = [...new Set(DEFAULT_BATCHES.flatMap((b) => b.rules.map((r) => r.name)))];

export interface OptimizeOptions {
  /**
   * Rule names to skip. E.g. `['reorder-filters']` keeps filtering steps in the written order, so
   * each drop is attributed to the step a paper's funnel lists first (the kept set is the same).
   */
  disabledRules?: string[];
  /** `false` returns the plan unchanged (the "optimizer off" baseline). */
  enabled?: boolean;
}

/** Runs the default rule batches over a logical plan and reports which rules changed it. */
export function optimize(plan: LogicalPlan, options: OptimizeOptions = {}): { plan: LogicalPlan; fired: RuleFiring[] } {
  if (options.enabled === false) return { plan, fired: [] };
  const unknown = (options.disabledRules ?? []).filter((r) => !RULE_NAMES.includes(r));
  if (unknown.length) throw new Error(`unknown optimizer rule ${unknown.map((r) => `"${r}"`).join(', ')} (rules: ${RULE_NAMES.join(', ')})`);
  const { plan: optimized, fired } = runBatches(plan, DEFAULT_BATCHES, { disabledRules: options.disabledRules ?? [] });
  return { plan: optimized, fired };
}
