import { z } from 'zod';
import type { DedupSpec } from '../../plan/logical-plan.ts';
import { TIKTOKEN_ENCODINGS } from '../tokenize/tokenizer.ts';

/**
 * Options of exact-substring dedup (Lee et al. 2022, "Deduplicating Training Data Makes Language
 * Models Better"; RefinedWeb §3.3 / App. G.3 after MinHash): every span of at least `minTokens`
 * consecutive tokens that occurs more than once in the whole input (within one document or across
 * documents, never across a document boundary) is cut out of the text.
 *
 * What is cut. A span of ≥ k tokens repeats iff each of its k-token windows repeats, so the cut of a
 * document is the union of the token ranges `[pos, pos + k)` of its windows that are cut:
 * - `keep: 'none'` (default, Lee et al.'s and RefinedWeb's choice): every occurrence of every
 *   repeated window, so no copy of a repeated span survives;
 * - `keep: 'first'`: every occurrence but the first in input order (smallest document ordinal,
 *   then token position) of each repeated window. When repeats overlap, a token is cut as soon as
 *   it lies in any non-first occurrence of any window: the first occurrence of one window may lose
 *   tokens it shares with a later occurrence of another (e.g. a period-p run `ABAB…` inside one
 *   document keeps its first k tokens only, and a span repeated in a later document is kept whole in
 *   the earliest document that holds it, unless that copy itself overlaps a later repeat there).
 *   Either way no window of k tokens occurs twice in the output outside windows that straddle a cut.
 *
 * Windows are compared by a 124-bit hash (`substrings-hash.ts`): equal windows always match; two
 * different windows match with probability ≤ ((k − 1) / (2^31 − 1))^4, so over N windows the chance
 * of any false match is ≤ N²/2 · ((k − 1) / (2^31 − 1))^4 (1.4·10⁻¹⁵ for 10⁸ windows, k = 50).
 *
 * The cut is applied by the `substring_dedup` step at character boundaries: a token range whose
 * edge falls inside a multi-byte character (GPT-2's byte-level tokens can split one) is shrunk to
 * whole characters, so nothing outside a repeated span is removed. A document that lost tokens and
 * has fewer than `minTokensLeft` left is dropped as `substring_dedup:too_short`; a document with no
 * cut is never dropped by this step.
 */
export const SubstringDedupOptions = z.object({
  /** Text column to tokenize, search and cut (default `text`). */
  column: z.string().default('text'),
  /** Shortest repeated span that is cut, in tokens (default 50, as Lee et al. and RefinedWeb). */
  minTokens: z.number().int().min(2).max(4096).default(50),
  /** Tokenizer whose ids are compared (a tiktoken encoding, default `gpt2`: byte-level, so every cut maps to bytes). */
  tokenizer: z.enum(TIKTOKEN_ENCODINGS).default('gpt2'),
  /** Which occurrences of a repeated span are cut: all (`none`, default) or all but the first (`first`). */
  keep: z.enum(['none', 'first']).default('none'),
  /** A document left with fewer tokens than this after its cuts is dropped (default 50; 0 keeps all). */
  minTokensLeft: z.number().int().nonnegative().default(50),
  /**
   * Memory budget of one bucket task in MiB (default 256): a bucket whose window records would need
   * more is processed in several passes over its hash range, each re-reading its record blobs.
   */
  bucketMemoryMb: z.number().positive().default(256),
});
export type SubstringDedupOptions = z.input<typeof SubstringDedupOptions>;
export type ResolvedSubstringOptions = z.output<typeof SubstringDedupOptions>;

/** Tokens removed from each kept document (0 when nothing was cut). */
export const REMOVED_TOKENS = 'substr_removed_tokens';
/** Unicode characters removed from each kept document. */
export const REMOVED_CHARS = 'substr_removed_chars';
/** Columns a substring dedup adds to its output. */
export const SUBSTRING_COLUMNS = [REMOVED_TOKENS, REMOVED_CHARS] as const;

/** Exact-substring dedup, e.g. `df.dedup(substrings({ minTokens: 50 }))`; see {@link SubstringDedupOptions}. */
export function substrings(options: SubstringDedupOptions = {}): DedupSpec {
  const parsed = SubstringDedupOptions.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
    throw new Error(`invalid substrings dedup options: ${issues}`);
  }
  return { strategy: 'substrings', options: parsed.data as Record<string, unknown> };
}
