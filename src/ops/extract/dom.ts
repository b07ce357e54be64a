import { BLOCK_TAGS } from './hints.ts';
import type { Deadline } from './limits.ts';
import { parseMetered } from './parser.ts';

/** An element of the light DOM the extractor works on; text children are plain strings. */
export interface El {
  tag: string;
  parent: El | null;
  children: Array<El | string>;
  /** Lower-cased `class` and `id`, space-joined: what the class/id hints are matched against. */
  hint: string;
  /** Lower-cased `class` and `id` apart: Readability weighs each on its own (±25 each). */
  cls: string;
  id: string;
  /** Position in document (pre-)order; `Page.all[index] === this`. */
  index: number;
  /** Characters of direct text, each whitespace run counted as one. */
  ownText: number;
  /** Commas (Latin, CJK, Arabic) in direct text: Readability's measure of prose. */
  ownCommas: number;
  /** An `<a>` to a fragment of the same page (`href="#…"`): footnotes and tables of contents,
   *  not navigation away, so its text counts 0.3 towards link density (Readability 0.6). */
  inPageLink: boolean;
}

/** A parsed page: the element tree plus what the metadata step needs from `<head>`. */
export interface Page {
  root: El;
  /** Every element in document order, so analyses run as flat loops instead of recursion. */
  all: El[];
  body: El | null;
  title: string;
  /** `<meta>` content by lower-cased name/property/itemprop; the first occurrence wins. */
  metas: Map<string, string>;
  /** Texts of `<script type="application/ld+json">`. */
  jsonLd: string[];
  /** Elements nested deeper than the cap whose content was flattened into an ancestor. */
  flattened: number;
}

/** Never content: their subtrees are skipped while parsing (trafilatura's MANUALLY_CLEANED). */
const SKIP_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'embed', 'canvas',
  'select', 'option', 'button', 'textarea', 'input', 'video', 'audio', 'map', 'nav', 'dialog',
  'applet', 'frameset', 'frame', 'link',
  // Ruby annotations (furigana) repeat the reading of the base text beside it.
  'rt', 'rp',
]);

/** The attributes read below; the parser stores no others. */
const ATTRIBUTES: ReadonlySet<string> = new Set([
  'class', 'id', 'role', 'href', 'hidden', 'aria-hidden', 'style', 'type', 'name', 'property', 'itemprop', 'content',
]);

const COMMA = /[,，、،]/g;
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;

function isHidden(a: Readonly<Record<string, string>>): boolean {
  if (a.hidden !== undefined) return true;
  const aria = a['aria-hidden'];
  if (aria !== undefined && aria.toLowerCase() === 'true' && !(a.class ?? '').includes('fallback-image')) return true;
  const style = a.style;
  return style !== undefined && style.length > 8 && HIDDEN_STYLE.test(style);
}

/** Children are given to an element when it closes (see `parsePage`); until then it has none. */
const NO_CHILDREN: Array<El | string> = [];

function newEl(tag: string, parent: El | null, cls: string, id: string, role: string, index: number): El {
  const hint = cls === '' ? id : id === '' ? cls : `${cls} ${id}`;
  return {
    tag, parent, children: NO_CHILDREN, hint: role === '' ? hint : `${hint} role-${role}`, cls, id, index,
    ownText: 0, ownCommas: 0, inPageLink: false,
  };
}

/**
 * Parses HTML into the light DOM with the parser's streaming callbacks (no full DOM is built):
 * skipped and hidden subtrees never allocate, elements deeper than `maxDepth` are flattened, and
 * every tag and text node is charged to the deadline (tags by the parser's own open-element work),
 * so no input can recurse or run unbounded. The children of the open elements wait on one shared
 * stack and each element gets its own exact-size array when it closes: growing an array per
 * element by `push` reserved 16 slots for a median of one child (90% have at most 4).
 */
