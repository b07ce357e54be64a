import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tokenPrf } from '../../../bench/extract/metrics.ts';
import { stripTags } from '../../../bench/extract/pages.ts';
import { FIXTURES, fixturePage, textOf } from './helpers.ts';

describe('extraction on real pages', () => {
  it.each([
    ['ars-1', 0.95], ['v8-blog', 0.95], ['001', 0.95], ['keep-tabular-data', 0.9], ['social-buttons', 0.95],
    ['hidden-nodes', 0.9],
    // A table-layout page: the accepted body also keeps the link lists after the story, which sluice drops (P 1.0, R 0.8).
    ['hukumusume', 0.85],
  ])('%s: the accepted article body, token F1 >= %s', (name, min) => {
    const { html, expected } = fixturePage(name);
    const m = tokenPrf(textOf(html), stripTags(expected));
    expect(m.f1).toBeGreaterThanOrEqual(min);
  });

  it('ars-1: keeps the article, drops the nav menu, share links and comment counter', () => {
    const text = textOf(fixturePage('ars-1').html);
    expect(text).toContain('A flaw in the wildly popular online game Minecraft');
    expect(text).not.toContain('Share on Facebook');
    expect(text).not.toMatch(/posters participating/);
    expect(text).not.toContain('Ars Technica Addendum');
  });

  it('social-buttons: removes the "Like this" / share block', () => {
    const text = textOf(fixturePage('social-buttons').html);
    expect(text).toContain('Lorem ipsum dolor sit amet');
    expect(text).not.toContain('Like this:');
    expect(text).not.toMatch(/Share this/i);
  });

  it('hidden-nodes: hidden elements are not text', () => {
    const { html, expected } = fixturePage('hidden-nodes');
    const text = textOf(html);
    expect(stripTags(expected)).not.toContain('hidden');
    expect(text.toLowerCase()).not.toMatch(/\bhidden\b/);
  });

  it('v8-blog: code blocks keep their lines (comments inside <pre><code> are code, not boilerplate)', () => {
    const text = textOf(fixturePage('v8-blog').html);
    expect(text).toContain('// add.c');
    expect(text).toMatch(/\/\/ add\.c\n#include/);
  });

  it('ol: list items come out as "- item"', () => {
    const text = textOf(`<html><body><article><h2>Steps</h2><ol><li>First step of the recipe here.</li><li>Second step, with more words.</li></ol>
      <p>${'A real paragraph of prose, long enough to be the main content of this page. '.repeat(4)}</p></article></body></html>`);
    expect(text).toMatch(/^Steps\n\n- First step of the recipe here\.\n- Second step, with more words\.\n\nA real paragraph/m);
  });

  it('hukumusume (Japanese): the CJK story is kept whole, in one paragraph', () => {
    const text = textOf(fixturePage('hukumusume').html);
    expect(text).toMatch(/^肉をくわえたイヌが、橋を渡っていました。.*欲張るとけっきょく損をするというお話しです。$/m);
  });

  it('RTL page: Arabic and Hebrew paragraphs kept intact', () => {
    const text = textOf(readFileSync(`${FIXTURES}rtl-udhr.html`, 'utf8'));
    expect(text).toContain('لمّا كان الاعتراف بالكرامة المتأصلة في جميع أعضاء الأسرة البشرية');
    expect(text).toContain('הואיל והכרה בכבוד הטבעי');
    expect(text.split('\n\n').length).toBeGreaterThanOrEqual(3);
  });

  it('cookie banner and comment section around a real article are removed', () => {
    const { html } = fixturePage('001');
    const banner = '<div id="onetrust-banner-sdk" class="otFlat"><div class="ot-sdk-container"><p id="onetrust-policy-text">' +
      'We use cookies to personalise content and ads, to provide social media features and to analyse our traffic. ' +
      'We also share information about your use of our site with our partners.</p><button>Accept All Cookies</button></div></div>';
    const comments = '<section id="comments" class="comments-area"><h2>3 thoughts on this post</h2><ol class="comment-list">' +
      '<li class="comment"><p>Great article, thanks a lot for writing this, it helped me understand coverage.</p></li>' +
      '<li class="comment"><p>I disagree with the second point, but otherwise a good summary of the tooling.</p></li></ol></section>';
    const page = html.replace('<body>', `<body>${banner}`).replace('</body>', `${comments}</body>`);
    const text = textOf(page);
    expect(text).toContain('So finally you\'re testing your frontend JavaScript code?');
    expect(text).not.toContain('We use cookies');
    expect(text).not.toContain('Great article');
    const withComments = textOf(page, { includeComments: true });
    expect(withComments).toContain('Great article, thanks a lot');
    expect(withComments.indexOf('Great article')).toBeGreaterThan(withComments.indexOf('So finally'));
  });

  it('entities are decoded (named, decimal, hex, astral)', () => {
    const text = textOf(`<html><body><article><p>Caf&eacute; &amp; cr&#232;me &#x1F62D; &lt;tag&gt; &quot;quoted&quot; &nbsp;5&nbsp;&euro; ${'filler words here to make a paragraph. '.repeat(3)}</p></article></body></html>`);
    expect(text).toContain('Café & crème 😭 <tag> "quoted" 5 €');
  });
});
