import type { LogicalPlan } from '../plan/logical-plan.ts';

/**
 * An optimizer rule: a pure function from plan to plan. It must return the very same object when it
 * changes nothing; the executor detects firings and the fixed point by identity.
 */
export interface Rule {
  name: string;
  apply(plan: LogicalPlan): LogicalPlan;
}

/** Rules run in order; `once` runs them one pass, `maxIterations` repeats passes to a fixed point. */
export interface RuleBatch {
  name: string;
  strategy: 'once' | { maxIterations: number };
  rules: Rule[];
}

/** A rule that changed the plan: which batch, which rule, in which pass (from 1). */
export interface RuleFiring {
  batch: string;
  rule: string;
  iteration: number;
}

export interface RunBatchesResult {
  plan: LogicalPlan;
  fired: RuleFiring[];
  /** Batches that stopped at their iteration cap while rules were still changing the plan. */
  capped: string[];
}

/**
 * Runs batches in order. A fixed-point batch stops after the first pass in which no rule changed
 * the plan, or at its cap (reported in `capped`, since it usually means two rules undo each other).
 */
export function runBatches(
  plan: LogicalPlan,
  batches: readonly RuleBatch[],
  options: { disabledRules?: readonly string[] } = {},
): RunBatchesResult {
  const disabled = new Set(options.disabledRules ?? []);
  const fired: RuleFiring[] = [];
  const capped: string[] = [];
  let current = plan;
  for (const batch of batches) {
    const rules = batch.rules.filter((r) => !disabled.has(r.name));
    const max = batch.strategy === 'once' ? 1 : batch.strategy.maxIterations;
    let changed = false;
    for (let iteration = 1; iteration <= max; iteration++) {
      changed = false;
      for (const rule of rules) {
        const next = rule.apply(current);
        if (next !== current) {
          fired.push({ batch: batch.name, rule: rule.name, iteration });
          current = next;
          changed = true;
        }
      }
      if (!changed) break;
    }
    if (changed && batch.strategy !== 'once') capped.push(batch.name);
  }
  return { plan: current, fired, capped };
}
