import { columnsOf, type ExprNode } from '../plan/expr.ts';
import { SYSTEM_COLUMNS, type LogicalPlan } from '../plan/logical-plan.ts';
import { SUBSTRING_COLUMNS } from '../ops/dedup/substrings-options.ts';
import { formatExpr } from './format-plan.ts';

/** The user columns a node outputs, in order; `undefined` when a scan below cannot say. */
type Columns = string[] | undefined;

/**
 * Checks, bottom-up, that every column a step reads exists in its input: filter predicates,
 * select/withColumns expressions, operators' declared `reads`, dedup keys and the tokens sink's
 * column. Run on the analyzed plan (scan schemas filled in), so a typo fails at plan time naming
 * the step and the columns it could have used, instead of after a run's retries. Below a scan
 * whose schema is unknown nothing can be said, so checks stop until a `select` names the columns
 * again. System columns (`__file`, `__pos`) are always available.
 */
export function checkColumns(plan: LogicalPlan): void {
  available(plan);
}

function available(plan: LogicalPlan): Columns {
  switch (plan.kind) {
    case 'scan': {
      const schema = plan.source.schema?.map((f) => f.name);
      if (schema && plan.predicate) need(schema, columnsOf(plan.predicate), () => `scan predicate (${formatExpr(plan.predicate!)})`);
      if (schema && plan.columns) need(schema, plan.columns, () => 'scan columns');
      return schema && (plan.columns ? schema.filter((c) => plan.columns!.includes(c)) : schema);
    }
    case 'filter': {
      const input = available(plan.input);
      need(input, columnsOf(plan.predicate), () => `filter (${formatExpr(plan.predicate)})`);
      return input;
    }
    case 'select': case 'withColumns': {
      const input = available(plan.input);
      for (const c of plan.columns) need(input, columnsOf(c.expr), () => `${plan.kind} (${describeColumn(c)})`);
      const names = plan.columns.map((c) => c.name);
      if (plan.kind === 'select') return names;
      return input && [...input, ...names.filter((n) => !input.includes(n))];
    }
    case 'drop': {
      const input = available(plan.input);
      return input?.filter((c) => !plan.columns.includes(c));
    }
    case 'apply': {
      const input = available(plan.input);
      need(input, plan.decl.reads, () => `apply ${plan.op}`);
      return input && [...input, ...plan.decl.writes.filter((w) => !input.includes(w))].filter((c) => !plan.decl.removes.includes(c));
    }
    case 'dedup': {
      const input = available(plan.input);
      const column = plan.dedup.options['column'];
      if (typeof column === 'string') need(input, [column], () => `dedup ${plan.dedup.strategy}`);
      const date = plan.dedup.options['dateColumn'];
      if (plan.dedup.options['keep'] === 'newest' && typeof date === 'string') need(input, [date], () => `dedup ${plan.dedup.strategy} (keep newest)`);
      // Substring dedup cuts text in place and records what it removed per document.
      return input && plan.dedup.strategy === 'substrings' ? [...input, ...SUBSTRING_COLUMNS.filter((c) => !input.includes(c))] : input;
    }
    case 'union': {
      // Branches are unified by name (a column missing in one branch reads as null there).
      const branches = plan.inputs.map(available);
      if (branches.some((b) => b === undefined)) return undefined;
      const out: string[] = [];
      for (const b of branches) for (const c of b!) if (!out.includes(c)) out.push(c);
      return out;
    }
    case 'sink': {
      const input = available(plan.input);
      const column = plan.sink.format === 'tokens' ? plan.sink.options['tokensColumn'] : undefined;
      if (typeof column === 'string') need(input, [column], () => `${plan.sink.format} sink`);
      return input;
    }
    case 'limit': case 'repartition':
      return available(plan.input);
  }
}

function describeColumn(c: { name: string; expr: ExprNode }): string {
  return c.expr.kind === 'col' && c.expr.name === c.name ? c.name : `${formatExpr(c.expr)} AS ${c.name}`;
}

/** Throws when a column in `wanted` is missing from `input`; `step` is built only for the message. */
function need(input: Columns, wanted: readonly string[], step: () => string): void {
  if (!input) return;
  const missing = wanted.filter((c) => !input.includes(c) && !SYSTEM_COLUMNS.includes(c));
  if (missing.length === 0) return;
  const names = missing.map((c) => `"${c}"`).join(', ');
  const what = missing.length === 1 ? `column ${names} does not exist` : `columns ${names} do not exist`;
  throw new Error(`${step()}: ${what}; available columns: ${input.join(', ') || '(none)'} (and ${SYSTEM_COLUMNS.join(', ')})`);
}
