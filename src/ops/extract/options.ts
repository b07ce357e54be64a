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
  /** Documents whose extracted text is shorter (in characters) are dropped with `extract_text:no_text`;
   *  trafilatura's `MIN_OUTPUT_SIZE = 1`. */
  minTextLength: z.number().int().min(0).default(1),
  /** Inputs larger than this are quarantined (`extract:too_large`). 20 MB is trafilatura's
   *  `MAX_FILE_SIZE`; a 10 MB page (the hostile case in issue 5) still extracts. */
  maxInputBytes: z.number().int().positive().default(20_000_000),
  /** Elements nested deeper are flattened into their ancestor at this depth (their text is kept).
   *  512 is Blink's HTML parser limit (`kMaximumHTMLParserDOMTreeDepth`), so the cap never
   *  changes what a browser would show. */
  maxDepth: z.number().int().positive().default(512),
  /** Work budget per document, in steps (tags and attributes parsed, DOM nodes built, scored,
   *  cleaned, written out); over it the document is quarantined (`extract:too_complex`). The
   *  parser's open-element stack is bounded (see `extract/parser.ts`), so every shape of input
   *  costs steps in proportion to its size: 100k nested unclosed tables take ~1 step per byte and
   *  extract. It is counted, not timed, so whether a page is kept never depends on machine load
   *  or worker count. The largest dev-set page takes 94k steps, the largest WARC page 374k and a
   *  10 MB page 130k; 8M (about a second) only trips on pathological input. */
  maxWork: z.number().int().positive().default(8_000_000),
  /** Wall-clock budget per document in milliseconds: a safety net for costs the work count does
   *  not model. Over it the document is quarantined (`extract:timeout`). Being a clock, it can
   *  differ between runs, so it is set far above `maxWork`'s ~1 s; the runner's `--doc-timeout`
   *  (120 s) is the last resort. */
  timeBudgetMs: z.number().int().min(0).default(30_000),
});

/** Validated extractor options, every default filled in. */
export type ExtractOptions = z.output<typeof extractOptionsSchema>;

/** The options with all defaults applied; handy for tests and the CLI. */
export function defaultExtractOptions(overrides: Partial<ExtractOptions> = {}): ExtractOptions {
  return extractOptionsSchema.parse(overrides);
}
