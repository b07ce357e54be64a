import { describe, expect, it } from 'vitest';
import { explainText } from '../../src/planner/explain.ts';
import { optimize } from '../../src/planner/optimize.ts';
import { planPhysical } from '../../src/planner/physical-planner.ts';
import type { SourceSpec } from '../../src/planner/logical-plan.ts';
import { col, extract, filter, langId, scan } from './plans.ts';

const perFile = async (s: SourceSpec) => s.paths.map((file, index) => ({ index, file, fileIndex: index }));

describe('explain', () => {
  it('prints the three plans with the rules that fired', async () => {
    const logical = filter(langId(extract(scan())), col('status').eq(200).and(col('language').eq('en')));
    const { plan, fired } = optimize(logical);
    const physical = await planPhysical(plan, { partition: perFile });
    expect(explainText({ logical, optimized: plan, fired, physical })).toMatchInlineSnapshot(`
      "== Logical plan ==
      Filter (status = 200) AND (language = 'en')
        Apply language_id reads=[text] writes=[language, language_score] filters(sel=0.45) cost=20000ns
          Apply html_extract reads=[html] writes=[text, title] cost=50000ns
            Scan parquet (2 files)

      == Optimized plan ==
      Filter language = 'en'
        Apply language_id reads=[text] writes=[language, language_score] filters(sel=0.45) cost=20000ns
          Apply html_extract reads=[html] writes=[text, title] cost=50000ns
            Filter status = 200
              Scan parquet (2 files) predicate=status = 200
      Rules fired:
        pushdown: push-down-predicates ×3

      == Physical plan ==
      Stage s0 (2 partitions)
        input: Scan parquet (2 files) predicate=status = 200
        Filter status = 200
        Apply html_extract
        Apply language_id
        Filter language = 'en'
        output: result
      "
    `);
  });
});
