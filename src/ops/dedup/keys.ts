import { hashString64 } from './hash32.ts';
import { DEFAULT_TEXT_NORM, normalizeText, type TextNormConfig } from './normalize.ts';

/**
 * Keys of exact and URL dedup: a 64-bit hash per row as `(hi, lo)` pairs, plus `valid` (0 for
 * null/empty keys, which are never treated as duplicates of each other). Rows with equal keys form
 * a cluster; as for MinHash, the first row in input order is kept.
 */
export interface KeyBatch {
  keys: Uint32Array;
  valid: Uint8Array;
}

/** Exact dedup key: the hash of the normalized text (datatrove's ExactSubstr/sentence dedup use
 *  the same `simplify_text`), so case, whitespace and punctuation differences still match. */
export function exactKeys(texts: ArrayLike<string | null | undefined>, norm: TextNormConfig = DEFAULT_TEXT_NORM): KeyBatch {
  const n = texts.length;
  const out: KeyBatch = { keys: new Uint32Array(2 * n), valid: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const t = texts[i];
    if (!t) continue;
    const s = normalizeText(t, norm);
    if (!s) continue;
    hashString64(s, out.keys, 2 * i);
    out.valid[i] = 1;
  }
  return out;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * Normalized URL for URL dedup. Rule: scheme and host lowercased, `www.` dropped, default port
 * dropped, fragment dropped, `http` and `https` treated alike, trailing `/` of the path dropped,
 * `utm_*` tracking parameters dropped, other query parameters kept in order. Unparseable URLs are
 * compared as trimmed strings.
 */
export function normalizeUrl(url: string): string {
  const raw = url.trim().replace(/^<(.*)>$/, '$1');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return raw;
  }
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  const port = u.port && u.port !== DEFAULT_PORTS[u.protocol] ? `:${u.port}` : '';
  const scheme = u.protocol === 'https:' ? 'http:' : u.protocol;
  const path = u.pathname.replace(/\/+$/, '');
  const params = [...u.searchParams].filter(([k]) => !/^utm_/i.test(k));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  return `${scheme}//${host}${port}${path}${query}`;
}

/** URL dedup keys: the hash of {@link normalizeUrl}. */
export function urlKeys(urls: ArrayLike<string | null | undefined>): KeyBatch {
  const n = urls.length;
  const out: KeyBatch = { keys: new Uint32Array(2 * n), valid: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const u = urls[i];
    if (!u || !u.trim()) continue;
    hashString64(normalizeUrl(u), out.keys, 2 * i);
    out.valid[i] = 1;
  }
  return out;
}
