import { z } from 'zod';
import { defineOperator } from '../../operator.ts';
import { readTextColumn } from '../../text/columns.ts';
import { AlphaNumMatcher } from './aho-corasick.ts';
import { URL_FILTER_REASONS, urlDropReason, type UrlFilterState } from './decide.ts';
import { blocklistDirProblems, DEFAULT_WORD_LISTS, loadBlocklistDir, loadWordList, normalizeDomain, urlKey } from './lists.ts';

/**
 * Options of `url_filter`. Defaults are datatrove's `URLFilter`
 * (`src/datatrove/pipeline/filters/url_filter.py`, the RefinedWeb §G.1 URL filter): soft-word
 * threshold 2, its three word lists (shipped in `fixtures/url_filter/`, never downloaded), UT1's
 * `adult` category. The UT1 lists themselves (CC BY-SA, ~4.6M domains) are not shipped: pass
 * `blocklistDir` to use them; without it only the word lists and `extra*` entries apply.
 */
export const urlFilterOptions = z.strictObject({
  /** Column holding the URL. */
  column: z.string().default('url'),
  /** A directory in UT1 layout: `<category>/domains`, `<category>/urls`, one entry per line. */
  blocklistDir: z.string().optional(),
  /** UT1 categories to load from `blocklistDir` (datatrove: `adult`). */
  categories: z.array(z.string().min(1)).default(['adult']),
  /** Domains exempt from every check (the host or any parent domain matches). */
  allowlist: z.array(z.string().min(1)).default([]),
  /** Blocked domains added to the blocklist (datatrove `extra_domains`). */
  extraDomains: z.array(z.string().min(1)).default([]),
  /** Blocked URLs, squidGuard style `host/path` or full URLs (datatrove `extra_urls`). */
  extraUrls: z.array(z.string().min(1)).default([]),
  /** Extra words, normalized like the lists (datatrove `banned_words`, `soft_banned_words`, `banned_subwords`). */
  bannedWords: z.array(z.string()).default([]),
  softBannedWords: z.array(z.string()).default([]),
  bannedSubwords: z.array(z.string()).default([]),
  /** Load the shipped word lists (datatrove `use_integrated_lists`). */
  useIntegratedLists: z.boolean().default(true),
  /** Drop when at least this many distinct soft banned words are URL tokens (datatrove: 2). */
  softWordThreshold: z.number().int().min(1).default(2),
  /** Lowercase URL tokens before the word checks. datatrove does not (so `XXX` passes); off by default for parity. */
  lowercaseTokens: z.boolean().default(false),
});
export type UrlFilterOptions = z.output<typeof urlFilterOptions>;

/** Builds the matcher state: lists loaded and normalized once per worker. */
export function buildUrlFilterState(o: UrlFilterOptions): UrlFilterState {
  const lists = o.useIntegratedLists ? DEFAULT_WORD_LISTS : { bannedWords: null, softBannedWords: null, bannedSubwords: null };
  const ut1 = o.blocklistDir ? loadBlocklistDir(o.blocklistDir, o.categories) : { domains: new Set<string>(), urls: new Set<string>() };
  for (const d of o.extraDomains) ut1.domains.add(normalizeDomain(d));
  for (const u of o.extraUrls) {
    ut1.urls.add(u.trim());
    ut1.urls.add(urlKey(u));
  }
  const subwords = loadWordList(lists.bannedSubwords, o.bannedSubwords);
  return {
    domains: ut1.domains,
    urls: ut1.urls,
    allow: new Set(o.allowlist.map(normalizeDomain)),
    hardWords: loadWordList(lists.bannedWords, o.bannedWords),
    softWords: loadWordList(lists.softBannedWords, o.softBannedWords),
    subwords: subwords.size > 0 ? new AlphaNumMatcher([...subwords].sort()) : null,
    softWordThreshold: o.softWordThreshold,
    lowercaseTokens: o.lowercaseTokens,
  };
}

/**
 * RefinedWeb's URL filter: drops documents whose URL is on a domain or URL blocklist or contains
 * banned words, with the reason `url_filter:<check>`. A row without a URL is quarantined.
 */
export const urlFilter = defineOperator({
  name: 'url_filter',
  options: urlFilterOptions,
  declare: (o) => ({
    reads: [o.column],
    writes: [],
    removes: [],
    filters: true,
    kind: 'narrow',
    // Measured by bench/ops/url-filter.ts: a few µs per URL (tldts parse dominates when blocklists are set).
    costPerRow: 3_000,
    selectivity: 0.98,
    dropReasons: URL_FILTER_REASONS,
  }),
  checkFiles: (o) => (o.blocklistDir ? blocklistDirProblems(o.blocklistDir, o.categories) : []),
  init: (o) => ({ column: o.column, filter: buildUrlFilterState(o) }),
  apply: (state, batch, ctx) => {
    const urls = readTextColumn(batch, state.column, 'url_filter');
    const drop = new Array<string | null>(urls.length).fill(null);
    const quarantine = new Array<string | null>(urls.length).fill(null);
    for (let i = 0; i < urls.length; i++) {
      if ((i & 1023) === 0) ctx.heartbeat(i);
      const url = urls[i]!;
      if (url === '') quarantine[i] = 'url_filter: document has no url';
      else drop[i] = urlDropReason(state.filter, url);
    }
    return { batch, drop, quarantine };
  },
});
