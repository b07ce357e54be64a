import type { LogicalPlan } from '../../plan/logical-plan.ts';
import { transformUp } from '../plan-utils.ts';
import type { Rule } from '../rule-executor.ts';

/**
 * Merges a filter directly over another filter into one `inner AND outer`. A filter keeps a row only
 * when its predicate is TRUE, and under three-valued logic `a AND b` is TRUE exactly when both are,
 * so the rows kept are the same; the inner predicate stays first because it ran first.
 */
export function combineFilters(plan: LogicalPlan): LogicalPlan {
  return transformUp(plan, (node) => {
    if (node.kind !== 'filter' || node.input.kind !== 'filter') return node;
    const inner = node.input;
    return { kind: 'filter', input: inner.input, predicate: { kind: 'and', left: inner.predicate, right: node.predicate } };
  });
}

export const combineFiltersRule: Rule = { name: 'combine-filters', apply: combineFilters };
