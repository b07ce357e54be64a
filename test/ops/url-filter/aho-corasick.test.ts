import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlphaNumMatcher } from '../../../src/ops/filters/url-filter/aho-corasick.ts';
import { loadWordList, normalizeWord, DEFAULT_WORD_LISTS } from '../../../src/ops/filters/url-filter/lists.ts';

describe('AlphaNumMatcher', () => {
  it('finds patterns in the normalized text, including overlapping ones and suffix links', () => {
    const m = new AlphaNumMatcher(['he', 'she', 'his', 'hers', 'usher']);
    expect(m.find('u-S-H-e')).toBe('she');
    expect(m.find('ahishers')).toBe('his');
    expect(m.find('HIS')).toBe('his');
    expect(m.find('h.e.r')).toBe('he');
    expect(m.find('xyz')).toBeUndefined();
    expect(m.find('')).toBeUndefined();
  });

  it('rejects patterns that are not normalized', () => {
    expect(() => new AlphaNumMatcher(['Bad'])).toThrow(/not normalized/);
    expect(() => new AlphaNumMatcher([''])).toThrow(/not normalized/);
  });

  it('agrees with substring search over normalize(text) on random inputs', () => {
    const alnum = fc.constantFrom(...'abcab01-_/.A'.split(''));
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'c', '0', '1'), minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.string({ unit: alnum, maxLength: 40 }),
        (patterns, text) => {
          const m = new AlphaNumMatcher(patterns);
          const norm = normalizeWord(text);
          expect(m.find(text) !== undefined).toBe(patterns.some((p) => norm.includes(p)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("agrees with a naive scan using datatrove's banned subword list", () => {
    const words = [...loadWordList(DEFAULT_WORD_LISTS.bannedSubwords, [])];
    const m = new AlphaNumMatcher(words);
    for (const url of ['http://example.com/2-girls-1-cup', 'https://www.xvideos.com/', 'http://example.org/hello', 'https://a.b/Auto-Erotic']) {
      const norm = normalizeWord(url);
      const naive = words.find((w) => norm.includes(w));
      expect(m.find(url) !== undefined).toBe(naive !== undefined);
    }
  });
});
