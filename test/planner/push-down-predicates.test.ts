import { describe, expect, it } from 'vitest';
import { formatLogical } from '../../src/planner/format-plan.ts';
import type { LogicalPlan } from '../../src/plan/logical-plan.ts';
import { pushDownPredicates } from '../../src/planner/rules/push-down-predicates.ts';
import { apply, col, drop, extract, filter, langId, limit, scan, select, webSource, withColumns } from './plans.ts';

/** Runs the rule to its fixed point, as the pushdown batch does. */
function pushAll(plan: LogicalPlan): LogicalPlan {
  for (let i = 0; i < 50; i++) {
    const next = pushDownPredicates(plan);
    if (next === plan) return plan;
    plan = next;
  }
  throw new Error('no fixed point');
}

describe('push-down-predicates', () => {
  it('moves the terms an operator does not produce below it, and into the scan predicate', () => {
    const before = filter(langId(extract(scan())), col('language').eq('en').and(col('status').eq(200)));
    expect(formatLogical(before)).toMatchInlineSnapshot(`
      "Filter (language = 'en') AND (status = 200)
        Apply language_id reads=[text] writes=[language, language_score] filters(sel=0.45) cost=20000ns
          Apply html_extract reads=[html] writes=[text, title] cost=50000ns
            Scan parquet (2 files)"
    `);
    expect(formatLogical(pushAll(before))).toMatchInlineSnapshot(`
      "Filter language = 'en'
        Apply language_id reads=[text] writes=[language, language_score] filters(sel=0.45) cost=20000ns
          Apply html_extract reads=[html] writes=[text, title] cost=50000ns
            Filter status = 200
              Scan parquet (2 files) predicate=status = 200"
    `);
  });

  it('substitutes projected expressions', () => {
    const before = filter(
      select(withColumns(scan(), { n: col('fetch_time').mul(1000) }), { link: col('url'), n: col('n') }),
      col('link').contains('wiki').and(col('n').gt(5)),
    );
    expect(formatLogical(before)).toMatchInlineSnapshot(`
      "Filter contains(link, 'wiki') AND (n > 5)
        Select url AS link, n
          WithColumns fetch_time * 1000 AS n
            Scan parquet (2 files)"
    `);
    expect(formatLogical(pushAll(before))).toMatchInlineSnapshot(`
      "Select url AS link, n
        WithColumns fetch_time * 1000 AS n
          Filter contains(url, 'wiki') AND ((fetch_time * 1000) > 5)
            Scan parquet (2 files) predicate=contains(url, 'wiki') AND ((fetch_time * 1000) > 5)"
    `);
  });

  it('moves through drop, and into every branch of a union', () => {
    const branch = (path: string): LogicalPlan => drop(scan({ ...webSource, paths: [path] }), ['html']);
    const before = filter({ kind: 'union', inputs: [branch('/a.parquet'), branch('/b.parquet')] }, col('status').lt(400));
    expect(formatLogical(pushAll(before))).toMatchInlineSnapshot(`
      "Union
        Drop [html]
          Filter status < 400
            Scan parquet (1 file) predicate=status < 400
        Drop [html]
          Filter status < 400
            Scan parquet (1 file) predicate=status < 400"
    `);
  });

  it('never moves through limit, dedup, repartition or a wide operator', () => {
    const p = col('status').eq(200);
    const wide = apply(scan(), 'corpus_stats', { reads: ['html'], writes: ['idf'], kind: 'wide' });
    for (const child of [
      limit(scan(), 10),
      { kind: 'dedup', input: scan(), dedup: { strategy: 'exact', options: {} } },
      { kind: 'repartition', input: scan(), partitions: 4 },
      wide,
    ] satisfies LogicalPlan[]) {
      const before = filter(child, p);
      expect(pushDownPredicates(before)).toBe(before);
    }
  });

  it('keeps a term on a column the operator overwrites or removes above it', () => {
    const strip = apply(scan(), 'strip_html', { reads: ['html'], writes: ['html'] });
    const before = filter(strip, col('html').contains('<p>'));
    expect(pushDownPredicates(before)).toBe(before);
    const removes = apply(scan(), 'drop_html', { reads: [], removes: ['html'] });
    const invalid = filter(removes, col('html').isNull());
    expect(pushDownPredicates(invalid)).toBe(invalid);
  });

  it('adds to the scan predicate only once', () => {
    const once = pushAll(filter(scan(), col('status').eq(200)));
    expect(pushDownPredicates(once)).toBe(once);
    expect(formatLogical(once)).toMatchInlineSnapshot(`
      "Filter status = 200
        Scan parquet (2 files) predicate=status = 200"
    `);
  });
});
