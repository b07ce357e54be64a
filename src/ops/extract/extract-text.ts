import { Type, type RecordBatch } from 'apache-arrow';
import { z } from 'zod';
import { setColumn } from '../../arrow/batch.ts';
import { Utf8Builder } from '../../arrow/utf8.ts';
import { extractOptionsSchema } from './options.ts';
import { defineOperator } from '../operator.ts';
import { utf8ColumnReader } from '../text/columns.ts';
import type { ExtractResult } from './extract.ts';

/**
 * Options of `extract_text`: the extractor's options (see `extract/options.ts`, defaults from
 * trafilatura's settings, which RefinedWeb §3.1 and FineWeb use for main-text extraction) plus
 * column names.
 */
export const extractTextOptions = extractOptionsSchema.extend({
  /** Column holding the page: Utf8 (already decoded) or Binary (charset sniffed from the bytes). */
  column: z.string().default('html'),
  textColumn: z.string().default('text'),
  /** Also write `title`, `date` (YYYY-MM-DD) and `author` columns, null where the page has none. */
  metadata: z.boolean().default(false),
});
export type ExtractTextOptions = z.output<typeof extractTextOptions>;

const METADATA_COLUMNS = ['title', 'date', 'author'] as const;

/** The options and the extractor, loaded on first use (see `init`). */
type ExtractState = ExtractTextOptions & Pick<typeof import('./extract.ts'), 'extractMainText' | 'extractMainTextUtf8'>;

/** Drop reason of a page whose extracted text is empty or shorter than `minTextLength`. */
const NO_TEXT = 'extract_text:no_text';

/**
 * Extracts the page column one row at a time. A Utf8 column's pages are parsed from their bytes in
 * the batch (the parser decodes only the text it reports); a Binary column's are decoded by the
 * extractor, charset sniffed.
 */
function pageExtractor(batch: RecordBatch, o: ExtractState): (row: number) => ExtractResult {
  const at = batch.schema.fields.findIndex((f) => f.name === o.column);
  const data = at < 0 ? undefined : batch.data.children[at];
  if (data === undefined || (data.typeId !== Type.Binary && data.typeId !== Type.LargeBinary)) {
    const page = utf8ColumnReader(batch, o.column, 'extract_text');
    return (row) => o.extractMainTextUtf8(page(row), o);
  }
  const vec = batch.getChildAt(at)!;
  return (row) => o.extractMainText((vec.get(row) as Uint8Array | null) ?? '', o);
}

/**
 * Main-text extraction (RefinedWeb §3.1: trafilatura on the HTML of each response). Keeps the
 * article and drops menus, footers, cookie banners, comments and share bars; see `extract/`.
 * Pages with no text are dropped (`extract_text:no_text`); pages over a hard limit or that are not
 * text are quarantined with the reason (`extract:too_large`, `extract:too_complex`, `extract:timeout`, `extract:binary`).
 */
export const extractText = defineOperator({
  name: 'extract_text',
  options: extractTextOptions,
  declare: (o) => ({
    reads: [o.column],
    writes: o.metadata ? [o.textColumn, ...METADATA_COLUMNS] : [o.textColumn],
    removes: [],
    filters: true,
    kind: 'narrow',
    // ~2.5 ms per median Common Crawl page on one core (bench/extract.ts).
    costPerRow: 2_500_000,
    selectivity: 0.95,
    dropReasons: [NO_TEXT],
  }),
  // The extractor loads on first use, not when a worker imports the operators.
  init: async (o): Promise<ExtractState> => {
    const { extractMainText, extractMainTextUtf8 } = await import('./extract.ts');
    return { ...o, extractMainText, extractMainTextUtf8 };
  },
  apply: (o, batch, ctx) => {
    const extract = pageExtractor(batch, o);
    const n = batch.numRows;
    // Each result is encoded into its column at once rather than held as a string to the end of
    // the batch, so it dies young: strings kept across a batch outlive the scavenges that would
    // free them and go to the old generation. (When pages were decoded to strings, a result could
    // also be a slice of its page's HTML and keep the whole page alive.)
    const texts = new Utf8Builder(n, n * 2048);
    const meta = o.metadata ? METADATA_COLUMNS.map(() => new Utf8Builder(n)) : [];
    const drop = new Array<string | null>(n).fill(null);
    const quarantine = new Array<string | null>(n).fill(null);
    for (let i = 0; i < n; i++) {
      ctx.heartbeat(i);
      const r = extract(i);
      if (!r.ok) {
        quarantine[i] = r.message;
        texts.append(null);
        for (const m of meta) m.append(null);
        continue;
      }
      texts.append(r.text);
      if (r.text.length < Math.max(1, o.minTextLength)) drop[i] = NO_TEXT;
      if (o.metadata) { meta[0]!.append(r.title); meta[1]!.append(r.date); meta[2]!.append(r.author); }
    }
    let out = setColumn(batch, o.textColumn, texts.finishVector());
    meta.forEach((column, k) => { out = setColumn(out, METADATA_COLUMNS[k]!, column.finishVector()); });
    return { batch: out, drop, quarantine };
  },
});
