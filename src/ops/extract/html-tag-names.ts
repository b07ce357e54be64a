const SLOTS = 4096;
const ASCII = /^[\x00-\x7f]*$/;
/** Lower-cased tag names seen before, by a hash of length and first and last characters. */
const seen: Array<string | undefined> = new Array(SLOTS);

/**
 * The name in UTF-8 bytes `html[start, end)`, decoded and lower-cased as `toLowerCase` gives it,
 * without decoding when the same name was read before (any page): tag names repeat, and most pages
 * use a few dozen. Only ASCII names are kept, and one is reused only when each byte equals or
 * upper-case-folds to its character.
 */
export function tagName(html: Buffer, start: number, end: number): string {
  const len = end - start;
  const slot = (len * 961 + (html[start]! | 0x20) * 31 + (html[end - 1]! | 0x20)) & (SLOTS - 1);
  const cached = seen[slot];
  if (cached !== undefined && cached.length === len) {
    let i = 0;
    for (; i < len; i++) {
      const c = html[start + i]!;
      const w = cached.charCodeAt(i);
      if (c !== w && !(c >= 65 && c <= 90 && c + 32 === w)) break;
    }
    if (i === len) return cached;
  }
  const name = html.toString('utf8', start, end).toLowerCase();
  if (ASCII.test(name)) seen[slot] = name;
  return name;
}
