import { describe, expect, it } from 'vitest';
import { formatLogical } from '../../src/planner/format-plan.ts';
import { foldConstants } from '../../src/planner/rules/fold-constants.ts';
import { simplifyBooleans } from '../../src/planner/rules/simplify-booleans.ts';
import { col, filter, lit, scan, withColumns } from './plans.ts';

describe('fold-constants', () => {
  it('evaluates literal-only sub-expressions in filters and projections', () => {
    const before = withColumns(
      filter(scan(), col('status').lt(lit(200).add(lit(100))).and(lit('abc').length().eq(3))),
      { score: col('fetch_time').mul(lit(2).mul(lit(3))), big: lit(null).add(1), low: lit('EN').lower() },
    );
    expect(formatLogical(before)).toMatchInlineSnapshot(`
      "WithColumns fetch_time * (2 * 3) AS score, null + 1 AS big, lower('EN') AS low
        Filter (status < (200 + 100)) AND (len('abc') = 3)
          Scan parquet (2 files)"
    `);
    expect(formatLogical(foldConstants(before))).toMatchInlineSnapshot(`
      "WithColumns fetch_time * 6 AS score, null AS big, 'en' AS low
        Filter (status < 300) AND true
          Scan parquet (2 files)"
    `);
  });

  it('leaves division, mixed types and column expressions to the runtime', () => {
    const before = filter(scan(), lit(1).div(lit(2)).lt(col('status')).and(lit(1).eq(lit('1'))));
    expect(foldConstants(before)).toBe(before);
  });
});

describe('simplify-booleans', () => {
  it('applies the identities, removes filter(true) and keeps filter(false)', () => {
    const p = col('status').eq(200);
    const before = filter(
      filter(filter(scan(), p.and(lit(true)).or(lit(false))), p.not().not().and(p)),
      lit(true).or(col('url').isNull()),
    );
    expect(formatLogical(before)).toMatchInlineSnapshot(`
      "Filter true OR (url IS NULL)
        Filter (NOT (NOT (status = 200))) AND (status = 200)
          Filter ((status = 200) AND true) OR false
            Scan parquet (2 files)"
    `);
    expect(formatLogical(simplifyBooleans(before))).toMatchInlineSnapshot(`
      "Filter status = 200
        Filter status = 200
          Scan parquet (2 files)"
    `);
    const empty = filter(scan(), p.and(lit(false)));
    expect(formatLogical(simplifyBooleans(empty))).toMatchInlineSnapshot(`
      "Filter false
        Scan parquet (2 files)"
    `);
  });

  it('returns the same plan when there is nothing to simplify', () => {
    const before = filter(scan(), col('status').eq(200).or(col('url').isNull()));
    expect(simplifyBooleans(before)).toBe(before);
  });
});
