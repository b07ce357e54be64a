import { isJsSpaceCode } from '../text/chars.ts';
import { BLOCK_TAGS } from './hints.ts';
import type { Deadline } from './limits.ts';
import { parseMetered, type ParseHandler } from './parser.ts';

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
}

/** A parsed page: the element tree plus what the metadata step needs from `<head>`. */
export interface Page {
  root: El;
  /** Every element in document order, so analyses run as flat loops instead of recursion. */
  all: El[];
  /**
   * Per element (by `El.index`), measures only the scoring reads: kept out of `El`, as every
   * field there costs 8 bytes on millions of elements per task (GC time), and read as arrays.
   * `ownCommas`: commas (Latin, CJK, Arabic) in direct text, Readability's measure of prose.
   * `inPageLink`: 1 for an `<a>` to a fragment of the same page (`href="#…"`), footnotes and
   * tables of contents rather than navigation away, so its text counts 0.3 towards link density
   * (Readability 0.6).
   */
  ownCommas: Float64Array;
  inPageLink: Uint8Array;
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

/** `s.trim().length` without making the trimmed string: most text nodes are counted, not kept. */
function trimmedLength(s: string): number {
  let a = 0, b = s.length;
  while (a < b && isJsSpaceCode(s.charCodeAt(a))) a++;
  while (b > a && isJsSpaceCode(s.charCodeAt(b - 1))) b--;
  return b - a;
}

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
    tag, parent, children: NO_CHILDREN, hint: role === '' ? hint : `${hint} role-${role}`, cls, id, index, ownText: 0,
  };
}

/**
 * Parses HTML (a string, or UTF-8 bytes) into the light DOM with the parser's streaming callbacks (no full DOM is built):
 * skipped and hidden subtrees never allocate, elements deeper than `maxDepth` are flattened, and
 * every tag and text node is charged to the deadline (tags by the parser's own open-element work),
 * so no input can recurse or run unbounded. The children of the open elements wait on one shared
 * stack and each element gets its own exact-size array when it closes: growing an array per
 * element by `push` reserved 16 slots for a median of one child (90% have at most 4).
 */
export function parsePage(html: string | Uint8Array, maxDepth: number, deadline: Deadline): Page {
  const b = new DomBuilder(maxDepth, deadline);
  // One more open element than the depth cap: the elements the parser forgets are always ones
  // this tree has already flattened, so forgetting them changes nothing in it.
  parseMetered(html, b, deadline, { maxOpen: maxDepth + 1, attributes: ATTRIBUTES });
  return b.finish();
}

/**
 * The parser's handler that builds a {@link Page}. A class rather than callbacks closing over
 * `parsePage`'s locals: closures made anew for every page were compiled again and again by V8
 * (each handler ~11 times per worker, `--trace-opt`), methods once.
 */
class DomBuilder implements ParseHandler {
  private readonly root = newEl('#document', null, '', '', '', 0);
  private readonly all: El[] = [this.root];
  /** Page's `ownCommas` and `inPageLink`, grown by doubling; cut to length by `finish`. */
  private commas = new Float64Array(256);
  private inPage = new Uint8Array(256);
  private readonly metas = new Map<string, string>();
  private readonly jsonLd: string[] = [];
  private body: El | null = null;
  private title = '';
  private cur: El = this.root;
  private depth = 0;
  /** Children of the open elements, outermost first; those of `cur` start at `starts[depth]`. */
  private readonly pending: Array<El | string> = [];
  private top = 0;
  private readonly starts: number[] = [0];
  private skip = 0;
  private flatten = 0;
  private flattened = 0;
  /** What skipped text is captured into: title or JSON-LD. */
  private capture: 'title' | 'ld' | null = null;
  private captured = '';

  constructor(private readonly maxDepth: number, private readonly deadline: Deadline) {}

