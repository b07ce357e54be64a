import { z } from 'zod';
import { findDuplicateSpans, LineSplitter } from '../text/lines.ts';
import { NgramStats } from '../text/ngrams.ts';
import { WordTokens } from '../text/words.ts';
import { defineFilter } from './define-filter.ts';
import { NO_STATS, type FilterStats } from './filter-stats.ts';

const fraction = z.number().min(0).max(1);
const ngramThresholds = z.array(z.tuple([z.number().int().min(1).max(32), fraction]));

/**
 * Options of the Gopher repetition filter. Defaults are Rae et al. 2021 (arXiv 2112.11446),
 * Table A1, exactly as datatrove `src/datatrove/pipeline/filters/gopher_repetition_filter.py`
 * `GopherRepetitionFilter.__init__`. `null` disables a check (datatrove: `None`).
 */
export const gopherRepetitionOptions = z.object({
  /** Text column to inspect. */
  column: z.string().default('text'),
  /** Max fraction of lines that duplicate an earlier line (Table A1: 0.30). */
  dupLineFrac: fraction.nullable().default(0.3),
  /** Max fraction of paragraphs (split on `\n\n+`) that duplicate an earlier one (0.30). */
  dupParaFrac: fraction.nullable().default(0.3),
  /** Max fraction of characters in duplicated lines (0.20). */
  dupLineCharFrac: fraction.nullable().default(0.2),
  /** Max fraction of characters in duplicated paragraphs (0.20). */
  dupParaCharFrac: fraction.nullable().default(0.2),
  /** [n, max fraction of characters covered by the most frequent n-gram]: (2, .20) (3, .18) (4, .16). */
  topNGrams: ngramThresholds.default([[2, 0.2], [3, 0.18], [4, 0.16]]),
  /** [n, max fraction of characters in duplicated n-grams]: 5..10 → .15 .. .10. */
  dupNGrams: ngramThresholds.default([[5, 0.15], [6, 0.14], [7, 0.13], [8, 0.12], [9, 0.11], [10, 0.1]]),
});
export type GopherRepetitionOptions = z.output<typeof gopherRepetitionOptions>;

/** Reusable per-worker buffers. */
export interface GopherRepetitionScratch {
  lines: LineSplitter;
  words: WordTokens;
  ngrams: NgramStats;
}

export function gopherRepetitionScratch(): GopherRepetitionScratch {
  return { lines: new LineSplitter(), words: new WordTokens(), ngrams: new NgramStats() };
}

/**
 * The statistics gopher_repetition records, named like the reason of the check that reads them:
 * each is the fraction that check compares with its maximum (keep when ≤ it).
 */
export const gopherRepetitionStats = (o: GopherRepetitionOptions): string[] => [
  'dup_para_frac', 'dup_para_char_frac', 'dup_line_frac', 'dup_line_char_frac',
  ...o.topNGrams.map(([n]) => `top_${n}_gram`),
  ...o.dupNGrams.map(([n]) => `duplicated_${n}_n_grams`),
];

/**
 * The datatrove check order, returning the first failing check's name (datatrove's reason
 * string) or null to keep. Lengths are UTF-16 code units where Python counts code points; they
 * differ only for astral characters (emoji). Empty text is kept (datatrove divides by zero), with
 * every statistic 0. With `stats.all` (tag mode) every statistic is measured; the verdict is the same.
 */
export function gopherRepetitionCheck(
  text: string, o: GopherRepetitionOptions, s: GopherRepetitionScratch, stats: FilterStats = NO_STATS,
): string | null {
  const len = text.length;
  if (len === 0) {
    if (stats.all) for (const stat of gopherRepetitionStats(o)) stats.set(stat, 0);
    return null;
  }
  let reason = null as string | null;
  // Drop mode stops at the first failure; tag mode goes on measuring but keeps the first reason.
  const check = (stat: string, value: number, max: number | null): boolean => {
    stats.set(stat, value);
    if (max === null || !(value > max)) return false;
    reason ??= stat;
    return !stats.all;
  };
  // datatrove treats a 0 threshold as disabled (Python truthiness).
  const max = (m: number | null): number | null => (m ? m : null);
  const paras = s.lines;
  paras.splitParagraphs(text);
  const p = findDuplicateSpans(text, paras);
  if (check('dup_para_frac', p.dupElements / paras.count, max(o.dupParaFrac))) return reason;
  if (check('dup_para_char_frac', p.dupChars / len, max(o.dupParaCharFrac))) return reason;

  const lines = s.lines;
  lines.splitNewlineRuns(text);
  const l = findDuplicateSpans(text, lines);
  if (check('dup_line_frac', l.dupElements / lines.count, max(o.dupLineFrac))) return reason;
  if (check('dup_line_char_frac', l.dupChars / len, max(o.dupLineCharFrac))) return reason;

  if (o.topNGrams.length === 0 && o.dupNGrams.length === 0) return reason;
  s.words.tokenize(text);
  s.ngrams.load(text, s.words);
  for (const [n, frac] of o.topNGrams) {
    if (check(`top_${n}_gram`, s.ngrams.topNgramChars(n) / len, frac)) return reason;
  }
  for (const [n, frac] of o.dupNGrams) {
    if (check(`duplicated_${n}_n_grams`, s.ngrams.duplicateNgramChars(n) / len, frac)) return reason;
  }
  return reason;
}

/** Drops documents with repeated lines, paragraphs or n-grams (Gopher, Rae et al. 2021, Table A1). */
export const gopherRepetition = defineFilter({
  name: 'gopher_repetition',
  options: gopherRepetitionOptions,
  // Each check's reason is the name of the statistic it reads.
  reasons: gopherRepetitionStats,
  stats: gopherRepetitionStats,
  declare: (o) => ({ reads: [o.column], costPerRow: 40_000, selectivity: 0.85 }),
  init: (o) => ({ options: o, scratch: gopherRepetitionScratch() }),
  column: (o) => o.column,
  check: (state, text, _row, stats) => gopherRepetitionCheck(text, state.options, state.scratch, stats),
});
