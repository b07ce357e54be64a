import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** Directory of the word lists shipped with sluice (datatrove's `src/datatrove/assets`, Apache-2.0),
 *  from the package root: compiled, this module's code sits in whichever bundle chunk holds it. */
export const DEFAULT_WORD_LIST_DIR = join(dirname(createRequire(import.meta.url).resolve('sluice/package.json')), 'fixtures/url_filter');

export const DEFAULT_WORD_LISTS = {
  bannedWords: join(DEFAULT_WORD_LIST_DIR, 'datatrove.banned_words.txt'),
  softBannedWords: join(DEFAULT_WORD_LIST_DIR, 'datatrove.soft_banned_words.txt'),
  bannedSubwords: join(DEFAULT_WORD_LIST_DIR, 'datatrove.banned_subwords.txt'),
};

const NON_ALNUM = /[^a-zA-Z0-9]+/g;

/** datatrove `normalize`: drop every run of non-`[a-zA-Z0-9]` characters, lowercase. */
export function normalizeWord(text: string): string {
  return text.replace(NON_ALNUM, '').toLowerCase();
}

/**
 * Lines of a list file as datatrove's `parse_list` reads them: lines starting with `#` are skipped
 * (so `#xx` in banned_words.txt is deliberately inactive). Blank lines are skipped too: datatrove
 * would keep them as `''`, which matches the empty token of every URL ending in `/`.
 */
export function readListLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '' && l[0] !== '#');
}

/** A word list, normalized as datatrove does, plus extra words. */
export function loadWordList(path: string | null, extra: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const w of [...(path ? readListLines(path) : []), ...extra]) {
    const n = normalizeWord(w);
    if (n) words.add(n);
  }
  return words;
}

/** Lowercased host without a trailing dot. */
export function normalizeDomain(d: string): string {
  const s = d.trim().toLowerCase();
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/**
 * squidGuard/UT1 URL-list key: no scheme, no leading `www.` (or `www2.`, `web.`, `ftp.`, as
 * squidGuard strips), lowercase host, no trailing `/`. `http://www.Example.com/a/` → `example.com/a`.
 */
export function urlKey(url: string): string {
  let s = url.trim().replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, '');
  const slash = s.search(/[/?#]/);
  const host = (slash < 0 ? s : s.slice(0, slash)).toLowerCase().replace(/^(www|web|ftp)\d*\./, '');
  s = host + (slash < 0 ? '' : s.slice(slash));
  return s.replace(/\/+$/, '');
}

/** What is missing from a UT1-layout directory for these categories, each problem naming the path. */
export function blocklistDirProblems(dir: string, categories: readonly string[]): string[] {
  const path = resolve(dir);
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return [`blocklist directory ${path} does not exist`];
  return categories
    .filter((c) => !existsSync(join(path, c, 'domains')) && !existsSync(join(path, c, 'urls')))
    .map((c) => `blocklist category "${c}" has neither ${join(path, c, 'domains')} nor ${join(path, c, 'urls')}`);
}

/** Domains and URL keys of the chosen categories of a UT1-layout directory (`<category>/domains`, `<category>/urls`). */
export function loadBlocklistDir(dir: string, categories: readonly string[]): { domains: Set<string>; urls: Set<string> } {
  const domains = new Set<string>();
  const urls = new Set<string>();
  for (const category of categories) {
    const catDir = join(dir, category);
    const domainsFile = join(catDir, 'domains');
    const urlsFile = join(catDir, 'urls');
    if (!existsSync(domainsFile) && !existsSync(urlsFile)) {
      throw new Error(`url_filter: blocklist category "${category}" has neither ${domainsFile} nor ${urlsFile}`);
    }
    if (existsSync(domainsFile)) for (const l of readListLines(domainsFile)) domains.add(normalizeDomain(l));
    if (existsSync(urlsFile)) for (const l of readListLines(urlsFile)) urls.add(urlKey(l));
  }
  return { domains, urls };
}
