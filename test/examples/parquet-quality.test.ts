import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planPipeline } from '../../src/cli/plan-pipeline.ts';
import { col } from '../../src/plan/expr.ts';
import { readParquet } from '../../src/dataframe/read.ts';
import { regexLineFilter } from '../../src/ops/transforms/regex-line-filter.ts';
import { textLength } from '../../src/ops/filters/text-length.ts';

const out = mkdtempSync(join(tmpdir(), 'sluice-example-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('pipelines/parquet-quality.ts', () => {
  it('explains a filter pushed below operators that do not produce its column, and a pruned scan', async () => {
    const { explain } = await planPipeline({
      pipeline: 'pipelines/parquet-quality.ts', input: 'fixtures/parquet', output: out, options: {},
    });
    const optimized = explain().split('== Optimized plan ==')[1]!.split('== Physical plan ==')[0]!;
    const lines = optimized.split('\n');
    const filterAt = lines.findIndex((l) => l.includes('Filter chars > 2000'));
    const applyAt = lines.findIndex((l) => l.includes('Apply regex_line_filter'));
    expect(filterAt).toBeGreaterThan(applyAt);
    expect(optimized).toContain('Scan parquet (1 file) columns=[id, text, chars] predicate=chars > 2000');
  });

  it('returns the same rows with the optimizer on and off', async () => {
    const df = readParquet('fixtures/parquet')
      .apply(regexLineFilter, { pattern: '^\\s*(?:[^|]{1,30}\\|){2,}[^|]*$' })
      .apply(textLength, { output: 'bytes' })
      .filter(col('chars').gt(2000))
      .select('id', 'bytes');
    const on = await df.collect();
    const off = await df.collect({ optimize: false });
    expect(on.numRows).toBeGreaterThan(0);
    expect(on.numRows).toBeLessThan(40);
    expect(on.toArray().map((r) => r.toJSON())).toEqual(off.toArray().map((r) => r.toJSON()));
  });
});
