/**
 * Aho–Corasick automaton over the alphabet datatrove's URL normalization leaves: `[a-z0-9]`.
 * Input characters outside `[a-zA-Z0-9]` are skipped and `A-Z` lowercased on the fly, so
 * `matches(url)` equals "some pattern is a substring of `normalize(url)`" (datatrove
 * `url_filter.py`, `normalize`: drop `[^a-zA-Z0-9]+`, lowercase) without building that string.
 * The transition table is dense (36 columns), a full DFA: one array read per input character.
 */
export class AlphaNumMatcher {
  private readonly delta: Int32Array;
  /** Per state: index of a pattern ending here (directly or via a suffix link), or -1. */
  private readonly out: Int32Array;

  /** `patterns` must be non-empty strings of `[a-z0-9]` (normalized as datatrove does). */
  constructor(readonly patterns: readonly string[]) {
    const goto: number[][] = [new Array<number>(36).fill(-1)];
    const outList: number[] = [-1];
    patterns.forEach((p, index) => {
      if (!/^[a-z0-9]+$/.test(p)) throw new Error(`AlphaNumMatcher: pattern ${JSON.stringify(p)} is not normalized to [a-z0-9]+`);
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const c = symbol(p.charCodeAt(i));
        let next = goto[s]![c]!;
        if (next < 0) {
          next = goto.length;
          goto.push(new Array<number>(36).fill(-1));
          outList.push(-1);
          goto[s]![c] = next;
        }
        s = next;
      }
      if (outList[s]! < 0) outList[s] = index;
    });
    const n = goto.length;
    this.delta = new Int32Array(n * 36);
    this.out = Int32Array.from(outList);
    const fail = new Int32Array(n);
    // Breadth-first: a state's failure link and transitions depend only on shallower states.
    const queue: number[] = [];
    for (let c = 0; c < 36; c++) {
      const t = goto[0]![c]!;
      this.delta[c] = t < 0 ? 0 : t;
      if (t > 0) queue.push(t);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      if (this.out[s]! < 0) this.out[s] = this.out[fail[s]!]!;
      for (let c = 0; c < 36; c++) {
        const t = goto[s]![c]!;
        if (t < 0) {
          this.delta[s * 36 + c] = this.delta[fail[s]! * 36 + c]!;
        } else {
          fail[t] = this.delta[fail[s]! * 36 + c]!;
          this.delta[s * 36 + c] = t;
          queue.push(t);
        }
      }
    }
  }

  /** The first pattern (by end position) found in the normalized text, or undefined. */
  find(text: string): string | undefined {
    const delta = this.delta;
    const out = this.out;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      let c: number;
      if (ch >= 97 && ch <= 122) c = ch - 87;
      else if (ch >= 48 && ch <= 57) c = ch - 48;
      else if (ch >= 65 && ch <= 90) c = ch - 55;
      else continue;
      s = delta[s * 36 + c]!;
      if (out[s]! >= 0) return this.patterns[out[s]!];
    }
    return undefined;
  }
}

/** `0-9` → 0..9, `a-z` → 10..35. */
function symbol(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}
