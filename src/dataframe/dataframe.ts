import type { Table } from 'apache-arrow';
import type { z } from 'zod';
import { toNode, type ExprLike } from '../plan/expr.ts';
import { checkOperatorFiles, parseOptions, type Operator } from '../ops/operator.ts';
import { tag } from '../ops/tag.ts';
import type { DedupSpec, LogicalPlan, SinkSpec } from '../plan/logical-plan.ts';
import { explainPlan, runPlan, type RunOptions } from './actions.ts';

/** Options of `collect()` and the other actions. */
export interface CollectOptions extends RunOptions {
  /** Keep the `__file`/`__pos` identity columns in the result (default false). */
  withSystemColumns?: boolean;
}

/** A column list for `select`: a name keeps a column, an object computes columns from expressions. */
export type SelectArg = string | Record<string, ExprLike>;

/**
 * An immutable, lazy table. Verbs return a new DataFrame wrapping a bigger logical plan; nothing
 * is read or computed until an action (`collect`, `count`, `write*`, `explain`).
 *
 * @example
 * const en = readJsonl('corpus/*.jsonl.gz')
 *   .apply(languageId, { languages: ['en'] })
 *   .filter(col('text').length().gt(200))
 *   .select('id', 'text');
 * const table = await en.collect();
 */
export class DataFrame {
  /** Wraps a logical plan; users start from a source function such as `readJsonl`. */
  constructor(readonly plan: LogicalPlan) {}

  /** Keeps only the given columns; `{ name: expr }` entries compute new ones. */
  select(...columns: SelectArg[]): DataFrame {
    const out: { name: string; expr: ReturnType<typeof toNode> }[] = [];
    for (const c of columns) {
      if (typeof c === 'string') out.push({ name: c, expr: { kind: 'col', name: c } });
      else for (const [name, e] of Object.entries(c)) out.push({ name, expr: toNode(e) });
    }
    return this.with({ kind: 'select', input: this.plan, columns: out });
  }

  /** Adds or replaces one column, keeping all others. */
  withColumn(name: string, expr: ExprLike): DataFrame {
    return this.withColumns({ [name]: expr });
  }

  /** Adds or replaces several columns at once, keeping all others. */
  withColumns(columns: Record<string, ExprLike>): DataFrame {
    const list = Object.entries(columns).map(([name, e]) => ({ name, expr: toNode(e) }));
    return this.with({ kind: 'withColumns', input: this.plan, columns: list });
  }

  /** Removes columns; unknown names are ignored, as in Polars' `drop(strict=False)`. */
  drop(...columns: string[]): DataFrame {
    return this.with({ kind: 'drop', input: this.plan, columns });
  }

  /** Keeps the rows for which the predicate is true (null counts as false). */
  filter(predicate: ExprLike): DataFrame {
    return this.with({ kind: 'filter', input: this.plan, predicate: toNode(predicate) });
  }

  /**
   * Runs a batch operator from `src/ops` (or your own, made with `defineOperator`). Options are
   * validated now, and the files they name checked, so a typo fails when the pipeline is built,
   * not hours into a run.
   */
  apply<S extends z.ZodType>(op: Operator<S, never> | Operator<S, unknown>, options?: z.input<S>): DataFrame {
    const parsed = parseOptions(op as Operator<S, unknown>, options) as Record<string, unknown>;
    checkOperatorFiles(op as Operator<S, unknown>, parsed as z.output<S>);
    const decl = (op as Operator<S, unknown>).declare(parsed as z.output<S>);
    return this.with({ kind: 'apply', input: this.plan, op: op.name, options: parsed, decl });
  }

  /**
   * Runs a filtering operator in tag mode: every document is kept, its verdict written as
   * `<prefix>_reason` (the drop reason, or null when the filter would keep it) and, for filters that
   * declare statistics, each statistic as a Float64 column `<prefix>_<stat>`. The prefix defaults to
   * the operator's name. `filter(col('<prefix>_reason').isNull())` over the result keeps exactly
   * what `apply` would have kept, and thresholds on the statistics can try other settings without
   * re-running the steps before it.
   */
  tag<S extends z.ZodType>(op: Operator<S, never> | Operator<S, unknown>, options?: z.input<S>, tagOptions: { prefix?: string } = {}): DataFrame {
    const parsed = parseOptions(op as Operator<S, unknown>, options) as Record<string, unknown>;
    checkOperatorFiles(op as Operator<S, unknown>, parsed as z.output<S>);
    return this.apply(tag, { op: op.name, options: parsed, ...tagOptions });
  }

  /** Keeps at most `n` rows, the first ones in input order. */
  limit(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0) throw new Error(`limit(n) needs a non-negative integer, got ${n}`);
    return this.with({ kind: 'limit', input: this.plan, n });
  }

  /** Concatenates frames in argument order (this one first); columns are unified by name. */
  union(...others: DataFrame[]): DataFrame {
    return this.with({ kind: 'union', inputs: [this.plan, ...others.map((o) => o.plan)] });
  }

  /** Removes duplicate documents; a wide step (the planner cuts a stage before it). */
  dedup(spec: DedupSpec): DataFrame {
    return this.with({ kind: 'dedup', input: this.plan, dedup: spec });
  }

  /** Redistributes rows into `partitions` partitions (a wide step). */
  repartition(partitions: number): DataFrame {
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new Error(`repartition(n) needs a positive integer, got ${partitions}`);
    }
    return this.with({ kind: 'repartition', input: this.plan, partitions });
  }

  /** Runs the plan and returns the rows as one Arrow table. */
  async collect(options: CollectOptions = {}): Promise<Table> {
    return (await runPlan(this.plan, options)).table;
  }

  /** Runs the plan and returns the number of rows. */
  async count(options: RunOptions = {}): Promise<number> {
    return (await runPlan(this.select().plan, options)).table.numRows;
  }

  /** Writes the rows as a Parquet file (atomically: a temp file renamed on success). */
  async writeParquet(path: string, options: RunOptions = {}): Promise<void> {
    await this.write({ format: 'parquet', path }, options);
  }

  /** Writes the rows as JSON lines (atomically). */
  async writeJsonl(path: string, options: RunOptions = {}): Promise<void> {
    await this.write({ format: 'jsonl', path }, options);
  }

  /** The logical, optimized and physical plans as indented trees. */
  async explain(options: RunOptions = {}): Promise<string> {
    return explainPlan(this.plan, options);
  }

  private async write(sink: SinkSpec, options: RunOptions): Promise<void> {
    await runPlan({ kind: 'sink', input: this.plan, sink }, options);
  }

  private with(plan: LogicalPlan): DataFrame {
    return new DataFrame(plan);
  }
}
