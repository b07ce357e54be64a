import type { El, Page } from './dom.ts';
import type { Deadline } from './limits.ts';
import { cut, type Stats } from './stats.ts';
import { assembleText } from './text.ts';

/**
 * How news and blog pages introduce links to other articles inside the story ("Read more:",
 * "Lea también:", "Auch interessant", "À lire aussi") in the languages of the web's larger
 * publishers. Matched at the start of a short block only, so prose that mentions the words stays.
 */
const SEE_ALSO = new RegExp(`^[\\s\\p{P}]*(?:${[
  // English
  'read (?:more|also|next)\\b', 'see also\\b', 'also read\\b', 'more on this\\b', 'you (?:might|may) also like', 'related(?: articles?| stories| posts?| content)?\\s*:',
  'recommended (?:for you|reading|articles?|stories)', 'more from\\b',
  // German
  'lesen sie (?:auch|mehr|hier|weiter)', 'auch interessant', 'mehr zum thema', 'mehr themen', 'zum weiterlesen', 'weiterlesen',
  'schon gelesen', 'das könnte (?:dich|sie)', 'empfohlene (?:beiträge|artikel)', 'neueste (?:beiträge|artikel)',
  'ähnliche (?:beiträge|artikel)', 'weitere (?:beiträge|artikel|tourentipps|themen)', 'passend dazu',
  // Spanish, Portuguese
  'le[ae] (?:también|más)\\b', 'lea\\s*:', 'vea (?:también|más)', 'ver también', 'mir[ae]\\s*:', '(?:le|te) puede interesar',
  'puedes ver\\s*:', 'también te puede', 'noticias relacionadas', 'más noticias', 'leia (?:também|mais)', 'veja também',
  // French, Italian, Dutch, Polish
  'à lire aussi', 'lire aussi', 'à voir aussi', 'voir aussi', 'sur le même sujet', 'leggi anche', 'potrebbe interessarti',
  'lees ook', 'czytaj (?:też|także|również|więcej)', 'zobacz (?:też|także|również)',
].join('|')})`, 'iu');

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'div', 'li', 'strong', 'b']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const LISTS = new Set(['ul', 'ol']);
/** Longer than this, a block is prose even if it opens with one of the phrases. */
const MAX_CHARS = 200;

function nextElement(el: El): El | null {
  const ch = el.parent?.children ?? [];
  let seen = false;
  for (const c of ch) {
    if (c === el) { seen = true; continue; }
    if (seen && typeof c !== 'string') return c;
  }
  return null;
}

/**
 * Rule `see-also`: a short block inside the content that opens with a "read also" phrase is a link
 * to another article, not part of this one; when it is a heading or ends in a colon, the list it
 * introduces goes with it.
 */
export function pruneSeeAlso(page: Page, s: Stats, roots: readonly El[], deadline: Deadline): void {
  for (const r of roots) {
    const end = s.end[r.index]!;
    for (let i = r.index + 1; i <= end; i++) {
      deadline.tick();
      const el = page.all[i]!;
      if (s.dead[i] || !BLOCKS.has(el.tag) || s.text[i]! === 0 || s.text[i]! > MAX_CHARS || (el.tag === 'div' && s.blockChild[i])) continue;
      const text = assembleText([el], { dead: s.dead, includeTables: true }, deadline);
      if (!SEE_ALSO.test(text)) continue;
      const next = HEADINGS.has(el.tag) || text.trimEnd().endsWith(':') ? nextElement(el) : null;
      if (next !== null && !s.dead[next.index] && LISTS.has(next.tag)) cut(page, s, next.index);
      cut(page, s, i);
      i = s.end[i]!;
    }
  }
}
