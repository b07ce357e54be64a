import { z } from 'zod';
import { setColumn } from '../../arrow/batch.ts';
import { utf8Vector } from '../../arrow/utf8.ts';
import { defineOperator } from '../operator.ts';
import { CC_DIGIT, CC_LOWER, CC_PUNCT, CC_SPACE, CC_UPPER, CHAR_CLASS } from '../text/chars.ts';
import { float64Column, readTextColumn } from '../text/columns.ts';
import { LineSplitter } from '../text/lines.ts';
import { countWords } from '../text/words.ts';

/**
 * Line-wise corrections of RefinedWeb (Penedo et al. 2023, arXiv 2306.01116, §3.2 "Line-wise
 * corrections" and Appendix G.2): a line is removed when it is mostly upper case, only numbers,
 * a social counter ("3 likes"), a single word, or a short (≤ 10 words) navigation fragment
 * ("sign in", "read more…", "items in cart"); a document loses its place when more than 5 % of
 * its words were removed. The paper gives examples, not its pattern lists: the lists below are
 * ours, kept to phrases that are boilerplate wherever they appear. datatrove has no such step.
 */
export const lineCorrectionsOptions = z.object({
  column: z.string().default('text'),
  /** Column receiving the fraction of words removed. */
  removedFracColumn: z.string().default('line_corrections_removed_frac'),
  /** Drop the document when more than this fraction of its words was removed (paper: 5 %). */
  maxRemovedWordFrac: z.number().min(0).max(1).default(0.05),
  /** A line is "mostly upper case" when more than this fraction of its cased letters is upper case. */
  maxUppercaseFrac: z.number().min(0).max(1).default(0.5),
  /** Lines with fewer whitespace-separated words are removed (paper: one-word lines → 2). */
  minWords: z.number().int().min(0).default(2),
  /** Navigation patterns apply only to lines with at most this many words (paper: 10). */
  shortLineMaxWords: z.number().int().min(0).default(10),
  /** Short lines starting with one of these phrases (case-insensitive) are removed. */
  navigationStart: z.array(z.string()).default([
    'sign in', 'sign-in', 'sign up', 'sign-up', 'log in', 'log-in', 'login', 'log out', 'register now',
    'subscribe', 'skip to', 'jump to navigation', 'share this', 'share on', 'follow us', 'back to top',
    'you are here', 'posted in', 'filed under', 'tagged with', 'add to cart', 'add to wishlist',
    'add to basket', 'copyright ©', '©', 'all rights reserved', 'powered by', 'previous post', 'next post',
    'click here', 'print this', 'email this', 'accept cookies', 'view cart', 'my account', 'search for:',
  ]),
  /** Short lines ending with one of these phrases (case-insensitive, trailing punctuation ignored) are removed. */
  navigationEnd: z.array(z.string()).default([
    'read more', 'continue reading', 'items in cart', 'item in cart', 'items in your cart', 'see more',
    'show more', 'load more', 'view more', 'all rights reserved', 'leave a comment', 'leave a reply',
    'permalink', 'back to top', 'click here', 'sign in', 'log in',
  ]),
});
export type LineCorrectionsOptions = z.output<typeof lineCorrectionsOptions>;

/** Social counters: a number (1,234 / 1.2k) followed by one engagement noun. */
const COUNTER = /^[\d.,]+\s*[km]?\s+(likes?|shares?|comments?|views?|retweets?|reposts?|followers?|following|repl(?:y|ies)|votes?|points?|reviews?|favou?rites?|pins?|tweets?|subscribers?|reactions?|answers?|loves?|downloads?|reads?)$/i;

export interface LineCorrectionsResult {
  text: string;
  removedWordFrac: number;
  /** Why each removed line went, in order (for tests and debugging). */
  removed: { line: string; rule: LineRule }[];
}
export type LineRule = 'uppercase' | 'numeric' | 'counter' | 'too_few_words' | 'navigation';

const lines = new LineSplitter();

