import { z } from 'zod';

/**
 * Options of the WARC source (`readWarc(paths, options)` → `SourceSpec.options`).
 * Defaults follow datatrove's `WarcReader` (`src/datatrove/pipeline/readers/warc.py`), which keeps
 * `response` records whose payload is HTML and decodes them to text, as RefinedWeb §3.1 does from
 * raw WARC rather than Common Crawl's WET text.
 */
export const warcOptionsSchema = z.strictObject({
  /** Media types kept: prefix match on the HTTP Content-Type without parameters, lowercased. */
  contentTypes: z.array(z.string().min(1).transform((s) => s.toLowerCase())).default(['text/html', 'application/xhtml+xml']),
  /** HTTP statuses kept; absent keeps every status (the `http_status` column lets you filter later). */
  httpStatuses: z.array(z.number().int().min(100).max(999)).optional(),
  /** Largest inflated gzip member, and largest decoded HTTP body; bigger ones are quarantined. */
  maxMemberBytes: z.number().int().positive().default(256 << 20),
  /** Largest record in an uncompressed `.warc`; bigger ones are quarantined. */
  maxRecordBytes: z.number().int().positive().default(256 << 20),
});

export type WarcOptions = z.output<typeof warcOptionsSchema>;

/** Validates reader options with a message naming the source, for `SourceSpec.options`. */
export function parseWarcOptions(options: unknown): WarcOptions {
  const r = warcOptionsSchema.safeParse(options ?? {});
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
    throw new Error(`invalid options for the warc source: ${issues}`);
  }
  return r.data;
}
