import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

/** A body decoded to text: UTF-8 bytes when the input already was valid UTF-8, else a string. */
export interface DecodedText {
  /** WHATWG encoding name used, e.g. `utf-8`, `windows-1252`, `shift_jis`. */
  charset: string;
  text: Buffer | string;
}

/** How far into the document `<meta charset>` is looked for (the HTML prescan reads 1024 bytes; pages
 *  with long preambles put it later, so we look a little further). */
const META_SCAN_BYTES = 4096;
const META_CHARSET = /<meta\b[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)/i;

const decoders = new Map<string, TextDecoder | null>();

/** A decoder for an encoding label, or null for labels the WHATWG Encoding standard does not know. */
function decoderFor(label: string): TextDecoder | null {
  let d = decoders.get(label);
  if (d === undefined) {
    try {
      d = new TextDecoder(label);
      // `replacement` (ISO-2022-KR and friends) would turn the whole page into one U+FFFD.
      if (d.encoding === 'replacement') d = null;
    } catch {
      d = null;
    }
    decoders.set(label, d);
  }
  return d;
}

/** Encoding named in a `<meta>` tag near the start of the document, if any. */
export function metaCharset(body: Buffer): string {
  const m = META_CHARSET.exec(body.toString('latin1', 0, Math.min(body.length, META_SCAN_BYTES)));
  return m ? m[1]!.toLowerCase() : '';
}

/** windows-1252 code points of bytes 0x80–0x9F (WHATWG index-windows-1252); the rest is Latin-1. */
const CP1252_HIGH = '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';
const C1 = /[\u0080-\u009F]/g;

/**
 * Node 20's TextDecoder decodes `windows-1252` (and its labels `iso-8859-1`, `latin1`, `ascii`) as
 * plain Latin-1, turning “smart quotes” into C1 controls (nodejs/node#56542); this one follows the
 * WHATWG table.
 */
export function decodeWindows1252(body: Buffer): string {
  return body.toString('latin1').replace(C1, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

function decodeWith(body: Buffer, d: TextDecoder): DecodedText {
  if (d.encoding === 'utf-8') {
    return { charset: 'utf-8', text: isUtf8(body) ? body : body.toString('utf8') };
  }
  if (d.encoding === 'windows-1252') return { charset: 'windows-1252', text: decodeWindows1252(body) };
  return { charset: d.encoding, text: d.decode(body) };
}

/**
 * Decodes an HTML body to UTF-8. Order, following the HTML standard's encoding sniffing: a byte
 * order mark wins, then the HTTP `charset`, then `<meta charset>` (where UTF-16 means UTF-8, as the
 * standard says, since a meta tag readable as ASCII cannot be UTF-16), then detection: valid UTF-8
 * is UTF-8, anything else windows-1252 (the standard's fallback for most locales, and a superset of
 * ISO-8859-1 that never fails). Unknown labels fall through to the next source.
 */
export function decodeHtml(body: Buffer, httpCharset: string): DecodedText {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    return decodeWith(body.subarray(3), decoderFor('utf-8')!);
  }
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return decodeWith(body, decoderFor('utf-16le')!);
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return decodeWith(body, decoderFor('utf-16be')!);
  const fromHeader = httpCharset ? decoderFor(httpCharset) : null;
  if (fromHeader) return decodeWith(body, fromHeader);
  const meta = metaCharset(body);
  let fromMeta = meta ? decoderFor(meta) : null;
  if (fromMeta && fromMeta.encoding.startsWith('utf-16')) fromMeta = decoderFor('utf-8');
  if (fromMeta) return decodeWith(body, fromMeta);
  if (isUtf8(body)) return { charset: 'utf-8', text: body };
  return decodeWith(body, decoderFor('windows-1252')!);
}
