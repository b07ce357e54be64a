import { describe, expect, it } from 'vitest';
import { extractMainText } from '../../../src/ops/extract/extract.ts';
import { normalizeDate } from '../../../src/ops/extract/metadata.ts';
import { defaultExtractOptions } from '../../../src/ops/extract/options.ts';
import { fixturePage } from './helpers.ts';

const meta = (html: string) => {
  const r = extractMainText(html, defaultExtractOptions());
  if (!r.ok) throw new Error(r.message);
  return { title: r.title, date: r.date, author: r.author };
};

describe('metadata', () => {
  it('prefers Open Graph title and reads the author meta tag (003-metadata-preferred)', () => {
    expect(meta(fixturePage('003-metadata-preferred').html)).toMatchObject({ title: 'Open Graph name title', author: 'Meta name author' });
  });

  it('reads parsely metadata (parsely-metadata)', () => {
    const m = meta(fixturePage('parsely-metadata').html);
    expect(m.author).toBeTruthy();
    expect(m.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('JSON-LD: datePublished and author name, also inside @graph', () => {
    const ld = JSON.stringify({ '@context': 'https://schema.org', '@graph': [{ '@type': 'WebPage' },
      { '@type': 'NewsArticle', headline: 'Rivers in spring', datePublished: '2021-04-07T09:30:00+02:00', author: [{ '@type': 'Person', name: 'Ana Ruiz' }] }] });
    const m = meta(`<html><head><title>Site | Rivers</title><script type="application/ld+json">${ld}</script></head><body><p>x</p></body></html>`);
    expect(m).toEqual({ title: 'Rivers in spring', date: '2021-04-07', author: 'Ana Ruiz' });
  });

  it('falls back to <title>, and null when the page says nothing; broken JSON-LD is ignored', () => {
    const m = meta('<html><head><title> Just a   title </title><script type="application/ld+json">{oops</script></head><body></body></html>');
    expect(m).toEqual({ title: 'Just a title', date: null, author: null });
  });

  it('normalizes dates', () => {
    expect(normalizeDate('2015-4-3')).toBe('2015-04-03');
    expect(normalizeDate('Tue, 15 Nov 1994 08:12:31 GMT')).toBe('1994-11-15');
    expect(normalizeDate('yesterday')).toBeNull();
    expect(normalizeDate('0001-01-01')).toBeNull();
  });
});
