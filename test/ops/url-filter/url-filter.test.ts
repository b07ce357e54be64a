import { readdirSync } from 'node:fs';
import { Field, Utf8, type RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../../src/arrow/batch.ts';
import { utf8Vector } from '../../../src/arrow/utf8.ts';
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../../src/ops/operator.ts';
import { buildUrlFilterState, urlFilter, urlFilterOptions } from '../../../src/ops/filters/url-filter/url-filter.ts';
import { urlDropReason } from '../../../src/ops/filters/url-filter/decide.ts';
import { FIXTURES, readAll } from '../warc/helpers.ts';

const UT1 = new URL('../../../fixtures/url_filter/ut1/', import.meta.url).pathname;
const state = (o: Record<string, unknown> = {}) => buildUrlFilterState(urlFilterOptions.parse(o));

/** Every URL of the WARC fixtures' HTML responses. */
async function realUrls(): Promise<string[]> {
  const urls: string[] = [];
  for (const f of readdirSync(FIXTURES).sort()) for (const row of (await readAll([FIXTURES + f])).rows) urls.push(row.url as string);
  return urls;
}

function urlBatch(urls: (string | null)[]): RecordBatch {
  return makeBatch([{ field: new Field('url', new Utf8(), true), data: utf8Vector(urls) }], urls.length);
}

describe('url_filter word checks (datatrove lists)', () => {
  const s = state();

  it('keeps every real URL of the WARC fixtures with the default lists', async () => {
    const urls = await realUrls();
    expect(urls.length).toBe(60);
    expect(urls.filter((u) => urlDropReason(s, u) !== null)).toEqual([]);
  });

  it('drops a URL with a hard banned word as any token', () => {
    expect(urlDropReason(s, 'https://example.com/videos/porn/1')).toBe('url_filter:hard_banned_word');
    expect(urlDropReason(s, 'https://xxx.example.com/')).toBe('url_filter:hard_banned_word');
    // A banned word inside a longer token is not a token match (but may be a subword match).
    expect(urlDropReason(s, 'https://example.com/pornography-law')).toBeNull();
  });

  it('drops a URL with two distinct soft banned words, keeps one', () => {
    expect(urlDropReason(s, 'https://example.com/sexy-babes.html')).toBe('url_filter:soft_banned_words');
    expect(urlDropReason(s, 'https://example.com/sexy-cars.html')).toBeNull();
    expect(urlDropReason(s, 'https://example.com/sexy/sexy.html')).toBeNull();
    expect(urlDropReason(state({ softWordThreshold: 1 }), 'https://example.com/sexy-cars.html')).toBe('url_filter:soft_banned_words');
  });

  it('drops a URL whose normalized form contains a banned subword', () => {
    expect(urlDropReason(s, 'https://example.com/2-Girls_1-Cup/')).toBe('url_filter:banned_subword');
    expect(urlDropReason(s, 'https://myxvideossite.example/')).toBe('url_filter:banned_subword');
  });

  it('matches tokens case-sensitively like datatrove unless lowercaseTokens is set', () => {
    expect(urlDropReason(s, 'https://example.com/XXX/')).toBeNull();
    expect(urlDropReason(state({ lowercaseTokens: true }), 'https://example.com/XXX/')).toBe('url_filter:hard_banned_word');
  });

  it('skips the shipped lists with useIntegratedLists: false and takes extra words', () => {
    const custom = state({ useIntegratedLists: false, bannedWords: ['Escopete'] });
    expect(urlDropReason(custom, 'https://example.com/porn/')).toBeNull();
    expect(urlDropReason(custom, 'https://an.wikipedia.org/wiki/escopete')).toBe('url_filter:hard_banned_word');
  });
});

describe('url_filter blocklists (UT1 layout)', () => {
  const s = state({ blocklistDir: UT1 });

  it('blocks registered domains, listed hosts and their subdomains, and IPs, from real WARC URLs', async () => {
    const reasons = new Map((await realUrls()).map((u) => [u, urlDropReason(s, u)]));
    expect(reasons.get('http://003338.cn/l41/481397.html')).toBe('url_filter:domain_blocklist');
    expect(reasons.get('http://0900-hovenier.nl/gelderland/oosterbeek/')).toBe('url_filter:domain_blocklist');
    expect(reasons.get('https://dwadden.github.io/')).toBe('url_filter:domain_blocklist');
    // github.io is a private suffix: with datatrove's tldextract default (no private domains) the
    // registered domain is github.io, so listing one github.io host must not block the others.
    expect(reasons.get('https://maria-antoniak.github.io/2020/03/25/pip.html')).toBeNull();
    expect(urlDropReason(s, 'http://www.sub.dwadden.github.io/x')).toBe('url_filter:domain_blocklist');
    expect(urlDropReason(s, 'http://203.0.113.7/index.html')).toBe('url_filter:domain_blocklist');
  });

  it('blocks URL-list entries as prefixes at path boundaries', async () => {
    const urls = await realUrls();
    const archive = urls.filter((u) => u.startsWith('http://www.archive.org/services/'));
    expect(archive.length).toBeGreaterThan(0);
    for (const u of archive) expect(urlDropReason(s, u)).toBe('url_filter:url_blocklist');
    expect(urlDropReason(s, 'https://commoncrawl.org/ccbot')).toBe('url_filter:url_blocklist');
    expect(urlDropReason(s, 'https://commoncrawl.org/ccbot-faq')).toBeNull();
    expect(urlDropReason(s, 'http://www.archive.org/index.php')).toBeNull();
  });

  it('loads only the configured categories', () => {
    expect(urlDropReason(s, 'https://allenai.org/')).toBeNull();
    expect(urlDropReason(state({ blocklistDir: UT1, categories: ['adult', 'gambling'] }), 'https://allenai.org/')).toBe('url_filter:domain_blocklist');
    expect(() => state({ blocklistDir: UT1, categories: ['nope'] })).toThrow(/blocklist category "nope"/);
  });

  it('exempts allowlisted domains from every check', () => {
    const a = state({ blocklistDir: UT1, allowlist: ['003338.cn', 'example.com'] });
    expect(urlDropReason(a, 'http://003338.cn/l41/481397.html')).toBeNull();
    expect(urlDropReason(a, 'https://www.example.com/porn/')).toBeNull();
    expect(urlDropReason(a, 'https://example.org/porn/')).toBe('url_filter:hard_banned_word');
  });

  it('takes extra domains and URLs', () => {
    const e = state({ extraDomains: ['kyleclo.com'], extraUrls: ['https://allenai.org/'] });
    expect(urlDropReason(e, 'https://kyleclo.com/')).toBe('url_filter:domain_blocklist');
    expect(urlDropReason(e, 'https://allenai.org/')).toBe('url_filter:url_blocklist');
  });
});

describe('url_filter operator', () => {
  it('declares its reads and reasons and validates options', () => {
    const o = parseOptions(urlFilter, {});
    expect(o).toMatchObject({ column: 'url', categories: ['adult'], softWordThreshold: 2, useIntegratedLists: true });
    expect(urlFilter.declare(o)).toMatchObject({ reads: ['url'], filters: true, kind: 'narrow' });
    expect(urlFilter.declare(o).dropReasons).toHaveLength(5);
    expect(() => parseOptions(urlFilter, { softWordThreshold: 0 })).toThrow(/url_filter/);
    expect(() => parseOptions(urlFilter, { blocklist: 'x' })).toThrow(/url_filter/);
  });

  it('drops and quarantines rows of a WARC batch without reslicing it', async () => {
    const o = parseOptions(urlFilter, { blocklistDir: UT1 });
    const st = await urlFilter.init(o);
    const batch = urlBatch(['http://003338.cn/a', 'https://kyleclo.com/', null, 'https://example.com/sexy-babes', '']);
    const res = await urlFilter.apply(st, batch, { heartbeat: () => {} });
    expect(res.batch).toBe(batch);
    expect(res.drop).toEqual(['url_filter:domain_blocklist', null, null, 'url_filter:soft_banned_words', null]);
    expect(res.quarantine).toEqual([null, null, 'url_filter: document has no url', null, 'url_filter: document has no url']);
  });

  it('runs on batches straight from the WARC reader', async () => {
    const r = await readAll([FIXTURES + 'cc-main-2020-34.resiliparse-warcfile.warc.gz']);
    const st = await urlFilter.init(parseOptions(urlFilter, { blocklistDir: UT1 }));
    const drops: (string | null | undefined)[] = [];
    for (const b of r.batches) drops.push(...(await urlFilter.apply(st, b, { heartbeat: () => {} })).drop!);
    expect(drops).toHaveLength(16);
    // 003338.cn and 0900-hovenier.nl are in this crawl and in the fixture blocklist.
    expect(drops.filter((d) => d !== null)).toEqual(['url_filter:domain_blocklist', 'url_filter:domain_blocklist']);
  });
});
