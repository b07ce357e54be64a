import { z } from 'zod';
import { LANE_SEED_HI, LANE_SEED_LO, fmix32, stepHi, stepLo } from './hash32.ts';

/**
 * Text normalization before shingling, with datatrove's `TextNormConfig` semantics and defaults
 * (datatrove `src/datatrove/utils/text.py`, `simplify_text`): lowercase, whitespace runs to one
 * space, punctuation removed (not replaced, so `don't` becomes `dont`), diacritics stripped (NFD,
 * drop combining marks), digit runs replaced by `0`. Weekday/month normalization is English-only in
 * datatrove and off by default there; it is not offered.
 */
export const TextNormConfig = z.object({
  lowercase: z.boolean().default(true),
  normWhitespace: z.boolean().default(true),
  removePunctuation: z.boolean().default(true),
  normDiacritics: z.boolean().default(true),
  normNumbers: z.boolean().default(true),
});
export type TextNormConfig = z.output<typeof TextNormConfig>;

/** No normalization at all (NeMo Curator hashes raw character n-grams). */
export const RAW_TEXT: TextNormConfig = {
  lowercase: false, normWhitespace: false, removePunctuation: false, normDiacritics: false, normNumbers: false,
};

export const DEFAULT_TEXT_NORM: TextNormConfig = TextNormConfig.parse({});

/** datatrove's PUNCTUATION: ASCII and CJK/typographic punctuation plus C0/C1 control characters. */
const PUNCTUATION_CHARS =
  '!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„\';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_."}►»';

const WS = 1;
const PUNCT = 2;
const DIGIT = 3;
const MARK = 4;

/** Character classes of the BMP, built once: whitespace wins over punctuation as in datatrove,
 *  where whitespace is normalized before punctuation is removed. */
const CLASS = buildClassTable();

function buildClassTable(): Uint8Array {
  const t = new Uint8Array(0x10000);
  const digit = /\p{Nd}/u;
  const mark = /\p{Mn}/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c < 0xe000) continue;
    const ch = String.fromCharCode(c);
    if (digit.test(ch)) t[c] = DIGIT;
    else if (mark.test(ch)) t[c] = MARK;
  }
  for (const ch of PUNCTUATION_CHARS) t[ch.charCodeAt(0)] = PUNCT;
  for (const [a, b] of [[0, 9], [11, 13], [13, 32], [127, 160]] as const) for (let c = a; c < b; c++) t[c] = PUNCT;
  // Python's str.isspace set, which `\s+` in datatrove's WHITESPACE_PATTERN matches.
  for (const c of [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]) t[c] = WS;
  for (let c = 0x2000; c <= 0x200a; c++) t[c] = WS;
  return t;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Lowercases and decomposes as configured: the string the character loop walks. */
function prepare(text: string, cfg: TextNormConfig): string {
  let t = cfg.lowercase ? text.toLowerCase() : text;
  if (cfg.normDiacritics && NON_ASCII.test(t)) t = t.normalize('NFD');
  return t;
}

/**
 * The normalized text as a string (words joined by one space). The reference for the fused word
 * loop in {@link wordHashes}, and the key text of exact dedup.
 */
export function normalizeText(text: string, cfg: TextNormConfig = DEFAULT_TEXT_NORM): string {
  const t = prepare(text, cfg);
  let out = '';
  let word = '';
  let inDigits = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const k = CLASS[c]!;
    if (k === WS && cfg.normWhitespace) {
      if (word) out += (out ? ' ' : '') + word;
      word = '';
      inDigits = false;
    } else if (k === PUNCT && cfg.removePunctuation) continue;
    else if (k === MARK && cfg.normDiacritics) continue;
    else if (k === DIGIT && cfg.normNumbers) {
      if (!inDigits) word += '0';
      inDigits = true;
    } else {
      word += t[i];
      inDigits = false;
    }
  }
  if (word) out += (out ? ' ' : '') + word;
  return out;
}

/** A growable pair of uint32 lanes; reused across documents so the hot loop never allocates. */
export class LaneBuffer {
  hi: Uint32Array;
  lo: Uint32Array;
  constructor(capacity = 1024) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
  }
  /** Makes room for `n` entries (contents are not kept). */
  reserve(n: number): void {
    if (n <= this.hi.length) return;
    const cap = Math.max(n, this.hi.length * 2);
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
  }
}

/**
 * Hashes the words of the normalized text, in order, to 64 bits (two lanes) without building the
 * normalized string: word `w` gets exactly `hashString64(w)` of the word in {@link normalizeText}.
 * Words are split on whitespace whatever `normWhitespace` says (datatrove runs nltk's tokenizer
 * after punctuation is gone, which splits the same way on Latin text). Returns the number of words.
 */
export function wordHashes(text: string, cfg: TextNormConfig, out: LaneBuffer): number {
  const t = prepare(text, cfg);
  out.reserve((t.length >>> 1) + 1);
  const outHi = out.hi;
  const outLo = out.lo;
  const dropPunct = cfg.removePunctuation;
  const dropMarks = cfg.normDiacritics;
  const digits = cfg.normNumbers;
  let n = 0;
  let hi = LANE_SEED_HI;
  let lo = LANE_SEED_LO;
  let len = 0;
  let inDigits = false;
  for (let i = 0; i < t.length; i++) {
    let c = t.charCodeAt(i);
    const k = CLASS[c]!;
    if (k === WS) {
      if (len > 0) {
        outHi[n] = fmix32(hi ^ len);
        outLo[n++] = fmix32(lo ^ Math.imul(len, 0x9e3779b1));
        hi = LANE_SEED_HI;
        lo = LANE_SEED_LO;
        len = 0;
      }
      inDigits = false;
      continue;
    }
    if (k === PUNCT && dropPunct) continue;
    if (k === MARK && dropMarks) continue;
    if (k === DIGIT && digits) {
      if (inDigits) continue;
      inDigits = true;
      c = 48;
    } else inDigits = false;
    hi = stepHi(hi, c);
    lo = stepLo(lo, c);
    len++;
  }
  if (len > 0) {
    outHi[n] = fmix32(hi ^ len);
    outLo[n++] = fmix32(lo ^ Math.imul(len, 0x9e3779b1));
  }
  return n;
}
