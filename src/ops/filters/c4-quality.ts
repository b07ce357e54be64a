import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CC_SPACE, CHAR_CLASS, stripEnd, stripStart } from '../text/chars.ts';
import { LineSplitter } from '../text/lines.ts';
import { countSentences } from '../text/sentences.ts';
import { defineFilter } from './define-filter.ts';
import { NO_STATS, type FilterStats } from './filter-stats.ts';

const CITATION = /\[\d*]|\[edit]|\[citation needed]/g;
const POLICY_SUBSTRINGS = ['terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies'];

/**
 * Options of the C4 quality filter: Raffel et al. 2020 (JMLR 21, §2.2) heuristics as implemented
 * by datatrove `src/datatrove/pipeline/filters/c4_filters.py` `C4QualityFilter` (defaults from
 * its `__init__`, with `split_paragraph=True`: lines are the units). datatrove's FineWeb recipe
 * (`examples/fineweb.py`) sets `filterNoTerminalPunct: false`.
 */
export const c4QualityOptions = z.object({
  column: z.string().default('text'),
  /** Remove Wikipedia-style citation marks `[1]`, `[edit]`, `[citation needed]` from lines. */
  removeCitations: z.boolean().default(true),
  /** Drop lines not ending in `.`, `?`, `!`, `"` or `'`, or ending in `...`. */
  filterNoTerminalPunct: z.boolean().default(true),
  /** Drop the document when fewer sentences remain (5; -1 disables). */
  minNumSentences: z.number().int().min(-1).default(5),
  /** Drop lines with fewer whitespace-separated words (3; -1 disables). */
  minWordsPerLine: z.number().int().min(-1).default(3),
  /** Drop lines containing a word longer than this (1000; -1 disables). */
  maxWordLength: z.number().int().min(-1).default(1000),
  /** Drop the document if a kept line contains "lorem ipsum". */
  filterLoremIpsum: z.boolean().default(true),
  /** Drop lines mentioning "javascript". */
  filterJavascript: z.boolean().default(true),
  /** Drop the document if a kept line contains `{`. */
  filterCurlyBracket: z.boolean().default(true),
  /** Drop lines with cookie / terms-of-use / privacy-policy phrases. */
  filterPolicy: z.boolean().default(true),
  /**
   * C4's bad-words document filter (datatrove `C4BadWordsFilter`, keep_fraction 0): a file with
   * one word or phrase per line, e.g. the LDNOOBW `en` list. Off unless a path is given (nothing
   * is downloaded); words match between non-word characters, case-insensitively.
   */
  badWordsPath: z.string().optional(),
});
export type C4QualityOptions = z.output<typeof c4QualityOptions>;

export interface C4Result {
  /** datatrove's reason, or null when the document is kept. */
  reason: string | null;
  /** The kept lines joined by `\n` (datatrove rewrites `doc.text`); the input when dropped. */
  text: string;
}

const lines = new LineSplitter();

/**
 * The statistics c4_quality records. Keep thresholds: `lorem_ipsum_lines` and
 * `curly_bracket_lines` 0, `sentences` (in the kept lines) ≥ minNumSentences, `bad_words` 0. The
 * line counts are those of enabled checks among lines the line filters keep.
 */
export const c4QualityStats = (o: C4QualityOptions): string[] =>
  ['sentences', 'lorem_ipsum_lines', 'curly_bracket_lines', ...(o.badWordsPath ? ['bad_words'] : [])];

/**
 * datatrove `C4QualityFilter.filter` over one document. With `stats.all` (tag mode) every line is
 * measured; the verdict and the returned text are the same.
 */
