import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gopherRepetition, gopherRepetitionCheck, gopherRepetitionOptions, gopherRepetitionScratch } from '../../src/ops/filters/gopher-repetition.ts';
import { NgramStats } from '../../src/ops/text/ngrams.ts';
import { WordTokens } from '../../src/ops/text/words.ts';
import { oneMegabyteLine, readCorpus, runOperator, textBatch } from './text-fixtures.ts';

const defaults = gopherRepetitionOptions.parse({});
const check = (text: string) => gopherRepetitionCheck(text, defaults, gopherRepetitionScratch());

// Straight ports of datatrove's gopher_repetition_filter.py helpers, on token strings.
function naiveTop(words: string[], n: number): number {
  const grams: string[] = [];
  for (let i = 0; i + n <= words.length; i++) grams.push(words.slice(i, i + n).join(' '));
  if (grams.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const g of grams) counts.set(g, (counts.get(g) ?? 0) + 1);
  let best = '';
  let bestCount = 0;
  for (const [g, c] of counts) if (c > bestCount) { best = g; bestCount = c; }
  return best.length * bestCount;
}
function naiveAllDup(words: string[], n: number): number {
  const seen = new Set<string>();
  let repeated = 0;
  let idx = 0;
  while (idx < words.length - n + 1) {
    const g = words.slice(idx, idx + n).join('');
    if (seen.has(g)) { repeated += g.length; idx += n; } else { seen.add(g); idx++; }
  }
  return repeated;
}

describe('n-gram statistics', () => {
  it('match the datatrove algorithms on random token sequences', () => {
    const tokens = new WordTokens();
    const stats = new NgramStats();
    fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b', 'cc', 'the', 'dog', 'x.'), { maxLength: 80 }), (ws) => {
      const text = ws.join(' ');
      tokens.tokenize(text);
      const words = tokens.toStrings(text);
      stats.load(text, tokens);
      for (let n = 1; n <= 10; n++) {
        expect(stats.topNgramChars(n)).toBe(naiveTop(words, n));
        expect(stats.duplicateNgramChars(n)).toBe(naiveAllDup(words, n));
      }
    }), { numRuns: 300 });
  });

  it('match on real documents', () => {
    const tokens = new WordTokens();
    const stats = new NgramStats();
    for (const d of readCorpus('dclm-quality-labels.sample.jsonl')) {
      tokens.tokenize(d.text);
      stats.load(d.text, tokens);
      const words = tokens.toStrings(d.text);
      for (const n of [2, 3, 4, 5, 10]) {
        expect(stats.topNgramChars(n)).toBe(naiveTop(words, n));
        expect(stats.duplicateNgramChars(n)).toBe(naiveAllDup(words, n));
      }
    }
  });
});

describe('gopher_repetition', () => {
  it('keeps ordinary prose and drops repeated lines, paragraphs and n-grams with their reason', () => {
    const c4 = readCorpus('c4-sample.01.jsonl').map((d) => d.text);
    for (const t of c4) expect(check(t)).toBeNull();
    const para = c4[0]!;
    expect(check([para, para, para].join('\n\n'))).toBe('dup_para_frac');
    // One paragraph, lines repeated: 2 of 5 lines are duplicates (0.4 > 0.3).
    expect(check('alpha beta gamma\ndelta epsilon\nalpha beta gamma\nzeta eta theta iota\nalpha beta gamma')).toBe('dup_line_frac');
    // Few duplicate lines but long: char fraction over 0.2 while line fraction stays under 0.3.
    const long = 'This long line is repeated twice in the document and weighs a lot of characters.';
    expect(check([long, 'a', 'b', 'c', 'd', 'e', 'f', long].join('\n'))).toBe('dup_line_char_frac');
    expect(check(`${c4[1]!.slice(0, 400)} ${'buy cheap shoes '.repeat(40)}`)).toBe('top_2_gram');
    // Spam-like repeated 5-grams inside varied text trigger the duplicated n-gram checks.
    const spam = 'click here now for the best deals on watches ';
    expect(check(`${c4[2]!.slice(0, 600)} ${spam.repeat(8)}`)).toMatch(/^(top_\d_gram|duplicated_\d+_n_grams)$/);
  });

  it('reports the first failing check in datatrove order', () => {
    const r = check('same line\nsame line\nsame line\nsame line');
    expect(r).toBe('dup_line_frac');
    const p = check('same para\n\nsame para\n\nsame para');
    expect(p).toBe('dup_para_frac');
  });

  it('handles empty text, no words, CJK and a 1 MB single line', () => {
    expect(check('')).toBeNull();
    expect(check('   \n\n  \t')).toBeNull();
    // Punctuation-only: no words, but the punctuation tokens form a dominant 2-gram, as in datatrove.
    expect(check('... !!! ???')).toBe('top_2_gram');
    const cjk = '人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。';
    expect(check(cjk)).toBeNull();
    expect(check(cjk.repeat(20))).not.toBeNull();
    const big = oneMegabyteLine();
    expect(big.length).toBeGreaterThanOrEqual(1_000_000);
    expect(typeof (check(big) ?? 'kept')).toBe('string');
  });

  it('runs as an operator with prefixed reasons and disabled checks', async () => {
    const texts = ['x y z\nx y z\nx y z', readCorpus('c4-sample.01.jsonl')[0]!.text, null];
    const r = await runOperator(gopherRepetition, {}, textBatch(texts));
    expect(r.drop).toEqual(['gopher_repetition:dup_line_frac', null, null]);
    expect(r.batch.numRows).toBe(3);
    const off = await runOperator(gopherRepetition, { dupLineFrac: null, dupLineCharFrac: null, dupParaFrac: null, dupParaCharFrac: null }, textBatch(texts));
    expect(off.drop![0]).toBe('gopher_repetition:top_2_gram');
    expect(() => gopherRepetitionOptions.parse({ dupLineFrac: 2 })).toThrow();
  });

  it('declares its reads and reasons', () => {
    const d = gopherRepetition.declare(defaults);
    expect(d.reads).toEqual(['text']);
    expect(d.dropReasons).toContain('gopher_repetition:duplicated_10_n_grams');
  });
});
