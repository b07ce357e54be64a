import type { Page } from './dom.ts';

/** Optional per-page metadata; null when the page does not say. */
export interface PageMetadata {
  title: string | null;
  /** Publication date as `YYYY-MM-DD` (trafilatura's default `date_extraction_params` format). */
  date: string | null;
  author: string | null;
}

const TITLE_KEYS = ['og:title', 'twitter:title', 'dc.title', 'headline'];
const DATE_KEYS = [
  'article:published_time', 'datepublished', 'date', 'pubdate', 'publishdate', 'dc.date', 'dc.date.issued',
  'dcterms.created', 'sailthru.date', 'parsely-pub-date', 'og:published_time', 'article.published',
];
const AUTHOR_KEYS = ['author', 'article:author', 'dc.creator', 'parsely-author', 'sailthru.author', 'byl', 'twitter:creator'];

function first(metas: Map<string, string>, keys: readonly string[]): string | null {
  for (const k of keys) {
    const v = metas.get(k)?.replace(/\s+/g, ' ').trim();
    if (v) return v;
  }
  return null;
}

/** Normalizes a date string to `YYYY-MM-DD`, or null if it is not a plausible date. */
export function normalizeDate(raw: string): string | null {
  const iso = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(raw);
  let y: number, m: number, d: number;
  if (iso) {
    y = Number(iso[1]); m = Number(iso[2]); d = Number(iso[3]);
  } else {
    const t = Date.parse(raw);
    if (Number.isNaN(t)) return null;
    const dt = new Date(t);
    y = dt.getUTCFullYear(); m = dt.getUTCMonth() + 1; d = dt.getUTCDate();
  }
  if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function authorName(v: Json | undefined): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (Array.isArray(v)) {
    const names = v.map(authorName).filter((x): x is string => x !== null);
    return names.length > 0 ? names.join('; ') : null;
  }
  if (v !== null && typeof v === 'object' && typeof v.name === 'string') return v.name.trim() || null;
  return null;
}

/** Walks JSON-LD objects (including `@graph` arrays) iteratively, depth-capped. */
function fromJsonLd(texts: readonly string[]): { date: string | null; author: string | null; title: string | null } {
  const out = { date: null as string | null, author: null as string | null, title: null as string | null };
  for (const text of texts) {
    let parsed: Json;
    try { parsed = JSON.parse(text) as Json; } catch { continue; }
    const stack: Array<{ v: Json; depth: number }> = [{ v: parsed, depth: 0 }];
    while (stack.length > 0) {
      const { v, depth } = stack.pop()!;
      if (v === null || typeof v !== 'object' || depth > 8) continue;
      if (Array.isArray(v)) { for (const x of v) stack.push({ v: x, depth: depth + 1 }); continue; }
      if (out.date === null && typeof v.datePublished === 'string') out.date = normalizeDate(v.datePublished);
      if (out.author === null) out.author = authorName(v.author);
      if (out.title === null && typeof v.headline === 'string') out.title = v.headline.trim() || null;
      if (Array.isArray(v['@graph'])) stack.push({ v: v['@graph'], depth: depth + 1 });
    }
  }
  return out;
}

/** Title, date and author from `<title>`, `<meta>` tags and JSON-LD, the sources trafilatura reads. */
export function extractMetadata(page: Page): PageMetadata {
  const ld = fromJsonLd(page.jsonLd);
  const metaDate = first(page.metas, DATE_KEYS);
  return {
    title: first(page.metas, TITLE_KEYS) ?? ld.title ?? (page.title || null),
    date: ld.date ?? (metaDate === null ? null : normalizeDate(metaDate)),
    author: first(page.metas, AUTHOR_KEYS) ?? ld.author,
  };
}
