import { describe, expect, it } from 'vitest';
import { formatLogical } from '../../src/planner/format-plan.ts';
import { combineFilters } from '../../src/planner/rules/combine-filters.ts';
import { col, extract, filter, scan } from './plans.ts';

describe('combine-filters', () => {
  it('merges a stack of filters into one, inner predicate first', () => {
    const before = filter(filter(filter(scan(), col('status').eq(200)), col('url').startsWith('https://')), col('fetch_time').gt(0));
    expect(formatLogical(before)).toMatchInlineSnapshot(`
      "Filter fetch_time > 0
        Filter startsWith(url, 'https://')
          Filter status = 200
            Scan parquet (2 files)"
    `);
    expect(formatLogical(combineFilters(before))).toMatchInlineSnapshot(`
      "Filter ((status = 200) AND startsWith(url, 'https://')) AND (fetch_time > 0)
        Scan parquet (2 files)"
    `);
  });

  it('leaves filters separated by another step alone and returns the same object', () => {
    const before = filter(extract(filter(scan(), col('status').eq(200))), col('text').length().gt(200));
    expect(combineFilters(before)).toBe(before);
  });
});
