import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Tiktoken } from 'tiktoken/lite';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../../src/ops/tokenize/backend.ts';
import { encodeSegmented, HARD_CUT_CHARS, segmentEnds } from '../../../src/ops/tokenize/segment.ts';
import { realDocs } from './helpers.ts';

const require = createRequire(import.meta.url);

function rawEncoder(name: string): Tiktoken {
  const f = JSON.parse(readFileSync(require.resolve(`tiktoken/encoders/${name}.json`), 'utf8')) as { bpe_ranks: string; special_tokens: Record<string, number>; pat_str: string };
  return new Tiktoken(f.bpe_ranks, f.special_tokens, f.pat_str);
}

describe('segmented encoding of long documents', () => {
  const docs = realDocs();
  // Tiny segments force a cut every ~100 characters, so thousands of cuts are checked.
  for (const name of ['gpt2', 'cl100k_base', 'o200k_base']) {
    it(`${name}: ids equal one call on every real document, cut every ~100 chars`, () => {
      const enc = rawEncoder(name);
      let cuts = 0;
      for (const d of docs) {
        const ends = segmentEnds(d.text, 100);
        cuts += ends.length - 1;
        expect(ends.at(-1)).toBe(d.text.length);
        const seg = encodeSegmented(d.text, (s) => enc.encode_ordinary(s), 100);
        expect(Array.from(seg)).toEqual(Array.from(enc.encode_ordinary(d.text)));
      }
      expect(cuts).toBeGreaterThan(500);
      enc.free();
    });
  }

  it('cuts segments near segmentChars, never inside a surrogate pair', () => {
    const text = docs.map((d) => d.text).join('\n\n');
    const ends = segmentEnds(text, 2000);
    let start = 0;
    for (const end of ends.slice(0, -1)) {
      expect(end - start).toBeGreaterThanOrEqual(2000);
      expect(end - start).toBeLessThan(2200);
      const c = text.charCodeAt(end);
      expect(c >= 0xdc00 && c <= 0xdfff).toBe(false);
      start = end;
    }
  });

  it('hard-cuts degenerate runs so a 2 M-char run of one letter stays linear and round-trips', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    // Unsegmented this takes hours (BPE is quadratic per pre-token: 400 K chars take 80 s).
    const text = `start ${'a'.repeat(1_000_000)}${' '.repeat(1_000_000)} end`;
    const ids = gpt2.encodeOrdinary(text);
    expect(gpt2.decode(ids)).toBe(text);
    const ends = segmentEnds(text);
    expect(ends.length).toBeGreaterThan(2_000_000 / HARD_CUT_CHARS);
  });

  it('returns one segment for short text and handles emoji at cut points', () => {
    expect(segmentEnds('short', 100)).toEqual([5]);
    const text = '😀'.repeat(5000);
    const ends = segmentEnds(text, 1000);
    for (const e of ends) expect(text.charCodeAt(e - 1) >= 0xd800 && text.charCodeAt(e - 1) <= 0xdbff).toBe(false);
  });
});
