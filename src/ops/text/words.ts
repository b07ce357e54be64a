import { CC_CJK, CC_PUNCT, CC_SPACE, CHAR_CLASS } from './chars.ts';

/**
 * Word tokens of one document as UTF-16 offsets into the text (no substrings are allocated).
 *
 * Rules — an approximation of NLTK's English `word_tokenize`, which datatrove's Gopher, C4 and
 * FineWeb filters use, tuned to be a single linear scan:
 * - whitespace (Python `str.isspace`) separates tokens;
 * - punctuation/symbol characters (`\p{P}`, `\p{S}`) at either edge of a whitespace-separated
 *   chunk are split off, one token per run of the same character (`"end."` → `end` `.`,
 *   `"wait..."` → `wait` `...`, `"(a),"` → `(` `a` `)` `,`); punctuation inside a chunk stays
 *   (`e-mail`, `3.14`, `U.S` + `.`);
 * - Han, Hiragana and Katakana characters are one token each, so unspaced CJK text is counted in
 *   characters instead of becoming one giant "word".
 * Differences from NLTK: no contraction splitting (`don't` stays one token), no quote rewriting
 * (NLTK turns `"` into `` and ''), and edge punctuation is split everywhere, not only at the end
 * of a sentence.
 */
export class WordTokens {
  /** Start offset of each token. Valid for indices `< count`. */
  start: Int32Array = new Int32Array(1024);
  /** End offset (exclusive) of each token. */
  end: Int32Array = new Int32Array(1024);
  count = 0;

  /** Tokenizes `text`, replacing the previous contents; returns the token count. */
  tokenize(text: string): number {
    this.count = 0;
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (CHAR_CLASS[text.charCodeAt(i)]! & CC_SPACE) { i++; continue; }
      let j = i + 1;
      let hasCjk = (CHAR_CLASS[text.charCodeAt(i)]! & CC_CJK) !== 0;
      while (j < n) {
        const k = CHAR_CLASS[text.charCodeAt(j)]!;
        if (k & CC_SPACE) break;
        if (k & CC_CJK) hasCjk = true;
        j++;
      }
      if (hasCjk) this.chunkWithCjk(text, i, j);
      else this.segment(text, i, j);
      i = j;
    }
    return this.count;
  }

  private chunkWithCjk(text: string, a: number, b: number): void {
    let s = a;
    for (let p = a; p < b; p++) {
      if (CHAR_CLASS[text.charCodeAt(p)]! & CC_CJK) {
        if (p > s) this.segment(text, s, p);
        this.push(p, p + 1);
        s = p + 1;
      }
    }
    if (b > s) this.segment(text, s, b);
  }

  /** Emits a space-free, CJK-free segment with its edge punctuation split off. */
  private segment(text: string, a: number, b: number): void {
    let p = a;
    while (p < b && (CHAR_CLASS[text.charCodeAt(p)]! & CC_PUNCT)) {
      const c = text.charCodeAt(p);
      let q = p + 1;
      while (q < b && text.charCodeAt(q) === c) q++;
      this.push(p, q);
      p = q;
    }
    if (p >= b) return;
    let e = b;
    while (e > p && (CHAR_CLASS[text.charCodeAt(e - 1)]! & CC_PUNCT)) e--;
    this.push(p, e);
    while (e < b) {
      const c = text.charCodeAt(e);
      let q = e + 1;
      while (q < b && text.charCodeAt(q) === c) q++;
      this.push(e, q);
      e = q;
    }
  }

  private push(s: number, e: number): void {
    if (this.count === this.start.length) {
      const grow = (a: Int32Array): Int32Array => { const g = new Int32Array(a.length * 2); g.set(a); return g; };
      this.start = grow(this.start);
      this.end = grow(this.end);
    }
    this.start[this.count] = s;
    this.end[this.count] = e;
    this.count++;
  }

  /** The tokens as strings (for tests and debugging; the filters work on offsets). */
  toStrings(text: string): string[] {
    const out: string[] = [];
    for (let t = 0; t < this.count; t++) out.push(text.slice(this.start[t]!, this.end[t]!));
    return out;
  }
}

/** Number of whitespace-separated words (Python `len(s.split())`) in `text[from, to)`. */
export function countSpaceWords(text: string, from = 0, to = text.length): number {
  let words = 0;
  let inWord = false;
  for (let i = from; i < to; i++) {
    const space = (CHAR_CLASS[text.charCodeAt(i)]! & CC_SPACE) !== 0;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/**
 * Like {@link countSpaceWords}, but each Han/Hiragana/Katakana character counts as one word, so
 * unspaced CJK lines are not mistaken for one-word lines.
 */
export function countWords(text: string, from = 0, to = text.length): number {
  let words = 0;
  let inWord = false;
  for (let i = from; i < to; i++) {
    const k = CHAR_CLASS[text.charCodeAt(i)]!;
    if (k & CC_CJK) { words++; inWord = false; continue; }
    const space = (k & CC_SPACE) !== 0;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}
