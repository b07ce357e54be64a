import { z } from 'zod';
import { setColumn } from '../../arrow/batch.ts';
import { decodeUtf8, utf8Parts, utf8Vector } from '../../arrow/utf8.ts';
import { compileRegex } from '../../eval/strings.ts';
import { defineOperator } from '../operator.ts';

/** Options of `regex_line_filter`. */
export const regexLineFilterOptions = z.object({
  /** Regular expression (JavaScript syntax); a line matching it anywhere is removed. */
  pattern: z.string().min(1),
  /** RegExp flags, e.g. `i` (default none; `g`/`y` are ignored). */
  flags: z.string().regex(/^[dgimsuvy]*$/).default(''),
  /** Utf8 column whose lines are filtered (default `text`). */
  column: z.string().default('text'),
});
export type RegexLineFilterOptions = z.output<typeof regexLineFilterOptions>;

/** Drop reason for a document with no line left (or only blank lines). */
export const REGEX_LINE_FILTER_EMPTY = 'regex_line_filter:empty';

/**
 * Removes the lines (split on `\n`) of a text column that match a regex, like the line-level
 * cleanups of C4/RefinedWeb (e.g. "lines mentioning javascript"), and drops documents left
 * with no non-blank line. Documents with a null text are dropped as empty.
 */
export const regexLineFilter = defineOperator({
  name: 'regex_line_filter',
  options: regexLineFilterOptions,
  declare: (o) => ({
    reads: [o.column], writes: [o.column], removes: [], filters: true, kind: 'narrow',
    costPerRow: 2_000, selectivity: 0.98, dropReasons: [REGEX_LINE_FILTER_EMPTY],
  }),
  // `anyLine` (multiline flag) matches whenever some line matches, so it screens whole documents.
  init: (o) => ({ o, re: compileRegex(o.pattern, o.flags), anyLine: compileRegex(o.pattern, o.flags.includes('m') ? o.flags : `${o.flags}m`) }),
  apply: ({ o, re, anyLine }, batch, ctx) => {
    const at = batch.schema.fields.findIndex((f) => f.name === o.column);
    if (at < 0) throw new Error(`regex_line_filter: no column "${o.column}" (columns: ${batch.schema.fields.map((f) => f.name).join(', ')})`);
    const texts = decodeUtf8(utf8Parts(batch.data.children[at]!));
    const out = new Array<string | null>(texts.length);
    const drop = new Array<string | null>(texts.length);
    for (let i = 0; i < texts.length; i++) {
      ctx.heartbeat(i);
      const t = texts[i];
      if (t === null || t === undefined) { out[i] = null; drop[i] = REGEX_LINE_FILTER_EMPTY; continue; }
      // Fast path: a document without any match keeps its text untouched.
      if (!anyLine.test(t)) { out[i] = t; drop[i] = t.trim() === '' ? REGEX_LINE_FILTER_EMPTY : null; continue; }
      const kept = t.split('\n').filter((line) => !re.test(line)).join('\n');
      out[i] = kept;
      drop[i] = kept.trim() === '' ? REGEX_LINE_FILTER_EMPTY : null;
    }
    return { batch: setColumn(batch, o.column, utf8Vector(out)), drop };
  },
});
