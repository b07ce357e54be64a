import { decodeHTMLAttribute } from 'entities/decode';
import { AttributeNames } from './html-attribute-names.ts';
import { HTML_INTEGRATION, OPEN_IMPLIES_CLOSE, SVG_NAMES, VOID_ELEMENTS } from './html-rules.ts';
import type { Deadline } from './limits.ts';

/**
 * Open elements per extra work step charged on a tag: with the stack bounded (`maxOpen`), a tag
 * costs 1 to 5 steps by default. Real pages keep under 40 elements open: their tags cost one step.
 */
const OPEN_PER_STEP = 128;

/**
 * Attributes looked at per element; later ones are skipped (but still charged). What the extractor
 * reads (class, id, role, style, href) comes first in practice, and real elements carry a few dozen.
 */
export const MAX_ATTRIBUTES = 256;

/** What the parser reports, in document order. */
export interface ParseHandler {
  /** An element starts. `attribs` holds only the wanted attributes (first occurrence of a name
   *  wins, values decoded); it may be shared between elements, so it must not be changed. */
  onopentag(name: string, attribs: Readonly<Record<string, string>>): void;
  /** A piece of text: the text between markup, split before and after each character reference. */
  ontext(text: string): void;
  /**
   * False while the handler ignores text and attributes (inside a skipped subtree): the pieces of
   * text it is then given are `''` and the elements come without attributes, nothing decoded.
   * Absent means always true.
   */
  wantsContent?(): boolean;
  /** An element ends; `implied` when no closing tag of its own ended it. */
  onclosetag(name: string, implied: boolean): void;
}

/** How the parser is bounded and what it keeps. */
export interface ParseLimits {
  /** Most elements held open; past it the outermost are forgotten (the handler is told they closed). */
  maxOpen: number;
  /** Attribute names (lower-cased) the handler reads; the rest are never stored. */
  attributes: ReadonlySet<string>;
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});
/** Namespaces of the foreign-content stack. */
const HTML = 0, SVG = 1, MATHML = 2;
/** Forgotten outer slots of the stack array are dropped once this many have piled up. */
const COMPACT_AT = 1024;

/** An element name's rules, and how many elements of that name are open in this parse. */
interface Element {
  name: string;
  /** Open elements an opening tag of this name closes while they are the current element. */
  closes: ReadonlySet<string> | undefined;
  isVoid: boolean;
  /** The foreign-context boundary it opens (SVG, MathML, or HTML at an integration point), or -1. */
  namespace: number;
  open: number;
}

const matchers = new WeakMap<ReadonlySet<string>, AttributeNames>();

function attributeNames(names: ReadonlySet<string>): AttributeNames {
  let m = matchers.get(names);
  if (m === undefined) matchers.set(names, m = new AttributeNames(names));
  return m;
}

/**
 * The open-element stack and htmlparser2 12's tree rules on it: implied closes (`<p>` closed by a
 * block, `<li>` by `<li>`, table cells, options…), implied opens (`</p>`, `</br>`), void elements,
 * SVG/MathML context (camel-cased SVG names, `<x/>` closing there, HTML integration points), the
 * dropped nested `<form>`, and everything still open closed (implied) at the end.
 *
 * Bounded for linear time: at most `maxOpen` elements are held (past it the outermost is forgotten
 * and reported closed), open elements are counted by name so a closing tag that matches nothing
 * costs O(1), and every tag and attribute is charged to the deadline.
 */
export class TreeBuilder {
  /** Open elements, outermost first; `stack[head]` is the outermost one still held. */
  private stack: Element[] = [];
  private head = 0;
  /** Per element name: its rules and how many are open (a closing tag matching none needs no scan). */
  private readonly elements = new Map<string, Element>();
  /** Namespace of each foreign-context boundary, innermost last; htmlparser2's, never trimmed
   *  when an element is forgotten. */
  private readonly foreign: number[] = [HTML];
  /** The opening tag being read; null while none is, or when it is dropped. */
  private tag: Element | null = null;
  private attribs: Record<string, string> | null = null;
  private attributes = 0;
  /** Whether the handler reads the current tag's attributes (`ParseHandler.wantsContent`): 1, 0, or -1 not asked yet. */
  private wanted = -1;
  private readonly names: AttributeNames;

  constructor(private readonly handler: ParseHandler, private readonly deadline: Deadline, private readonly limits: ParseLimits) {
    this.names = attributeNames(limits.attributes);
  }

  /** Whether the current element is inside SVG or MathML (and not at an HTML integration point). */
  inForeign(): boolean {
    return this.foreign[this.foreign.length - 1] !== HTML;
  }

