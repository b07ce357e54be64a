import { describe, expect, it } from 'vitest';
import { correctLines, lineCorrections, lineCorrectionsOptions, lineRule } from '../../src/ops/transforms/line-corrections.ts';
import { oneMegabyteLine, readCorpus, runOperator, textBatch } from './text-fixtures.ts';

const o = lineCorrectionsOptions.parse({});
const rule = (line: string) => lineRule(line, line.split(/\s+/).filter(Boolean).length, o);
const c4docs = readCorpus('c4-sample.01.jsonl').map((d) => d.text);

describe('line rules (RefinedWeb G.2)', () => {
  it('flags each kind of junk line', () => {
    expect(rule('BREAKING NEWS FROM THE CITY')).toBe('uppercase');
    expect(rule('12:30 - 14:00')).toBe('numeric');
    expect(rule('2019 2020 2021')).toBe('numeric');
    expect(rule('12 likes')).toBe('counter');
    expect(rule('1,234 Shares')).toBe('counter');
    expect(rule('3.2k views')).toBe('counter');
    expect(rule('Home')).toBe('too_few_words');
    expect(rule('Sign in to your account')).toBe('navigation');
    expect(rule('Read more »')).toBe('navigation');
    expect(rule('Read more...')).toBe('navigation');
    expect(rule('You have 3 items in cart')).toBe('navigation');
    expect(rule('© 2019 Example Media. All rights reserved.')).toBe('navigation');
  });

  it('keeps real sentences, including ones that merely mention a pattern', () => {
    expect(rule('The NASA probe reached orbit on Tuesday.')).toBeNull();
    expect(rule('Next year we will travel again.')).toBeNull();
    expect(rule('I have 12 likes and 3 dislikes in my list of hobbies.')).toBeNull();
    expect(rule('Many readers asked us to sign in the guest book at the entrance of the museum every morning.')).toBeNull();
    expect(rule('Registration is free.')).toBeNull();
  });
});

describe('line_corrections', () => {
  it('removes junk lines from a real document and reports the removed-word fraction', () => {
    const body = c4docs[0]!;
    const doc = `Home\n${body}\n12 likes\nRead more`;
    const r = correctLines(doc, o);
    expect(r.text).toBe(body);
    expect(r.removed.map((x) => x.rule)).toEqual(['too_few_words', 'counter', 'navigation']);
    const words = doc.split(/\s+/).filter(Boolean).length;
    expect(r.removedWordFrac).toBeCloseTo(5 / words, 10);
  });

  it('keeps blank lines and leaves untouched documents identical', () => {
    const doc = 'A first paragraph of ordinary prose.\n\n\nA second paragraph, also ordinary.\n';
    expect(correctLines(doc, o)).toMatchObject({ text: doc, removedWordFrac: 0, removed: [] });
    const withJunk = `Share\n${doc}`;
    expect(correctLines(withJunk, o).text).toBe(doc);
  });

  it('drops documents that lose more than 5% of their words', async () => {
    const body = 'This is a short article with a handful of words in it and nothing else.';
    const junk = 'MENU HOME ABOUT CONTACT';
    const r = await runOperator(lineCorrections, {}, textBatch([`${junk}\n${body}`, `${body}\n${body}`, '', null]));
    expect(r.drop).toEqual(['line_corrections:too_many_removed', null, null, null]);
    const frac = r.batch.getChild('line_corrections_removed_frac')!.toArray() as Float64Array;
    expect(frac[0]).toBeCloseTo(4 / 19, 10);
    expect(frac[1]).toBe(0);
    // The dropped document keeps its original text for inspection.
    expect(r.batch.getChild('text')!.get(0)).toBe(`${junk}\n${body}`);
  });

  it('handles empty text, no words, CJK and a 1 MB single line', () => {
    expect(correctLines('', o)).toMatchObject({ text: '', removedWordFrac: 0 });
    expect(correctLines('\n \n', o)).toMatchObject({ text: '\n \n', removedWordFrac: 0 });
    expect(correctLines('... !!!', o).removedWordFrac).toBe(0);
    // Unspaced CJK: each character counts as a word, so a CJK sentence is not a "one-word" line.
    const cjk = '人人生而自由，在尊严和权利上一律平等。\n他们赋有理性和良心，并应以兄弟关系的精神相对待。';
    expect(correctLines(cjk, o)).toMatchObject({ text: cjk, removedWordFrac: 0 });
    const big = oneMegabyteLine();
    expect(correctLines(big, o)).toMatchObject({ text: big, removedWordFrac: 0 });
  });

  it('on real web text removes few words from most documents', () => {
    const docs = readCorpus('dclm-quality-labels.sample.jsonl');
    const fracs = docs.map((d) => correctLines(d.text, o).removedWordFrac);
    const good = docs.map((d, i) => [d, fracs[i]!] as const).filter(([d]) => d.label === 1).map(([, f]) => f);
    const bad = docs.map((d, i) => [d, fracs[i]!] as const).filter(([d]) => d.label === 0).map(([, f]) => f);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(bad)).toBeGreaterThan(mean(good));
  });
});
