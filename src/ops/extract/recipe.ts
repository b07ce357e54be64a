import type { El, Page } from './dom.ts';
import type { Deadline } from './limits.ts';
import type { Stats } from './stats.ts';

/** Class/id words that name a recipe's ingredient list (English, German, French, Spanish, Polish). */
const INGREDIENTS = /ingredient|zutaten|ingr[eé]dient|ingrediente|skladnik/;
const MIN_CHARS = 20;
const MAX_CHARS = 5000;

function within(el: El, roots: readonly El[]): boolean {
  for (let a: El | null = el; a !== null; a = a.parent) if (roots.includes(a)) return true;
  return false;
}

/** The nearest common ancestor of two elements. */
function meet(a: El, b: El): El | null {
  const seen = new Set<El>();
  for (let x: El | null = a; x !== null; x = x.parent) seen.add(x);
  for (let y: El | null = b; y !== null; y = y.parent) if (seen.has(y)) return y;
  return null;
}

/**
 * Rule `recipe-ingredients`: on a recipe page the scoring finds the method (prose), while the
 * ingredient list (a table or list of short lines) sits in its own box beside it and is main text
 * too. Live boxes named as ingredients that meet the content below `<body>` are added to it, in
 * document order. Returns the roots to write out.
 */
export function withIngredients(page: Page, s: Stats, roots: readonly El[], deadline: Deadline): El[] {
  const first = roots[0];
  if (first === undefined) return [...roots];
  const added: El[] = [];
  for (let i = 1; i < page.all.length; i++) {
    deadline.tick();
    const el = page.all[i]!;
    if (s.dead[i] || el.hint === '' || !INGREDIENTS.test(el.hint)) continue;
    const len = s.text[i]!;
    if (len < MIN_CHARS || len > MAX_CHARS || within(el, roots)) { i = s.end[i]!; continue; }
    const m = meet(el, first);
    if (m === null || m.tag === 'body' || m.tag === 'html' || m.tag === '#document' || within(first, [el])) continue;
    added.push(el);
    i = s.end[i]!;
  }
  if (added.length === 0) return [...roots];
  return [...roots, ...added].sort((a, b) => a.index - b.index);
}
