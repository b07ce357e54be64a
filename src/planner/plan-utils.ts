import type { ExprNode } from '../plan/expr.ts';
import { SUBSTRING_COLUMNS } from '../ops/dedup/substrings-options.ts';
import type { LogicalPlan } from '../plan/logical-plan.ts';

/** The inputs of a plan node, in order. */
export function children(plan: LogicalPlan): LogicalPlan[] {
  switch (plan.kind) {
    case 'scan': return [];
    case 'union': return plan.inputs;
    default: return [plan.input];
  }
}

/**
 * Rebuilds `plan` with new inputs. Returns `plan` itself when every input is the same object, so
 * rules can detect "unchanged" by identity (the rule executor relies on it).
 */
export function withChildren(plan: LogicalPlan, next: LogicalPlan[]): LogicalPlan {
  const current = children(plan);
  if (current.length === next.length && current.every((c, i) => c === next[i])) return plan;
  switch (plan.kind) {
    case 'scan': return plan;
    case 'union': return { ...plan, inputs: next };
    default: return { ...plan, input: next[0]! };
  }
}

/** Applies `f` to each input, keeping identity when nothing changes. */
export function mapChildren(plan: LogicalPlan, f: (child: LogicalPlan) => LogicalPlan): LogicalPlan {
  return withChildren(plan, children(plan).map(f));
}

/** Rewrites bottom-up: inputs first, then `f` on the rebuilt node. */
export function transformUp(plan: LogicalPlan, f: (node: LogicalPlan) => LogicalPlan): LogicalPlan {
  return f(mapChildren(plan, (c) => transformUp(c, f)));
}

/** Rewrites top-down: `f` on the node, then on the inputs of what it returned. */
export function transformDown(plan: LogicalPlan, f: (node: LogicalPlan) => LogicalPlan): LogicalPlan {
  return mapChildren(f(plan), (c) => transformDown(c, f));
}

/** Rewrites an expression bottom-up, keeping identity for unchanged subtrees. */
export function transformExpr(node: ExprNode, f: (e: ExprNode) => ExprNode): ExprNode {
  let next: ExprNode = node;
  switch (node.kind) {
    case 'cmp': case 'arith': case 'and': case 'or': {
      const left = transformExpr(node.left, f);
      const right = transformExpr(node.right, f);
      if (left !== node.left || right !== node.right) next = { ...node, left, right };
      break;
    }
    case 'not': case 'isNull': case 'isIn': case 'str': case 'match': {
      const arg = transformExpr(node.arg, f);
      if (arg !== node.arg) next = { ...node, arg };
      break;
    }
    default:
      break;
  }
  return f(next);
}

/** Applies `f` to every expression a node holds (not its inputs); identity when unchanged. */
export function mapNodeExprs(plan: LogicalPlan, f: (e: ExprNode) => ExprNode): LogicalPlan {
  switch (plan.kind) {
    case 'filter': {
      const predicate = f(plan.predicate);
      return predicate === plan.predicate ? plan : { ...plan, predicate };
    }
    case 'scan': {
      if (!plan.predicate) return plan;
      const predicate = f(plan.predicate);
      return predicate === plan.predicate ? plan : { ...plan, predicate };
    }
    case 'select': case 'withColumns': {
      const columns = plan.columns.map((c) => {
        const expr = f(c.expr);
        return expr === c.expr ? c : { name: c.name, expr };
      });
      return columns.every((c, i) => c === plan.columns[i]) ? plan : { ...plan, columns };
    }
    default:
      return plan;
  }
}

/** Splits a predicate into its top-level AND terms. */
export function conjuncts(e: ExprNode): ExprNode[] {
  return e.kind === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** Joins terms with AND, left-deep, in order; `undefined` for none. */
export function conjoin(terms: ExprNode[]): ExprNode | undefined {
  if (terms.length === 0) return undefined;
  return terms.reduce((acc, t) => ({ kind: 'and', left: acc, right: t }));
}

/** Structural equality of JSON plan data (plans and expressions hold no functions or cycles). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The user columns a node outputs, in order, or `undefined` when the planner cannot know them
 * (source without a schema, an operator whose output depends on data). System columns
 * (`__file`, `__pos`) are not listed: readers always add them and every step carries them along.
 */
export function outputColumns(plan: LogicalPlan): string[] | undefined {
  switch (plan.kind) {
    case 'scan': {
      const schema = plan.source.schema?.map((f) => f.name);
      if (!schema) return plan.columns ? [...plan.columns] : undefined;
      return plan.columns ? schema.filter((c) => plan.columns!.includes(c)) : schema;
    }
    case 'select':
      return plan.columns.map((c) => c.name);
    case 'withColumns': {
      const base = outputColumns(plan.input);
      return base && addColumns(base, plan.columns.map((c) => c.name));
    }
    case 'drop': {
      const base = outputColumns(plan.input);
      return base && base.filter((c) => !plan.columns.includes(c));
    }
    case 'apply': {
      const base = outputColumns(plan.input);
      return base && addColumns(base, plan.decl.writes).filter((c) => !plan.decl.removes.includes(c));
    }
    case 'union': {
      const first = plan.inputs[0];
      return first && outputColumns(first);
    }
    case 'dedup': {
      const base = outputColumns(plan.input);
      return base && (plan.dedup.strategy === 'substrings' ? addColumns(base, [...SUBSTRING_COLUMNS]) : base);
    }
    default:
      return outputColumns(plan.input);
  }
}

function addColumns(base: string[], added: string[]): string[] {
  const out = [...base];
  for (const c of added) if (!out.includes(c)) out.push(c);
  return out;
}
