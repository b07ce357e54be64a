import { describe, expect, it } from 'vitest';
import { gopherQuality, gopherQualityCheck, gopherQualityOptions, gopherQualityScratch } from '../../src/ops/filters/gopher-quality.ts';
import { oneMegabyteLine, readCorpus, runOperator, textBatch } from './text-fixtures.ts';

const defaults = gopherQualityOptions.parse({});
const scratch = gopherQualityScratch(defaults);
const check = (text: string, o = defaults) => gopherQualityCheck(text, o, o === defaults ? scratch : gopherQualityScratch(o));
const prose = readCorpus('c4-sample.01.jsonl').map((d) => d.text);

describe('gopher_quality', () => {
  it('keeps real English prose', () => {
    const kept = prose.filter((t) => check(t) === null);
    // C4 documents are already filtered prose; short ones (< 50 words) fail the length check.
    for (const t of prose) {
      const r = check(t);
      if (r !== null) expect(r).toBe('gopher_short_doc');
    }
    expect(kept.length).toBeGreaterThanOrEqual(7);
  });

  it('drops each failure with its datatrove reason', () => {
    const base = prose.find((t) => check(t) === null)!;
    expect(check('Too short to be a document.')).toBe('gopher_short_doc');
    expect(check(Array.from({ length: 120 }, (_, i) => `a${i % 10} b to of`).join(' '))).toBe('gopher_below_avg_threshold');
    expect(check(`${'internationalization '.repeat(60)} the and`)).toBe('gopher_above_avg_threshold');
    expect(check(`${base} ${'#tag '.repeat(80)}`)).toBe('gopher_too_many_hashes');
    expect(check(`${base} ${'wait... '.repeat(60)}`)).toBe('gopher_too_many_ellipsis');
    const bullets = Array.from({ length: 60 }, (_, i) => `• item number ${i} with the word and more`).join('\n');
    expect(check(bullets)).toBe('gopher_too_many_bullets');
    const dashes = Array.from({ length: 60 }, (_, i) => `- item number ${i} with the word and more`).join('\n');
    expect(check(dashes)).toBe('gopher_too_many_bullets');
    const trailing = Array.from({ length: 30 }, (_, i) => `sentence ${i} describes wonderful adventures across distant mountains and the rivers that flow with gentle grace…`).join('\n');
    expect(check(trailing)).toBe('gopher_too_many_end_ellipsis');
    expect(check(`${base.slice(0, 400)} ${'12345 67890 '.repeat(100)}`)).toBe('gopher_below_alpha_threshold');
    const noStop = Array.from({ length: 60 }, (_, i) => `Cats sleep${i % 3 ? '' : 's'} often near windows`).join(' ');
    expect(check(noStop)).toBe('gopher_enough_stop_words');
    // Stop words are case-sensitive, as in datatrove: "The" and "AND" do not count.
    expect(check(`${noStop} The AND`)).toBe('gopher_enough_stop_words');
    expect(check(`${noStop} the and`)).toBeNull();
  });

  it('handles empty text, no words, CJK and a 1 MB single line', () => {
    expect(check('')).toBe('gopher_short_doc');
    expect(check('... ### !!!')).toBe('gopher_short_doc');
    const cjk = '人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。'.repeat(5);
    // Counted per character (not as one giant word), CJK text has no English stop words.
    expect(check(cjk)).toBe('gopher_below_avg_threshold');
    // ~180k words: over the 100,000-word maximum.
    expect(check(oneMegabyteLine())).toBe('gopher_long_doc');
    expect(check(oneMegabyteLine(), gopherQualityOptions.parse({ maxDocWords: null }))).toBeNull();
  });

  it('null disables a check', () => {
    const o = gopherQualityOptions.parse({ minDocWords: null });
    expect(check('the cat and the dog sat with me', o)).toBeNull();
  });

  it('rejects more label-0 than label-1 documents of the DCLM human labels', async () => {
    const docs = readCorpus('dclm-quality-labels.sample.jsonl');
    const r = await runOperator(gopherQuality, {}, textBatch(docs.map((d) => d.text)));
    const rate = (label: number) => {
      const idx = docs.map((d, i) => [d, i] as const).filter(([d]) => d.label === label);
      return idx.filter(([, i]) => r.drop![i]).length / idx.length;
    };
    expect(rate(0)).toBeGreaterThan(rate(1));
    for (const reason of r.drop!) if (reason) expect(reason).toMatch(/^gopher_quality:gopher_/);
  });
});
