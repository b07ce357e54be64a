/**
 * WARC record headers (ISO 28500 WARC/1.0 and 1.1, and the 0.17/0.18 drafts Heritrix 1.x wrote,
 * which use the same `Name: value` layout). Only the fields the reader needs are kept.
 */
export interface WarcHeader {
  /** Version from the record's first line, e.g. `1.0`, `0.17`. */
  version: string;
  type: string;
  recordId: string;
  date: string;
  targetUri: string;
  /** The record block's Content-Type (e.g. `application/http; msgtype=response`). */
  contentType: string;
  contentLength: number;
  /** Length of the header including the blank line that ends it. */
  headerBytes: number;
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * Offset just past the blank line ending a header block that starts at `start`, or -1 if there is
 * none before `limit`. Accepts bare-LF line ends, which some old writers produce.
 */
export function headerBlockEnd(buf: Uint8Array, start: number, limit: number): number {
  let i = start;
  for (;;) {
    const nl = buf.indexOf(LF, i);
    if (nl < 0 || nl >= limit) return -1;
    if (buf[nl + 1] === LF) return nl + 2;
    if (buf[nl + 1] === CR && buf[nl + 2] === LF) return nl + 3;
    i = nl + 1;
  }
}

const WARC_VERSION = /^WARC\/(\d+\.\d+)$/;
const DIGITS = /^\d+$/;

/**
 * Parses the WARC header at `buf[start..]` (at most `limit` exclusive). Returns the header or an
 * error message naming what is wrong, for the quarantine report.
 */
export function parseWarcHeader(buf: Buffer, start: number, limit: number): WarcHeader | string {
  const end = headerBlockEnd(buf, start, limit);
  if (end < 0) return 'malformed WARC record: header does not end with a blank line';
  const lines = buf.toString('utf8', start, end).split('\n');
  const first = lines[0]!.trimEnd();
  const m = WARC_VERSION.exec(first);
  if (!m) return `malformed WARC record: first line is ${JSON.stringify(first.slice(0, 40))}, not WARC/<version>`;
  const h: WarcHeader = {
    version: m[1]!, type: '', recordId: '', date: '', targetUri: '', contentType: '', contentLength: -1,
    headerBytes: end - start,
  };
  let last = '';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length === 0 || line === '\r') continue;
    const c = line.charCodeAt(0);
    if (c === 0x20 || c === 0x09) {
      // A folded continuation line (WARC 1.0 §4, after RFC 2616): part of the previous value.
      if (last === 'warc-target-uri') h.targetUri += line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return `malformed WARC record: header line ${JSON.stringify(line.slice(0, 40))} has no name`;
    last = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    switch (last) {
      case 'warc-type': h.type = value.toLowerCase(); break;
      case 'warc-record-id': h.recordId = value; break;
      case 'warc-date': h.date = value; break;
      case 'warc-target-uri': h.targetUri = value; break;
      case 'content-type': h.contentType = value; break;
      case 'content-length': h.contentLength = DIGITS.test(value) ? Number(value) : -2; break;
    }
  }
  if (h.contentLength === -1) return 'malformed WARC record: no Content-Length';
  if (h.contentLength === -2) return 'malformed WARC record: Content-Length is not a number';
  return h;
}

/**
 * Normalizes a target URI: trims it and strips the `<…>` wrapping that wget and the WARC/1.1 draft
 * grammar put around it (`WARC-Target-URI: <https://example.com/>`).
 */
export function normalizeTargetUri(uri: string): string {
  const u = uri.trim();
  return u.length >= 2 && u.startsWith('<') && u.endsWith('>') ? u.slice(1, -1).trim() : u;
}
