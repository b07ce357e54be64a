/**
 * Long documents are encoded in segments cut where every shipped tiktoken pattern (gpt2/r50k,
 * cl100k, o200k) already ends a pre-token, so the ids are exactly those of one call. Why: tiktoken's
 * BPE is quadratic in the length of one pre-token — 100 K spaces or letters take 5 s, 400 K take
 * 80–130 s (measured) — so one degenerate 50 MB document would stall a worker for hours.
 *
 * A cut at index k (between text[k-1] and text[k]) is safe when either
 *  (a) text[k] is U+0020 and text[k-1], text[k+1] are not whitespace: no pattern lets a piece run
 *      from a non-space character into a following space (whitespace pieces hold only whitespace;
 *      letter, digit and punctuation pieces take at most one space, and only as their first
 *      character), so a piece starts at the space; or
 *  (b) text[k-1] is a letter and text[k] punctuation or a symbol other than `'`: letter pieces stop
 *      at non-letters, and only the ASCII apostrophe can extend them (o200k's contraction suffix).
 * Only basic-plane characters are tested, which is conservative. A document longer than
 * `segmentChars` is scanned once for safe cuts and encoded in segments of about `segmentChars`.
 * When `HARD_CUT_CHARS` pass with no safe cut (a degenerate blob: one run of letters, spaces or
 * symbols), the run is cut there; ids then differ from one call only around such cuts, and cost
 * stays linear. Real text always has safe cuts (test/ops/tokenize/segment.test.ts checks ids equal
 * one call on real documents in all four encodings).
 */
export const DEFAULT_SEGMENT_CHARS = 65_536;

/** Longest run without a safe cut before a hard cut; BPE on one 4 K-char piece takes ~15 ms. */
export const HARD_CUT_CHARS = 4_096;

const OTHER = 0, SPACE = 1, WHITESPACE = 2, LETTER = 3, PUNCT = 4, SURROGATE = 5;
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII[c] = c === 0x20 ? SPACE : /\s/.test(ch) ? WHITESPACE : /[A-Za-z]/.test(ch) ? LETTER
    : c !== 0x27 && /[\p{P}\p{S}]/u.test(ch) ? PUNCT : OTHER;
}

// Constants, not literals in charClass: each evaluation of a literal allocates a RegExp.
const WHITESPACE_RE = /\s/;
const LETTER_RE = /\p{L}/u;
const PUNCT_RE = /[\p{P}\p{S}]/u;

function charClass(text: string, k: number): number {
  const c = text.charCodeAt(k);
  if (c < 128) return ASCII[c]!;
  if (c >= 0xd800 && c <= 0xdfff) return SURROGATE;
  const ch = text[k]!;
  if (c === 0x85 || WHITESPACE_RE.test(ch)) return WHITESPACE;
  if (LETTER_RE.test(ch)) return LETTER;
  return PUNCT_RE.test(ch) ? PUNCT : OTHER;
}

const isNonSpace = (cls: number) => cls !== SPACE && cls !== WHITESPACE && cls !== SURROGATE;

/** Cut points (exclusive ends) of the segments of `text`; the last one is `text.length`. */
export function segmentEnds(text: string, segmentChars = DEFAULT_SEGMENT_CHARS): number[] {
  const ends: number[] = [];
  const n = text.length;
  if (n <= segmentChars) return [n];
  let segStart = 0;
  let lastCut = 0;
  let prev = charClass(text, 0);
  let cur = n > 1 ? charClass(text, 1) : OTHER;
  for (let k = 1; k < n; k++) {
    const next = k + 1 < n ? charClass(text, k + 1) : SURROGATE;
    const safe = cur === SPACE ? isNonSpace(prev) && isNonSpace(next) : prev === LETTER && cur === PUNCT;
    if (safe) {
      lastCut = k;
      if (k - segStart >= segmentChars) { ends.push(k); segStart = k; }
    } else if (k - lastCut >= HARD_CUT_CHARS && !(cur === SURROGATE && prev === SURROGATE)) {
      ends.push(k);
      segStart = lastCut = k;
    }
    prev = cur;
    cur = next;
  }
  ends.push(n);
  return ends;
}

/** Encodes `text` with `encode`, in segments when it is longer than `segmentChars`. */
export function encodeSegmented(
  text: string,
  encode: (s: string) => Uint32Array,
  segmentChars = DEFAULT_SEGMENT_CHARS,
): Uint32Array {
  if (text.length <= segmentChars) return encode(text);
  const parts: Uint32Array[] = [];
  let total = 0;
  let start = 0;
  for (const end of segmentEnds(text, segmentChars)) {
    const ids = encode(text.slice(start, end));
    parts.push(ids);
    total += ids.length;
    start = end;
  }
  const out = new Uint32Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
