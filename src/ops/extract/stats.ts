import type { Deadline } from './limits.ts';
import type { Page } from './dom.ts';
import { BLOCK_TAGS } from './hints.ts';
import type { StatsStorage } from './stats-storage.ts';

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

const enum Kind { Other, A, List, Heading, P, Img, Li, Tr, Cell, Table }
const KIND = new Map<string, Kind>([
  ['a', Kind.A], ['ul', Kind.List], ['ol', Kind.List], ['p', Kind.P], ['img', Kind.Img], ['li', Kind.Li], ['tr', Kind.Tr],
  ['td', Kind.Cell], ['th', Kind.Cell], ['table', Kind.Table],
  ['h1', Kind.Heading], ['h2', Kind.Heading], ['h3', Kind.Heading], ['h4', Kind.Heading], ['h5', Kind.Heading], ['h6', Kind.Heading],
]);
/** Readability's data-table signals besides nested tables (see `tableMarks`). */
const TABLE_MARKS = new Set(['th', 'thead', 'caption', 'colgroup', 'tfoot']);
const BLOCK = 1, TABLE_MARK = 2, IN_PAGE_LINK = 4;

/**
 * What the measures read of each element, as flat arrays built once per page: every page is
 * measured at least twice (raw, then per pass), and reading typed arrays instead of chasing `El`
 * objects over the heap makes each later measure about 1.7× cheaper.
 */
interface Columns {
  parent: Int32Array;
  ownText: Float64Array;
  ownCommas: Float64Array;
  kind: Uint8Array;
  flags: Uint8Array;
}

const columnsOf = new WeakMap<Page, Columns>();

function columns(page: Page): Columns {
  const known = columnsOf.get(page);
  if (known !== undefined) return known;
  const n = page.all.length;
  const c: Columns = { parent: new Int32Array(n), ownText: new Float64Array(n), ownCommas: page.ownCommas, kind: new Uint8Array(n), flags: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const el = page.all[i]!;
    c.parent[i] = el.parent === null ? -1 : el.parent.index;
    c.ownText[i] = el.ownText;
    c.kind[i] = KIND.get(el.tag) ?? Kind.Other;
    c.flags[i] = (BLOCK_TAGS.has(el.tag) ? BLOCK : 0) | (TABLE_MARKS.has(el.tag) ? TABLE_MARK : 0) | (page.inPageLink[i] ? IN_PAGE_LINK : 0);
  }
  columnsOf.set(page, c);
  return c;
}

/**
 * Measures every live element of `page`. The arrays come from `storage`: the result is valid
 * until the storage's next use.
 */
export function computeStats(page: Page, dead: Uint8Array, deadline: Deadline, storage: StatsStorage): Stats {
  const n = page.all.length;
  const { parent, ownText, ownCommas, kind, flags } = columns(page);
  const { f64, u32, u8: blockChild } = storage.take(n);
  const text = f64[0]!, link = f64[1]!, list = f64[2]!, commas = f64[3]!, heading = f64[4]!, linkChars = f64[5]!;
  const p = u32[0]!, img = u32[1]!, li = u32[2]!, tr = u32[3]!, links = u32[4]!, shortLinks = u32[5]!, cells = u32[6]!;
  const tableMarks = u32[7]!, end = u32[8]!;
  for (let i = n - 1; i >= 0; i--) {
    deadline.tick();
    if (end[i] === 0) end[i] = i;
    const j = parent[i]!;
    if (j >= 0 && end[j] === 0) end[j] = end[i]!;
    if (dead[i]) continue;
    const t = text[i]! + ownText[i]!;
    text[i] = t;
    commas[i] += ownCommas[i]!;
    const k = kind[i]!;
    switch (k) {
      case Kind.A:
        link[i] = flags[i]! & IN_PAGE_LINK ? 0.3 * t : t;
        linkChars[i] = t;
        if (t > 0) { links[i] = 1; shortLinks[i] = t < 10 ? 1 : 0; }
        break;
      case Kind.List: list[i] += t; break;
      case Kind.Heading: heading[i] = t; break;
      case Kind.P: p[i]++; break;
      case Kind.Img: img[i]++; break;
      case Kind.Li: li[i]++; break;
      case Kind.Tr: tr[i]++; break;
      case Kind.Cell: cells[i]++; break;
    }
    if (flags[i]! & TABLE_MARK) tableMarks[i]++;
    if (j < 0) continue;
    text[j] += t;
    link[j] += link[i]!;
    linkChars[j] += linkChars[i]!;
    links[j] += links[i]!;
    shortLinks[j] += shortLinks[i]!;
    list[j] += list[i]!;
    commas[j] += commas[i]!;
    heading[j] += heading[i]!;
    p[j] += p[i]!;
    img[j] += img[i]!;
    li[j] += li[i]!;
    tr[j] += tr[i]!;
    cells[j] += cells[i]!;
    tableMarks[j] += tableMarks[i]! + (k === Kind.Table ? 1 : 0);
    if (flags[i]! & BLOCK) blockChild[j] = 1;
  }
  return { dead, text, link, list, commas, heading, p, img, li, tr, links, shortLinks, linkChars, cells, tableMarks, end, blockChild };
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
