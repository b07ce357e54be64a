/**
 * Class/id hints. The lists merge Readability.js's `REGEXPS` (Apache-2.0, mozilla/readability)
 * with the boilerplate vocabulary of trafilatura's `xpaths.py` (cookie/consent banners, share
 * bars, newsletters), since both mark where boilerplate sits on real pages.
 */

/** Containers that are almost never the article: stripped before scoring (first pass only). */
export const UNLIKELY = new RegExp([
  '-ad-', 'ai2html', 'banner', 'breadcrumb', 'combx', 'comment', 'community', 'cover-wrap', 'disqus',
  'extra', 'footer', 'gdpr', 'header', 'legends', 'menu', 'related', 'remark', 'replies', 'rss',
  'shoutbox', 'sidebar', 'skyscraper', 'social', 'sponsor', 'supplemental', 'ad-break', 'agegate',
  'pagination', 'pager', 'popup', 'yom-remote',
  'role-navigation', 'role-complementary', 'role-menubar', 'role-alert', 'role-dialog',
].join('|'));

/**
 * trafilatura's extra boilerplate vocabulary. These words also occur on wrappers of real articles
 * (`gigya-share-btns-wrapper`), so they strip an element only when it holds a small share of the
 * page's text (see `passDead`).
 */
export const BOILERPLATE = /cookie|consent|newsletter|subscri|share|sharing|social|promo|signup|sign-up|paywall|masthead|toolbar|widget|advert|sponsored|teaser|recommend|trending|most-popular|popular-|read-more|readmore|more-stories|outbrain|taboola/;

/** Overrides {@link UNLIKELY} when both match (e.g. `main-header-content`). */
export const MAYBE = /and|article|body|column|content|main|mathjax|shadow|story/;

/** Raise a container's score by 25. */
export const POSITIVE = /article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story|prose/;

/** Lower a container's score by 25. */
export const NEGATIVE = new RegExp([
  '-ad-', 'hidden', '^hid$', ' hid$', ' hid ', '^hid ', 'banner', 'combx', 'comment', 'com-', 'contact',
  'footer', 'gdpr', 'masthead', 'media', 'meta', 'outbrain', 'promo', 'related', 'scroll', 'share',
  'shoutbox', 'sidebar', 'skyscraper', 'sponsor', 'shopping', 'tags', 'widget', 'cookie', 'consent',
  'newsletter', 'social', 'breadcrumb', 'menu', 'subscribe', 'byline', 'author-bio',
].join('|'));

/** Comment sections, for `includeComments`. */
export const COMMENTS = /comment|disqus|replies|respon[sd]|discussion/;

/** Share/social bars: removed from the chosen content when short (Readability's `shareElements`). */
export const SHARE = /(\b|_)(share|sharedaddy|social|sharing)(\b|_)/;

/** Tags whose presence inside an element marks it as a container of blocks rather than a paragraph. */
export const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'details', 'dialog', 'dd', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'ul', 'tr', 'td', 'th', 'tbody', 'thead',
  'tfoot', 'caption', 'center', 'summary', 'legend', 'body', 'html', 'menu',
]);

/** HTML5 sectioning elements that mark page chrome; removed unless they hold most of the text. */
export const CHROME_TAGS = new Set(['header', 'footer', 'aside', 'form']);

function weightOf(name: string): number {
  if (name === '') return 0;
  return (NEGATIVE.test(name) ? -25 : 0) + (POSITIVE.test(name) ? 25 : 0);
}

/**
 * Readability's `_getClassWeight`: ±25 from the class and ±25 from the id, each on its own, so a
 * container named for the article both ways (`class="post"`, `id="post-…"`) outranks one named once.
 */
export function classWeight(el: { cls: string; id: string }): number {
  return weightOf(el.cls) + weightOf(el.id);
}
