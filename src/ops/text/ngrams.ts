import { CC_CJK, CHAR_CLASS } from './chars.ts';
import type { WordTokens } from './words.ts';

/**
 * Word n-gram statistics for the Gopher repetition filter (datatrove
 * `gopher_repetition_filter.py`: `find_top_duplicate`, `find_all_duplicate`), computed on token
 * ids instead of joined strings: each distinct token gets a dense id, n-grams are hashed from ids
 * and every hash hit is verified id by id, so results are exact, with no string per n-gram.
 * All buffers are reused across documents; one instance per worker.
 */
export class NgramStats {
  private ids = new Int32Array(1024);
  /** cum[i] = total UTF-16 length of tokens 0..i-1. */
  private cum = new Float64Array(1025);
  /**
   * sepCum[i] = separators counted between tokens 0..i. datatrove joins n-gram words with one
   * space; between two adjacent CJK character tokens there is no space in the text, so none is
   * counted (otherwise short unspaced documents would "repeat" their own separators).
   */
  private sepCum = new Float64Array(1025);
  private hashes = new Int32Array(1024);
  private n = 0;
  /** The n whose hashes `hashes` currently holds (0: none). */
  private hashedN = 0;
  // Open-addressing table keyed by hash; slots hold entry index + 1, valid when stamp matches.
  private slots = new Int32Array(4096);
  private stamps = new Int32Array(4096);
  private gen = 0;
  private entryPos = new Int32Array(2048);
  private entryCount = new Int32Array(2048);
  private entryHash = new Int32Array(2048);
  private entries = 0;

