import type { LogicalPlan } from '../../plan/logical-plan.ts';
import { transformUp } from '../plan-utils.ts';
import type { Rule } from '../rule-executor.ts';

/**
 * Lets the scan stop early: `limit n` over a chain of steps that keep every row in order
 * (select, withColumns, drop, non-filtering narrow apply) sets `scan.limit = n`. The limit node stays
 * on top: the scan limit is per partition and the top limit makes it global.
 * `limit n` over a union copies `limit n` into each branch (no branch needs more than n rows) and
 * keeps the top limit; `limit n` over `limit m` becomes `limit min(n, m)`.
 *
 * Never through a filter, filtering apply or dedup (they drop rows, so more than n input rows may
 * be needed), repartition (which rows come first changes), or a wide apply.
 * Caveat: a non-filtering operator can still quarantine a malformed document; then the output has
 * fewer than n rows where the unoptimized plan would have read further. Quarantine is reported and
 * counted, and limits are for sampling, so this trade is accepted.
 */
export function pushDownLimit(plan: LogicalPlan): LogicalPlan {
  return transformUp(plan, (node) => {
    if (node.kind !== 'limit') return node;
    const child = node.input;
    if (child.kind === 'limit') return { kind: 'limit', input: child.input, n: Math.min(node.n, child.n) };
    if (child.kind === 'union') {
      if (child.inputs.every((b) => b.kind === 'limit' && b.n <= node.n)) return node;
      const inputs = child.inputs.map((b): LogicalPlan => (b.kind === 'limit' && b.n <= node.n ? b : { kind: 'limit', input: b, n: node.n }));
      return { ...node, input: { ...child, inputs } };
    }
    const input = limitScan(child, node.n);
    return input === child ? node : { ...node, input };
  });
}

/** Sets the scan limit below a row-preserving chain; returns `plan` itself when nothing changes. */
function limitScan(plan: LogicalPlan, n: number): LogicalPlan {
  switch (plan.kind) {
    case 'scan':
      return plan.limit !== undefined && plan.limit <= n ? plan : { ...plan, limit: n };
    case 'select': case 'withColumns': case 'drop': {
      const input = limitScan(plan.input, n);
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'apply': {
      if (plan.decl.filters || plan.decl.kind === 'wide') return plan;
      const input = limitScan(plan.input, n);
      return input === plan.input ? plan : { ...plan, input };
    }
    default:
      return plan;
  }
}

export const pushDownLimitRule: Rule = { name: 'push-down-limit', apply: pushDownLimit };
