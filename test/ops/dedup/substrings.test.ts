import { describe, expect, it } from 'vitest';
import { cutText } from '../../../src/ops/dedup/substrings-cut.ts';
import { repeatedWindows } from '../../../src/ops/dedup/substrings-duplicates.ts';
import { HASH_BASES, HASH_PRIME, windowHashes, windowHashesWith } from '../../../src/ops/dedup/substrings-hash.ts';
import { substrings } from '../../../src/ops/dedup/substrings-options.ts';
import { partitionWindowRecords, RECORD_WORDS, recordPass, WindowRecords } from '../../../src/ops/dedup/substrings-records.ts';
import { decodeSpans, encodeSpans, spansOf } from '../../../src/ops/dedup/substrings-spans.ts';
import { loadTokenizer } from '../../../src/ops/tokenize/backend.ts';
import { bruteSpans } from '../../exec/substring-brute.ts';
import { realDocs } from '../../exec/dedup-corpus.ts';

/** The hash of one window computed directly (Horner), for checking the rolling update. */
function direct(ids: Uint32Array, b: number, p: number): number {
  let h = 0n;
  for (const t of ids) h = (h * BigInt(b) + BigInt(t + 1)) % BigInt(p);
  return Number(h);
}

describe('window hashes', () => {
  it('rolling hashes equal the direct polynomial of every window (exact arithmetic below 2^53)', () => {
    const ids = Uint32Array.from({ length: 300 }, (_, i) => (i * 7919 + (i >> 3) * 104729) % 50257);
    const k = 17;
    const h = windowHashes(ids, k);
    expect(h.length).toBe((300 - k + 1) * 4);
    for (const s of [0, 1, 5, 100, 283]) {
      for (let j = 0; j < 4; j++) expect(h[s * 4 + j]).toBe(direct(ids.subarray(s, s + k), HASH_BASES[j]!, HASH_PRIME));
    }
    expect(windowHashes(ids.subarray(0, k - 1), k).length).toBe(0);
  });

  it('two different windows collide with probability ≤ (k − 1)/p per base (measured with a small prime)', () => {
    // With p = 251 the bound (k − 1)/p = 7/251 ≈ 0.028 is measurable: count the bases under which two
    // different 8-token windows collide; Schwartz–Zippel says at most k − 1 = 7 of the 251 bases.
    const p = 251, k = 8;
    let worst = 0;
    for (let trial = 0; trial < 200; trial++) {
      const x = Uint32Array.from({ length: k }, (_, i) => (trial * 31 + i * 17) % 200);
      const y = x.slice();
      y[trial % k] = (y[trial % k]! + 1 + (trial % 5)) % 200;
      let collisions = 0;
      for (let b = 0; b < p; b++) {
        const [hx, hy] = [windowHashesWith(x, k, [b], p)[0], windowHashesWith(y, k, [b], p)[0]];
        if (hx === hy) collisions++;
      }
      worst = Math.max(worst, collisions);
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(k - 1);
  });
});

describe('repeated windows (bucket step)', () => {
  it('equal the brute force on real token streams, in one pass or split by hash range and passes', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    const docs = realDocs().slice(0, 40).map((d) => gpt2.encodeOrdinary(d.text));
    // A planted cross-document copy and a repeat inside one document.
    docs.push(Uint32Array.from([...docs[3]!.subarray(10, 60), ...docs[5]!.subarray(0, 30)]));
    docs.push(Uint32Array.from([...docs[7]!.subarray(0, 25), ...docs[7]!.subarray(0, 25)]));
    for (const keep of ['none', 'first'] as const) {
      const k = 12;
      const records = new WindowRecords();
      docs.forEach((ids, d) => records.pushDocument(windowHashes(ids, k), d));
      const whole = repeatedWindows(records.view(), keep);
      const spans = spansOf(whole, 0, docs.length, k);
      const brute = bruteSpans(docs, k, keep);
      docs.forEach((_, d) => expect(Array.from(spans.pairs.subarray(2 * spans.offsets[d]!, 2 * spans.offsets[d + 1]!)), `doc ${d}`).toEqual(brute[d]));
      // Split over 3 partitions × 2 passes, the union of the hits is the same.
      const parts = partitionWindowRecords(records.view(), 3);
      const hits: number[][] = [];
      for (const part of parts) {
        for (let pass = 0; pass < 2; pass++) {
          const mine = new WindowRecords();
          for (let at = 0; at < part.length; at += RECORD_WORDS) if (recordPass(part[at]!, 3, 2) === pass) mine.pushRecord(part, at, part[at + 4]!);
          const h = repeatedWindows(mine.view(), keep);
          for (let i = 0; i < h.length; i += 2) hits.push([h[i]!, h[i + 1]!]);
        }
      }
      hits.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
      expect(hits.flat()).toEqual(Array.from(whole));
    }
  });
});

