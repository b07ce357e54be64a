import { describe, expect, it } from 'vitest';
import { exprCost, exprSelectivity, filterRank } from '../../src/planner/cost-model.ts';
import { formatLogical } from '../../src/planner/format-plan.ts';
import { reorderFilters } from '../../src/planner/rules/reorder-filters.ts';
import { apply, col, extract, filter, gopherRepetition, langId, scan } from './plans.ts';

describe('cost model', () => {
  it('ranks a regex above a string search above a numeric comparison', () => {
    const rank = (e: ReturnType<typeof col>) => filterRank(exprCost(e.node), exprSelectivity(e.node));
    const num = col('status').eq(200);
    const search = col('url').contains('wiki');
    const regex = col('url').regexMatch(/\/(tag|category)\//);
    expect(rank(num)).toBeLessThan(rank(search));
    expect(rank(search)).toBeLessThan(rank(regex));
    expect(filterRank(10, 1)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('reorder-filters', () => {
  it('orders filter terms and filtering operators by cost / (1 - selectivity)', () => {
    const before = filter(
      gopherRepetition(langId(filter(extract(scan()), col('text').regexMatch('lorem ipsum', 'i')))),
      col('text').length().gt(200).and(col('url').endsWith('.pdf').not()),
    );
    expect(formatLogical(before)).toMatchInlineSnapshot(`
      "Filter (len(text) > 200) AND (NOT endsWith(url, '.pdf'))
        Apply gopher_repetition reads=[text] filters(sel=0.8) cost=8000ns
          Apply language_id reads=[text] writes=[language, language_score] filters(sel=0.45) cost=20000ns
            Filter regex(text, /lorem ipsum/i)
              Apply html_extract reads=[html] writes=[text, title] cost=50000ns
                Scan parquet (2 files)"
    `);
    expect(formatLogical(reorderFilters(before))).toMatchInlineSnapshot(`
      "Apply gopher_repetition reads=[text] filters(sel=0.8) cost=8000ns
        Apply language_id reads=[text] writes=[language, language_score] filters(sel=0.45) cost=20000ns
          Filter regex(text, /lorem ipsum/i)
            Filter (len(text) > 200) AND (NOT endsWith(url, '.pdf'))
              Apply html_extract reads=[html] writes=[text, title] cost=50000ns
                Scan parquet (2 files)"
    `);
  });

  it('never moves a step above the operator that writes a column it reads', () => {
    const before = filter(langId(extract(scan())), col('language').eq('en'));
    expect(reorderFilters(before)).toBe(before);
    const scored = apply(extract(scan()), 'quality_score', {
      reads: ['text'], writes: ['quality'], filters: true, selectivity: 0.9, costPerRow: 40_000,
    });
    const dependent = filter(scored, col('quality').gt(0.5).and(col('text').length().gt(100)));
    expect(formatLogical(reorderFilters(dependent))).toMatchInlineSnapshot(`
      "Filter quality > 0.5
        Apply quality_score reads=[text] writes=[quality] filters(sel=0.9) cost=40000ns
          Filter len(text) > 100
            Apply html_extract reads=[html] writes=[text, title] cost=50000ns
              Scan parquet (2 files)"
    `);
  });

  it('keeps ties in written order and returns the same plan when already ordered', () => {
    const ordered = filter(scan(), col('status').eq(200).and(col('fetch_time').eq(3)));
    expect(reorderFilters(ordered)).toBe(ordered);
    const swapped = filter(scan(), col('fetch_time').eq(3).and(col('status').eq(200)));
    expect(reorderFilters(swapped)).toBe(swapped);
  });
});
