/**
 * Per-code-unit character classes for the BMP, computed once at load (a 64 KiB table), so the
 * per-document scanners test one byte instead of running a Unicode regex per character.
 * Astral code points (surrogate pairs) fall in class 0 ("word character").
 */
export const CC_SPACE = 1;
/** Unicode punctuation or symbol (`\p{P}` / `\p{S}`): split off word edges by the tokenizer. */
export const CC_PUNCT = 2;
/** Han / Hiragana / Katakana: scripts written without spaces; each character is one token. */
export const CC_CJK = 4;
/** Python `str.isalpha()` (Unicode letter categories L*). */
export const CC_ALPHA = 8;
/** In datatrove's `PUNCTUATION_SET` (datatrove/utils/text.py): decides "symbol-only" words. */
export const CC_DT_PUNCT = 16;
export const CC_DIGIT = 32;
export const CC_UPPER = 64;
export const CC_LOWER = 128;

/** datatrove `utils/text.py` PUNCTUATION, verbatim, plus its control-character ranges. */
const DATATROVE_PUNCTUATION =
  '!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„\';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_."}►»';
const DATATROVE_CONTROL_RANGES: ReadonlyArray<readonly [number, number]> = [[0, 9], [11, 13], [13, 32], [127, 160]];

function buildTable(): Uint8Array {
  const t = new Uint8Array(0x10000);
  const space = /\s/u;
  const punct = /[\p{P}\p{S}]/u;
  const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
  const alpha = /\p{L}/u;
  const digit = /\p{Nd}/u;
  const upper = /\p{Lu}/u;
  const lower = /\p{Ll}/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    let k = 0;
    // Python's str.split()/strip() whitespace: JS \s minus U+FEFF, plus U+001C..U+001F and U+0085.
    if ((space.test(ch) && c !== 0xfeff) || (c >= 0x1c && c <= 0x1f) || c === 0x85) k |= CC_SPACE;
    else if (punct.test(ch)) k |= CC_PUNCT;
    if (cjk.test(ch)) k |= CC_CJK;
    if (alpha.test(ch)) k |= CC_ALPHA;
    if (digit.test(ch)) k |= CC_DIGIT;
    if (upper.test(ch)) k |= CC_UPPER;
    if (lower.test(ch)) k |= CC_LOWER;
    t[c] = k;
  }
  for (let i = 0; i < DATATROVE_PUNCTUATION.length; i++) t[DATATROVE_PUNCTUATION.charCodeAt(i)]! |= CC_DT_PUNCT;
  for (const [a, b] of DATATROVE_CONTROL_RANGES) for (let c = a; c < b; c++) t[c]! |= CC_DT_PUNCT;
  return t;
}

/** Class bits of each UTF-16 code unit; index with `text.charCodeAt(i)`. */
export const CHAR_CLASS: Uint8Array = buildTable();

/** JavaScript's `trim()` / `\s` whitespace for one code unit: Python's minus U+001C–U+001F and U+0085, plus U+FEFF. */
export function isJsSpaceCode(c: number): boolean {
  return (CHAR_CLASS[c]! & CC_SPACE) !== 0 ? c !== 0x85 && (c < 0x1c || c > 0x1f) : c === 0xfeff;
}

/** Python `str.isspace()` for one code unit. */
export function isSpaceCode(c: number): boolean {
  return (CHAR_CLASS[c]! & CC_SPACE) !== 0;
}

/**
 * Where `text[a, b)` starts once Python whitespace is stripped from its front (`b` when it is all
 * whitespace). One shared loop rather than a copy per filter: a copy inlined into a filter's
 * per-line loop was rarely entered, and V8 deoptimized it there again and again for want of feedback.
 */
export function stripStart(text: string, a: number, b: number): number {
  while (a < b && (CHAR_CLASS[text.charCodeAt(a)]! & CC_SPACE)) a++;
  return a;
}

/** Where `text[a, b)` ends once Python whitespace is stripped from its back (`a` when it is all whitespace). */
export function stripEnd(text: string, a: number, b: number): number {
  while (b > a && (CHAR_CLASS[text.charCodeAt(b - 1)]! & CC_SPACE)) b--;
  return b;
}
