import type { Deadline } from './limits.ts';
import type { Page } from './dom.ts';
import { BLOCK_TAGS } from './hints.ts';

/**
 * Per-element subtree measures, as flat arrays indexed by `El.index`. They are computed in one
 * reverse pass over document order (children before parents), so no recursion is needed, and
 * elements marked `dead` (removed) contribute nothing.
 */
export interface Stats {
  dead: Uint8Array;
  /** Characters of trimmed text in the subtree. */
  text: Float64Array;
  /** Characters of text inside links (in-page links weighted 0.3). */
  link: Float64Array;
  /** Links (`<a>` with text) in the subtree, and those whose text is under 10 characters. */
  links: Uint32Array;
  shortLinks: Uint32Array;
  /** Characters of text inside links, every link counted in full (trafilatura's link density). */
  linkChars: Float64Array;
  /** Characters of text inside ul/ol (nested lists count again, as in Readability). */
  list: Float64Array;
  commas: Float64Array;
  /** Text characters inside h1–h6. */
  heading: Float64Array;
  p: Uint32Array;
  img: Uint32Array;
  li: Uint32Array;
  tr: Uint32Array;
  /** Cells (td/th) in the subtree. */
  cells: Uint32Array;
  /** Nested tables, th, thead, caption or colgroup: Readability's data-table signals. */
  tableMarks: Uint32Array;
  /** Index of the last element of the subtree: a subtree is the range [i, end[i]]. */
  end: Uint32Array;
  /** Whether the element has a block-level child (if not, a div is scored as a paragraph). */
  blockChild: Uint8Array;
}

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

export function computeStats(page: Page, dead: Uint8Array, deadline: Deadline): Stats {
  const n = page.all.length;
  const s: Stats = {
    dead,
    text: new Float64Array(n), link: new Float64Array(n), list: new Float64Array(n), commas: new Float64Array(n),
    heading: new Float64Array(n), p: new Uint32Array(n), img: new Uint32Array(n), li: new Uint32Array(n),
    tr: new Uint32Array(n), links: new Uint32Array(n), shortLinks: new Uint32Array(n), linkChars: new Float64Array(n), cells: new Uint32Array(n), tableMarks: new Uint32Array(n),
    end: new Uint32Array(n), blockChild: new Uint8Array(n),
  };
  for (let i = n - 1; i >= 0; i--) {
    deadline.tick();
    const el = page.all[i]!;
    if (s.end[i] === 0) s.end[i] = i;
    const parent = el.parent;
    if (parent !== null && s.end[parent.index] === 0) s.end[parent.index] = s.end[i];
    if (dead[i]) continue;
    s.text[i] += el.ownText;
    s.commas[i] += el.ownCommas;
    const tag = el.tag;
    if (tag === 'a') {
      s.link[i] = el.inPageLink ? 0.3 * s.text[i]! : s.text[i]!;
      s.linkChars[i] = s.text[i]!;
      if (s.text[i]! > 0) { s.links[i] = 1; s.shortLinks[i] = s.text[i]! < 10 ? 1 : 0; }
    }
    else if (tag === 'ul' || tag === 'ol') s.list[i] += s.text[i]!;
    else if (HEADINGS.has(tag)) s.heading[i] = s.text[i];
    else if (tag === 'p') s.p[i]++;
    else if (tag === 'img') s.img[i]++;
    else if (tag === 'li') s.li[i]++;
    else if (tag === 'tr') s.tr[i]++;
    else if (tag === 'td' || tag === 'th') s.cells[i]++;
    if (tag === 'th' || tag === 'thead' || tag === 'caption' || tag === 'colgroup' || tag === 'tfoot') s.tableMarks[i]++;
    if (parent === null) continue;
    const j = parent.index;
    s.text[j] += s.text[i];
    s.link[j] += s.link[i];
    s.linkChars[j] += s.linkChars[i];
    s.links[j] += s.links[i];
    s.shortLinks[j] += s.shortLinks[i];
    s.list[j] += s.list[i];
    s.commas[j] += s.commas[i];
    s.heading[j] += s.heading[i];
    s.p[j] += s.p[i];
    s.img[j] += s.img[i];
    s.li[j] += s.li[i];
    s.tr[j] += s.tr[i];
    s.cells[j] += s.cells[i];
    s.tableMarks[j] += s.tableMarks[i] + (tag === 'table' ? 1 : 0);
    if (BLOCK_TAGS.has(tag)) s.blockChild[j] = 1;
  }
  return s;
}

/** Removes a live subtree after the fact, keeping every ancestor's measures consistent. */
export function cut(page: Page, s: Stats, i: number): void {
  const { text, link, list, commas, heading, p, img, li, tr, cells, links, shortLinks, linkChars } = s;
  for (let k = i; k <= s.end[i]; k++) s.dead[k] = 1;
  for (let a = page.all[i]!.parent; a !== null; a = a.parent) {
    const j = a.index;
    text[j] -= text[i]; link[j] -= link[i]; list[j] -= list[i]; commas[j] -= commas[i]; heading[j] -= heading[i];
    p[j] -= p[i]; img[j] -= img[i]; li[j] -= li[i]; tr[j] -= tr[i]; cells[j] -= cells[i];
    links[j] -= links[i]; shortLinks[j] -= shortLinks[i]; linkChars[j] -= linkChars[i];
  }
}

/** Share of an element's text that sits in links. */
export function linkDensity(s: Stats, i: number): number {
  const t = s.text[i]!;
  return t === 0 ? 0 : s.link[i]! / t;
}