  /** An opening tag's name was read (lower-cased); its attributes and end follow. */
  openTag(lower: string): void {
    const { stack } = this;
    this.deadline.tick(1 + Math.floor((stack.length - this.head) / OPEN_PER_STEP));
    this.attributes = 0;
    this.attribs = null;
    this.wanted = -1;
    const el = this.element(this.adjust(lower));
    // A <form> inside an open <form> is dropped altogether, attributes and all.
    if (el.name === 'form' && el.open > 0) { this.tag = null; return; }
    this.tag = el;
    const closes = el.closes;
    if (closes !== undefined) {
      while (stack.length > this.head && closes.has(stack[stack.length - 1]!.name)) this.pop(true);
    }
    if (el.isVoid) return;
    stack.push(el);
    el.open++;
    if (el.namespace >= 0) this.foreign.push(el.namespace);
    // Not `stack`: forgetting may move the elements to a new array.
    while (this.stack.length - this.head > this.limits.maxOpen) this.forgetOutermost();
  }

  /** One attribute of the current opening tag: name `[ns, ne)` and value `[vs, ve)` of the UTF-8
   *  bytes `html` (`vs < 0`: no value). */
  attribute(html: Buffer, ns: number, ne: number, vs: number, ve: number): void {
    this.deadline.tick();
    if (++this.attributes > MAX_ATTRIBUTES || this.tag === null) return;
    // Asked at the first attribute, after the implied closes and forgotten elements of `openTag`.
    if (this.wanted < 0) this.wanted = this.handler.wantsContent?.() === false ? 0 : 1;
    if (this.wanted === 0) return;
    const name = this.names.match(html, ns, ne);
    if (name === undefined) return;
    const attribs = this.attribs ??= {};
    if (attribs[name] !== undefined) return;
    const value = vs < 0 ? '' : html.toString('utf8', vs, ve);
    attribs[name] = value.includes('&') ? decodeHTMLAttribute(value) : value;
  }

  /** The current opening tag ended with `>` (`selfClosing`: with `/>`). */
  openTagEnd(selfClosing: boolean): void {
    const el = this.tag;
    if (el === null) return;
    const foreign = selfClosing && this.inForeign();
    this.tag = null;
    this.handler.onopentag(el.name, this.attribs ?? EMPTY);
    this.attribs = null;
    if (el.isVoid) this.handler.onclosetag(el.name, true);
    // `<x/>` closes only in foreign content; in HTML the slash is ignored.
    else if (foreign && this.stack[this.stack.length - 1] === el) this.pop(true);
  }

  /** A closing tag (name lower-cased). Looked up by its adjusted name at any depth, as htmlparser2
   *  does; the htmlparser2-based parser this replaced skipped a camel-cased SVG name's closing tag
   *  (`</clipPath>`) when more than 64 elements were open. */
  closeTag(lower: string): void {
    const name = this.adjust(lower);
    const el = this.elements.get(name);
    const isOpen = el !== undefined && el.open > 0;
    this.deadline.tick(isOpen || name === 'p' || name === 'br' ? 1 + Math.floor((this.stack.length - this.head) / OPEN_PER_STEP) : 1);
    if (isOpen) {
      while (this.stack[this.stack.length - 1] !== el) this.pop(true);
      this.pop(false);
    } else if (name === 'p' || name === 'br') {
      // `</p>` and `</br>` matching nothing make an empty element (HTML's implied open).
      this.handler.onopentag(name, EMPTY);
      this.handler.onclosetag(name, false);
    }
  }

  /** End of input: whatever is still open closes, innermost first. */
  end(): void {
    for (let i = this.stack.length - 1; i >= this.head; i--) this.handler.onclosetag(this.stack[i]!.name, true);
  }

  private element(name: string): Element {
    let el = this.elements.get(name);
    if (el === undefined) {
      const namespace = name === 'svg' ? SVG : name === 'math' ? MATHML : HTML_INTEGRATION.has(name) ? HTML : -1;
      el = { name, closes: OPEN_IMPLIES_CLOSE.get(name), isVoid: VOID_ELEMENTS.has(name), namespace, open: 0 };
      this.elements.set(name, el);
    }
    return el;
  }

  /** htmlparser2's name rules: SVG's camel case inside SVG (and for a closing tag of an open
   *  camel-cased element under it), and `image` read as `img` in HTML. */
  private adjust(lower: string): string {
    const context = this.foreign[this.foreign.length - 1];
    if (context === SVG) return SVG_NAMES.get(lower) ?? lower;
    if (this.foreign.length > 1) {
      const camel = SVG_NAMES.get(lower);
      if (camel !== undefined && (this.elements.get(camel)?.open ?? 0) > 0) return camel;
    }
    return context === HTML && lower === 'image' ? 'img' : lower;
  }

  private pop(implied: boolean): void {
    const el = this.stack.pop()!;
    if (this.stack.length === this.head) { this.stack.length = 0; this.head = 0; }
    el.open--;
    if (el.namespace >= 0) this.foreign.pop();
    this.handler.onclosetag(el.name, implied);
  }

  /** Past `maxOpen`: the outermost element is forgotten and reported closed, so the handler's
   *  depth stays equal to the parser's. */
  private forgetOutermost(): void {
    const el = this.stack[this.head++]!;
    if (this.head >= COMPACT_AT && this.head * 2 >= this.stack.length) {
      this.stack = this.stack.slice(this.head);
      this.head = 0;
    }
    el.open--;
    this.handler.onclosetag(el.name, true);
  }
}
