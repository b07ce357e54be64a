import { z } from 'zod';
import { CC_ALPHA, CC_DT_PUNCT, CHAR_CLASS, stripEnd, stripStart } from '../text/chars.ts';
import { LineSplitter } from '../text/lines.ts';
import { WordTokens } from '../text/words.ts';
import { defineFilter } from './define-filter.ts';
import { NO_STATS, type FilterStats } from './filter-stats.ts';

/** Gopher's stop words (Rae et al. 2021, §A.1.1; datatrove `STOP_WORDS`). Matched case-sensitively, as datatrove does. */
export const GOPHER_STOP_WORDS = ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with'] as const;

const positive = z.number().positive();
const ratio = z.number().min(0).max(1);

/**
 * Options of the Gopher quality filter. Defaults: Rae et al. 2021 (arXiv 2112.11446) §A.1.1 /
 * Table A1, as in datatrove `src/datatrove/pipeline/filters/gopher_quality_filter.py`
 * `GopherQualityFilter.__init__`. `null` (or 0, as Python truthiness does in datatrove) disables a check.
 */
export const gopherQualityOptions = z.object({
  column: z.string().default('text'),
  /** Minimum number of non-symbol words (50). */
  minDocWords: positive.nullable().default(50),
  /** Maximum number of non-symbol words (100,000). */
  maxDocWords: positive.nullable().default(100_000),
  /** Minimum mean length of non-symbol words (3). */
  minAvgWordLength: positive.nullable().default(3),
  /** Maximum mean length of non-symbol words (10). */
  maxAvgWordLength: positive.nullable().default(10),
  /** Maximum ratio of `#`, and of `...`/`…`, to words (0.1 each). */
  maxSymbolWordRatio: positive.nullable().default(0.1),
  /** Maximum fraction of lines starting with `•` or `-` (0.9; datatrove added `-` to the paper's bullet). */
  maxBulletLinesRatio: ratio.nullable().default(0.9),
  /** Maximum fraction of lines ending with `...` or `…` (0.3). */
  maxEllipsisLinesRatio: ratio.nullable().default(0.3),
  /** Minimum fraction of words with an alphabetic character (0.8; datatrove's name says "max"). */
  maxNonAlphaWordsRatio: ratio.nullable().default(0.8),
  /** Minimum number of stop-word occurrences (2). */
  minStopWords: z.number().int().min(0).nullable().default(2),
  stopWords: z.array(z.string()).default([...GOPHER_STOP_WORDS]),
});
export type GopherQualityOptions = z.output<typeof gopherQualityOptions>;

export interface GopherQualityScratch {
  words: WordTokens;
  lines: LineSplitter;
  stopWords: Set<string>;
  maxStopLen: number;
}

export function gopherQualityScratch(o: GopherQualityOptions): GopherQualityScratch {
  return {
    words: new WordTokens(),
    lines: new LineSplitter(),
    stopWords: new Set(o.stopWords),
    maxStopLen: Math.max(0, ...o.stopWords.map((w) => w.length)),
  };
}

/** Python `text.count(needle)` (non-overlapping). */
function countOccurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** The statistics gopher_quality records; in tag mode each is a column `gopher_quality_<stat>`. */
export const GOPHER_QUALITY_STATS = [
  'word_count', 'mean_word_length', 'hash_ratio', 'ellipsis_ratio', 'bullet_lines_ratio',
  'end_ellipsis_lines_ratio', 'alpha_words_ratio', 'stop_words',
] as const;
export type GopherQualityStat = typeof GOPHER_QUALITY_STATS[number];

/**
 * datatrove's checks in datatrove's order; returns the first failing reason or null to keep.
 * A document without words is `gopher_short_doc` even when the length checks are disabled
 * (datatrove would divide by zero). With `stats.all` (tag mode) every statistic is measured, also
 * those of disabled checks; the verdict is the same. Keep thresholds: `word_count` in
 * [minDocWords, maxDocWords], `mean_word_length` in [min, max]AvgWordLength, the ratios ≤ their
 * maxima, `alpha_words_ratio` ≥ maxNonAlphaWordsRatio, `stop_words` ≥ minStopWords.
 */
