import { describe, expect, it } from 'vitest';
import { finewebQuality, finewebQualityCheck, finewebQualityOptions, finewebScratch } from '../../src/ops/filters/fineweb-quality.ts';
import { oneMegabyteLine, readCorpus, runOperator, textBatch } from './text-fixtures.ts';

const defaults = finewebQualityOptions.parse({});
const scratch = finewebScratch();
const check = (t: string, o = defaults) => finewebQualityCheck(t, o, scratch);
const c4docs = readCorpus('c4-sample.01.jsonl').map((d) => d.text);

describe('fineweb_quality', () => {
  it('keeps clean prose', () => {
    const kept = c4docs.filter((t) => check(t) === null);
    expect(kept.length).toBeGreaterThanOrEqual(7);
  });

  it('drops with each datatrove reason', () => {
    const prose = c4docs.find((t) => check(t) === null)!;
    const menu = Array.from({ length: 20 }, (_, i) => `Category ${i}`).join('\n');
    expect(check(menu)).toBe('line_punct_ratio');
    expect(check(menu, { ...defaults, linePunctExcludeZero: true })).toBe('short_line_ratio');
    const shortLines = Array.from({ length: 20 }, (_, i) => `Item ${i} is here.`).join('\n');
    expect(check(shortLines)).toBe('short_line_ratio');
    const longLine = 'This sentence is long enough to count as a real line of prose, really.';
    const dup = `${prose}\n${longLine}\n${longLine}`;
    // One repeated line is ~2% of the characters: over the code's 0.01, under the paper's 0.1.
    expect(check(dup)).toBe('char_dup_ratio');
    expect(check(dup, { ...defaults, charDuplicatesRatio: 0.1 })).toBeNull();
    // Few words per line, blank lines between: 58 newlines for ~120 tokens.
    const list = Array.from({ length: 30 }, (_, i) => `Supercalifragilistic extraordinarily wonderful${i}.`).join('\n\n');
    expect(check(list)).toBe('list_ratio');
  });

  it('handles empty text, no words, CJK and a 1 MB single line', () => {
    expect(check('')).toBe('line_punct_ratio');
    expect(check('\n\n\n')).toBe('line_punct_ratio');
    expect(check('\n\n\n', { ...defaults, linePunctExcludeZero: true })).toBe('short_line_ratio');
    const cjk = '人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。';
    // CJK full stop "。" is not one of FineWeb's stop characters.
    expect(check(cjk)).toBe('line_punct_ratio');
    expect(check(`${oneMegabyteLine()}.`)).toBeNull();
  });

  it('runs as an operator with prefixed reasons', async () => {
    const r = await runOperator(finewebQuality, {}, textBatch([c4docs[0]!, 'a\nb\nc', null]));
    expect(r.drop).toEqual([check(c4docs[0]!) === null ? null : `fineweb_quality:${check(c4docs[0]!)}`, 'fineweb_quality:line_punct_ratio', 'fineweb_quality:line_punct_ratio']);
  });

  it('rejects more label-0 than label-1 DCLM documents', async () => {
    const docs = readCorpus('dclm-quality-labels.sample.jsonl');
    const r = await runOperator(finewebQuality, {}, textBatch(docs.map((d) => d.text)));
    const rate = (label: number) => docs.filter((d, i) => d.label === label && r.drop![i]).length / docs.filter((d) => d.label === label).length;
    expect(rate(0)).toBeGreaterThan(rate(1));
  });
});