/** Classifies one trimmed line; null keeps it. */
export function lineRule(line: string, words: number, o: LineCorrectionsOptions): LineRule | null {
  if (words < o.minWords) return 'too_few_words';
  let upper = 0;
  let lower = 0;
  let numeric = true;
  let digits = 0;
  for (let i = 0; i < line.length; i++) {
    const k = CHAR_CLASS[line.charCodeAt(i)]!;
    if (k & CC_UPPER) upper++;
    else if (k & CC_LOWER) lower++;
    if (k & CC_DIGIT) digits++;
    else if (!(k & (CC_SPACE | CC_PUNCT))) numeric = false;
  }
  if (numeric && digits > 0) return 'numeric';
  if (upper + lower > 0 && upper / (upper + lower) > o.maxUppercaseFrac) return 'uppercase';
  if (COUNTER.test(line)) return 'counter';
  if (words <= o.shortLineMaxWords && isNavigation(line, o)) return 'navigation';
  return null;
}

function isNavigation(line: string, o: LineCorrectionsOptions): boolean {
  const lower = line.toLowerCase();
  let a = 0;
  let b = lower.length;
  while (a < b && (CHAR_CLASS[lower.charCodeAt(a)]! & (CC_SPACE | CC_PUNCT)) && lower[a] !== '©') a++;
  while (b > a && (CHAR_CLASS[lower.charCodeAt(b - 1)]! & (CC_SPACE | CC_PUNCT))) b--;
  const core = lower.slice(a, b);
  for (const p of o.navigationStart) {
    if (core.startsWith(p) && (core.length === p.length || boundary(core.charCodeAt(p.length)))) return true;
  }
  for (const p of o.navigationEnd) {
    if (core.endsWith(p) && (core.length === p.length || boundary(core.charCodeAt(core.length - p.length - 1)))) return true;
  }
  return false;
}

function boundary(c: number): boolean {
  return (CHAR_CLASS[c]! & (CC_SPACE | CC_PUNCT)) !== 0;
}

/**
 * Applies the line rules to one document. Blank lines are kept and count no words. Words are
 * whitespace-separated, except that each CJK character is a word (unspaced scripts).
 */
export function correctLines(text: string, o: LineCorrectionsOptions): LineCorrectionsResult {
  const n = lines.splitNewline(text);
  let total = 0;
  let removedWords = 0;
  const removed: LineCorrectionsResult['removed'] = [];
  let kept: string[] | null = null;
  for (let l = 0; l < n; l++) {
    const s = lines.start[l]!;
    const e = lines.end[l]!;
    const words = countWords(text, s, e);
    total += words;
    if (words === 0) { kept?.push(text.slice(s, e)); continue; }
    const line = text.slice(s, e);
    const rule = lineRule(line.trim(), words, o);
    if (rule === null) { kept?.push(line); continue; }
    if (kept === null) kept = l === 0 ? [] : text.slice(0, lines.start[l]! - 1).split('\n');
    removed.push({ line, rule });
    removedWords += words;
  }
  return {
    text: kept === null ? text : kept.join('\n'),
    removedWordFrac: total === 0 ? 0 : removedWords / total,
    removed,
  };
}

/** RefinedWeb line-wise corrections: rewrites the text, records the removed-word fraction, drops heavily corrected documents. */
export const lineCorrections = defineOperator({
  name: 'line_corrections',
  options: lineCorrectionsOptions,
  declare: (o) => ({
    reads: [o.column],
    writes: [o.column, o.removedFracColumn],
    removes: [],
    filters: true,
    kind: 'narrow',
    costPerRow: 10_000,
    selectivity: 0.8,
    dropReasons: ['line_corrections:too_many_removed'],
  }),
  init: (o) => ({ options: o }),
  apply: (state, batch, ctx) => {
    const o = state.options;
    const texts = readTextColumn(batch, o.column, 'line_corrections');
    const out = new Array<string>(texts.length);
    const frac = new Float64Array(texts.length);
    const drop = new Array<string | null>(texts.length);
    for (let i = 0; i < texts.length; i++) {
      ctx.heartbeat(i);
      const r = correctLines(texts[i]!, o);
      frac[i] = r.removedWordFrac;
      const tooMany = r.removedWordFrac > o.maxRemovedWordFrac;
      // A dropped document keeps its original text, so the drop can be inspected.
      out[i] = tooMany ? texts[i]! : r.text;
      drop[i] = tooMany ? 'line_corrections:too_many_removed' : null;
    }
    let result = setColumn(batch, o.column, utf8Vector(out));
    result = setColumn(result, o.removedFracColumn, float64Column(frac), false);
    return { batch: result, drop };
  },
});
