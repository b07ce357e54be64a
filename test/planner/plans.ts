import { col, lit, type Expr } from '../../src/plan/expr.ts';
import type { LogicalPlan, SourceSpec } from '../../src/plan/logical-plan.ts';
import type { OperatorDecl } from '../../src/plan/operator-decl.ts';

/** Plan-building helpers for planner tests: plans are plain JSON, these only save typing. */

export const webSource: SourceSpec = {
  format: 'parquet',
  paths: ['/data/crawl-000.parquet', '/data/crawl-001.parquet'],
  schema: [
    { name: 'url', type: 'Utf8' },
    { name: 'html', type: 'Utf8' },
    { name: 'fetch_time', type: 'Int64' },
    { name: 'status', type: 'Int32' },
  ],
};

export function scan(source: SourceSpec = webSource): LogicalPlan {
  return { kind: 'scan', source };
}

export function filter(input: LogicalPlan, predicate: Expr): LogicalPlan {
  return { kind: 'filter', input, predicate: predicate.node };
}

export function withColumns(input: LogicalPlan, columns: Record<string, Expr>): LogicalPlan {
  return { kind: 'withColumns', input, columns: Object.entries(columns).map(([name, e]) => ({ name, expr: e.node })) };
}

export function select(input: LogicalPlan, columns: Record<string, Expr>): LogicalPlan {
  return { kind: 'select', input, columns: Object.entries(columns).map(([name, e]) => ({ name, expr: e.node })) };
}

export function drop(input: LogicalPlan, columns: string[]): LogicalPlan {
  return { kind: 'drop', input, columns };
}

export function limit(input: LogicalPlan, n: number): LogicalPlan {
  return { kind: 'limit', input, n };
}

export function apply(input: LogicalPlan, op: string, decl: Partial<OperatorDecl>): LogicalPlan {
  const full: OperatorDecl = { reads: [], writes: [], removes: [], filters: false, kind: 'narrow', costPerRow: 100, ...decl };
  return { kind: 'apply', input, op, options: {}, decl: full };
}

/** Trafilatura-like main-text extraction: reads raw HTML, writes `text`. ~50 µs per page. */
export function extract(input: LogicalPlan): LogicalPlan {
  return apply(input, 'html_extract', { reads: ['html'], writes: ['text', 'title'], costPerRow: 50_000 });
}

/** fastText lid.176 language ID, keeping documents whose top language scores above a threshold. */
export function langId(input: LogicalPlan): LogicalPlan {
  return apply(input, 'language_id', {
    reads: ['text'], writes: ['language', 'language_score'], filters: true, selectivity: 0.45, costPerRow: 20_000,
    dropReasons: ['language:below_threshold'],
  });
}

/** Gopher-style repetition filter over the text. */
export function gopherRepetition(input: LogicalPlan): LogicalPlan {
  return apply(input, 'gopher_repetition', { reads: ['text'], filters: true, selectivity: 0.8, costPerRow: 8_000 });
}

export { col, lit };