  /** Loads the tokens of `text`, interning each distinct token string to an id. */
  load(text: string, tokens: WordTokens): void {
    const n = tokens.count;
    this.n = n;
    this.hashedN = 0;
    if (this.ids.length < n) {
      const size = Math.max(n, this.ids.length * 2);
      this.ids = new Int32Array(size);
      this.hashes = new Int32Array(size);
      this.cum = new Float64Array(size + 1);
      this.sepCum = new Float64Array(size + 1);
    }
    this.reserveTable(n);
    this.beginTable();
    const { start, end } = tokens;
    const ids = this.ids;
    const cum = this.cum;
    const sepCum = this.sepCum;
    cum[0] = 0;
    sepCum[0] = 0;
    let prevCjk = false;
    for (let t = 0; t < n; t++) {
      const s = start[t]!;
      const e = end[t]!;
      cum[t + 1] = cum[t]! + (e - s);
      const cjk = e - s === 1 && (CHAR_CLASS[text.charCodeAt(s)]! & CC_CJK) !== 0;
      const joined = t > 0 && end[t - 1] === s && (cjk || prevCjk);
      sepCum[t + 1] = sepCum[t]! + (t > 0 && !joined ? 1 : 0);
      prevCjk = cjk;
      let h = 0x811c9dc5 | 0;
      for (let i = s; i < e; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      ids[t] = this.internToken(text, tokens, t, h);
    }
  }

  private internToken(text: string, tokens: WordTokens, t: number, h: number): number {
    const mask = this.slots.length - 1;
    let slot = (h ^ (h >>> 16)) & mask;
    for (;;) {
      if (this.stamps[slot] !== this.gen) {
        this.stamps[slot] = this.gen;
        const e = this.entries++;
        this.slots[slot] = e + 1;
        this.entryPos[e] = t;
        this.entryHash[e] = h;
        return e;
      }
      const e = this.slots[slot]! - 1;
      if (this.entryHash[e] === h && sameToken(text, tokens, this.entryPos[e]!, t)) return e;
      slot = (slot + 1) & mask;
    }
  }

  /**
   * datatrove `find_top_duplicate(get_n_grams(words, n))`: length of the most frequent n-gram
   * (words joined by one space) times its count; ties go to the n-gram seen first, as with
   * Python's `Counter.most_common(1)`. Returns 0 when there are fewer than `n` words.
   */
  topNgramChars(n: number): number {
    const count = this.n - n + 1;
    if (count <= 0) return 0;
    this.hashNgrams(n);
    this.beginTable();
    const mask = this.slots.length - 1;
    for (let i = 0; i < count; i++) {
      const h = this.hashes[i]!;
      let slot = (h ^ (h >>> 16)) & mask;
      for (;;) {
        if (this.stamps[slot] !== this.gen) {
          this.stamps[slot] = this.gen;
          const e = this.entries++;
          this.slots[slot] = e + 1;
          this.entryPos[e] = i;
          this.entryHash[e] = h;
          this.entryCount[e] = 1;
          break;
        }
        const e = this.slots[slot]! - 1;
        if (this.entryHash[e] === h && this.sameNgram(this.entryPos[e]!, i, n)) { this.entryCount[e]!++; break; }
        slot = (slot + 1) & mask;
      }
    }
    let best = 0;
    for (let e = 1; e < this.entries; e++) if (this.entryCount[e]! > this.entryCount[best]!) best = e;
    const p = this.entryPos[best]!;
    const seps = this.sepCum[p + n]! - this.sepCum[p + 1]!;
    return (this.cum[p + n]! - this.cum[p]! + seps) * this.entryCount[best]!;
  }

  /**
   * datatrove `find_all_duplicate(words, n)`: walks the n-grams; an n-gram seen before adds its
   * length (words joined without spaces, as in current datatrove) and skips `n` words, otherwise
   * it is remembered and the walk advances one word.
   */
  duplicateNgramChars(n: number): number {
    const count = this.n - n + 1;
    if (count <= 0) return 0;
    this.hashNgrams(n);
    this.beginTable();
    const mask = this.slots.length - 1;
    let repeated = 0;
    let i = 0;
    while (i < count) {
      const h = this.hashes[i]!;
      let slot = (h ^ (h >>> 16)) & mask;
      let seen = false;
      for (;;) {
        if (this.stamps[slot] !== this.gen) {
          this.stamps[slot] = this.gen;
          const e = this.entries++;
          this.slots[slot] = e + 1;
          this.entryPos[e] = i;
          this.entryHash[e] = h;
          break;
        }
        const e = this.slots[slot]! - 1;
        if (this.entryHash[e] === h && this.sameNgram(this.entryPos[e]!, i, n)) { seen = true; break; }
        slot = (slot + 1) & mask;
      }
      if (seen) { repeated += this.cum[i + n]! - this.cum[i]!; i += n; } else i++;
    }
    return repeated;
  }

  /**
   * hashes[i] = hash of ids[i .. i+n). The filter asks for n = 2, 3, 4, 5, … in order, so the
   * (n+1)-gram hashes extend the n-gram ones in place; any other order recomputes.
   */
  private hashNgrams(n: number): void {
    const { ids, hashes } = this;
    const count = this.n - n + 1;
    if (this.hashedN > 0 && n === this.hashedN + 1) {
      for (let i = 0; i < count; i++) hashes[i] = mixHash(hashes[i]!, ids[i + n - 1]!);
    } else {
      for (let i = 0; i < count; i++) {
        let h = HASH_SEED;
        for (let k = 0; k < n; k++) h = mixHash(h, ids[i + k]!);
        hashes[i] = h;
      }
    }
    this.hashedN = n;
  }

  private sameNgram(a: number, b: number, n: number): boolean {
    const ids = this.ids;
    for (let k = 0; k < n; k++) if (ids[a + k] !== ids[b + k]) return false;
    return true;
  }

  private reserveTable(n: number): void {
    if (this.entryPos.length < n + 1) {
      const size = Math.max(n + 1, this.entryPos.length * 2);
      this.entryPos = new Int32Array(size);
      this.entryCount = new Int32Array(size);
      this.entryHash = new Int32Array(size);
    }
    if (this.slots.length < 2 * n) {
      let size = this.slots.length;
      while (size < 2 * n) size *= 2;
      this.slots = new Int32Array(size);
      this.stamps = new Int32Array(size);
      this.gen = 0;
    }
  }

  private beginTable(): void {
    this.entries = 0;
    this.gen++;
    if (this.gen === 0x7fffffff) { this.stamps.fill(0); this.gen = 1; }
  }
}

const HASH_SEED = 0x9e3779b9 | 0;

function mixHash(h: number, id: number): number {
  const x = Math.imul(h ^ id, 0x85ebca6b);
  return Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
}

function sameToken(text: string, tokens: WordTokens, a: number, b: number): boolean {
  const sa = tokens.start[a]!;
  const sb = tokens.start[b]!;
  const len = tokens.end[a]! - sa;
  if (tokens.end[b]! - sb !== len) return false;
  for (let i = 0; i < len; i++) if (text.charCodeAt(sa + i) !== text.charCodeAt(sb + i)) return false;
  return true;
}