export function gopherQualityCheck(
  text: string, o: GopherQualityOptions, s: GopherQualityScratch, stats: FilterStats<GopherQualityStat> = NO_STATS,
): string | null {
  const w = s.words;
  const nWords = w.tokenize(text);
  let nonSymbol = 0;
  let nonSymbolChars = 0;
  let alphaWords = 0;
  let stopWords = 0;
  for (let t = 0; t < nWords; t++) {
    const a = w.start[t]!;
    const b = w.end[t]!;
    let symbolOnly = true;
    let alpha = false;
    for (let i = a; i < b; i++) {
      const k = CHAR_CLASS[text.charCodeAt(i)]!;
      if (!(k & CC_DT_PUNCT)) symbolOnly = false;
      if (k & CC_ALPHA) { alpha = true; if (!symbolOnly) break; }
    }
    if (!symbolOnly) { nonSymbol++; nonSymbolChars += b - a; }
    if (alpha) alphaWords++;
    if (b - a <= s.maxStopLen && s.stopWords.has(text.slice(a, b))) stopWords++;
  }
  stats.set('word_count', nonSymbol);
  stats.set('stop_words', stopWords);
  if (nonSymbol === 0) return 'gopher_short_doc';
  let reason = null as string | null;
  // Drop mode stops at the first failure; tag mode goes on measuring but keeps the first reason.
  const fail = (r: string): boolean => { reason ??= r; return !stats.all; };
  if (o.minDocWords && nonSymbol < o.minDocWords && fail('gopher_short_doc')) return reason;
  if (o.maxDocWords && nonSymbol > o.maxDocWords && fail('gopher_long_doc')) return reason;
  const avg = nonSymbolChars / nonSymbol;
  stats.set('mean_word_length', avg);
  if (o.minAvgWordLength && avg < o.minAvgWordLength && fail('gopher_below_avg_threshold')) return reason;
  if (o.maxAvgWordLength && avg > o.maxAvgWordLength && fail('gopher_above_avg_threshold')) return reason;
  if (o.maxSymbolWordRatio || stats.all) {
    const hashes = countOccurrences(text, '#') / nWords;
    stats.set('hash_ratio', hashes);
    if (o.maxSymbolWordRatio && hashes > o.maxSymbolWordRatio && fail('gopher_too_many_hashes')) return reason;
    const ellipses = (countOccurrences(text, '...') + countOccurrences(text, '…')) / nWords;
    stats.set('ellipsis_ratio', ellipses);
    if (o.maxSymbolWordRatio && ellipses > o.maxSymbolWordRatio && fail('gopher_too_many_ellipsis')) return reason;
  }
  const lines = s.lines;
  const nLines = lines.splitPython(text);
  if (nLines > 0 && (o.maxBulletLinesRatio || o.maxEllipsisLinesRatio || stats.all)) {
    let bullets = 0;
    let ellipses = 0;
    for (let l = 0; l < nLines; l++) {
      let a = lines.start[l]!;
      let b = lines.end[l]!;
      a = stripStart(text, a, b);
      b = stripEnd(text, a, b);
      if (a === b) continue;
      const first = text.charCodeAt(a);
      if (first === 0x2022 || first === 0x2d) bullets++;
      if (text.charCodeAt(b - 1) === 0x2026 || (b - a >= 3 && text.startsWith('...', b - 3))) ellipses++;
    }
    stats.set('bullet_lines_ratio', bullets / nLines);
    stats.set('end_ellipsis_lines_ratio', ellipses / nLines);
    if (o.maxBulletLinesRatio && bullets / nLines > o.maxBulletLinesRatio && fail('gopher_too_many_bullets')) return reason;
    if (o.maxEllipsisLinesRatio && ellipses / nLines > o.maxEllipsisLinesRatio && fail('gopher_too_many_end_ellipsis')) return reason;
  }
  stats.set('alpha_words_ratio', alphaWords / nWords);
  if (o.maxNonAlphaWordsRatio && alphaWords / nWords < o.maxNonAlphaWordsRatio && fail('gopher_below_alpha_threshold')) return reason;
  if (o.minStopWords && stopWords < o.minStopWords && fail('gopher_enough_stop_words')) return reason;
  return reason;
}

/** datatrove's reason names, kept whole after the `gopher_quality:` prefix so they match its logs. */
const REASONS = [
  'gopher_short_doc', 'gopher_long_doc', 'gopher_below_avg_threshold', 'gopher_above_avg_threshold',
  'gopher_too_many_hashes', 'gopher_too_many_ellipsis', 'gopher_too_many_bullets', 'gopher_too_many_end_ellipsis',
  'gopher_below_alpha_threshold', 'gopher_enough_stop_words',
];

/** Drops documents failing Gopher's quality heuristics (word counts and lengths, symbols, bullets, stop words). */
export const gopherQuality = defineFilter({
  name: 'gopher_quality',
  options: gopherQualityOptions,
  reasons: REASONS,
  stats: GOPHER_QUALITY_STATS,
  declare: (o) => ({ reads: [o.column], costPerRow: 15_000, selectivity: 0.7 }),
  init: (o) => ({ options: o, scratch: gopherQualityScratch(o) }),
  column: (o) => o.column,
  check: (state, text, _row, stats) => gopherQualityCheck(text, state.options, state.scratch, stats),
});
