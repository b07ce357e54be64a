import type { ExprNode } from '../../plan/expr.ts';
import type { LogicalPlan } from '../../plan/logical-plan.ts';
import { deepEqual, mapNodeExprs, transformExpr, transformUp } from '../plan-utils.ts';
import type { Rule } from '../rule-executor.ts';

/**
 * Boolean identities that hold under SQL three-valued logic (so they are exact in projections as
 * well as in filters): `x AND true` → `x`, `x AND false` → `false`, `x OR true` → `true`,
 * `x OR false` → `x`, `x AND x` → `x`, `NOT NOT x` → `x`. Then a filter on literal `true` is removed
 * and a scan predicate of `true` is dropped. A filter on `false` or `null` is kept: it is the
 * cheapest correct way to produce an empty result with the right columns.
 */
export function simplifyBooleans(plan: LogicalPlan): LogicalPlan {
  return transformUp(plan, (node) => {
    const next = mapNodeExprs(node, (e) => transformExpr(e, simplify));
    if (next.kind === 'filter' && isLit(next.predicate, true)) return next.input;
    if (next.kind === 'scan' && next.predicate && isLit(next.predicate, true)) {
      const { predicate: _drop, ...rest } = next;
      return rest;
    }
    return next;
  });
}

function isLit(e: ExprNode, value: boolean): boolean {
  return e.kind === 'lit' && e.value === value;
}

function simplify(e: ExprNode): ExprNode {
  switch (e.kind) {
    case 'and':
      if (isLit(e.right, true)) return e.left;
      if (isLit(e.left, true)) return e.right;
      if (isLit(e.left, false) || isLit(e.right, false)) return { kind: 'lit', value: false };
      if (deepEqual(e.left, e.right)) return e.left;
      return e;
    case 'or':
      if (isLit(e.right, false)) return e.left;
      if (isLit(e.left, false)) return e.right;
      if (isLit(e.left, true) || isLit(e.right, true)) return { kind: 'lit', value: true };
      if (deepEqual(e.left, e.right)) return e.left;
      return e;
    case 'not':
      return e.arg.kind === 'not' ? e.arg.arg : e;
    default:
      return e;
  }
}

export const simplifyBooleansRule: Rule = { name: 'simplify-booleans', apply: simplifyBooleans };
