import type { El, Page } from './dom.ts';
import type { Deadline } from './limits.ts';
import type { Stats } from './stats.ts';

/** Class/id words that name an article's lead paragraph (standfirst, chapeau, bajada, Teaser). */
const LEAD = /lead|intro|teaser|excerpt|chapo|standfirst|summary|subtitle|deck|subheadline|epigraph|bajada|abstract|kicker-text/;
const NOT_LEAD = /share|social|date|author|byline/;
const LEAD_TAGS = new Set(['p', 'div', 'h2', 'h3', 'section', 'span']);
/** How far above the content the lead and the content may meet: the same article, not the page. */
const MAX_LEVELS = 5;
const MIN_CHARS = 60;
const MAX_CHARS = 1500;

function depthBelow(el: El, ancestor: El): number {
  let d = 0;
  for (let a: El | null = el; a !== null && a !== ancestor; a = a.parent) d++;
  return d;
}

function insideList(el: El, stop: El): boolean {
  for (let a = el.parent; a !== null && a !== stop; a = a.parent) if (a.tag === 'li' || a.tag === 'a') return true;
  return false;
}

/**
 * Whether the element may be revived: dead only by its own name (a `teaser` stripped before
 * scoring) or by sitting in an HTML5 `<header>`, the page-chrome rule, and holding no byline,
 * date or share bar of its own.
 */
function revivable(page: Page, s: Stats, el: El, stop: El): boolean {
  for (let a = el.parent; a !== null && a !== stop; a = a.parent) if (s.dead[a.index] && a.tag !== 'header') return false;
  for (let k = el.index + 1; k <= s.end[el.index]!; k++) if (page.all[k]!.hint !== '' && NOT_LEAD.test(page.all[k]!.hint)) return false;
  return true;
}

/**
 * Rule `standfirst`: the lead paragraph of an article (`class="lead"`, `teaser-text`, `chapo`,
 * `article-deck`) often sits in the article's header, apart from the body the scoring picked, and
 * is main text. The nearest such block before the content, within a few levels of it, not in a
 * list and not a link, is put in front of the content. Returns the roots to write out.
 */
export function withStandfirst(page: Page, s: Stats, raw: Stats, roots: readonly El[], deadline: Deadline): El[] {
  const first = roots[0];
  if (first === undefined || first.parent === null) return [...roots];
  let top: El = first;
  for (let k = 0; k < MAX_LEVELS && top.parent !== null && top.parent.tag !== 'body' && top.parent.tag !== 'html'; k++) top = top.parent;
  for (let i = first.index - 1; i > top.index; i--) {
    deadline.tick();
    const el = page.all[i]!;
    if (s.end[i]! >= first.index) continue;
    if (el.hint === '' || !LEAD_TAGS.has(el.tag) || !LEAD.test(el.hint)) continue;
    const len = raw.text[i]!;
    // A lead is one paragraph; a box of several is a teaser of other stories or the article itself.
    if (len < MIN_CHARS || len > MAX_CHARS || raw.p[i]! > 1 || raw.linkChars[i]! > 0.3 * len || insideList(el, top)) continue;
    if (!revivable(page, s, el, top) || depthBelow(el, top) > MAX_LEVELS + 1) continue;
    for (let k = i; k <= s.end[i]!; k++) s.dead[k] = 0;
    return [el, ...roots];
  }
  return [...roots];
}
