import { CC_LOWER, CC_SPACE, CHAR_CLASS } from './chars.ts';

/** Abbreviations that end with a period without ending a sentence (lower-case, no final period). */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'etc', 'e.g', 'i.e', 'inc', 'ltd', 'co', 'corp',
  'no', 'fig', 'vol', 'pp', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'u.s', 'u.k', 'a.m', 'p.m', 'mt', 'gen', 'gov', 'sen', 'rep', 'rev', 'approx', 'dept', 'est',
]);

function isClosing(c: number): boolean {
  // Quotes and brackets that may follow the terminal mark: " ' ) ] ” ’ »
  return c === 34 || c === 39 || c === 41 || c === 93 || c === 0x201d || c === 0x2019 || c === 0xbb;
}

/**
 * Number of sentences in `text[from, to)`, a stand-in for NLTK punkt's `sent_tokenize` that the
 * C4 filter uses to count sentences: a sentence ends at `.`, `!` or `?` (runs of them, plus
 * closing quotes/brackets) followed by whitespace and a character that is not a lower-case
 * letter; a period after a known abbreviation or a single letter does not end one. Text after
 * the last boundary counts as one more sentence when it is not blank.
 */
export function countSentences(text: string, from = 0, to = text.length): number {
  let count = 0;
  let sentenceStart = from;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c !== 46 && c !== 33 && c !== 63) { i++; continue; }
    let j = i + 1;
    while (j < to) {
      const d = text.charCodeAt(j);
      if (d === 46 || d === 33 || d === 63 || isClosing(d)) j++;
      else break;
    }
    if (j >= to) break;
    if (!(CHAR_CLASS[text.charCodeAt(j)]! & CC_SPACE)) { i = j; continue; }
    let k = j;
    while (k < to && (CHAR_CLASS[text.charCodeAt(k)]! & CC_SPACE)) k++;
    if (k < to && (CHAR_CLASS[text.charCodeAt(k)]! & CC_LOWER)) { i = k; continue; }
    if (c === 46 && j === i + 1 && isAbbreviation(text, sentenceStart, i)) { i = k; continue; }
    if (hasContent(text, sentenceStart, i)) count++;
    sentenceStart = k;
    i = k;
  }
  if (hasContent(text, sentenceStart, to)) count++;
  return count;
}

function hasContent(text: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (!(CHAR_CLASS[text.charCodeAt(i)]! & CC_SPACE)) return true;
  return false;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;

/** Whether the word ending at `dot` (exclusive) is an abbreviation or a single letter. */
function isAbbreviation(text: string, lineStart: number, dot: number): boolean {
  let s = dot;
  while (s > lineStart && !(CHAR_CLASS[text.charCodeAt(s - 1)]! & CC_SPACE)) s--;
  while (s < dot && !LETTER_OR_DIGIT.test(text[s]!)) s++;
  const word = text.slice(s, dot).toLowerCase();
  if (word.length === 1) return LETTER.test(word);
  return word.length > 0 && word.length <= 6 && ABBREVIATIONS.has(word);
}
