import { decodeHtml as decodeBody } from '../text/charset.ts';

/**
 * Byte-level handling for HTML that arrives undecoded (CLI files, binary columns). Decoding is the
 * WARC reader's (`warc/charset.ts`), so a page gives the same text whichever way it comes in: BOM,
 * then the caller's charset (e.g. from the HTTP header), then `<meta charset>`, then valid UTF-8,
 * else windows-1252 by the WHATWG table (Node 20's own `windows-1252` decoder is plain Latin-1 and
 * would turn smart quotes into C1 controls). Valid UTF-8 comes back as its bytes, which the parser
 * reads as they are.
 */
export function decodePage(bytes: Uint8Array, charset?: string | null): string | Buffer {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return decodeBody(buf, charset ? charset.trim().toLowerCase() : '').text;
}

/** {@link decodePage} as a string. */
export function decodeHtml(bytes: Uint8Array, charset?: string | null): string {
  const page = decodePage(bytes, charset);
  return typeof page === 'string' ? page : page.toString('utf8');
}

const MAGIC: ReadonlyArray<readonly number[]> = [
  [0x1f, 0x8b], [0x50, 0x4b, 0x03, 0x04], [0x25, 0x50, 0x44, 0x46], [0x89, 0x50, 0x4e, 0x47], [0xff, 0xd8],
];

function isControl(c: number): boolean {
  return (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0x7f;
}

/**
 * True when undecoded bytes are not text: a gzip/zip/PDF/PNG/JPEG magic number, or more than 5% C0
 * control bytes in the first 4096 (HTML in any ASCII-compatible charset has next to none; random
 * bytes have ~11%). Checked before decoding, since windows-1252, the fallback, accepts any byte.
 */
export function bytesLookBinary(bytes: Uint8Array): boolean {
  if (MAGIC.some((m) => m.every((b, i) => bytes[i] === b))) return true;
  // UTF-16 (BOM-marked) is full of NUL bytes; its decoded text is checked instead.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  const n = Math.min(bytes.length, 4096);
  let bad = 0;
  for (let i = 0; i < n; i++) if (isControl(bytes[i]!)) bad++;
  return bad > n * 0.05;
}

/**
 * True when the start of a decoded document (a string, or valid UTF-8 bytes) is not text: more
 * than 10% control characters or U+FFFD in the first 4096 code units, or a gzip/zip/PDF/PNG/JPEG
 * magic number (compressed or binary bodies mislabelled as HTML and decoded upstream).
 */
export function looksBinary(page: string | Buffer): boolean {
  // 4096 UTF-16 code units never take more than 12,288 bytes of UTF-8.
  const html = typeof page === 'string' ? page : page.toString('utf8', 0, Math.min(page.length, 12_288));
  const n = Math.min(html.length, 4096);
  if (n === 0) return false;
  const c0 = html.charCodeAt(0);
  if ((c0 === 0x1f && html.charCodeAt(1) === 0x8b) || html.startsWith('PK\u0003\u0004') || html.startsWith('%PDF') ||
    html.startsWith('\u0089PNG') || (c0 === 0xff && html.charCodeAt(1) === 0xd8)) return true;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = html.charCodeAt(i);
    if (isControl(c) || c === 0xfffd) bad++;
  }
  return bad > n * 0.1;
}
