import { describe, expect, it } from 'vitest';
import { formatLogical } from '../../src/planner/format-plan.ts';
import type { LogicalPlan } from '../../src/plan/logical-plan.ts';
import { outputColumns } from '../../src/planner/plan-utils.ts';
import { pruneColumns } from '../../src/planner/rules/prune-columns.ts';
import { col, drop, extract, filter, langId, scan, select, webSource, withColumns } from './plans.ts';

describe('prune-columns', () => {
  it('reads only used columns and drops raw html right after extraction', () => {
    const before = select(
      filter(langId(extract(scan())), col('language').eq('en')),
      { url: col('url'), text: col('text') },
    );
    expect(formatLogical(before)).toMatchInlineSnapshot(`
      "Select url, text
        Filter language = 'en'
          Apply language_id reads=[text] writes=[language, language_score] filters(sel=0.45) cost=20000ns
            Apply html_extract reads=[html] writes=[text, title] cost=50000ns
              Scan parquet (2 files)"
    `);
    const after = pruneColumns(before);
    expect(formatLogical(after)).toMatchInlineSnapshot(`
      "Select url, text
        Filter language = 'en'
          Drop [language_score]
            Apply language_id reads=[text] writes=[language, language_score] filters(sel=0.45) cost=20000ns
              Drop [html, title]
                Apply html_extract reads=[html] writes=[text, title] cost=50000ns
                  Scan parquet (2 files) columns=[url, html]"
    `);
    expect(pruneColumns(after)).toBe(after);
  });

  it('keeps every column when the result needs them all', () => {
    const before = filter(extract(scan()), col('text').length().gt(10));
    expect(pruneColumns(before)).toBe(before);
  });

  it('turns a user drop into a narrower scan and removes unused definitions', () => {
    const before = drop(withColumns(scan(), { n: col('status').add(1), m: col('fetch_time') }), ['html', 'm']);
    const after = pruneColumns(before);
    expect(formatLogical(after)).toMatchInlineSnapshot(`
      "WithColumns status + 1 AS n
        Scan parquet (2 files) columns=[url, fetch_time, status]"
    `);
    expect(outputColumns(after)).toEqual(outputColumns(before));
  });

  it('does not guess without a schema, and keeps union branches aligned', () => {
    const noSchema: LogicalPlan = { kind: 'scan', source: { format: 'jsonl', paths: ['/a.jsonl'] } };
    const unknown = select(extract(noSchema), { text: col('text') });
    expect(formatLogical(pruneColumns(unknown))).toMatchInlineSnapshot(`
      "Select text
        Apply html_extract reads=[html] writes=[text, title] cost=50000ns
          Scan jsonl (1 file)"
    `);
    const mixed = select({ kind: 'union', inputs: [scan(), noSchema] }, { url: col('url') });
    expect(pruneColumns(mixed)).toBe(mixed);
    const known = select({ kind: 'union', inputs: [scan(), scan({ ...webSource, paths: ['/b.parquet'] })] }, { url: col('url') });
    expect(formatLogical(pruneColumns(known))).toMatchInlineSnapshot(`
      "Select url
        Union
          Scan parquet (2 files) columns=[url]
          Scan parquet (1 file) columns=[url]"
    `);
  });

  it('needs all columns below a dedup unless its options name the key', () => {
    const byText = (options: Record<string, unknown>): LogicalPlan =>
      select({ kind: 'dedup', input: extract(scan()), dedup: { strategy: 'exact', options } }, { url: col('url') });
    expect(formatLogical(pruneColumns(byText({})))).toMatchInlineSnapshot(`
      "Select url
        Dedup exact
          Apply html_extract reads=[html] writes=[text, title] cost=50000ns
            Scan parquet (2 files)"
    `);
    expect(formatLogical(pruneColumns(byText({ column: 'text' })))).toMatchInlineSnapshot(`
      "Select url
        Dedup exact
          Drop [html, title]
            Apply html_extract reads=[html] writes=[text, title] cost=50000ns
              Scan parquet (2 files) columns=[url, html]"
    `);
  });
});