  onopentag(name: string, a: Readonly<Record<string, string>>): void {
    if (this.skip > 0) { this.skip++; return; }
    if (name === 'meta') {
      const key = (a.name ?? a.property ?? a.itemprop ?? '').toLowerCase();
      if (key && a.content !== undefined && !this.metas.has(key)) this.metas.set(key, a.content);
      this.skip = 1;
      return;
    }
    if (name === 'title' && !this.title && this.body === null) { this.capture = 'title'; this.captured = ''; this.skip = 1; return; }
    if (name === 'script' && (a.type ?? '').toLowerCase() === 'application/ld+json') {
      this.capture = 'ld'; this.captured = ''; this.skip = 1; return;
    }
    if (SKIP_TAGS.has(name) || isHidden(a)) { this.skip = 1; return; }
    if (this.depth >= this.maxDepth) {
      this.flatten++;
      this.flattened++;
      this.pending[this.top++] = ' ';
      return;
    }
    const el = newEl(name, this.cur, (a.class ?? '').toLowerCase(), (a.id ?? '').toLowerCase(), (a.role ?? '').toLowerCase(), this.all.length);
    if (el.index === this.commas.length) this.grow();
    if (name === 'a' && a.href !== undefined && a.href.length > 1 && a.href.charCodeAt(0) === 35) this.inPage[el.index] = 1;
    this.all.push(el);
    this.pending[this.top++] = el;
    if (name === 'body' && this.body === null) this.body = el;
    this.cur = el;
    this.depth++;
    this.starts[this.depth] = this.top;
  }

  /** Skipped subtrees are neither read nor decoded, except the text of a title or JSON-LD being captured. */
  wantsContent(): boolean {
    return this.skip === 0 || this.capture !== null;
  }

  ontext(data: string): void {
    this.deadline.tick();
    if (this.skip > 0) {
      if (this.capture !== null) this.captured += data;
      return;
    }
    const cur = this.cur;
    const prev = this.top === this.starts[this.depth] ? null : this.pending[this.top - 1]!;
    this.pending[this.top++] = data;
    const len = trimmedLength(data);
    // Whitespace counts as one character per run, as in Readability's space-normalized innerText,
    // so link density and paragraph lengths match what its thresholds were tuned on. A
    // whitespace-only node after a block (markup indentation) counts nothing: a box of empty
    // decorative divs has no text, or its few links would look like a small share of it.
    if (len === 0) cur.ownText += prev !== null && (typeof prev === 'string' || !BLOCK_TAGS.has(prev.tag)) ? 1 : 0;
    else {
      cur.ownText += len + (len === data.length ? 0 : 1);
      COMMA.lastIndex = 0;
      let commas = 0;
      while (COMMA.test(data)) commas++;
      this.commas[cur.index] += commas;
    }
  }

  onclosetag(): void {
    if (this.skip > 0) {
      if (--this.skip === 0 && this.capture !== null) {
        if (this.capture === 'title') this.title = this.captured;
        else this.jsonLd.push(this.captured);
        this.capture = null;
      }
      return;
    }
    if (this.flatten > 0) { this.flatten--; this.pending[this.top++] = ' '; return; }
    if (this.cur.parent !== null) this.closeCurrent();
  }

  /** Closes every element still open and returns the page. */
  finish(): Page {
    while (this.cur.parent !== null) this.closeCurrent();
    this.giveChildren();
    const { root, all, body, metas, jsonLd, flattened } = this;
    const n = all.length;
    return {
      root, all, body, title: this.title.replace(/\s+/g, ' ').trim(), metas, jsonLd, flattened,
      ownCommas: this.commas.subarray(0, n), inPageLink: this.inPage.subarray(0, n),
    };
  }

  private grow(): void {
    const commas = new Float64Array(this.commas.length * 2);
    commas.set(this.commas);
    this.commas = commas;
    const inPage = new Uint8Array(this.inPage.length * 2);
    inPage.set(this.inPage);
    this.inPage = inPage;
  }

  private closeCurrent(): void {
    this.giveChildren();
    this.cur = this.cur.parent!;
    this.depth--;
  }

  /** Gives `cur` its children from the pending stack. */
  private giveChildren(): void {
    const from = this.starts[this.depth]!;
    if (this.top > from) this.cur.children = this.pending.slice(from, this.top);
    this.top = from;
  }
}
