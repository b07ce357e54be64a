import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser } from 'htmlparser2';

/** One evaluation page: its HTML and the reference main text (null when there is none). */
export interface EvalPage { name: string; html: string; reference: string | null }

const INLINE = new Set(['a', 'b', 'i', 'em', 'strong', 'span', 'sup', 'sub', 'code', 'small', 'abbr', 'u', 's', 'font', 'mark', 'q', 'cite', 'time']);

/** Plain text of an HTML fragment (tags stripped, entities decoded, scripts/styles skipped). */
export function stripTags(html: string): string {
  const out: string[] = [];
  let skip = 0;
  const parser = new Parser({
    onopentag(name) {
      if (skip > 0 || name === 'script' || name === 'style') { skip++; return; }
      if (!INLINE.has(name)) out.push(' ');
    },
    ontext(t) { if (skip === 0) out.push(t); },
    onclosetag(name) {
      if (skip > 0) { skip--; return; }
      if (!INLINE.has(name)) out.push(' ');
    },
  }, { decodeEntities: true });
  parser.end(html);
  return out.join('').replace(/\s+/g, ' ').trim();
}

export const DEV_DIR = '/work/shared/data/extraction-dev';

/** The Readability.js test pages: source HTML with the accepted article body as reference. */
export function loadDevSet(dir = DEV_DIR): EvalPage[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().map((name) => ({
    name,
    html: gunzipSync(readFileSync(join(dir, name, 'source.html.gz'))).toString('utf8'),
    reference: stripTags(gunzipSync(readFileSync(join(dir, name, 'expected.html.gz'))).toString('utf8')),
  }));
}