describe('spans', () => {
  it('union overlapping and adjacent windows per document and round-trip through their encoding', () => {
    const hits = Uint32Array.from([5, 0, 5, 3, 5, 20, 7, 2]);
    const s = spansOf(hits, 5, 3, 4);
    expect(Array.from(s.offsets)).toEqual([0, 2, 2, 3]);
    expect(Array.from(s.pairs)).toEqual([0, 7, 20, 24, 2, 6]);
    const back = decodeSpans(encodeSpans(s));
    expect(Array.from(back.pairs)).toEqual(Array.from(s.pairs));
    expect(() => decodeSpans(encodeSpans(s).subarray(0, 6))).toThrow(/pairs/);
  });
});

describe('cutText', () => {
  it('cuts only at character boundaries when byte-level tokens split a character', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    const bytes = (id: number) => gpt2.tokenByteLength!(id);
    const text = 'ab 🙂 東京 end';
    const ids = gpt2.encodeOrdinary(text);
    // Find a token that holds only part of a character (the emoji or a CJK character takes 2+ tokens).
    const partial = Array.from(ids).findIndex((id) => gpt2.decode(Uint32Array.of(id)).includes('\uFFFD'));
    expect(partial).toBeGreaterThan(0);
    // Independently: drop exactly the characters whose UTF-8 bytes lie wholly inside the token's bytes.
    let byte = 0;
    const tokenStart = Array.from(ids.subarray(0, partial)).reduce((n, id) => n + bytes(id), 0);
    const tokenEnd = tokenStart + bytes(ids[partial]!);
    let expected = '', removedChars = 0;
    for (const ch of text) {
      const n = Buffer.byteLength(ch, 'utf8');
      if (byte >= tokenStart && byte + n <= tokenEnd) removedChars++;
      else expected += ch;
      byte += n;
    }
    const cut = cutText(text, ids, [partial, partial + 1], bytes);
    expect(cut).toEqual({ text: expected, removedTokens: 1, removedChars });
    expect(removedChars).toBeLessThan(2);
    const all = cutText(text, ids, [0, ids.length], bytes);
    expect(all).toEqual({ text: '', removedTokens: ids.length, removedChars: [...text].length });
    const head = cutText(text, ids, [0, 1], bytes);
    expect(head.text).toBe(text.slice(gpt2.decode(ids.subarray(0, 1)).length));
    expect(() => cutText(text + 'x', ids, [0, 1], bytes)).toThrow(/not its tokenization/);
  });
});

describe('substrings()', () => {
  it('fills documented defaults and rejects bad options', () => {
    expect(substrings().options).toMatchObject({ column: 'text', minTokens: 50, tokenizer: 'gpt2', keep: 'none', minTokensLeft: 50, bucketMemoryMb: 256 });
    expect(() => substrings({ minTokens: 1 })).toThrow(/minTokens/);
    expect(() => substrings({ keep: 'last' as 'first' })).toThrow(/keep/);
  });
});
