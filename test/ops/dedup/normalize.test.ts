import { describe, expect, it } from 'vitest';
import { LaneBuffer, RAW_TEXT, TextNormConfig, hashString64, normalizeText, wordHashes } from '../../../src/ops/dedup/index.ts';
import { fixtureDocs } from './helpers.ts';

describe('normalizeText (datatrove simplify_text semantics)', () => {
  it('lowercases, collapses whitespace, removes punctuation, diacritics and digit runs', () => {
    expect(normalizeText('  Héllo,   WORLD!\n\tÇa  va? 2024-05-01 — v3.14 ')).toBe('hello world ca va 0 v0');
    expect(normalizeText("Don't stop")).toBe('dont stop');
    expect(normalizeText('「日本語」、テスト。')).toBe('日本語テスト');
  });

  it('honours each switch', () => {
    const cfg = (o: Partial<TextNormConfig>) => TextNormConfig.parse(o);
    expect(normalizeText('Àb 12', cfg({ lowercase: false }))).toBe('Ab 0');
    expect(normalizeText('àb 12', cfg({ normDiacritics: false }))).toBe('àb 0');
    expect(normalizeText('àb 12', cfg({ normNumbers: false }))).toBe('ab 12');
    expect(normalizeText('a,b', cfg({ removePunctuation: false }))).toBe('a,b');
    expect(normalizeText('A, b', RAW_TEXT)).toBe('A, b');
  });

  it('wordHashes hashes exactly the words of normalizeText, on real documents', () => {
    const buf = new LaneBuffer(4);
    const ref = new Uint32Array(2);
    for (const { text } of fixtureDocs()) {
      for (const cfg of [TextNormConfig.parse({}), TextNormConfig.parse({ normNumbers: false, normWhitespace: false })]) {
        const words = normalizeText(text, cfg).split(/\s+/).filter(Boolean);
        const n = wordHashes(text, cfg, buf);
        expect(n).toBe(words.length);
        words.forEach((w, i) => {
          hashString64(w, ref, 0);
          expect([buf.hi[i], buf.lo[i]]).toEqual([ref[0], ref[1]]);
        });
      }
    }
  });
});
