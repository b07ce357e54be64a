import { columnsOf, type ExprNode } from '../../plan/expr.ts';
import { exprCost, exprSelectivity, filterRank } from '../cost-model.ts';
import type { LogicalPlan } from '../../plan/logical-plan.ts';
import { conjoin, conjuncts, deepEqual, mapChildren } from '../plan-utils.ts';
import type { Rule } from '../rule-executor.ts';

/** Operators that filter but declare no selectivity are assumed to keep half their rows. */
const DEFAULT_OPERATOR_SELECTIVITY = 0.5;

/**
 * The evaluator computes both sides of an AND over the whole batch, so a term costing more than
 * compacting a batch (~500 ns/row: a regex, see cost-model.ts) gets its own filter node and then
 * runs only on the rows the cheaper terms kept.
 */
const OWN_FILTER_COST = 500;

type ApplyNode = Extract<LogicalPlan, { kind: 'apply' }>;

/** A filtering step of a run: one AND term of a filter node, or a filtering operator. */
interface Step {
  index: number;
  term?: ExprNode;
  apply?: ApplyNode;
  reads: string[];
  writes: string[];
  rank: number;
}

/**
 * Orders each run of adjacent filtering steps (filter nodes, split into their AND terms, and narrow
 * operators that filter) by rank = cost / (1 − selectivity), lowest first; see cost-model.ts.
 * Ties keep their written order. A step never moves above a step that writes or removes a column it
 * reads (nor above one whose columns it overwrites), so every step still sees the values it saw.
 * Narrow filtering steps decide per row, so any such order keeps exactly the same rows. Adjacent
 * cheap terms end up in one filter node, cheapest first.
 */
export function reorderFilters(plan: LogicalPlan): LogicalPlan {
  if (!isFilteringStep(plan)) return mapChildren(plan, reorderFilters);
  const chain: LogicalPlan[] = [];
  let bottom: LogicalPlan = plan;
  while (isFilteringStep(bottom)) {
    chain.push(bottom);
    bottom = (bottom as { input: LogicalPlan }).input;
  }
  const newBottom = reorderFilters(bottom);
  const order = schedule(toSteps([...chain].reverse()));
  const next = rebuild(order, newBottom);
  return deepEqual(next, plan) ? plan : next;
}

function isFilteringStep(p: LogicalPlan): boolean {
  return p.kind === 'filter' || (p.kind === 'apply' && p.decl.filters && p.decl.kind === 'narrow');
}

/** Steps in execution order (bottom of the run first). */
function toSteps(chain: LogicalPlan[]): Step[] {
  const steps: Step[] = [];
  for (const node of chain) {
    if (node.kind === 'filter') {
      for (const term of conjuncts(node.predicate)) {
        steps.push({ index: steps.length, term, reads: columnsOf(term), writes: [], rank: filterRank(exprCost(term), exprSelectivity(term)) });
      }
    } else if (node.kind === 'apply') {
      const d = node.decl;
      steps.push({
        index: steps.length, apply: node, reads: d.reads, writes: [...d.writes, ...d.removes],
        rank: filterRank(d.costPerRow, d.selectivity ?? DEFAULT_OPERATOR_SELECTIVITY),
      });
    }
  }
  return steps;
}

function conflict(a: Step, b: Step): boolean {
  const hit = (xs: string[], ys: string[]) => xs.some((x) => ys.includes(x));
  return hit(a.writes, b.reads) || hit(b.writes, a.reads) || hit(a.writes, b.writes);
}

/** Greedy list scheduling: always run the lowest-rank step whose dependencies already ran. */
function schedule(steps: Step[]): Step[] {
  const done = new Set<number>();
  const out: Step[] = [];
  while (out.length < steps.length) {
    let best: Step | undefined;
    for (const s of steps) {
      if (done.has(s.index)) continue;
      const ready = steps.every((p) => p.index >= s.index || done.has(p.index) || !conflict(p, s));
      if (ready && (!best || s.rank < best.rank)) best = s;
    }
    done.add(best!.index);
    out.push(best!);
  }
  return out;
}

function rebuild(order: Step[], bottom: LogicalPlan): LogicalPlan {
  let plan = bottom;
  let pending: ExprNode[] = [];
  const flush = () => {
    if (pending.length) plan = { kind: 'filter', input: plan, predicate: conjoin(pending)! };
    pending = [];
  };
  for (const s of order) {
    if (s.term && exprCost(s.term) >= OWN_FILTER_COST) { flush(); pending.push(s.term); flush(); }
    else if (s.term) pending.push(s.term);
    else { flush(); plan = { ...s.apply!, input: plan }; }
  }
  flush();
  return plan;
}

export const reorderFiltersRule: Rule = { name: 'reorder-filters', apply: reorderFilters };
