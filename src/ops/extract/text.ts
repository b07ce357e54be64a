import type { El } from './dom.ts';
import type { Deadline } from './limits.ts';

/** Blocks separated from their neighbours by a blank line. */
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'blockquote', 'table', 'ul', 'ol', 'dl', 'figure', 'hr']);
/** Blocks that start and end a line. */
const LINE = new Set([
  'div', 'li', 'tr', 'dt', 'dd', 'figcaption', 'section', 'article', 'main', 'header', 'footer', 'address',
  'center', 'caption', 'details', 'summary', 'legend', 'fieldset', 'form', 'aside', 'body', 'html', 'tbody',
  'thead', 'tfoot', 'hgroup', 'menu',
]);

const INVISIBLE = /[\u00ad\u200b]/;
const INVISIBLE_ALL = /[\u00ad\u200b]/g;
// Module constants, not literals in `text()`: every evaluation of a regex literal allocates a new
// RegExp object, and `text()` runs for every text node of every pass.
const CRLF = /\r\n?/g;
const LEADING_SPACE = /^\s/;
const TRAILING_SPACE = /\s$/;
const UNCOLLAPSED = /\s\s|[\t\n\r\f\v\u00a0]/;
const SPACES = /\s+/g;
const BLANK_LINES = /\n[ \t]*\n(?:[ \t]*\n)+/g;

/**
 * Accumulates text with block boundaries as newlines (at most two in a row), whitespace collapsed
 * to single spaces, list items as `- item` and table cells tab-separated.
 */
class TextWriter {
  private readonly parts: string[] = [];
  private pendingBreak = 0;
  private sep = '';
  private prefix = '';
  private atLineStart = true;
  private empty = true;
  pre = 0;
  sawPre = false;

  brk(n: number): void {
    if (this.empty) return;
    this.pendingBreak = Math.max(this.pendingBreak, n);
    this.sep = '';
  }

  lineBreak(): void {
    if (this.empty) return;
    this.pendingBreak = this.pendingBreak >= 1 || this.atLineStart ? 2 : 1;
    this.sep = '';
  }

  listItem(): void {
    this.brk(1);
    this.prefix = '- ';
  }

  cell(): void {
    if (!this.atLineStart || this.pendingBreak > 0) this.sep = '\t';
  }

  text(raw: string): void {
    if (this.pre > 0) {
      if (raw.length === 0) return;
      this.flush();
      this.parts.push(raw.replace(CRLF, '\n'));
      this.atLineStart = raw.endsWith('\n');
      return;
    }
    const lead = LEADING_SPACE.test(raw);
    const t = raw.trim();
    if (t.length === 0) {
      if (raw.length > 0) this.space();
      return;
    }
    if (lead) this.space();
    this.flush();
    const spaced = UNCOLLAPSED.test(t) ? t.replace(SPACES, ' ') : t;
    // Soft hyphens and zero-width spaces are invisible line-break hints, not text.
    this.parts.push(INVISIBLE.test(spaced) ? spaced.replace(INVISIBLE_ALL, '') : spaced);
    this.atLineStart = false;
    if (TRAILING_SPACE.test(raw)) this.space();
  }

  private space(): void {
    if (!this.atLineStart && this.sep === '') this.sep = ' ';
  }

  private flush(): void {
    if (this.pendingBreak > 0 && !this.empty) {
      this.parts.push(this.pendingBreak >= 2 ? '\n\n' : '\n');
      this.atLineStart = true;
    } else if (this.sep !== '' && !this.atLineStart) {
      this.parts.push(this.sep);
    }
    this.pendingBreak = 0;
    this.sep = '';
    if (this.prefix !== '') {
      if (this.atLineStart) this.parts.push(this.prefix);
      this.prefix = '';
    }
    this.empty = false;
  }

  result(): string {
    const out = this.parts.join('');
    return this.sawPre ? out.replace(BLANK_LINES, '\n\n').trim() : out.trim();
  }
}

export interface TextConfig {
  /** Elements to skip (removed as boilerplate), indexed by `El.index`. */
  dead: Uint8Array;
  includeTables: boolean;
  /**
   * Write "loose" text, outside every paragraph-like element (a date, label or byline in a bare
   * div or span); default true. An element with {@link PROSE_OWN_TEXT} characters of its own
   * text is a paragraph without a `<p>`, and its text is written either way.
   */
  looseText?: boolean;
}

/** Characters of its own text that make a div or span a paragraph (see `looseText`). */
const PROSE_OWN_TEXT = 150;

/** Elements whose text is running text; text outside all of them is "loose" (see TextConfig). */
const TEXT_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dd', 'dt', 'td', 'th', 'blockquote', 'pre', 'code', 'q', 'caption']);

/** Writes the text of the given roots, in order, without recursion. */
export function assembleText(roots: readonly El[], cfg: TextConfig, deadline: Deadline): string {
  const w = new TextWriter();
  const stack: Array<El | string> = [];
  const closing: boolean[] = [];
  const loose = cfg.looseText !== false;
  let inText = 0;
  for (let r = roots.length - 1; r >= 0; r--) { stack.push(roots[r]!); closing.push(false); }
  while (stack.length > 0) {
    deadline.tick();
    const node = stack.pop()!;
    const isClose = closing.pop()!;
    if (typeof node === 'string') { w.text(node); continue; }
    const tag = node.tag;
    if (isClose) {
      if (TEXT_TAGS.has(tag)) inText--;
      if (tag === 'pre') w.pre--;
      if (PARAGRAPH.has(tag)) w.brk(2);
      else if (LINE.has(tag)) w.brk(1);
      else if (tag === 'td' || tag === 'th') w.cell();
      continue;
    }
    if (cfg.dead[node.index]) continue;
    if (tag === 'table' && !cfg.includeTables) continue;
    if (tag === 'br') { w.lineBreak(); continue; }
    if (tag === 'li') w.listItem();
    else if (PARAGRAPH.has(tag)) w.brk(2);
    else if (LINE.has(tag)) w.brk(1);
    if (tag === 'pre') { w.pre++; w.sawPre = true; }
    if (TEXT_TAGS.has(tag)) inText++;
    stack.push(node); closing.push(true);
    const ch = node.children;
    const keepStrings = loose || inText > 0 || node.ownText >= PROSE_OWN_TEXT;
    for (let c = ch.length - 1; c >= 0; c--) {
      if (!keepStrings && typeof ch[c] === 'string') continue;
      stack.push(ch[c]!); closing.push(false);
    }
  }
  return w.result();
}
