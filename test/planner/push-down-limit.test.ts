import { describe, expect, it } from 'vitest';
import { formatLogical } from '../../src/planner/format-plan.ts';
import type { LogicalPlan } from '../../src/plan/logical-plan.ts';
import { pushDownLimit } from '../../src/planner/rules/push-down-limit.ts';
import { apply, col, drop, extract, filter, langId, limit, scan, select, webSource } from './plans.ts';

describe('push-down-limit', () => {
  it('sets the scan limit through projections and non-filtering operators, keeping the top limit', () => {
    const before = limit(select(drop(extract(scan()), ['html']), { url: col('url'), text: col('text') }), 100);
    expect(formatLogical(before)).toMatchInlineSnapshot(`
      "Limit 100
        Select url, text
          Drop [html]
            Apply html_extract reads=[html] writes=[text, title] cost=50000ns
              Scan parquet (2 files)"
    `);
    const after = pushDownLimit(before);
    expect(formatLogical(after)).toMatchInlineSnapshot(`
      "Limit 100
        Select url, text
          Drop [html]
            Apply html_extract reads=[html] writes=[text, title] cost=50000ns
              Scan parquet (2 files) limit=100"
    `);
    expect(pushDownLimit(after)).toBe(after);
  });

  it('stops at filters, filtering operators and dedup', () => {
    const filtered = limit(extract(filter(scan(), col('status').eq(200))), 10);
    expect(pushDownLimit(filtered)).toBe(filtered);
    const lid = limit(langId(extract(scan())), 10);
    expect(pushDownLimit(lid)).toBe(lid);
    const dedup = limit({ kind: 'dedup', input: scan(), dedup: { strategy: 'exact', options: {} } }, 10);
    expect(pushDownLimit(dedup)).toBe(dedup);
    const wide = limit(apply(scan(), 'corpus_stats', { reads: ['html'], writes: ['idf'], kind: 'wide' }), 10);
    expect(pushDownLimit(wide)).toBe(wide);
  });

  it('copies the limit into union branches and merges stacked limits', () => {
    const a = scan({ ...webSource, paths: ['/a.parquet'] });
    const b = limit(filter(scan({ ...webSource, paths: ['/b.parquet'] }), col('status').eq(200)), 5);
    const before: LogicalPlan = limit(limit({ kind: 'union', inputs: [a, b] }, 20), 50);
    expect(formatLogical(before)).toMatchInlineSnapshot(`
      "Limit 50
        Limit 20
          Union
            Scan parquet (1 file)
            Limit 5
              Filter status = 200
                Scan parquet (1 file)"
    `);
    let after = pushDownLimit(before);
    after = pushDownLimit(after);
    expect(formatLogical(after)).toMatchInlineSnapshot(`
      "Limit 20
        Union
          Limit 20
            Scan parquet (1 file) limit=20
          Limit 5
            Filter status = 200
              Scan parquet (1 file)"
    `);
    expect(pushDownLimit(after)).toBe(after);
  });
});
