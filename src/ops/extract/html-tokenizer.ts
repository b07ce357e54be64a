import { DecodingMode, EntityDecoder, htmlDecodeTree } from 'entities/decode';
import { AMP, BANG, DASH, DQUOTE, endsAttributeName, endsName, endsUnquoted, EQ, GT, isAsciiAlpha, isReferenceChar, isSpace,
  LBRACKET, LT, QUESTION, SLASH, SQUOTE, startsWithAscii } from './html-chars.ts';
import { TEXT_KINDS, type TextKind } from './html-rules.ts';
import { tagName } from './html-tag-names.ts';
import { decodeText } from './html-text.ts';
import type { ParseHandler, TreeBuilder } from './html-tree.ts';

function isTextTagPrefix(name: string): boolean {
  for (const tag of TEXT_KINDS.keys()) if (tag.startsWith(name)) return true;
  return false;
}

/**
 * A hand-written HTML tokenizer that feeds a {@link TreeBuilder}, reproducing htmlparser2 12's
 * tokenizer (HTML mode, entities decoded) event for event. It scans with `indexOf` and byte codes
 * instead of a per-character state switch: text runs jump to the next `<` (and `&`), raw text to
 * the next `<`, comments to their end, and attributes the tree does not want are never read.
 *
 * It reads the page's UTF-8 bytes and decodes only what it reports (text, wanted attribute values,
 * tag names): decoding whole pages made strings of 2/3 of the HTML's bytes that were mostly script
 * and style, in V8's large-object space, a fresh mapping per page. Markup is ASCII, and no byte of
 * a multi-byte character is below 0x80, so every position it stops at is a character boundary.
 *
 * htmlparser2's quirks are kept on purpose, because the extractor's output must not change: text
 * is cut at every `<` (even one that starts no tag), an end tag in raw text is matched by
 * `(c | 0x20)` per character, a reference right after a partial `</title` inside `<title>` is not
 * decoded, CDATA is text only in SVG/MathML, a document ending inside `<a /` or `</a ` yields its
 * last character as text, and one ending inside `<scr` yields `scr`.
 */
export class HtmlTokenizer {
  private readonly n: number;
  /** Start of the text not yet reported. */
  private start = 0;
  /** Code point and length (with the `&`) of the last decoded character reference. */
  private refCp = 0;
  private refLen = 0;
  private readonly decoder = new EntityDecoder(htmlDecodeTree, (cp, consumed) => { this.refCp = cp; this.refLen = consumed; });

  constructor(private readonly html: Buffer, private readonly tree: TreeBuilder, private readonly handler: Pick<ParseHandler, 'ontext' | 'wantsContent'>) {
    this.n = html.length;
  }

  private onText(text: string): void {
    this.handler.ontext(text);
  }

  /** Reports `html[from, to)` as text, decoded, or `''` while the handler skips content. */
  private text(from: number, to: number): void {
    // Script and style bodies are most of a page's bytes, and the extractor skips them.
    this.onText(this.handler.wantsContent?.() === false ? '' : decodeText(this.html, from, to));
  }

  /** Start of the last character (its UTF-8 lead byte): what htmlparser2's quirks report as text. */
  private lastCharStart(): number {
    let i = this.n - 1;
    while (i > 0 && (this.html[i]! & 0xc0) === 0x80 && this.n - i < 4) i--;
    return i;
  }

  /** Tokenizes the whole document, then ends the tree. */
  run(): void {
    const { html, n } = this;
    let pos = 0;
    /** The next `&` at or after `pos`, or -1 when there is none left. */
    let amp = -2;
    while (pos < n) {
      let lt = html.indexOf(LT, pos);
      if (lt < 0) lt = n;
      if (amp !== -1 && amp < pos) amp = html.indexOf(AMP, pos);
      while (amp !== -1 && amp < lt) {
        const len = this.reference(amp);
        if (len > 0) this.emitReference(amp, len);
        amp = html.indexOf(AMP, amp + (len > 0 ? len : 1));
      }
      if (lt >= n) break;
      if (lt > this.start) this.text(this.start, lt);
      this.start = lt;
      pos = lt + 1;
      if (pos >= n) break;
      const c = html[pos]!;
      if (isAsciiAlpha(c)) pos = this.openTag(pos);
      else if (c === SLASH) pos = this.closeTag(pos + 1);
      else if (c === BANG) pos = this.declaration(pos + 1);
      else if (c === QUESTION) pos = this.skipTo(pos);
      // Anything else: no tag; the `<` is text, and the text goes on from it.
    }
    if (this.start < n) this.text(this.start, n);
    this.tree.end();
  }

