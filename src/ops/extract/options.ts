import { z } from 'zod';

/**
 * Options of the main-text extractor (and of the `extract_text` operator). Defaults follow
 * trafilatura's `settings.cfg` where it has an equivalent, so a sluice run matches the
 * RefinedWeb/FineWeb recipe's extraction behaviour.
 */
export const extractOptionsSchema = z.object({
  /** Keep less text: stricter link-density and sibling thresholds (trafilatura `favor_precision`). */
  favorPrecision: z.boolean().default(false),
  /** Keep more text: looser thresholds, no conditional cleaning of lists (trafilatura `favor_recall`). */
  favorRecall: z.boolean().default(false),
  /** Keep tables as text (cells tab-separated, rows as lines); trafilatura's `include_tables=True`. */
  includeTables: z.boolean().default(true),
  /** Append user comments after the main text; off as in trafilatura's default `include_comments`
   *  for pre-training (datatrove's Trafilatura step passes `include_comments=False`). */
  includeComments: z.boolean().default(false),
  /** Documents whose extracted text is shorter (in characters) are dropped with `extract:no_text`;
   *  trafilatura's `MIN_OUTPUT_SIZE = 1`. */
  minTextLength: z.number().int().min(0).default(1),
  /** Inputs larger than this are quarantined (`extract:too_large`). 20 MB is trafilatura's
   *  `MAX_FILE_SIZE`; a 10 MB page (the hostile case in issue 5) still extracts. */
  maxInputBytes: z.number().int().positive().default(20_000_000),
  /** Elements nested deeper are flattened into their ancestor at this depth (their text is kept).
   *  512 is Blink's HTML parser limit (`kMaximumHTMLParserDOMTreeDepth`), so the cap never
   *  changes what a browser would show. */
  maxDepth: z.number().int().positive().default(512),
  /** Wall-clock budget per document in milliseconds, checked inside every loop; over it the
   *  document is quarantined (`extract:timeout`). A median page takes ~2 ms and a 10 MB page
   *  ~0.3 s, so 2 s only trips on pathological input (datatrove's trafilatura step hangs there). */
  timeBudgetMs: z.number().int().min(0).default(2000),
});

/** Validated extractor options, every default filled in. */
export type ExtractOptions = z.output<typeof extractOptionsSchema>;

/** The options with all defaults applied; handy for tests and the CLI. */
export function defaultExtractOptions(overrides: Partial<ExtractOptions> = {}): ExtractOptions {
  return extractOptionsSchema.parse(overrides);
}
