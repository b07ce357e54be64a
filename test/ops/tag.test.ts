// Tag mode must record the same verdict as drop mode, and statistics from which thresholds
// equal to the options reproduce that verdict, on real documents and on edge cases.
import { describe, expect, it } from 'vitest';
import { tag } from '../../src/ops/index.ts';
import { z } from 'zod';
import { defineOperator, getOperator, type AnyOperator } from '../../src/ops/operator.ts';
import { readCorpus, runOperator, textBatch } from './text-fixtures.ts';

function documents(): string[] {
  const corpus = ['c4-sample.01.jsonl', 'dolma-cc2019-30.sample.jsonl', 'dclm-quality-labels.sample.jsonl']
    .flatMap((f) => readCorpus(f).map((d) => d.text));
  const first = corpus[0]!;
  return [
    ...corpus, '', '\n\n', '# # #', [first, first].join('\n\n'), `${first}\n${'- item\n'.repeat(40)}`, 'word '.repeat(60),
    `${first}\nLorem ipsum dolor sit amet, consectetur adipiscing elit.\nThe body is { return x; } here.`,
  ];
}

type Stats = Record<string, number | null>;
type Keep = (s: Stats) => boolean;
const v = (s: Stats, k: string): number => s[k] ?? Number.NaN;

/** Keep rules written from each filter's documented thresholds, for the options given. */
const CASES: [string, Record<string, unknown>, Keep][] = [
  ['gopher_quality', {}, (s) => v(s, 'word_count') >= 50 && v(s, 'word_count') <= 100_000
    && v(s, 'mean_word_length') >= 3 && v(s, 'mean_word_length') <= 10 && v(s, 'hash_ratio') <= 0.1
    && v(s, 'ellipsis_ratio') <= 0.1 && v(s, 'bullet_lines_ratio') <= 0.9 && v(s, 'end_ellipsis_lines_ratio') <= 0.3
    && v(s, 'alpha_words_ratio') >= 0.8 && v(s, 'stop_words') >= 2],
  ['gopher_quality', { minDocWords: 200, minStopWords: null, maxSymbolWordRatio: null }, (s) => v(s, 'word_count') >= 200
    && v(s, 'word_count') <= 100_000 && v(s, 'mean_word_length') >= 3 && v(s, 'mean_word_length') <= 10
    && v(s, 'bullet_lines_ratio') <= 0.9 && v(s, 'end_ellipsis_lines_ratio') <= 0.3 && v(s, 'alpha_words_ratio') >= 0.8],
  ['gopher_repetition', {}, (s) => v(s, 'dup_para_frac') <= 0.3 && v(s, 'dup_para_char_frac') <= 0.2
    && v(s, 'dup_line_frac') <= 0.3 && v(s, 'dup_line_char_frac') <= 0.2 && v(s, 'top_2_gram') <= 0.2
    && v(s, 'top_3_gram') <= 0.18 && v(s, 'top_4_gram') <= 0.16
    && Object.entries({ 5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.1 }).every(([n, max]) => v(s, `duplicated_${n}_n_grams`) <= max)],
  ['c4_quality', {}, (s) => v(s, 'lorem_ipsum_lines') === 0 && v(s, 'curly_bracket_lines') === 0 && v(s, 'sentences') >= 5],
  ['c4_quality', { minNumSentences: 12, filterCurlyBracket: false }, (s) => v(s, 'lorem_ipsum_lines') === 0 && v(s, 'sentences') >= 12],
  ['fineweb_quality', {}, (s) => v(s, 'line_punct_ratio') > 0.12 && v(s, 'short_line_ratio') < 0.67
    && v(s, 'char_dup_ratio') < 0.01 && v(s, 'list_ratio') <= 0.3],
  ['fineweb_quality', { charDuplicatesRatio: 0.1, linePunctThr: 0.5 }, (s) => v(s, 'line_punct_ratio') > 0.5
    && v(s, 'short_line_ratio') < 0.67 && v(s, 'char_dup_ratio') < 0.1 && v(s, 'list_ratio') <= 0.3],
];

describe('tag mode of the filters with statistics', () => {
  it.each(CASES)('%s %j: same verdicts as drop mode, reproduced by thresholds on the statistics', async (name, options, keep) => {
    const texts = documents();
    const op: AnyOperator = getOperator(name);
    const dropped = await runOperator(op, options, textBatch(texts));
    const tagged = await runOperator(tag as unknown as AnyOperator, { op: name, options }, textBatch(texts));
    expect(tagged.drop ?? []).toEqual([]);
    const reasons = tagged.batch.getChild(`${name}_reason`)!.toArray() as (string | null)[];
    expect(reasons).toEqual((dropped.drop ?? texts.map(() => null)).map((r) => r ?? null));
    expect(new Set(reasons).size).toBeGreaterThan(1);
    // A rewriting filter (c4_quality) rewrites the same documents the same way in both modes.
    expect(tagged.batch.getChild('text')!.toArray()).toEqual(dropped.batch.getChild('text')!.toArray());
    const stats = op.stats!(op.options.parse(options));
    for (let i = 0; i < texts.length; i++) {
      const s = Object.fromEntries(stats.map((k) => [k, tagged.batch.getChild(`${name}_${k}`)!.get(i) as number | null]));
      expect(keep(s), `document ${i}: ${reasons[i]} ${JSON.stringify(s)}`).toBe(reasons[i] === null);
    }
  });

  it('declares the verdict and statistic columns, does not filter, and rejects wide operators', () => {
    const d = tag.declare(tag.options.parse({ op: 'fineweb_quality', prefix: 'fw' }));
    expect(d.filters).toBe(false);
    expect(d.dropReasons).toBeUndefined();
    expect(d.writes).toEqual(['fw_reason', 'fw_line_punct_ratio', 'fw_short_line_ratio', 'fw_char_dup_ratio', 'fw_list_ratio']);
    defineOperator({
      name: 'test_tag_wide', options: z.object({}), init: () => null, apply: (_s, batch) => ({ batch }),
      declare: () => ({ reads: [], writes: [], removes: [], filters: true, kind: 'wide', costPerRow: 1 }),
    });
    expect(() => tag.declare(tag.options.parse({ op: 'test_tag_wide' }))).toThrow(/wide/);
  });
});
