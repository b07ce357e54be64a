import { columnsOf, type ExprNode } from '../../plan/expr.ts';
import type { LogicalPlan } from '../../plan/logical-plan.ts';
import { conjoin, conjuncts, deepEqual, transformExpr, transformUp } from '../plan-utils.ts';
import type { Rule } from '../rule-executor.ts';

/**
 * Moves filters toward the scan, one node per pass (the executor runs it to a fixed point), so
 * rows are discarded before costly work. A predicate is split into its AND terms; each term moves
 * when it can, the rest stays in place.
 *
 * Filters move through:
 * - `select` / `withColumns`: column references are replaced by the expressions that compute them
 *   (all expressions of one node read its input, so the substitution is exact);
 * - `drop`, when the term does not read a dropped column;
 * - a narrow `apply` whose declaration neither writes nor removes a column the term reads. Narrow
 *   operators decide per row, so running them on fewer rows keeps the surviving rows identical;
 * - `union`: the whole filter is copied into every branch;
 * - the scan: terms are copied into `scan.predicate`, and the filter stays above, because readers
 *   only use the predicate to skip whole row groups / files and do not filter exactly.
 *
 * Filters never move through:
 * - `limit`: filtering first changes which rows are "the first n";
 * - `dedup`: it keeps the first occurrence (by input position). If document A comes first and its
 *   duplicate B fails the filter's other columns differently (A fails, B passes), dedup-then-filter
 *   keeps nothing while filter-then-dedup keeps B;
 * - `repartition`: partitions are cut by input position, so filtering first changes which rows land
 *   in which partition and thus output order and every partition-keyed artifact (resume, stats);
 * - `sink`: the sink writes what reaches it;
 * - a `wide` apply: it sees all rows at once (e.g. corpus statistics), so its result depends on rows
 *   the filter would remove.
 */
export function pushDownPredicates(plan: LogicalPlan): LogicalPlan {
  return transformUp(plan, (node) => (node.kind === 'filter' ? pushOnce(node) : node));
}

type FilterNode = Extract<LogicalPlan, { kind: 'filter' }>;

function pushOnce(filter: FilterNode): LogicalPlan {
  const child = filter.input;
  const terms = conjuncts(filter.predicate);
  switch (child.kind) {
    case 'select':
    case 'withColumns': {
      const defs = new Map(child.columns.map((c) => [c.name, c.expr]));
      const movable = child.kind === 'select'
        ? (t: ExprNode) => columnsOf(t).every((c) => defs.has(c))
        : () => true;
      return split(filter, terms, movable, (moved) => ({
        ...child,
        input: wrap(child.input, moved.map((t) => substitute(t, defs))),
      }));
    }
    case 'drop':
      return split(filter, terms, (t) => columnsOf(t).every((c) => !child.columns.includes(c)),
        (moved) => ({ ...child, input: wrap(child.input, moved) }));
    case 'apply': {
      if (child.decl.kind === 'wide') return filter;
      const produced = [...child.decl.writes, ...child.decl.removes];
      return split(filter, terms, (t) => columnsOf(t).every((c) => !produced.includes(c)),
        (moved) => ({ ...child, input: wrap(child.input, moved) }));
    }
    case 'union':
      return { ...child, inputs: child.inputs.map((i) => wrap(i, terms)) };
    case 'scan': {
      const existing = child.predicate ? conjuncts(child.predicate) : [];
      const missing = terms.filter((t) => !existing.some((e) => deepEqual(e, t)));
      if (missing.length === 0) return filter;
      return { ...filter, input: { ...child, predicate: conjoin([...existing, ...missing])! } };
    }
    default:
      return filter;
  }
}

/** Moves the terms `movable` accepts below the child (via `rebuild`), keeping the rest on top. */
function split(
  filter: FilterNode,
  terms: ExprNode[],
  movable: (t: ExprNode) => boolean,
  rebuild: (moved: ExprNode[]) => LogicalPlan,
): LogicalPlan {
  const moved = terms.filter(movable);
  if (moved.length === 0) return filter;
  const kept = terms.filter((t) => !movable(t));
  const below = rebuild(moved);
  const rest = conjoin(kept);
  return rest ? { kind: 'filter', input: below, predicate: rest } : below;
}

function wrap(input: LogicalPlan, terms: ExprNode[]): LogicalPlan {
  return { kind: 'filter', input, predicate: conjoin(terms)! };
}

function substitute(e: ExprNode, defs: Map<string, ExprNode>): ExprNode {
  return transformExpr(e, (n) => (n.kind === 'col' && defs.has(n.name) ? defs.get(n.name)! : n));
}

export const pushDownPredicatesRule: Rule = { name: 'push-down-predicates', apply: pushDownPredicates };
