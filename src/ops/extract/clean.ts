import type { El, Page } from './dom.ts';
import type { Deadline } from './limits.ts';
import { classWeight, SHARE } from './hints.ts';
import { cut, linkDensity, type Stats } from './stats.ts';

export interface CleanConfig {
  weightClasses: boolean;
  cleanConditionally: boolean;
  /** Added to the link-density cut-offs: negative favours precision, positive recall. */
  linkDensityModifier: number;
  /** Clean lists too (off when favouring recall). */
  cleanLists: boolean;
}

const CONDITIONAL = new Set(['form', 'fieldset', 'table', 'ul', 'ol', 'div', 'section', 'aside']);

function hasAncestor(el: El, tag: string, stop: El): boolean {
  for (let a = el.parent; a !== null && a !== stop; a = a.parent) if (a.tag === tag) return true;
  return false;
}

/** Readability's data-table test: such tables (and what they contain) are content, never cleaned. */
function isDataTable(s: Stats, i: number): boolean {
  if (s.tableMarks[i]! > 0) return true;
  const rows = s.tr[i]!;
  const cols = rows === 0 ? 0 : s.cells[i]! / rows;
  return rows >= 10 || cols > 4 || rows * cols > 10;
}

/**
 * Readability's `_cleanConditionally` plus its header and share-bar cleaning, applied inside the
 * chosen content: boxes that look like link lists, image galleries or widgets are cut. Innermost
 * elements go first, as in Readability, and each cut updates the ancestors' measures.
 */
export function cleanContent(page: Page, s: Stats, root: El, cfg: CleanConfig, deadline: Deadline): void {
  const start = root.index;
  const end = s.end[start]!;
  for (let i = end; i > start; i--) {
    deadline.tick();
    if (s.dead[i]) continue;
    const el = page.all[i]!;
    const tag = el.tag;
    const weight = cfg.weightClasses ? classWeight(el) : 0;
    if ((tag === 'h1' || tag === 'h2') && weight < 0) { cut(page, s, i); continue; }
    if (el.hint !== '' && SHARE.test(el.hint) && s.text[i]! < 500) { cut(page, s, i); continue; }
    if (!cfg.cleanConditionally || !CONDITIONAL.has(tag)) continue;
    const realList = tag === 'ul' || tag === 'ol';
    if (realList && !cfg.cleanLists) continue;
    // A box that is nearly all list (a heading over a feature list) is judged as a list (Readability 0.6).
    const isList = realList || s.list[i]! > 0.9 * s.text[i]!;
    if (tag === 'table' && isDataTable(s, i)) continue;
    if (hasAncestor(el, 'table', root) || hasAncestor(el, 'code', root)) continue;
    if (weight < 0) { cut(page, s, i); continue; }
    if (s.commas[i]! >= 10) continue;
    const p = s.p[i]!;
    const img = s.img[i]!;
    const li = s.li[i]! - 100;
    const len = s.text[i]!;
    const ld = linkDensity(s, i);
    const headingDensity = len === 0 ? 0 : s.heading[i]! / len;
    const inFigure = hasAncestor(el, 'figure', root);
    const remove =
      (!inFigure && img > 1 && p / img < 0.5) ||
      (!isList && li > p) ||
      (!isList && !inFigure && headingDensity < 0.9 && len < 25 && (img === 0 || img > 2) && ld > 0) ||
      (!isList && weight < 25 && ld > 0.2 + cfg.linkDensityModifier) ||
      (weight >= 25 && ld > 0.5 + cfg.linkDensityModifier) ||
      (img === 0 && len === 0);
    if (remove && !(realList && s.li[i]! > 0 && s.li[i] === img)) cut(page, s, i);
  }
}
