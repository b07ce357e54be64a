import { describe, expect, it } from 'vitest';
import { explainText } from '../../src/planner/explain.ts';
import { formatLogical } from '../../src/planner/format-plan.ts';
import type { SourceSpec } from '../../src/plan/logical-plan.ts';
import { optimize } from '../../src/planner/optimize.ts';
import { planPhysical } from '../../src/planner/physical-planner.ts';
import { col, extract, filter, gopherRepetition, langId, limit, lit, scan, select } from './plans.ts';

const perFile = async (s: SourceSpec) => s.paths.map((file, index) => ({ index, file, fileIndex: index }));

/** A RefinedWeb-shaped pipeline written in the order a user thinks of it, not the fast order. */
const refinedWebLike = select(
  filter(
    gopherRepetition(langId(extract(scan()))),
    col('language').eq('en').and(col('status').eq(lit(100).add(lit(100)))).and(col('text').length().gt(200)),
  ),
  { url: col('url'), text: col('text') },
);

describe('optimize', () => {
  it('runs the default batches and explains the three plans', async () => {
    const { plan, fired } = optimize(refinedWebLike);
    const physical = await planPhysical(plan, { partition: perFile });
    expect(explainText({ logical: refinedWebLike, optimized: plan, fired, physical })).toMatchInlineSnapshot(`
      "== Logical plan ==
      Select url, text
        Filter ((language = 'en') AND (status = (100 + 100))) AND (len(text) > 200)
          Apply gopher_repetition reads=[text] filters(sel=0.8) cost=8000ns
            Apply language_id reads=[text] writes=[language, language_score] filters(sel=0.45) cost=20000ns
              Apply html_extract reads=[html] writes=[text, title] cost=50000ns
                Scan parquet (2 files)

      == Optimized plan ==
      Select url, text
        Apply gopher_repetition reads=[text] filters(sel=0.8) cost=8000ns
          Drop [language]
            Filter language = 'en'
              Drop [language_score]
                Apply language_id reads=[text] writes=[language, language_score] filters(sel=0.45) cost=20000ns
                  Filter len(text) > 200
                    Drop [html, title]
                      Apply html_extract reads=[html] writes=[text, title] cost=50000ns
                        Drop [status]
                          Filter status = 200
                            Scan parquet (2 files) columns=[url, html, status] predicate=status = 200
      Rules fired:
        simplify: fold-constants
        pushdown: push-down-predicates ×4
        prune: prune-columns

      == Physical plan ==
      Stage s0 (2 partitions)
        input: Scan parquet (2 files) columns=[url, html, status] predicate=status = 200
        Filter status = 200
        Drop [status]
        Apply html_extract
        Drop [html, title]
        Filter len(text) > 200
        Apply language_id
        Drop [language_score]
        Filter language = 'en'
        Drop [language]
        Apply gopher_repetition
        Select url, text
        output: result
      "
    `);
  });

  it('is idempotent: optimizing an optimized plan changes nothing', () => {
    const once = optimize(refinedWebLike).plan;
    const twice = optimize(once);
    expect(formatLogical(twice.plan)).toBe(formatLogical(once));
  });

  it('can be switched off or have rules disabled', () => {
    expect(optimize(refinedWebLike, { enabled: false })).toEqual({ plan: refinedWebLike, fired: [] });
    const { plan, fired } = optimize(limit(filter(scan(), col('status').eq(200)), 5), { disabledRules: ['push-down-predicates'] });
    expect(fired.map((f) => f.rule)).not.toContain('push-down-predicates');
    expect(formatLogical(plan)).toMatchInlineSnapshot(`
      "Limit 5
        Filter status = 200
          Scan parquet (2 files)"
    `);
  });
});