  /**
   * Decodes the character reference at `amp` (legacy rules, as in text); its length or 0. The
   * decoder reads a string: it gets the bytes up to and including the first one that cannot
   * continue a reference (anything but an ASCII letter, digit or `#`), as Latin-1, which is where
   * it would stop in the decoded page too (references are ASCII; a multi-byte character ends one).
   */
  private reference(amp: number): number {
    const { html, n } = this;
    let end = amp + 1;
    while (end < n && isReferenceChar(html[end]!)) end++;
    this.refLen = 0;
    this.decoder.startEntity(DecodingMode.Legacy);
    if (this.decoder.write(html.toString('latin1', amp, Math.min(end + 1, n)), 1) < 0) this.decoder.end();
    return this.refLen;
  }

  /** Reports the text before the reference at `amp`, then the reference's character. */
  private emitReference(amp: number, len: number): void {
    if (amp > this.start) this.text(this.start, amp);
    this.onText(String.fromCodePoint(this.refCp));
    this.start = amp + len;
  }

  /** End of input inside markup that reports nothing: the rest is dropped. */
  private drop(): number {
    this.start = this.n;
    return this.n;
  }

  /** Skips markup up to the next `>` from `from` (bogus comments, doctypes, `</ x>`). */
  private skipTo(from: number): number {
    const gt = this.html.indexOf(GT, from);
    if (gt < 0) return this.drop();
    this.start = gt + 1;
    return gt + 1;
  }

  /** An opening tag whose name starts at `pos`: name, attributes, `>` or `/>`, then its content
   *  when that is raw text. */
  private openTag(pos: number): number {
    const { html, n, tree } = this;
    const nameStart = pos;
    while (++pos < n && !endsName(html[pos]!));
    if (pos >= n) {
      // htmlparser2 reports a name cut short while it may still become a raw-text tag's as text.
      if (!tree.inForeign() && isTextTagPrefix(html.toString('utf8', nameStart, n).toLowerCase())) { this.start = nameStart; return n; }
      return this.drop();
    }
    const lower = tagName(html, nameStart, pos);
    const kind = tree.inForeign() ? undefined : TEXT_KINDS.get(lower);
    tree.openTag(lower);
    let c = 0;
    for (;;) {
      while (pos < n && isSpace(html[pos]!)) pos++;
      if (pos >= n) return this.drop();
      c = html[pos]!;
      if (c === GT) { tree.openTagEnd(false); return this.content(pos + 1, kind, lower); }
      if (c === SLASH) {
        while (++pos < n && isSpace(html[pos]!));
        // htmlparser2 reports the last character when the input ends inside `<a /`.
        if (pos >= n) { this.start = this.lastCharStart(); return n; }
        if (html[pos] === GT) { tree.openTagEnd(true); return this.content(pos + 1, kind, lower); }
        continue;
      }
      // An attribute name takes its first character whatever it is (even `=` or a quote).
      const ns = pos;
      while (++pos < n && !endsAttributeName(html[pos]!));
      const ne = pos;
      while (pos < n && isSpace(html[pos]!)) pos++;
      if (pos >= n) return this.drop();
      if (html[pos] !== EQ) { tree.attribute(html, ns, ne, -1, -1); continue; }
      while (++pos < n && isSpace(html[pos]!));
      if (pos >= n) return this.drop();
      c = html[pos]!;
      if (c === DQUOTE || c === SQUOTE) {
        const q = html.indexOf(c, pos + 1);
        if (q < 0) return this.drop();
        tree.attribute(html, ns, ne, pos + 1, q);
        pos = q + 1;
        continue;
      }
      const vs = pos;
      while (pos < n && !endsUnquoted(html[pos]!)) pos++;
      if (pos >= n) return this.drop();
      tree.attribute(html, ns, ne, vs, pos);
    }
  }

  /** After an opening tag's `>`: markup goes on, or raw text / escapable raw text / plaintext. */
  private content(pos: number, kind: TextKind | undefined, name: string): number {
    this.start = pos;
    if (kind === undefined) return pos;
    if (kind === 'plain') return this.n;
    const end = this.textEnd(pos, name, kind !== 'raw');
    if (end < 0) return this.n;
    if (end > this.start) this.text(this.start, end);
    const nameEnd = end + 2 + name.length;
    this.tree.closeTag(tagName(this.html, end + 2, nameEnd));
    return this.afterCloseTagName(nameEnd);
  }

