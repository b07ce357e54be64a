import type { El, Page } from './dom.ts';
import { linkDensity, type Stats } from './stats.ts';

/**
 * Class and id names that CMS themes give the article body (trafilatura's first BODY_XPATH
 * expression: `entry-content`, `article-body`, `post-content`, `articleBody`, ...).
 */
const BODY_ID = /(?:entry|article|art)-content|article__content|article(?:-|__)?body|body-text/;
const BODY_CLASS = /post[-_]text|post-body|post-?entry|post[-_]?content|post_inner_wrapper|article-?text|(?:entry|page|text|article|art)-content|article__content|article(?:-|__)?body|body-text|article__container/;
const BODY_TAGS = new Set(['div', 'article', 'main', 'section']);
/** A named body holds at least this much text; smaller matches are teasers or widgets. */
const MIN_CHARS = 200;

function isBodyNamed(el: El): boolean {
  if (!BODY_TAGS.has(el.tag)) return false;
  return el.cls === 'post' || el.cls === 'entry' || (el.id !== '' && BODY_ID.test(el.id)) || (el.cls !== '' && BODY_CLASS.test(el.cls));
}

function contains(outer: El, inner: El): boolean {
  for (let a: El | null = inner; a !== null; a = a.parent) if (a === outer) return true;
  return false;
}

/**
 * Rule `named-body`: where the theme names the article body, the scored top candidate is moved to
 * it when the two nest. A top candidate around the named body narrows to it if the body holds
 * 60% of its text and the rest is mostly links (navigation beside the article, not its headline
 * and byline); one inside it widens to it if the body
 * has at most twice the text and few links (the rest is more of the article: lead, lists, rows).
 */
export function towardNamedBody(page: Page, s: Stats, top: El): El {
  let body: El | null = null;
  for (let i = 1; i < page.all.length; i++) {
    if (s.dead[i] || s.text[i]! < MIN_CHARS || !isBodyNamed(page.all[i]!)) continue;
    body = page.all[i]!;
    break;
  }
  if (body === null || body === top) return top;
  const topText = s.text[top.index]!;
  const bodyText = s.text[body.index]!;
  const restText = topText - bodyText;
  const restLinks = s.link[top.index]! - s.link[body.index]!;
  if (contains(top, body) && bodyText >= 0.6 * topText && restLinks > 0.3 * restText) return body;
  if (contains(body, top) && bodyText <= 2 * topText && linkDensity(s, body.index) < 0.3) return body;
  return top;
}
