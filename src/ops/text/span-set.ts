/**
 * A set of text spans (`text[start, end)`) keyed by content, without allocating substrings:
 * FNV-1a over UTF-16 code units into an open-addressing table, each hit verified char by char.
 * Reused across documents (`reset` is O(1) via generation stamps).
 */
export class SpanSet {
  private slots = new Int32Array(256);
  private stamps = new Int32Array(256);
  private gen = 1;
  private starts = new Int32Array(128);
  private ends = new Int32Array(128);
  private hashes = new Int32Array(128);
  private size = 0;
  private text = '';

  /** Empties the set; spans then refer to `text`. `expected` sizes the table. */
  reset(text: string, expected: number): void {
    this.text = text;
    this.size = 0;
    if (this.starts.length < expected + 1) {
      const n = Math.max(expected + 1, this.starts.length * 2);
      this.starts = new Int32Array(n);
      this.ends = new Int32Array(n);
      this.hashes = new Int32Array(n);
    }
    if (this.slots.length < 2 * expected) {
      let n = this.slots.length;
      while (n < 2 * expected) n *= 2;
      this.slots = new Int32Array(n);
      this.stamps = new Int32Array(n);
      this.gen = 0;
    }
    this.gen++;
    if (this.gen === 0x7fffffff) { this.stamps.fill(0); this.gen = 1; }
  }

  /** Adds the span; returns false when an equal span was already present. */
  add(s: number, e: number): boolean {
    const text = this.text;
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const mask = this.slots.length - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    const len = e - s;
    for (;;) {
      if (this.stamps[slot] !== this.gen) {
        this.stamps[slot] = this.gen;
        const k = this.size++;
        this.slots[slot] = k;
        this.starts[k] = s;
        this.ends[k] = e;
        this.hashes[k] = h;
        return true;
      }
      const k = this.slots[slot]!;
      if (this.hashes[k] === h && this.ends[k]! - this.starts[k]! === len) {
        const o = this.starts[k]!;
        let same = true;
        for (let i = 0; i < len; i++) if (text.charCodeAt(o + i) !== text.charCodeAt(s + i)) { same = false; break; }
        if (same) return false;
      }
      slot = (slot + 1) & mask;
    }
  }
}