export function parsePage(html: string, maxDepth: number, deadline: Deadline): Page {
  const root = newEl('#document', null, '', '', '', 0);
  const all: El[] = [root];
  const metas = new Map<string, string>();
  const jsonLd: string[] = [];
  let body: El | null = null;
  let title = '';
  let cur = root;
  let depth = 0;
  /** Children of the open elements, outermost first; those of `cur` start at `starts[depth]`. */
  const pending: Array<El | string> = [];
  let top = 0;
  const starts: number[] = [0];
  const close = (): void => {
    const from = starts[depth]!;
    if (top > from) cur.children = pending.slice(from, top);
    top = from;
  };
  let skip = 0;
  let flatten = 0;
  let flattened = 0;
  /** What skipped text is captured into: title or JSON-LD. */
  let capture: 'title' | 'ld' | null = null;
  let captured = '';

  parseMetered(html, {
    onopentag(name, a) {
      if (skip > 0) { skip++; return; }
      if (name === 'meta') {
        const key = (a.name ?? a.property ?? a.itemprop ?? '').toLowerCase();
        if (key && a.content !== undefined && !metas.has(key)) metas.set(key, a.content);
        skip = 1;
        return;
      }
      if (name === 'title' && !title && body === null) { capture = 'title'; captured = ''; skip = 1; return; }
      if (name === 'script' && (a.type ?? '').toLowerCase() === 'application/ld+json') {
        capture = 'ld'; captured = ''; skip = 1; return;
      }
      if (SKIP_TAGS.has(name) || isHidden(a)) { skip = 1; return; }
      if (depth >= maxDepth) {
        flatten++;
        flattened++;
        pending[top++] = ' ';
        return;
      }
      const el = newEl(name, cur, (a.class ?? '').toLowerCase(), (a.id ?? '').toLowerCase(), (a.role ?? '').toLowerCase(), all.length);
      if (name === 'a' && a.href !== undefined && a.href.length > 1 && a.href.charCodeAt(0) === 35) el.inPageLink = true;
      all.push(el);
      pending[top++] = el;
      if (name === 'body' && body === null) body = el;
      cur = el;
      depth++;
      starts[depth] = top;
    },
    ontext(data) {
      deadline.tick();
      if (skip > 0) {
        if (capture !== null) captured += data;
        return;
      }
      const prev = top === starts[depth] ? null : pending[top - 1]!;
      pending[top++] = data;
      const t = data.trim();
      // Whitespace counts as one character per run, as in Readability's space-normalized innerText,
      // so link density and paragraph lengths match what its thresholds were tuned on. A
      // whitespace-only node after a block (markup indentation) counts nothing: a box of empty
      // decorative divs has no text, or its few links would look like a small share of it.
      if (t.length === 0) cur.ownText += prev !== null && (typeof prev === 'string' || !BLOCK_TAGS.has(prev.tag)) ? 1 : 0;
      else {
        cur.ownText += t.length + (t.length === data.length ? 0 : 1);
        const commas = t.match(COMMA);
        if (commas !== null) cur.ownCommas += commas.length;
      }
    },
    onclosetag() {
      if (skip > 0) {
        if (--skip === 0 && capture !== null) {
          if (capture === 'title') title = captured;
          else jsonLd.push(captured);
          capture = null;
        }
        return;
      }
      if (flatten > 0) { flatten--; pending[top++] = ' '; return; }
      if (cur.parent !== null) { close(); cur = cur.parent; depth--; }
    },
  // One more open element than the depth cap: the elements the parser forgets are always ones
  // this tree has already flattened, so forgetting them changes nothing in it.
  }, deadline, { maxOpen: maxDepth + 1, attributes: ATTRIBUTES });
  for (;;) {
    close();
    if (cur.parent === null) break;
    cur = cur.parent;
    depth--;
  }
  return { root, all, body, title: title.replace(/\s+/g, ' ').trim(), metas, jsonLd, flattened };
}
