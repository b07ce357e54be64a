import type { RawRecord } from './framing.ts';
import type { WarcRow } from './columns.ts';
import { decodeHtml } from '../../ops/text/charset.ts';
import { decodeContent, dechunk, parseHttpResponse } from './http-response.ts';
import type { WarcOptions } from './options.ts';
import { normalizeTargetUri } from './record-header.ts';

/** A record becomes a row, a counted skip (by reason), or a quarantined bad record. */
export type Converted = { row: WarcRow } | { skip: string } | { bad: string };

/** Skip reasons, for the runner's report. `non_response:<type>` carries the WARC-Type. */
export const SKIP_NON_HTTP = 'non_http_response';
export const SKIP_CONTENT_TYPE = 'content_type';
export const SKIP_HTTP_STATUS = 'http_status';

/** Pages served without Content-Type are kept when they look like HTML, as browsers sniff them. */
function looksLikeHtml(body: Buffer): boolean {
  const head = body.toString('latin1', 0, Math.min(body.length, 1024)).trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.includes('<html');
}

/**
 * Turns a framed record into a row. `decode` is false when neither `html` nor `charset` is wanted,
 * which skips body decoding entirely.
 */
export function convertRecord(rec: RawRecord, options: WarcOptions, decode: boolean): Converted {
  const h = rec.header;
  if (h.type !== 'response') return { skip: `non_response:${h.type || 'unknown'}` };
  const block = rec.block;
  const isHttp = h.contentType.toLowerCase().startsWith('application/http') ||
    (h.contentType === '' && block.toString('latin1', 0, 5) === 'HTTP/');
  if (!isHttp) return { skip: SKIP_NON_HTTP };
  const res = parseHttpResponse(block);
  if (typeof res === 'string') return { bad: res };
  let mime = res.mime;
  if (mime === '' && looksLikeHtml(res.body)) mime = 'text/html';
  if (!options.contentTypes.some((t) => mime.startsWith(t))) return { skip: SKIP_CONTENT_TYPE };
  if (options.httpStatuses && !options.httpStatuses.includes(res.status)) return { skip: SKIP_HTTP_STATUS };
  let html: Buffer | string | null = null;
  let charset = '';
  if (decode) {
    let body = res.transferEncoding.includes('chunked') ? dechunk(res.body) : res.body;
    try {
      body = decodeContent(body, res.contentEncoding, options.maxMemberBytes);
    } catch (e) {
      return { bad: `undecodable HTTP body (Content-Encoding ${res.contentEncoding}): ${(e as Error).message}` };
    }
    const text = decodeHtml(body, res.charset);
    html = text.text;
    charset = text.charset;
  }
  return {
    row: {
      id: h.recordId,
      url: normalizeTargetUri(h.targetUri),
      date: h.date,
      html,
      content_type: mime,
      charset,
      http_status: res.status,
      pos: rec.pos,
      owned: rec.owned,
    },
  };
}
