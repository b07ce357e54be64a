import { TextDecoder } from 'node:util';

/**
 * Byte-level handling for HTML that arrives undecoded (CLI files, binary columns): charset from
 * BOM or `<meta charset>` (the HTML sniffing order, minus the HTTP header the caller may pass),
 * and a binary test so images or archives served as `text/html` are refused, not parsed.
 */

const META_CHARSET = /<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})/i;

function decoderFor(label: string): TextDecoder | null {
  try { return new TextDecoder(label.toLowerCase()); } catch { return null; }
}

/** Decodes HTML bytes; `charset` (e.g. from the HTTP header) wins over the document's own. */
export function decodeHtml(bytes: Uint8Array, charset?: string | null): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  let label = charset ?? null;
  if (!label) {
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
    label = META_CHARSET.exec(head)?.[1] ?? null;
  }
  // A page claiming UTF-16 in an ASCII-compatible meta tag is really ASCII-compatible (HTML spec).
  if (label && /^utf-?16/i.test(label)) label = 'utf-8';
  const dec = (label && decoderFor(label)) || new TextDecoder('utf-8');
  return dec.decode(bytes);
}

/**
 * True when the start of the document is not text: more than 10% control characters or U+FFFD
 * in the first 4096 code units (HTML, even minified, has next to none), or a gzip/zip/PDF/PNG/JPEG
 * magic number (compressed or binary bodies mislabelled as HTML).
 */
export function looksBinary(html: string): boolean {
  const n = Math.min(html.length, 4096);
  if (n === 0) return false;
  const c0 = html.charCodeAt(0);
  if ((c0 === 0x1f && html.charCodeAt(1) === 0x8b) || html.startsWith('PK\u0003\u0004') || html.startsWith('%PDF') ||
    html.startsWith('\u0089PNG') || (c0 === 0xff && html.charCodeAt(1) === 0xd8)) return true;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = html.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd || c === 0x7f) bad++;
  }
  return bad > n * 0.1;
}
