const SLOTS = 4096;
const ASCII = /^[\x00-\x7f]*$/;
/** Lower-cased tag names seen before, by a hash of length and first and last characters. */
const seen: Array<string | undefined> = new Array(SLOTS);

/**
 * `html[start, end)` lower-cased, as `toLowerCase` gives it, without slicing when the same name
 * was read before (any page): tag names repeat, and most pages use a few dozen. Only ASCII names
 * are kept, and one is reused only when each character equals or upper-case-folds to its own.
 */
export function tagName(html: string, start: number, end: number): string {
  const len = end - start;
  const slot = (len * 961 + (html.charCodeAt(start) | 0x20) * 31 + (html.charCodeAt(end - 1) | 0x20)) & (SLOTS - 1);
  const cached = seen[slot];
  if (cached !== undefined && cached.length === len) {
    let i = 0;
    for (; i < len; i++) {
      const c = html.charCodeAt(start + i);
      const w = cached.charCodeAt(i);
      if (c !== w && !(c >= 65 && c <= 90 && c + 32 === w)) break;
    }
    if (i === len) return cached;
  }
  const name = html.slice(start, end).toLowerCase();
  if (ASCII.test(name)) seen[slot] = name;
  return name;
}
