import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { headerBlockEnd } from './record-header.ts';

/** The parts of an HTTP response a text pipeline needs. */
export interface HttpResponse {
  status: number;
  /** Media type from Content-Type, lowercased, without parameters; '' when absent. */
  mime: string;
  /** `charset` parameter of Content-Type, lowercased; '' when absent. */
  charset: string;
  transferEncoding: string;
  contentEncoding: string;
  body: Buffer;
}

const MAX_HEADER_BYTES = 1 << 20;
const STATUS_LINE = /^HTTP\/\d(?:\.\d)?[ \t]+(\d{3})/;

/**
 * Parses an HTTP response message stored in a `response` record block. A block without the blank
 * line that ends the headers (a response truncated by the crawler) has an empty body.
 */
export function parseHttpResponse(block: Buffer): HttpResponse | string {
  const statusEnd = block.indexOf(0x0a);
  const firstLine = block.toString('latin1', 0, statusEnd < 0 ? Math.min(block.length, 100) : statusEnd);
  const m = STATUS_LINE.exec(firstLine);
  if (!m) return `malformed HTTP response: status line ${JSON.stringify(firstLine.slice(0, 60))}`;
  const end = headerBlockEnd(block, 0, Math.min(block.length, MAX_HEADER_BYTES));
  const headerEnd = end < 0 ? block.length : end;
  const res: HttpResponse = {
    status: Number(m[1]), mime: '', charset: '', transferEncoding: '', contentEncoding: '',
    body: block.subarray(headerEnd),
  };
  for (const line of block.toString('latin1', statusEnd + 1, headerEnd).split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === 'content-type') {
      const value = line.slice(colon + 1).trim();
      const semi = value.indexOf(';');
      res.mime = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
      const cs = /charset\s*=\s*["']?([^"';\s]+)/i.exec(value);
      res.charset = cs ? cs[1]!.toLowerCase() : '';
    } else if (name === 'transfer-encoding') {
      res.transferEncoding = line.slice(colon + 1).trim().toLowerCase();
    } else if (name === 'content-encoding') {
      res.contentEncoding = line.slice(colon + 1).trim().toLowerCase();
    }
  }
  return res;
}

/**
 * Removes chunked transfer coding (RFC 9112 §7.1), which wget and other raw-socket archivers keep.
 * Lenient like browsers: a body cut inside a chunk keeps the bytes received; a body that is not
 * chunked after all (the header lies) is returned unchanged.
 */
export function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let p = 0;
  while (p < body.length) {
    const nl = body.indexOf(0x0a, p);
    if (nl < 0) break;
    const size = parseInt(body.toString('latin1', p, nl).split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) return parts.length === 0 ? body : Buffer.concat(parts);
    if (size === 0) break;
    parts.push(body.subarray(nl + 1, Math.min(body.length, nl + 1 + size)));
    p = nl + 1 + size;
    if (body[p] === 0x0d) p++;
    if (body[p] === 0x0a) p++;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Undoes Content-Encoding (gzip, deflate, br); throws on corrupt data or over `maxBytes`. */
export function decodeContent(body: Buffer, encoding: string, maxBytes: number): Buffer {
  const opts = { maxOutputLength: maxBytes };
  switch (encoding) {
    case '':
    case 'identity':
      return body;
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body, opts);
    case 'deflate':
      // Servers send zlib-wrapped or raw deflate under this name; accept both as browsers do.
      return body[0] !== undefined && (body[0] & 0x0f) === 8 ? inflateSync(body, opts) : inflateRawSync(body, opts);
    case 'br':
      return brotliDecompressSync(body, opts);
    default:
      throw new Error(`unsupported Content-Encoding ${JSON.stringify(encoding)}`);
  }
}
