/**
 * The extractor's parser before the hand-written one: htmlparser2 12 under a bounded stack. Kept
 * only as an oracle: of the bounded parse and its work count in tests, and the old extractor's
 * parser in the benchmark (bench/parse/old-extractor.ts loads it in place of
 * src/ops/extract/parser.ts). Same exports and signatures as that file.
 */
import { Parser, type Handler, type ParserOptions } from 'htmlparser2';
import type { Deadline } from '../../../src/ops/extract/limits.ts';
import type { ParseHandler, ParseLimits } from '../../../src/ops/extract/html-tree.ts';

/**
 * Open elements per extra work step charged on a tag: with the stack bounded (`maxOpen`), a tag
 * costs 1 to 5 steps by default. Real pages keep under 40 elements open: their tags cost one step.
 */
const OPEN_PER_STEP = 128;

/** Up to this many open elements a closing tag is left to htmlparser2's scan. */
const SHALLOW = 64;

export const MAX_ATTRIBUTES = 256;

/** Private parts of htmlparser2's `Parser` this subclass bounds. */
interface ParserInternals { stack: string[]; attribname: string; attribvalue: string }

/**
 * htmlparser2 with a bounded open-element stack, O(1) handling of closing tags that match no open
 * element, and every tag charged to a work budget (including tags that reach no callback, such as
 * unmatched closing tags and a dropped nested `<form>`).
 */
class BoundedParser extends Parser {
  /** Open elements by lower-cased name, so an unmatched closing tag needs no stack scan. */
  private readonly openByName = new Map<string, number>();
  private attributes = 0;
  /** Whether the attribute being read is dropped (unwanted, or past {@link MAX_ATTRIBUTES}). */
  private dropAttribute = false;

  constructor(
    private readonly html: string,
    private readonly handler: Partial<Handler>,
    options: ParserOptions,
    private readonly deadline: Deadline,
    private readonly limits: ParseLimits,
  ) {
    super(null, options);
    const self = this;
    // The callbacks see every push and pop: htmlparser2 announces each element it opens with
    // `onopentagname` and each it closes with `onclosetag` (a void element gets both at once).
    Object.assign((this as unknown as { cbs: Partial<Handler> }).cbs = {}, handler, {
      onopentagname(name: string) { self.count(name, 1); handler.onopentagname?.(name); },
      onclosetag(name: string, implied: boolean) { self.count(name, -1); handler.onclosetag?.(name, implied); },
    });
  }

  // Names arrive lower-cased (`lowerCaseTags`); SVG's camel-cased names (`foreignObject`) then
  // never match a closing tag here, which leaves them to be closed by their `</svg>`.
  private count(name: string, delta: number): void {
    this.openByName.set(name, (this.openByName.get(name) ?? 0) + delta);
  }

  private get openStack(): string[] {
    return (this as unknown as ParserInternals).stack;
  }

  private charge(): void {
    this.deadline.tick(1 + Math.floor(this.openStack.length / OPEN_PER_STEP));
  }

  override onopentagname(start: number, endIndex: number): void {
    this.charge();
    this.attributes = 0;
    super.onopentagname(start, endIndex);
    const stack = this.openStack;
    // Forget the outermost elements past the bound; the handler is told they closed, so its own
    // depth stays equal to the parser's.
    while (stack.length > this.limits.maxOpen) {
      const name = stack.pop()!;
      this.count(name, -1);
      this.handler.onclosetag?.(name, true);
    }
  }

  override onattribname(start: number, endIndex: number): void {
    super.onattribname(start, endIndex);
    this.dropAttribute = ++this.attributes > MAX_ATTRIBUTES ||
      !this.limits.attributes.has((this as unknown as ParserInternals).attribname);
  }

  override onattribdata(start: number, endIndex: number): void {
    if (!this.dropAttribute) super.onattribdata(start, endIndex);
  }

  override onattribentity(cp: number): void {
    if (!this.dropAttribute) super.onattribentity(cp);
  }

  /** An attribute is work too: a tag with 10^6 of them must not come for one step. */
  override onattribend(quote: Parameters<Parser['onattribend']>[0], endIndex: number): void {
    this.deadline.tick();
    if (!this.dropAttribute) {
      super.onattribend(quote, endIndex);
      return;
    }
    this.endIndex = endIndex;
    (this as unknown as ParserInternals).attribvalue = '';
  }

  override onclosetag(start: number, endIndex: number): void {
    // With few elements open, htmlparser2's own scan is as cheap as the name check.
    if (this.openStack.length <= SHALLOW) {
      this.charge();
      super.onclosetag(start, endIndex);
      return;
    }
    const name = this.html.slice(start, endIndex).toLowerCase();
    // `</p>` and `</br>` with nothing open still make an element (HTML's implied open).
    if ((this.openByName.get(name) ?? 0) > 0 || name === 'p' || name === 'br') {
      this.charge();
      super.onclosetag(start, endIndex);
      return;
    }
    // Matching nothing, it is skipped without the stack scan: one step whatever the depth.
    this.deadline.tick();
    this.endIndex = endIndex;
    this.startIndex = endIndex + 1;
  }
}

/**
 * Runs htmlparser2 over `html` in time linear in its size. Its open-element stack is an array grown
 * with `unshift` and searched with `indexOf`, so unbounded each tag costs time in proportion to the
 * depth and 100k unclosed `<table>`s take ~30 s. Here the stack holds at most `maxOpen` elements:
 * past it the outermost are forgotten and the handler is told they closed, so its depth always
 * equals the parser's. Closing tags that match nothing cost O(1), attributes the handler does not
 * read or past {@link MAX_ATTRIBUTES} are never stored, and every tag and attribute is charged to `deadline` (a tag
 * more when many elements are open), so the parser's own work counts against the budget. Throws
 * `ExtractLimitError` out of the parse when the budget runs out.
 */
export function parseMetered(html: string, handler: ParseHandler, deadline: Deadline, limits: ParseLimits): void {
  const options: ParserOptions = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };
  new BoundedParser(html, handler as Partial<Handler>, options, deadline, limits).end(html);
}