export function c4QualityCheck(text: string, o: C4QualityOptions, badWords: RegExp | null = null, stats: FilterStats = NO_STATS): C4Result {
  const n = lines.splitPython(text);
  const kept: string[] = [];
  let sentences = 0;
  let loremLines = 0;
  let curlyLines = 0;
  let reason = null as string | null;
  for (let l = 0; l < n; l++) {
    let a = lines.start[l]!;
    let b = lines.end[l]!;
    a = stripStart(text, a, b);
    b = stripEnd(text, a, b);
    let words = 0;
    let longest = 0;
    let run = 0;
    for (let i = a; i < b; i++) {
      if (CHAR_CLASS[text.charCodeAt(i)]! & CC_SPACE) { run = 0; continue; }
      if (run === 0) words++;
      run++;
      if (run > longest) longest = run;
    }
    if (o.maxWordLength !== -1 && longest > o.maxWordLength) continue;
    let line = text.slice(a, b);
    if (o.removeCitations && line.indexOf('[') !== -1) line = line.replace(CITATION, '');
    if (o.filterNoTerminalPunct && !endsWithTerminal(line)) continue;
    if (words < o.minWordsPerLine) continue;
    const lower = line.toLowerCase();
    // Drop mode stops at the first failure; tag mode goes on counting but keeps the first reason.
    if (o.filterLoremIpsum && lower.includes('lorem ipsum')) {
      loremLines++;
      reason ??= 'lorem_ipsum';
      if (!stats.all) return { reason, text };
      continue;
    }
    if (o.filterJavascript && lower.includes('javascript')) continue;
    if (o.filterCurlyBracket && line.includes('{')) {
      curlyLines++;
      reason ??= 'curly_bracket';
      if (!stats.all) return { reason, text };
      continue;
    }
    if (o.filterPolicy && POLICY_SUBSTRINGS.some((p) => lower.includes(p))) continue;
    sentences += countSentences(line);
    kept.push(line);
  }
  stats.set('sentences', sentences);
  stats.set('lorem_ipsum_lines', loremLines);
  stats.set('curly_bracket_lines', curlyLines);
  if (sentences < o.minNumSentences) reason ??= 'too_few_sentences';
  if (reason !== null && !stats.all) return { reason, text };
  const out = kept.join('\n').trim();
  if (badWords) {
    const bad = badWords.test(out.toLowerCase());
    stats.set('bad_words', bad ? 1 : 0);
    if (bad) reason ??= 'document_removed_with_badwords';
  }
  return reason === null ? { reason, text: out } : { reason, text };
}

function endsWithTerminal(line: string): boolean {
  if (line.length === 0) return false;
  const c = line.charCodeAt(line.length - 1);
  if (c !== 46 && c !== 63 && c !== 33 && c !== 34 && c !== 39) return false;
  return !line.endsWith('...');
}

/** Compiles a bad-words list like datatrove: alternatives flanked by non-word characters. */
export function compileBadWords(words: readonly string[]): RegExp | null {
  const list = words.map((w) => w.trim().toLowerCase()).filter((w) => w.length > 0);
  if (list.length === 0) return null;
  const escaped = list.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?:[^\\p{L}\\p{N}_]|^)(?:${escaped.join('|')})(?:[^\\p{L}\\p{N}_]|$)`, 'u');
}

/** C4's line and document heuristics; rewrites the text to its kept lines. */
export const c4Quality = defineFilter({
  name: 'c4_quality',
  options: c4QualityOptions,
  stats: c4QualityStats,
  reasons: (o) => ['lorem_ipsum', 'curly_bracket', 'too_few_sentences', ...(o.badWordsPath ? ['document_removed_with_badwords'] : [])],
  declare: (o) => ({ reads: [o.column], writes: [o.column], costPerRow: 20_000, selectivity: 0.7 }),
  init: (o) => ({
    options: o,
    badWords: o.badWordsPath ? compileBadWords(readFileSync(o.badWordsPath, 'utf8').split('\n')) : null,
  }),
  column: (o) => o.column,
  rewrite: (state, text, _row, stats) => c4QualityCheck(text, state.options, state.badWords, stats),
});
