import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';

/** An HTML response from a WARC file, with the WET text of the same URI when one exists. */
export interface WarcHtml { name: string; uri: string; body: Uint8Array; charset: string | null; reference: string | null }

export const WARC_DIR = '/work/shared/data/warc';

interface RawRecord { headers: Map<string, string>; block: Buffer }

function headerMap(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c > 0) m.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim());
  }
  return m;
}

/**
 * Frames records from the decompressed stream by their Content-Length (each gzip member holds one
 * record; the whole file inflates as one stream). A truncated last member yields what is complete.
 * This is a bench-only reader so the evaluation does not depend on the WARC operator.
 */
function records(file: string): RawRecord[] {
  const data = gunzipSync(readFileSync(file), { finishFlush: constants.Z_SYNC_FLUSH });
  const out: RawRecord[] = [];
  let pos = 0;
  while (pos < data.length) {
    const start = data.indexOf('WARC/', pos, 'latin1');
    if (start < 0) break;
    const hdrEnd = data.indexOf('\r\n\r\n', start, 'latin1');
    if (hdrEnd < 0) break;
    const headers = headerMap(data.subarray(start, hdrEnd).toString('latin1'));
    const len = Number(headers.get('content-length') ?? NaN);
    if (!Number.isFinite(len) || hdrEnd + 4 + len > data.length) break;
    out.push({ headers, block: data.subarray(hdrEnd + 4, hdrEnd + 4 + len) });
    pos = hdrEnd + 4 + len;
  }
  return out;
}

function uriOf(h: Map<string, string>): string {
  return (h.get('warc-target-uri') ?? '').replace(/^<|>$/g, '');
}

/** HTML responses of every WARC in the directory; WET conversions give the reference text. */
export function loadWarcPages(dir = WARC_DIR): WarcHtml[] {
  if (!existsSync(dir)) return [];
  const wet = new Map<string, string>();
  const files = readdirSync(dir).sort();
  for (const f of files.filter((x) => x.includes('.wet.'))) {
    for (const r of records(join(dir, f))) {
      if (r.headers.get('warc-type') === 'conversion') wet.set(uriOf(r.headers), r.block.toString('utf8'));
    }
  }
  const pages: WarcHtml[] = [];
  for (const f of files.filter((x) => !x.includes('.wet.') && !x.includes('.wat.'))) {
    for (const r of records(join(dir, f))) {
      if (r.headers.get('warc-type') !== 'response') continue;
      const split = r.block.indexOf('\r\n\r\n');
      if (split < 0) continue;
      const http = headerMap(r.block.subarray(0, split).toString('latin1'));
      const type = http.get('content-type') ?? '';
      if (!/html/i.test(type)) continue;
      const uri = uriOf(r.headers);
      pages.push({
        name: `${f.split('.')[0]}#${pages.length}`, uri, body: r.block.subarray(split + 4),
        charset: /charset\s*=\s*["']?([\w.:-]+)/i.exec(type)?.[1] ?? null, reference: wet.get(uri) ?? null,
      });
    }
  }
  return pages;
}