  /** Code of the `j`th character of `</name`, the end tag raw text waits for. */
  private static endTagCode(name: string, j: number): number {
    return j === 0 ? LT : j === 1 ? SLASH : name.charCodeAt(j - 2);
  }

  /**
   * Where raw text from `from` ends: the `<` of the first `</name` followed by whitespace, `/` or
   * `>`, or -1. Matched as htmlparser2 does, one character at a time against `c | 0x20`. While no
   * match is under way, raw text (`decode` false) jumps with `indexOf` to the next `<`; the text of
   * `<title>` and `<textarea>` (`decode` true) goes on character by character and reports its
   * character references decoded (only there, as in htmlparser2).
   */
  private textEnd(from: number, name: string, decode: boolean): number {
    const { html, n } = this;
    const len = name.length + 2;
    let j = 0;
    for (let i = from; i < n;) {
      const c = html[i]!;
      if (j === len) {
        if (endsName(c)) return i - len;
        j = 0;
      }
      if ((c | 0x20) === HtmlTokenizer.endTagCode(name, j)) { j++; i++; continue; }
      if (j === 0 && !decode) {
        const lt = html.indexOf(LT, i + 1);
        if (lt < 0) return -1;
        j = 1;
        i = lt + 1;
        continue;
      }
      if (j === 0) {
        const refLen = c === AMP ? this.reference(i) : 0;
        if (refLen > 0) { this.emitReference(i, refLen); i += refLen; } else i++;
        continue;
      }
      j = c === LT ? 1 : 0;
      i++;
    }
    return -1;
  }

  /** A closing tag from `pos` (after `</`). */
  private closeTag(pos: number): number {
    const { html, n } = this;
    // `</` at the end stays text.
    if (pos >= n) return n;
    const c = html[pos]!;
    if (c === GT) { this.start = pos + 1; return pos + 1; }
    if (!isAsciiAlpha(c)) return this.skipTo(pos + 1);
    const nameStart = pos;
    while (++pos < n && !endsName(html[pos]!));
    if (pos >= n) return this.drop();
    this.tree.closeTag(tagName(html, nameStart, pos));
    return this.afterCloseTagName(pos);
  }

  /** A closing tag's name ended at `pos`; the rest of the tag up to `>` is ignored. */
  private afterCloseTagName(pos: number): number {
    if (this.html[pos] === GT) { this.start = pos + 1; return pos + 1; }
    const gt = this.html.indexOf(GT, pos + 1);
    // htmlparser2 reports the last character when the input ends inside `</a `.
    if (gt < 0) { this.start = this.lastCharStart(); return this.n; }
    this.start = gt + 1;
    return gt + 1;
  }

  /** After `<!`: a comment, CDATA (text only in foreign content), or a doctype / bogus comment. */
  private declaration(pos: number): number {
    const { html, n } = this;
    if (pos >= n) return this.drop();
    const c = html[pos]!;
    if (c === DASH && html[pos + 1] === DASH) return this.comment(pos + 2);
    if (c === LBRACKET && startsWithAscii(html, pos + 1, 'CDATA[')) {
      const from = pos + 7;
      const end = html.indexOf(']]>', from, 'latin1');
      if (end < 0) return this.drop();
      if (this.tree.inForeign()) this.text(from, end);
      this.start = end + 3;
      return end + 3;
    }
    return this.skipTo(pos);
  }

  /** A comment whose content starts at `from`: it ends at `-->` or `--!>` (`<!-->` and `<!--->`
   *  end at once). */
  private comment(from: number): number {
    const { html } = this;
    let end = -1;
    if (html[from] === GT) end = from;
    else if (html[from] === DASH && html[from + 1] === GT) end = from + 1;
    else {
      for (let d = html.indexOf('--', from, 'latin1'); d >= 0; d = html.indexOf('--', d + 1, 'latin1')) {
        const c = html[d + 2];
        if (c === GT) { end = d + 2; break; }
        if (c === BANG && html[d + 3] === GT) { end = d + 3; break; }
      }
    }
    if (end < 0) return this.drop();
    this.start = end + 1;
    return end + 1;
  }
}
