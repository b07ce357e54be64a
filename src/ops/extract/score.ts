import type { El, Page } from './dom.ts';
import type { Deadline } from './limits.ts';
import { classWeight } from './hints.ts';
import { linkDensity, type Stats } from './stats.ts';

/** Tags scored as paragraphs (Readability's `DEFAULT_TAGS_TO_SCORE`). */
const SCORED = new Set(['p', 'td', 'pre', 'section', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'dd']);
/** Containers whose direct text is scored as an implicit paragraph (Readability wraps it in `<p>`). */
const TEXT_CONTAINERS = new Set(['div', 'article', 'section', 'main', 'li', 'span', 'font', 'center', 'body']);

function tagBase(tag: string): number {
  switch (tag) {
    case 'div': case 'article': case 'main': return 5;
    case 'pre': case 'td': case 'blockquote': return 3;
    case 'address': case 'ol': case 'ul': case 'dl': case 'dd': case 'dt': case 'li': case 'form': return -3;
    case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': case 'th': return -5;
    default: return 0;
  }
}

export interface ScoreConfig {
  weightClasses: boolean;
  /** Minimum characters for a block to count as a paragraph. */
  minParagraph: number;
}

/**
 * Readability's content scoring on the light DOM: every paragraph-like block adds
 * `1 + commas + min(chars/100, 3)` to its parent, half to its grandparent and 1/(3·level) above,
 * and containers start from a tag prior plus ±25 from class/id hints. Returns scores (NaN = not
 * a candidate), each already scaled by `1 - link density`.
 */
export function scoreCandidates(page: Page, s: Stats, cfg: ScoreConfig, deadline: Deadline): Float64Array {
  const n = page.all.length;
  const score = new Float64Array(n).fill(NaN);
  const init = (a: El): void => {
    if (Number.isNaN(score[a.index]!)) score[a.index] = tagBase(a.tag) + (cfg.weightClasses ? classWeight(a) : 0);
  };
  const give = (from: El | null, contentScore: number): void => {
    let level = 0;
    for (let a = from; a !== null && a.parent !== null && level < 5; a = a.parent, level++) {
      init(a);
      score[a.index]! += contentScore / (level === 0 ? 1 : level === 1 ? 2 : level * 3);
    }
  };
  for (let i = 1; i < n; i++) {
    deadline.tick();
    if (s.dead[i]) continue;
    const el = page.all[i]!;
    if (SCORED.has(el.tag) || (el.tag === 'div' && !s.blockChild[i])) {
      const len = s.text[i]!;
      if (len < cfg.minParagraph) continue;
      give(el.parent, 1 + s.commas[i]! + Math.min(Math.floor(len / 100), 3));
    } else if (TEXT_CONTAINERS.has(el.tag) && s.blockChild[i] && el.ownText >= cfg.minParagraph) {
      give(el, 1 + page.ownCommas[i]! + Math.min(Math.floor(el.ownText / 100), 3));
    }
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(score[i]!)) score[i] = score[i]! * (1 - linkDensity(s, i));
  }
  return score;
}

function isAncestor(a: El, b: El): boolean {
  for (let x = b.parent; x !== null; x = x.parent) if (x === a) return true;
  return false;
}

/**
 * Picks the top candidate as Readability does: the best-scoring container, promoted to a common
 * ancestor when several near-best candidates share it, and climbing while the parent scores higher.
 * Returns null when nothing was scored (the caller then falls back to the body).
 */
export function pickTop(page: Page, score: Float64Array, body: El): El | null {
  const ranked: number[] = [];
  for (let i = 0; i < score.length; i++) if (!Number.isNaN(score[i]!)) ranked.push(i);
  if (ranked.length === 0) return null;
  ranked.sort((a, b) => score[b]! - score[a]! || a - b);
  let top = page.all[ranked[0]!]!;
  if (top === body || top.tag === 'html') return null;
  const topScore = score[top.index]!;
  // A plain loop: the slice/filter/map chain here kept V8's optimized code in a deopt loop (an
  // eager "wrong map" deopt on most calls, so the rest of the function ran unoptimized).
  const alternatives: El[] = [];
  for (let k = 1; k < 5 && k < ranked.length; k++) {
    const i = ranked[k]!;
    if (score[i]! / topScore >= 0.75) alternatives.push(page.all[i]!);
  }
  if (alternatives.length >= 3) {
    for (let a = top.parent; a !== null && a !== body && a.tag !== 'html'; a = a.parent) {
      if (alternatives.filter((alt) => isAncestor(a, alt) || a === alt).length >= 3) { top = a; break; }
    }
  }
  if (Number.isNaN(score[top.index]!)) score[top.index] = 0;
  let lastScore = score[top.index]!;
  const threshold = lastScore / 3;
  for (let a = top.parent; a !== null && a !== body && a.tag !== 'html'; a = a.parent) {
    const ps = score[a.index]!;
    if (Number.isNaN(ps)) continue;
    if (ps < threshold) break;
    if (ps > lastScore) { top = a; break; }
    lastScore = ps;
  }
  while (top.parent !== null && top.parent !== body && top.parent.tag !== 'html' &&
    top.parent.children.filter((c) => typeof c !== 'string').length === 1) {
    top = top.parent;
  }
  return top;
}
