import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planPipeline } from '../../src/cli/plan-pipeline.ts';
import { pipelineContext } from '../../src/cli/pipeline-module.ts';
import type { RunStats } from '../../src/exec/accounting/counters.ts';
import { readJsonl, readParquet } from '../../src/dataframe/read.ts';
import { finewebQuality } from '../../src/ops/filters/fineweb-quality.ts';
import { gopherQuality } from '../../src/ops/filters/gopher-quality.ts';
import { gopherRepetition } from '../../src/ops/filters/gopher-repetition.ts';
import { languageId } from '../../src/ops/filters/language-id.ts';
import { parseOptions, type AnyOperator } from '../../src/ops/operator.ts';
// The pipelines import 'sluice' (vitest resolves it to the sources; tsc to the package's types).
import type { DataFrame } from 'sluice';
import thresholdQuality from '../../pipelines/threshold-quality.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const INPUT = join(ROOT, 'fixtures/corpus');
const out = mkdtempSync(join(tmpdir(), 'sluice-tag-'));
const TAGGED = join(out, 'tagged');
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The filtering run that pipelines/tag-quality.ts tags: the same filters with `apply`. */
async function filteringRun(): Promise<Table> {
  return readJsonl(pipelineContext(INPUT, out, {}).files('**/*.jsonl'))
    .apply(languageId, { languages: ['en'] })
    .apply(gopherRepetition)
    .apply(gopherQuality)
    .apply(finewebQuality)
    .select('id', 'text')
    .collect();
}

async function threshold(options: Record<string, string>): Promise<Table> {
  const frame = (await thresholdQuality(pipelineContext(join(TAGGED, 'documents'), out, options))) as DataFrame;
  return frame.select('id', 'text').collect();
}

const rows = (t: Table): unknown[] => t.toArray().map((r) => r.toJSON());

// The tag run goes through the CLI (the compiled package, as users run it) so it has stats.json.
beforeAll(() => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), 'run', 'pipelines/tag-quality.ts',
    '--input', INPUT, '--output', TAGGED, '--batch-size', '16'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
});

describe('tag instead of drop (pipelines/tag-quality.ts, pipelines/threshold-quality.ts)', () => {
  it('keeps every document and drops none in any tag step', () => {
    const stats = JSON.parse(readFileSync(join(TAGGED, 'stats.json'), 'utf8')) as RunStats;
    expect(stats.totals.documentsIn).toBe(80);
    expect(stats.totals.documentsOut).toBe(80);
    expect(stats.totals.dropped).toEqual({});
    const tagSteps = stats.steps.filter((s) => s.name.endsWith(' (tag)'));
    expect(tagSteps.map((s) => s.name)).toEqual(['language_id (tag)', 'gopher_repetition (tag)', 'gopher_quality (tag)', 'fineweb_quality (tag)']);
    for (const s of tagSteps) expect([s.documentsIn, s.documentsOut, s.dropped], s.name).toEqual([80, 80, {}]);
  });

  it('writes the verdict and every statistic a threshold reads, measured for every document', async () => {
    const tagged = await readParquet(join(TAGGED, 'documents')).collect();
    const names = tagged.schema.fields.map((f) => f.name);
    const expected = ['language_id_reason', 'language', 'language_score'];
    for (const op of [gopherRepetition, gopherQuality, finewebQuality] as unknown as AnyOperator[]) {
      expected.push(`${op.name}_reason`, ...op.stats!(parseOptions(op, {})).map((s) => `${op.name}_${s}`));
    }
    expect(names).toEqual(expect.arrayContaining(expected));
    for (const name of expected.filter((n) => !n.endsWith('_reason'))) {
      // Gopher's mean word length is undefined for a text without words; the fixtures have words.
      expect(tagged.getChild(name)!.nullCount, name).toBe(0);
    }
    const reasons = tagged.getChild('gopher_quality_reason')!.toArray() as (string | null)[];
    expect(reasons.some((r) => r === null)).toBe(true);
    expect(reasons.filter((r) => r !== null).every((r) => r!.startsWith('gopher_quality:'))).toBe(true);
  });

  it('thresholds over the tagged Parquet keep exactly what the filtering run keeps, in order', async () => {
    const kept = await filteringRun();
    expect(kept.numRows).toBeGreaterThan(0);
    expect(kept.numRows).toBeLessThan(80);
    expect(rows(await threshold({ verdicts: 'true' }))).toEqual(rows(kept));
    expect(rows(await threshold({}))).toEqual(rows(kept));
  });

  it('another threshold keeps a subset without re-running the filters', async () => {
    const kept = await threshold({});
    const strict = await threshold({ minWords: '300' });
    expect(strict.numRows).toBeGreaterThan(0);
    expect(strict.numRows).toBeLessThan(kept.numRows);
    const ids = new Set(kept.getChild('id')!.toArray() as string[]);
    expect((strict.getChild('id')!.toArray() as string[]).every((id) => ids.has(id))).toBe(true);
  });

  it('explain names each tag step after its filter, with the columns it writes', async () => {
    const { explain } = await planPipeline({ pipeline: 'pipelines/tag-quality.ts', input: INPUT, output: join(out, 'explain'), options: {} });
    expect(explain()).toMatch(/Apply gopher_quality \(tag\) reads=\[text\] writes=\[gopher_quality_reason, gopher_quality_word_count, /);
  });

  it.each([
    [{ verdicts: 'true' }, /Scan parquet .*predicate=.*gopher_quality_reason IS NULL/],
    [{ minWords: '300' }, /Scan parquet .*predicate=.*gopher_quality_word_count >= 300/],
  ])('explain shows the thresholds %j pushed into the Parquet scan', async (options, scan) => {
    const { explain } = await planPipeline({
      pipeline: 'pipelines/threshold-quality.ts', input: join(TAGGED, 'documents'), output: join(out, 'kept'), options,
    });
    const optimized = explain().split('== Optimized plan ==')[1]!.split('== Physical plan ==')[0]!;
    // The scan skips row groups whose statistics rule the predicate out; the filter above it stays for exact rows.
    expect(optimized).toMatch(scan);
  });
});
