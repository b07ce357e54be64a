import { CC_SPACE, CHAR_CLASS, stripEnd, stripStart } from './chars.ts';
import { SpanSet } from './span-set.ts';

/** Line spans as UTF-16 offsets; line `i` is `text.slice(start[i], end[i])`. */
export interface LineSpans {
  start: Int32Array;
  end: Int32Array;
  count: number;
}

function isPyLineBreak(c: number): boolean {
  // Python str.splitlines() boundaries: \n \r \v \f \x1c \x1d \x1e \x85 \u2028 \u2029 (\r\n counts once).
  return c === 10 || c === 13 || c === 11 || c === 12 || c === 0x1c || c === 0x1d || c === 0x1e
    || c === 0x85 || c === 0x2028 || c === 0x2029;
}

function grow(a: Int32Array): Int32Array { const g = new Int32Array(a.length * 2); g.set(a); return g; }

/** A reusable line splitter; every method replaces the previous spans. */
export class LineSplitter implements LineSpans {
  start: Int32Array = new Int32Array(256);
  end: Int32Array = new Int32Array(256);
  count = 0;

  private push(s: number, e: number): void {
    if (this.count === this.start.length) { this.start = grow(this.start); this.end = grow(this.end); }
    this.start[this.count] = s;
    this.end[this.count] = e;
    this.count++;
  }

  /** Python `text.splitlines()`: no trailing empty line, `""` gives no lines. */
  splitPython(text: string): number {
    this.count = 0;
    const n = text.length;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x85 ? c !== 0x2028 && c !== 0x2029 : !isPyLineBreak(c)) continue;
      this.push(s, i);
      if (c === 13 && i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
      s = i + 1;
    }
    if (s < n) this.push(s, n);
    return this.count;
  }

  /** Python `text.split("\n")`: always at least one (possibly empty) line. */
  splitNewline(text: string): number {
    this.count = 0;
    let s = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', s)) {
      this.push(s, i);
      s = i + 1;
    }
    this.push(s, text.length);
    return this.count;
  }

  /** Python `re.split("\n+", text)`: runs of newlines separate lines; empty edge lines kept. */
  splitNewlineRuns(text: string): number {
    this.count = 0;
    let s = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', s)) {
      this.push(s, i);
      s = i + 1;
      while (s < text.length && text.charCodeAt(s) === 10) s++;
    }
    this.push(s, text.length);
    return this.count;
  }

  /** Python `re.split(r"\n{2,}", text.strip())`: paragraphs; offsets refer to `text`. */
  splitParagraphs(text: string): number {
    this.count = 0;
    let a = 0;
    let b = text.length;
    a = stripStart(text, a, b);
    b = stripEnd(text, a, b);
    let s = a;
    let i = text.indexOf('\n\n', s);
    while (i !== -1 && i < b) {
      this.push(s, i);
      s = i + 2;
      while (s < b && text.charCodeAt(s) === 10) s++;
      i = text.indexOf('\n\n', s);
    }
    this.push(s, b);
    return this.count;
  }
}

/**
 * datatrove `find_duplicates` over spans: counts elements seen before and their total length.
 * Empty spans are skipped when `skipBlank` (FineWeb drops blank lines before counting).
 */
export function findDuplicateSpans(text: string, spans: LineSpans, skipBlank = false): { dupElements: number; dupChars: number } {
  const seen = sharedSet;
  seen.reset(text, spans.count);
  let dupElements = 0;
  let dupChars = 0;
  for (let i = 0; i < spans.count; i++) {
    const s = spans.start[i]!;
    const e = spans.end[i]!;
    if (skipBlank && isBlank(text, s, e)) continue;
    if (!seen.add(s, e)) { dupElements++; dupChars += e - s; }
  }
  return { dupElements, dupChars };
}

// Module-level scratch: the function is synchronous, so one set per worker thread is enough.
const sharedSet = new SpanSet();

/** Whether `text[s, e)` is empty or whitespace only (Python `line.strip() == ""`). */
export function isBlank(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (!(CHAR_CLASS[text.charCodeAt(i)]! & CC_SPACE)) return false;
  return true;
}
