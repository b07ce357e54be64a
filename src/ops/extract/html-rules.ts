/**
 * The HTML tree-building rules the extractor's parser follows. They are htmlparser2 12's (not the
 * WHATWG algorithm's), because the extractor was tuned on the trees htmlparser2 builds and its
 * output must not change with the parser.
 */

const P = ['p'];
const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p'];
const FORM = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
const TABLE_SECTIONS = ['thead', 'tbody'];
const DD_DT = ['dd', 'dt'];
const RT_RP = ['rt', 'rp'];

const closedBy: Array<[string, string[]]> = [
  ['tr', ['tr', 'th', 'td']], ['th', ['th']], ['td', ['thead', 'th', 'td']], ['body', ['head', 'link', 'script']],
  ['a', ['a']], ['li', ['li']], ['option', ['option']], ['optgroup', ['optgroup', 'option']],
  ['h1', HEADINGS], ['h2', HEADINGS], ['h3', HEADINGS], ['h4', HEADINGS], ['h5', HEADINGS], ['h6', HEADINGS],
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t): [string, string[]] => [t, FORM]),
  ['dd', DD_DT], ['dt', DD_DT], ['rt', RT_RP], ['rp', RT_RP], ['tbody', TABLE_SECTIONS], ['tfoot', TABLE_SECTIONS],
  ...['p', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer',
    'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'].map((t): [string, string[]] => [t, P]),
];

/** For an opening tag, the open elements it closes while one of them is the current element. */
export const OPEN_IMPLIES_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = new Map(closedBy.map(([t, c]) => [t, new Set(c)]));

/** Elements that never hold content: opened and closed at once. */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen',
  'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

/** Where HTML content resumes inside SVG or MathML (names in SVG's casing). */
export const HTML_INTEGRATION: ReadonlySet<string> = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignObject', 'desc', 'title']);

/** Lower-cased SVG element names and their camel-cased spelling, which the tree reports. */
export const SVG_NAMES: ReadonlyMap<string, string> = new Map([
  'altGlyph', 'altGlyphDef', 'altGlyphItem', 'animateColor', 'animateMotion', 'animateTransform', 'clipPath', 'feBlend',
  'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix', 'feDiffuseLighting', 'feDisplacementMap',
  'feDistantLight', 'feDropShadow', 'feFlood', 'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR', 'feGaussianBlur', 'feImage',
  'feMerge', 'feMergeNode', 'feMorphology', 'feOffset', 'fePointLight', 'feSpecularLighting', 'feSpotLight', 'feTile',
  'feTurbulence', 'foreignObject', 'glyphRef', 'linearGradient', 'radialGradient', 'textPath',
].map((n) => [n.toLowerCase(), n]));

/** How an element's content is tokenized (outside SVG and MathML) when it is not markup. */
export type TextKind = 'raw' | 'escapable' | 'plain';

/** Elements whose content is not markup: raw text, escapable raw text (references decoded), or
 *  everything to the end of the document. */
export const TEXT_KINDS: ReadonlyMap<string, TextKind> = new Map([
  ['script', 'raw'], ['style', 'raw'], ['xmp', 'raw'], ['iframe', 'raw'], ['noembed', 'raw'], ['noframes', 'raw'],
  ['title', 'escapable'], ['textarea', 'escapable'], ['plaintext', 'plain'],
]);
