import { createRequire } from 'node:module';
import type { AlphaNumMatcher } from './aho-corasick.ts';
import { urlKey } from './lists.ts';

/**
 * tldts ships CommonJS only (no `exports` map): imported from ESM, Node first scans its 193 KB with
 * the CJS export lexer, hot enough that V8 optimizes the lexer, in every worker. `require` skips the
 * scan: about 100 ms of CPU less per thread that loads sluice (measured with `--trace-opt`).
 */
const { parse } = createRequire(import.meta.url)('tldts') as typeof import('tldts');

/** Everything `url_filter` needs per worker, built once by `init`. */
export interface UrlFilterState {
  domains: Set<string>;
  /** squidGuard URL keys (see {@link urlKey}) plus raw URLs, as datatrove compares them. */
  urls: Set<string>;
  allow: Set<string>;
  hardWords: Set<string>;
  softWords: Set<string>;
  subwords: AlphaNumMatcher | null;
  softWordThreshold: number;
  lowercaseTokens: boolean;
}

export const REASON_DOMAIN = 'url_filter:domain_blocklist';
export const REASON_URL = 'url_filter:url_blocklist';
export const REASON_HARD = 'url_filter:hard_banned_word';
export const REASON_SOFT = 'url_filter:soft_banned_words';
export const REASON_SUBWORD = 'url_filter:banned_subword';
export const URL_FILTER_REASONS = [REASON_DOMAIN, REASON_URL, REASON_HARD, REASON_SOFT, REASON_SUBWORD];

const TOKEN_SPLIT = /[^a-zA-Z0-9]+/;
const TLDTS_OPTIONS = { allowPrivateDomains: false, extractHostname: true, validateHostname: false, detectIp: true };

/**
 * The host and its parent domains down to the registered domain (`a.b.example.co.uk` →
 * `a.b.example.co.uk`, `b.example.co.uk`, `example.co.uk`). datatrove checks only the registered
 * domain and the full host; UT1 lists are squidGuard domain lists, where an entry also covers its
 * subdomains, so the parents in between are checked too. An IP host is its own only candidate.
 */
function hostCandidates(url: string): string[] {
  const p = parse(url, TLDTS_OPTIONS);
  const host = p.hostname?.toLowerCase().replace(/\.$/, '');
  if (!host) return [];
  const out = [host];
  const registered = p.domain;
  if (!registered || p.isIp) return out;
  let h = host;
  while (h.length > registered.length) {
    const dot = h.indexOf('.');
    if (dot < 0) break;
    h = h.slice(dot + 1);
    out.push(h);
  }
  return out;
}

/** URL-list keys from the most to the least specific: full key, without query, then path prefixes. */
function urlKeys(url: string): string[] {
  const key = urlKey(url);
  const keys = [key];
  const q = key.search(/[?#]/);
  let path = q < 0 ? key : key.slice(0, q).replace(/\/+$/, '');
  if (path !== key) keys.push(path);
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/')) {
    path = path.slice(0, slash);
    keys.push(path);
  }
  return keys;
}

/**
 * The drop reason for a URL, or null to keep it. Order and tests follow datatrove's
 * `URLFilter.filter` (`src/datatrove/pipeline/filters/url_filter.py`), which implements RefinedWeb
 * §G.1 (Penedo et al. 2023): domain blocklist, URL blocklist, hard banned words (any URL token),
 * soft banned words (at least `softWordThreshold` distinct ones), banned subwords (substring of the
 * normalized URL). Allowlisted domains skip all of them.
 */
export function urlDropReason(state: UrlFilterState, url: string): string | null {
  if (state.domains.size > 0 || state.allow.size > 0) {
    const hosts = hostCandidates(url);
    for (const h of hosts) if (state.allow.has(h)) return null;
    for (const h of hosts) if (state.domains.has(h)) return REASON_DOMAIN;
  }
  if (state.urls.size > 0) {
    if (state.urls.has(url)) return REASON_URL;
    for (const k of urlKeys(url)) if (state.urls.has(k)) return REASON_URL;
  }
  // datatrove splits the raw URL, so tokens keep their case while the lists are lowercase.
  const tokens = (state.lowercaseTokens ? url.toLowerCase() : url).split(TOKEN_SPLIT);
  const seen = new Set<string>();
  let soft = 0;
  for (const t of tokens) {
    if (state.hardWords.has(t)) return REASON_HARD;
    if (state.softWords.has(t) && !seen.has(t)) {
      seen.add(t);
      soft++;
    }
  }
  if (soft >= state.softWordThreshold) return REASON_SOFT;
  if (state.subwords && state.subwords.find(url) !== undefined) return REASON_SUBWORD;
  return null;
}
