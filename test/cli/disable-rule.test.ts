import { describe, expect, it } from 'vitest';
import { planPipeline } from '../../src/cli/plan-pipeline.ts';
import { optimize } from '../../src/planner/optimize.ts';

const order = (text: string) => {
  const optimized = text.split('== Optimized plan ==')[1]!.split('== Physical plan ==')[0]!;
  // Outermost first in the tree, so reverse to get execution order.
  return optimized.split('\n').map((l) => /Apply (\w+)/.exec(l)?.[1]).filter((n): n is string => !!n).reverse();
};

describe('--disable-rule', () => {
  const base = { pipeline: 'pipelines/refinedweb.ts', input: 'fixtures/warc', output: '.tmp/unused', options: {} };

  it('reorder-filters off keeps the recipe in the paper order; on, cheaper filters run first', async () => {
    const written = order((await planPipeline({ ...base, disabledRules: ['reorder-filters'] })).explain());
    expect(written.slice(0, 6)).toEqual(['url_filter', 'extract_text', 'language_id', 'gopher_repetition', 'gopher_quality', 'line_corrections']);
    const reordered = order((await planPipeline(base)).explain());
    expect(reordered.indexOf('gopher_quality')).toBeLessThan(reordered.indexOf('language_id'));
  });

  it('names the known rules when given an unknown one', () => {
    expect(() => optimize({ kind: 'scan', source: { format: 'records', paths: [] } }, { disabledRules: ['reorder'] }))
      .toThrow(/unknown optimizer rule "reorder" \(rules: .*reorder-filters/);
  });
});
