import { describe, expect, it } from 'vitest';
import { extractMainText } from '../../../src/ops/extract/extract.ts';
import { defaultExtractOptions } from '../../../src/ops/extract/options.ts';
import { fixturePage, textOf } from './helpers.ts';

const PROSE = 'The committee published its findings on Tuesday, and the report runs to many pages of detail. ';
const page = (body: string): string => `<html><body>${body}</body></html>`;

// Every outcome here is decided by counted limits (work steps, sizes), never by the clock: the
// default 30 s wall-clock net is far above what the work budget allows, and is tested on its own.
describe('hostile inputs', () => {
  // Each hostile shape at two sizes, 10x apart: it extracts within a work budget proportional to
  // its size (the same steps per character at both sizes), and a budget a hundred times smaller
  // refuses it as too complex. Work is counted, so this says the cost is linear without a clock.
  const SHAPES: Array<[string, (n: number) => string, string]> = [
    ['nested divs', (n) => page(`${'<div>'.repeat(n)}<p>${PROSE.repeat(5)}</p>${'</div>'.repeat(n)}`), 'The committee published'],
    ['nested unclosed tables', (n) => page('<table><tr><td>cell text '.repeat(n)), 'cell text'],
    ['attributes on one element', (n) => page(`<div ${Array.from({ length: n }, (_, i) => `data-a${i}="v"`).join(' ')}><p>${PROSE.repeat(5)}</p></div>`), 'The committee published'],
    ['unmatched closing tags under deep nesting', (n) => page(`${'<span>'.repeat(600)}<p>${PROSE}</p>${'</em>'.repeat(n)}`), 'The committee published'],
    ['forms nested in deep divs', (n) => page(`${'<div>'.repeat(600)}${'<form></form>'.repeat(n)}<p>${PROSE}</p>`), 'The committee published'],
  ];
  for (const [name, make, expected] of SHAPES) {
    it(`${name}: 10k and 100k cost work linear in their size, decided by counted limits`, () => {
      for (const n of [10_000, 100_000]) {
        const html = make(n);
        const within = extractMainText(html, defaultExtractOptions({ maxWork: 3 * html.length, timeBudgetMs: 3_600_000 }));
        expect(within.ok && within.text).toContain(expected);
        const starved = extractMainText(html, defaultExtractOptions({ maxWork: Math.ceil(html.length / 100), timeBudgetMs: 3_600_000 }));
        expect(starved).toMatchObject({ ok: false, reason: 'extract:too_complex' });
      }
    });
  }

  it('a giant inline script is skipped text: a 10 MB one costs a few steps', () => {
    const html = page(`<script>${'var x = "<div>"; '.repeat(600_000)}</script><p>${PROSE.repeat(5)}</p>`);
    expect(textOf(html, { maxWork: 10_000, timeBudgetMs: 3_600_000 })).toContain('The committee published');
  });

  it('NUL-laden bytes after a page are binary, refused before parsing', () => {
    const bytes = Buffer.concat([Buffer.from(page(`<p>${PROSE.repeat(5)}</p>`)), Buffer.alloc(1_000_000)]);
    expect(extractMainText(bytes, defaultExtractOptions({ maxWork: 1 }))).toMatchObject({ ok: false, reason: 'extract:binary' });
  });

  it('a 10 MB page extracts (under the 20 MB default size limit)', () => {
    const { html } = fixturePage('001');
    const para = `<p>${PROSE.repeat(10)}</p>\n`;
    const big = html.replace('</article>', `${para.repeat(Math.ceil(10_000_000 / para.length))}</article>`);
    expect(big.length).toBeGreaterThan(10_000_000);
    const text = textOf(big);
    expect(text).toContain('So finally you\'re testing your frontend JavaScript code?');
    expect(text.length).toBeGreaterThan(9_000_000);
  });

  it('over maxInputBytes: refused with extract:too_large before parsing', () => {
    const r = extractMainText(`<p>${'x'.repeat(2000)}</p>`, defaultExtractOptions({ maxInputBytes: 1000 }));
    expect(r).toMatchObject({ ok: false, reason: 'extract:too_large' });
  });

  it('multi-byte text is measured in UTF-8 bytes, not UTF-16 units', () => {
    const r = extractMainText(`<p>${'日本'.repeat(200)}</p>`, defaultExtractOptions({ maxInputBytes: 1000 }));
    expect(r).toMatchObject({ ok: false, reason: 'extract:too_large' });
  });

  it('over the time budget: extract:timeout, while the same page extracts under the default budget', () => {
    const html = page(`<div class="c"><p>${PROSE}</p></div>`.repeat(5_000));
    expect(extractMainText(html, defaultExtractOptions({ timeBudgetMs: 1 }))).toMatchObject({ ok: false, reason: 'extract:timeout' });
    expect(extractMainText(html, defaultExtractOptions({ timeBudgetMs: 0 }))).toMatchObject({ ok: false, reason: 'extract:timeout' });
    expect(extractMainText(html, defaultExtractOptions()).ok).toBe(true);
  });

  it('over the work budget: extract:too_complex, decided by counting steps, not by the clock', () => {
    const html = `<html><body>${`<div class="c"><p>${PROSE}</p></div>`.repeat(5_000)}</body></html>`;
    const counted = [1, 2, 3].map(() => extractMainText(html, defaultExtractOptions({ maxWork: 20_000 })));
    for (const r of counted) expect(r).toMatchObject({ ok: false, reason: 'extract:too_complex' });
    expect(extractMainText(html, defaultExtractOptions()).ok).toBe(true);
  });

  it('binary junk with an HTML content type: extract:binary', () => {
    const junk = new Uint8Array(8192);
    let x = 12345;
    for (let i = 0; i < junk.length; i++) { x = (x * 1103515245 + 12345) >>> 0; junk[i] = x >>> 24; }
    expect(extractMainText(junk, defaultExtractOptions())).toMatchObject({ ok: false, reason: 'extract:binary' });
    const gz = Uint8Array.from([0x1f, 0x8b, 8, 0, ...junk.subarray(0, 100)]);
    expect(extractMainText(gz, defaultExtractOptions())).toMatchObject({ ok: false, reason: 'extract:binary' });
  });

  it('no <html>/<body> at all, and an empty document', () => {
    expect(textOf(`<p>${PROSE.repeat(4)}</p><p>Second paragraph of the fragment.</p>`))
      .toBe(`${PROSE.repeat(4).trim()}\n\nSecond paragraph of the fragment.`);
    expect(textOf('')).toBe('');
    expect(textOf('<html><head><title>t</title></head></html>')).toBe('');
  });

  it('unclosed tags and stray closing tags', () => {
    const html = `<html><body><div class="article"><p>${PROSE.repeat(3)}<p>Second paragraph, never closed<b>bold <i>italic</div></span></td>` +
      `<p>${PROSE.repeat(3)}`;
    const text = textOf(html);
    expect(text).toContain('Second paragraph, never closed');
    expect(text).toContain('bold italic');
  });

  it('random byte soup of tag fragments never throws', () => {
    const parts = ['<div', '>', '</div>', '<p>', '<table>', '<td', '<!--', '-->', '<script>', '</script>', '&amp', '&#x', 'text ', '"', "'", '<a href=', '<br/>', '<![CDATA[', ']]>'];
    let x = 7;
    for (let k = 0; k < 200; k++) {
      let html = '';
      for (let i = 0; i < 300; i++) { x = (x * 1103515245 + 12345) >>> 0; html += parts[x % parts.length]; }
      expect(() => extractMainText(html, defaultExtractOptions())).not.toThrow();
    }
  });
});
