import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { c4Quality, c4QualityCheck, c4QualityOptions } from '../../src/ops/filters/c4-quality.ts';
import { countSentences } from '../../src/ops/text/sentences.ts';
import { oneMegabyteLine, readCorpus, runOperator, textBatch } from './text-fixtures.ts';

const defaults = c4QualityOptions.parse({});
const check = (t: string, o = defaults) => c4QualityCheck(t, o);
const c4docs = readCorpus('c4-sample.01.jsonl').map((d) => d.text);

describe('sentence counting', () => {
  it('splits on terminal punctuation, not on abbreviations or lower-case continuations', () => {
    expect(countSentences('One. Two! Three? Four')).toBe(4);
    expect(countSentences('Mr. Smith went to Washington. He stayed.')).toBe(2);
    expect(countSentences('It costs 3.50 dollars, e.g. on sale. Really.')).toBe(2);
    expect(countSentences('"Stop!" she said. Then left.')).toBe(2);
    expect(countSentences('')).toBe(0);
  });
});

describe('c4_quality', () => {
  it('keeps C4 documents (they passed these very rules) and leaves most of their text', () => {
    let kept = 0;
    for (const t of c4docs) {
      const r = check(t);
      if (r.reason === null) { kept++; expect(r.text.length).toBeGreaterThan(t.length * 0.5); }
      else expect(r.reason).toBe('too_few_sentences');
    }
    expect(kept).toBeGreaterThanOrEqual(6);
  });

  it('removes bad lines and rewrites the text', () => {
    const doc = [
      'The first sentence is fine. The second one too.',
      'Menu',
      'Please enable JavaScript to view the comments powered by Disqus.',
      'This site uses cookies to improve your experience.',
      'Citation marks are removed here.[1] And here[citation needed].',
      'A line without terminal punctuation',
      'Third proper sentence is here. And a fourth one follows.',
    ].join('\n');
    const r = check(doc);
    expect(r.reason).toBeNull();
    expect(r.text).toBe(['The first sentence is fine. The second one too.',
      'Citation marks are removed here. And here.',
      'Third proper sentence is here. And a fourth one follows.'].join('\n'));
  });

  it('drops whole documents with datatrove reasons', () => {
    const base = c4docs.find((t) => check(t).reason === null)!;
    expect(check(`${base}\nLorem ipsum dolor sit amet, consectetur adipiscing elit.`).reason).toBe('lorem_ipsum');
    expect(check(`${base}\nThe function body is { return x; } in this example.`).reason).toBe('curly_bracket');
    // A curly bracket on a line that is removed anyway (no terminal punctuation) does not count.
    expect(check(`${base}\nfunction f() { return 1 }`).reason).toBeNull();
    expect(check('Only one sentence here.').reason).toBe('too_few_sentences');
    const noPunct = check(base.replaceAll('.', ''), { ...defaults, filterNoTerminalPunct: false });
    expect(noPunct.reason).toBeNull();
  });

  it('handles empty text, no words, CJK and a 1 MB single line', () => {
    expect(check('').reason).toBe('too_few_sentences');
    expect(check('... !!! ???').reason).toBe('too_few_sentences');
    const cjk = '人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。';
    expect(check(cjk).reason).toBe('too_few_sentences');
    const big = `${oneMegabyteLine()}.`;
    const r = check(big, { ...defaults, minNumSentences: 1 });
    expect(r.reason).toBeNull();
    expect(r.text.length).toBe(big.length);
    const longWord = `${'x'.repeat(1001)} is a very long word.`;
    expect(check(`${longWord}\n${c4docs[0]}`).text.includes('xxxx')).toBe(false);
  });

  it('runs as an operator: rewrites the text column, prefixes reasons, optional bad words', async () => {
    const base = c4docs.find((t) => check(t).reason === null)!;
    const batch = textBatch([base, 'Too short.', `${base}\nThey sell widgets and gizmos here today.`]);
    const r = await runOperator(c4Quality, {}, batch);
    expect(r.drop).toEqual([null, 'c4_quality:too_few_sentences', null]);
    expect(r.batch.getChild('text')!.get(0)).toBe(check(base).text);
    const dir = mkdtempSync(join(tmpdir(), 'c4bw-'));
    writeFileSync(join(dir, 'en'), 'gizmos\nfoo bar\n');
    const bw = await runOperator(c4Quality, { badWordsPath: join(dir, 'en') }, batch);
    expect(bw.drop).toEqual([null, 'c4_quality:too_few_sentences', 'c4_quality:document_removed_with_badwords']);
    expect(c4Quality.declare(c4QualityOptions.parse({})).dropReasons).not.toContain('c4_quality:document_removed_with_badwords');
  });
});
