import type { ExprNode, Scalar } from '../../plan/expr.ts';
import type { LogicalPlan } from '../../plan/logical-plan.ts';
import { mapNodeExprs, transformExpr, transformUp } from '../plan-utils.ts';
import type { Rule } from '../rule-executor.ts';

/**
 * Evaluates sub-expressions whose inputs are all literals (`1 + 2` → `3`, `len('abc')` → `3`), in
 * filters, projections and scan predicates, so the per-row loop does not recompute them.
 * Only cases whose result is unambiguous are folded: `/` and `%` are left to the runtime (integer vs
 * float division depends on column types), and a comparison between different literal types stays.
 * Any null operand of a comparison, arithmetic or string function yields null (SQL semantics).
 */
export function foldConstants(plan: LogicalPlan): LogicalPlan {
  return transformUp(plan, (node) => mapNodeExprs(node, (e) => transformExpr(e, foldNode)));
}

function lit(value: Scalar): ExprNode {
  return { kind: 'lit', value };
}

function foldNode(e: ExprNode): ExprNode {
  switch (e.kind) {
    case 'arith': {
      if (e.left.kind !== 'lit' || e.right.kind !== 'lit') return e;
      const [a, b] = [e.left.value, e.right.value];
      if (a === null || b === null) return lit(null);
      if (typeof a !== 'number' || typeof b !== 'number') return e;
      const r = e.op === 'add' ? a + b : e.op === 'sub' ? a - b : e.op === 'mul' ? a * b : undefined;
      return r !== undefined && Number.isFinite(r) ? lit(r) : e;
    }
    case 'cmp': {
      if (e.left.kind !== 'lit' || e.right.kind !== 'lit') return e;
      const [a, b] = [e.left.value, e.right.value];
      if (a === null || b === null) return lit(null);
      if (typeof a !== typeof b) return e;
      if (typeof a === 'boolean' && e.op !== 'eq' && e.op !== 'neq') return e;
      switch (e.op) {
        case 'eq': return lit(a === b);
        case 'neq': return lit(a !== b);
        case 'lt': return lit(a < b);
        case 'lte': return lit(a <= b);
        case 'gt': return lit(a > b);
        case 'gte': return lit(a >= b);
      }
      return e;
    }
    case 'not':
      if (e.arg.kind !== 'lit') return e;
      if (e.arg.value === null) return lit(null);
      return typeof e.arg.value === 'boolean' ? lit(!e.arg.value) : e;
    case 'isNull':
      return e.arg.kind === 'lit' ? lit(e.arg.value === null) : e;
    case 'isIn': {
      if (e.arg.kind !== 'lit') return e;
      const v = e.arg.value;
      if (v === null) return lit(null);
      return lit(e.values.includes(v));
    }
    case 'str': {
      if (e.arg.kind !== 'lit') return e;
      const v = e.arg.value;
      if (v === null) return lit(null);
      if (typeof v !== 'string') return e;
      return lit(e.fn === 'length' ? v.length : v.toLowerCase());
    }
    case 'match': {
      if (e.arg.kind !== 'lit') return e;
      const v = e.arg.value;
      if (v === null) return lit(null);
      if (typeof v !== 'string') return e;
      switch (e.fn) {
        case 'contains': return lit(v.includes(e.pattern));
        case 'startsWith': return lit(v.startsWith(e.pattern));
        case 'endsWith': return lit(v.endsWith(e.pattern));
        case 'regexMatch': {
          // An invalid pattern stays unfolded so the runtime reports it where the user expects.
          try { return lit(new RegExp(e.pattern, e.flags).test(v)); } catch { return e; }
        }
      }
      return e;
    }
    default:
      return e;
  }
}

export const foldConstantsRule: Rule = { name: 'fold-constants', apply: foldConstants };
