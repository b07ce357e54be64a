import { z } from 'zod';
import { findDuplicateSpans, LineSplitter } from '../text/lines.ts';
import { WordTokens } from '../text/words.ts';
import { defineFilter } from './define-filter.ts';
import { NO_STATS, type FilterStats } from './filter-stats.ts';

/**
 * Options of the FineWeb quality filter: datatrove
 * `src/datatrove/pipeline/filters/fineweb_quality_filter.py` `FineWebQualityFilter.__init__`,
 * the step run by `examples/fineweb.py` (Penedo et al. 2024, arXiv 2406.17557, §3.3).
 *
 * `charDuplicatesRatio` drift: the paper says documents are removed when ≥ 0.1 of their
 * characters are in duplicated lines, datatrove's code (and hence the released FineWeb) uses
 * 0.01. We default to the code's 0.01 so that the recipe reproduces the published dataset; pass
 * 0.1 to follow the paper's text.
 */
export const finewebQualityOptions = z.object({
  column: z.string().default('text'),
  /** Drop when the fraction of lines ending in `.`, `'`, `"`, `!`, `?` is ≤ this (0.12). */
  linePunctThr: z.number().min(0).max(1).default(0.12),
  /** Do not apply the line-punctuation rule to documents with no such line at all (false). */
  linePunctExcludeZero: z.boolean().default(false),
  /** Drop when the fraction of lines of ≤ `shortLineLength` chars is ≥ this (0.67). */
  shortLineThr: z.number().min(0).max(1).default(0.67),
  shortLineLength: z.number().int().min(0).default(30),
  /** Drop when characters in duplicated non-blank lines / non-newline characters ≥ this (0.01, see above). */
  charDuplicatesRatio: z.number().min(0).max(1).default(0.01),
  /** Drop when newlines per word is > this (0.3). */
  newLineRatio: z.number().min(0).default(0.3),
});
export type FinewebQualityOptions = z.output<typeof finewebQualityOptions>;

export interface FinewebScratch { lines: LineSplitter; words: WordTokens }
export const finewebScratch = (): FinewebScratch => ({ lines: new LineSplitter(), words: new WordTokens() });

function endsWithStopChar(text: string, s: number, e: number): boolean {
  if (e === s) return false;
  const c = text.charCodeAt(e - 1);
  return c === 46 || c === 39 || c === 34 || c === 33 || c === 63;
}

/**
 * The statistics fineweb_quality records, named like the reason of the check that reads them.
 * Keep thresholds: `line_punct_ratio` > linePunctThr (or 0 with linePunctExcludeZero),
 * `short_line_ratio` < shortLineThr, `char_dup_ratio` < charDuplicatesRatio, `list_ratio` ≤
 * newLineRatio (newlines per word; Infinity for newlines without words).
 */
export const FINEWEB_QUALITY_STATS = ['line_punct_ratio', 'short_line_ratio', 'char_dup_ratio', 'list_ratio'] as const;
export type FinewebQualityStat = typeof FINEWEB_QUALITY_STATS[number];

/**
 * datatrove's checks in order; first failing reason or null. Lengths are UTF-16 units. With
 * `stats.all` (tag mode) every statistic is measured; the verdict is the same.
 */
export function finewebQualityCheck(
  text: string, o: FinewebQualityOptions, s: FinewebScratch, stats: FilterStats<FinewebQualityStat> = NO_STATS,
): string | null {
  const lines = s.lines;
  const n = lines.splitNewline(text);
  let punct = 0;
  let short = 0;
  for (let l = 0; l < n; l++) {
    const a = lines.start[l]!;
    const b = lines.end[l]!;
    if (endsWithStopChar(text, a, b)) punct++;
    if (b - a <= o.shortLineLength) short++;
  }
  let reason = null as string | null;
  // Drop mode stops at the first failure; tag mode goes on measuring but keeps the first reason.
  const fail = (r: FinewebQualityStat): boolean => { reason ??= r; return !stats.all; };
  const punctRatio = punct / n;
  stats.set('line_punct_ratio', punctRatio);
  if (punctRatio <= o.linePunctThr && !(punctRatio === 0 && o.linePunctExcludeZero) && fail('line_punct_ratio')) return reason;
  stats.set('short_line_ratio', short / n);
  if (short / n >= o.shortLineThr && fail('short_line_ratio')) return reason;
  const newlines = n - 1;
  const chars = text.length - newlines;
  const dupRatio = chars > 0 ? findDuplicateSpans(text, lines, true).dupChars / chars : 0;
  stats.set('char_dup_ratio', dupRatio);
  if (chars > 0 && dupRatio >= o.charDuplicatesRatio && fail('char_dup_ratio')) return reason;
  const words = s.words.tokenize(text);
  // No words: any newline makes it a list (Infinity), none keeps it (0).
  const listRatio = words === 0 ? (newlines > 0 ? Number.POSITIVE_INFINITY : 0) : newlines / words;
  stats.set('list_ratio', listRatio);
  if (listRatio > o.newLineRatio && fail('list_ratio')) return reason;
  return reason;
}

/** FineWeb's own heuristics: punctuation-ending lines, short lines, duplicated lines, list-like layout. */
export const finewebQuality = defineFilter({
  name: 'fineweb_quality',
  options: finewebQualityOptions,
  // Each check's reason is the name of the statistic it reads.
  reasons: FINEWEB_QUALITY_STATS,
  stats: FINEWEB_QUALITY_STATS,
  declare: (o) => ({ reads: [o.column], costPerRow: 8_000, selectivity: 0.85 }),
  init: (o) => ({ options: o, scratch: finewebScratch() }),
  column: (o) => o.column,
  check: (state, text, _row, stats) => finewebQualityCheck(text, state.options, state.scratch, stats),
});
