import { columnsOf } from '../../plan/expr.ts';
import type { LogicalPlan } from '../../plan/logical-plan.ts';
import { outputColumns } from '../plan-utils.ts';
import type { Rule } from '../rule-executor.ts';

/** Columns needed above a node, or `undefined` for "all of them" (the result, a sink). */
type Needed = ReadonlySet<string> | undefined;

/**
 * Reads and carries only the columns something downstream uses, walking from the root down with
 * the set of columns needed above each node:
 * - a scan whose schema is known reads only the needed columns (`scan.columns`, in schema order;
 *   readers add the system columns `__file`/`__pos` themselves, so they are never listed);
 * - projections and `withColumns` lose the definitions nobody reads;
 * - when the columns are known, a `drop` is placed right after the last step that uses a column no
 *   longer needed (raw `html` after extraction, a score after the filter on it) so batches, and the
 *   shuffles of wide stages, stop carrying them. An existing `drop` is extended rather than stacked.
 * Operators are trusted to need exactly their declared `reads` (and the columns they `removes`).
 * A dedup needs all columns unless its options name them (`column` / `columns`). Unions are pruned
 * only when every branch's columns are known, so branches stay aligned.
 */
export function pruneColumns(plan: LogicalPlan): LogicalPlan {
  return prune(plan, undefined);
}

function union(a: Iterable<string>, b: Iterable<string>): Set<string> {
  return new Set([...a, ...b]);
}

function same<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Prunes `plan`, then drops the columns it outputs that nothing above needs, if it used any. */
function pruneAndDrop(plan: LogicalPlan, needed: Needed): LogicalPlan {
  const next = prune(plan, needed);
  if (!needed || (next.kind !== 'apply' && next.kind !== 'filter' && next.kind !== 'withColumns')) return next;
  const extra = outputColumns(next)?.filter((c) => !needed.has(c)) ?? [];
  return extra.length ? { kind: 'drop', input: next, columns: extra } : next;
}

function prune(plan: LogicalPlan, needed: Needed): LogicalPlan {
  switch (plan.kind) {
    case 'scan': {
      const schema = plan.source.schema?.map((f) => f.name);
      if (!needed || !schema) return plan;
      const columns = schema.filter((c) => needed.has(c) && (!plan.columns || plan.columns.includes(c)));
      if (plan.columns ? same(columns, plan.columns) : columns.length === schema.length) return plan;
      return { ...plan, columns };
    }
    case 'filter': {
      const input = pruneAndDrop(plan.input, needed && union(needed, columnsOf(plan.predicate)));
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'select': {
      // A projection nobody reads from may become empty: rows still flow (batches keep their row
      // count and system columns), so a count over a projection reads no column at all.
      const columns = needed ? plan.columns.filter((c) => needed.has(c.name)) : plan.columns;
      const input = prune(plan.input, new Set(columns.flatMap((c) => columnsOf(c.expr))));
      return input === plan.input && columns.length === plan.columns.length ? plan : { ...plan, input, columns };
    }
    case 'withColumns': {
      const columns = needed ? plan.columns.filter((c) => needed.has(c.name)) : plan.columns;
      const names = columns.map((c) => c.name);
      const below = needed && union([...needed].filter((c) => !names.includes(c)), columns.flatMap((c) => columnsOf(c.expr)));
      if (columns.length === 0) return pruneAndDrop(plan.input, needed);
      const input = pruneAndDrop(plan.input, below);
      return input === plan.input && columns.length === plan.columns.length ? plan : { ...plan, input, columns };
    }
    case 'apply': {
      const d = plan.decl;
      const below = needed && union([...needed].filter((c) => !d.writes.includes(c)), [...d.reads, ...d.removes]);
      const input = pruneAndDrop(plan.input, below);
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'drop': {
      const all = needed ?? (outputColumns(plan) && new Set(outputColumns(plan)));
      const input = prune(plan.input, all);
      const available = outputColumns(input);
      if (!available || !all) return input === plan.input ? plan : { ...plan, input };
      const unneeded = available.filter((c) => !all.has(c));
      const columns = [...plan.columns.filter((c) => unneeded.includes(c)), ...unneeded.filter((c) => !plan.columns.includes(c))];
      if (columns.length === 0) return input;
      return input === plan.input && same(columns, plan.columns) ? plan : { ...plan, input, columns };
    }
    case 'dedup': {
      const o = plan.dedup.options;
      const named = typeof o.column === 'string' ? [o.column]
        : Array.isArray(o.columns) && o.columns.every((c) => typeof c === 'string') ? (o.columns as string[]) : undefined;
      // URL dedup keeping the newest also reads the date.
      const keys = named && o.keep === 'newest' && typeof o.dateColumn === 'string' ? [...named, o.dateColumn] : named;
      const input = pruneAndDrop(plan.input, needed && keys && union(needed, keys));
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'limit': case 'repartition': {
      const input = pruneAndDrop(plan.input, needed);
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'union': {
      const known = plan.inputs.every((b) => outputColumns(b) !== undefined);
      const inputs = plan.inputs.map((b) => prune(b, known ? needed : undefined));
      return inputs.every((b, i) => b === plan.inputs[i]) ? plan : { ...plan, inputs };
    }
    case 'sink': {
      const input = prune(plan.input, undefined);
      return input === plan.input ? plan : { ...plan, input };
    }
  }
}

export const pruneColumnsRule: Rule = { name: 'prune-columns', apply: pruneColumns };
