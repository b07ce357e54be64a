import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIXTURES as HTML_FIXTURES } from './helpers.ts';
import { boundedEvents, firstDifference, oracleEvents, parserEvents, skippingEvents } from './html-events.ts';
import { parseMetered as oldParseMetered } from './old-parser.ts';
import { parseMetered } from '../../../src/ops/extract/parser.ts';
import { FIXTURES as WARC_FIXTURES, readAll } from '../warc/helpers.ts';
import { seededRandom } from '../../../bench/seeded-random.ts';

/** Equal event streams, or the first difference as the failure message. */
function expectSameEvents(html: string): void {
  expect(firstDifference(oracleEvents(html), parserEvents(html)), JSON.stringify(html.slice(0, 300))).toBeNull();
  for (const maxOpen of [8, 513]) {
    const diff = firstDifference(boundedEvents(oldParseMetered, html, maxOpen), boundedEvents(parseMetered, html, maxOpen));
    expect(diff, `maxOpen ${maxOpen}: ${JSON.stringify(html.slice(0, 300))}`).toBeNull();
  }
}

// Each case exercises one rule of htmlparser2 12 the extractor's parser must reproduce.
const CASES = [
  // Text, character references (legacy, numeric, invalid), pieces around them.
  'plain text only', 'a &amp; b', 'x&ampy &amp;z &notit; &notin; &#65;&#x42;&#X43 &#0; &#xD800; &#1114112; &#; &#x; & &; &bogus;',
  '&lt&gt&quot', 'trailing &am', 'trailing &amp', 'trailing &', 'trailing &#12', '<p>caf&eacute; na&iuml;ve &copy2024 &AMP;</p>',
  'non-ASCII: 日本語 — ünïcödé 🎉 &#x1F389;',
  // Stray `<`, malformed tags, end of input inside markup.
  'a < b', 'a <3 b', 'a << b', '<<p>x', '< b>', 'x<', 'x</', 'x<!', 'x<?', 'x</ >y', 'x</>y', 'x</3>y', 'x</ p>y',
  'x<a', 'x<s', 'x<scr', 'x<script', 'x<STY', 'x<noembe', 'x<nof', 'x<textare', 'x<scripx', '<svg><scr', 'x<a ', 'x<a b', 'x<a b ', 'x<a b=', 'x<a b= ', 'x<a b="c', "x<a b='c", 'x<a b=c', 'x<a /', 'x<a / ', 'x<a b /',
  'x</a', 'x</a ', 'x</a x', '<div>x</div', '<div>x</div ', '<p>x<br', '<b>x</b >y</b\t>z',
  // Tags, attributes: case, quotes, valueless, duplicates, odd names, references in values.
  '<DIV CLASS="A" Id=b ROLE>t</Div>', '<div>a</DIV><Div>b</dIV><DİV>c</dİv><dıv>d</div><\u212Abd>e</kbd><TABLE><Tr><TD>f</table>',
  '<a \u212Aey=1 cla\u017Fs=x CLA\u212ASS=y hİdden tİtle=z ſtyle=w>t</a>', '<ſcript>a</script><SCRİPT>b</script><ScRiPt>c</sCrIpT>', '<a href="x" href="y" class=one class=two>t</a>',
  '<a =b "c" d = "e&amp;f" g=h&amp; i=\'j&lt;k\' hidden aria-hidden=true style="display:none">t</a>',
  '<a b=c/>x', '<a href=/x/ class=y>t</a>', '<a class="x"id="y">t</a>', '<a/class=x>t</a>', '<a //>t', '<p/>t</p>',
  '<a title="&notit; &notin &amp=x &ampx">t</a>', '<a href=?a=1&b=2&amp;c=3>t</a>', '<a class=>t</a>', '<a class= >t</a>',
  // Void elements, implied closes and implied opens.
  '<p>a<div>b</div>c</p>', '<p>a<p>b<h1>c</h1>', '<ul><li>a<li>b</ul>', '<dl><dt>a<dd>b<dt>c</dl>',
  '<table><tr><td>a<td>b<tr><th>c<td>d</table>', '<table><thead><tr><td>a<tbody><tr><td>b<tfoot><tr><td>c</table>',
  '<select><option>a<option>b<optgroup><option>c</select>', '<form><input><select><option>x<button>y</button></form>',
  '<a href=1>x<a href=2>y</a>', '<ruby>a<rt>b<rp>c</ruby>', '<p>x</p></p></br><br></br>', '</p>', '</br>', '</div>',
  '<img src=a><br><hr><input><meta name=a content=b><link><wbr>', '</img>x</input>', '<image src=x>t</image>',
  '<head><script>x</script><body>y', '<form><form class=a><p>x</form></form>', '<b><i>x</b>y</i>',
  // Raw text and escapable raw text.
  '<script>if (a<b && c>d) { x = "</div>"; } </scriptx> </SCRIPT >after', '<script>a</script', '<script>a</scrip',
  '<style>p{x:y}</style >z', '<xmp><b>&amp;</xmp>', '<iframe><p>x</iframe>', '<noembed>a</noembed>', '<noframes>a</noframes>',
  '<title>a &amp; b</title>', '<title>a </&amp; <&amp; </title&amp; </titlex></title>', '<textarea>&lt;b&gt;</textarea>',
  '<title>unterminated &amp;', '<script>unterminated', '<plaintext>a<b>&amp;</plaintext>', '<script/>x</script>',
  '<title/>x</title>', '<scripts>x</scripts>', '<script type=application/ld+json>{"a":"</p>"}</script>',
  // Foreign content: SVG and MathML.
  '<svg><clipPath/><linearGradient id=g></linearGradient><rect/></svg>', '<svg><foreignObject><p>x</p><br/></foreignObject></svg>',
  '<svg><script>a<b>c</b></script><title>t</title><style>s</style></svg>', '<svg><![CDATA[x<y]]><![CDATA[]]></svg><![CDATA[z]]>',
  '<math><mi/>x<mo>+</mo><annotation-xml>y</annotation-xml></math>', '<svg><desc><p>x</p></desc><g/></svg><p/>',
  '<svg><foreignObject><svg><clippath></clippath></svg></foreignObject></svg>', '<svg><image href=x></svg><image>',
  '<math><svg><foreignobject>x</foreignObject></svg></math>', '<p><svg></p>x</svg>',
  // Comments, doctype, processing instructions, CDATA outside foreign content.
  '<!-- a --!> b <!--> c <!---> d <!-- x', '<!---->a<!-- - -- --->b<!--x--!-->c', '<!doctype html><!DOCTYPE x>t',
  '<!doctypex>a<!doc>b<!>c<!->d<!-x>e', '<? x ?>a<?>b', '<![CDATA[q]]>r', '<![CDAT>a<![cdata[b]]>c', '<!-- unterminated',
  '<![CDATA[unterminated', '<!doctype unterminated', '',
];

const TAGS = ['p', 'li', 'ul', 'td', 'tr', 'th', 'table', 'tbody', 'option', 'select', 'optgroup', 'div', 'span', 'b', 'a', 'h1',
  'h2', 'dd', 'dt', 'form', 'button', 'input', 'br', 'img', 'image', 'hr', 'meta', 'body', 'head', 'svg', 'math', 'foreignObject',
  'clipPath', 'mi', 'desc', 'script', 'style', 'title', 'textarea', 'xmp', 'plaintext', 'iframe', 'noembed', 'rt', 'P', 'Td', 'SCRIPT'];
const ATTRS = ['class', 'id', 'href', 'hidden', 'style', 'title', 'data-x', 'CLASS', 'onclick', 'src'];
const VALUES = ['x', 'a b', '&amp;', 'a&b', '&lt;p&gt;', '#top', '&notit;', '日本', '', '"', "'", '&#x41;', 'display:none'];
const TEXTS = ['text', ' ', '\n', 'a &amp; b', '&lt;', '&#169;', '&#x1F600;', '&copy', '&bogus;', '&', '&#', 'ünï', '日本語', '<', '< ',
  '<3', '>', '"', "'", '=', '/', 'x&amp', '&ampx', '&notin;', '\t'];
const RAW = ['</script>', '</style>', '</title>', '</textarea>', '</xmp>', '</SCRIPT >', '</script', '</titlex>', '</', '<',
  '</iframe>', '</noembed>', ']]>', '-->', '--!>', '\x1c/script>', '<\x0fstyle>', '</title&amp;'];
const OTHER = ['</p>', '</br>', '</P>', '<!-- c -->', '<!--', '-->', '<!-->', '<!doctype html>', '<!x>', '<!', '<?x?>', '<?',
  '<![CDATA[d]]>', '<![CDATA[', '</>', '</ x>', '</3>', '< b', '<br/>', '<p/>', '<svg/>', '</svg>', '</math>', '</foreignObject>',
  '</clippath>', '</table>', '</select>', '</form>', '</div>', '</a>', '</li>', '</td>', '</tr>'];

function randomDocument(seed: number): string {
  const r = seededRandom(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const attribute = (): string => {
    const name = pick(ATTRS);
    const v = pick(VALUES);
    switch (Math.floor(r() * 5)) {
      case 0: return name;
      case 1: return `${name}="${v.replaceAll('"', '')}"`;
      case 2: return `${name}='${v.replaceAll("'", '')}'`;
      case 3: return `${name}=${v.replace(/[\s>"']/g, '') || 'v'}`;
      default: return `${name} = "${v.replaceAll('"', '')}"`;
    }
  };
  const parts: string[] = [];
  const count = 10 + Math.floor(r() * 60);
  for (let i = 0; i < count; i++) {
    const k = r();
    if (k < 0.35) {
      const attrs = Array.from({ length: Math.floor(r() * 4) }, attribute);
      parts.push(`<${pick(TAGS)}${attrs.map((a) => ` ${a}`).join('')}${r() < 0.1 ? '/' : ''}>`);
    } else if (k < 0.5) parts.push(`</${pick(TAGS)}>`);
    else if (k < 0.75) parts.push(pick(TEXTS));
    else if (k < 0.85) parts.push(pick(RAW));
    else parts.push(pick(OTHER));
  }
  const doc = parts.join('');
  // One document in five is cut short anywhere, so input ends inside every kind of markup.
  return r() < 0.2 ? doc.slice(0, Math.floor(r() * doc.length)) : doc;
}

describe('the extractor\'s HTML parser gives htmlparser2\'s events', () => {
  it.each(CASES.map((c) => [c]))('%j', (html) => expectSameEvents(html));

  it('on 4,000 seeded random documents built from tricky fragments', () => {
    for (let seed = 1; seed <= 4000; seed++) {
      const html = randomDocument(seed);
      const diff = firstDifference(oracleEvents(html), parserEvents(html));
      if (diff !== null) expect.fail(`seed ${seed}: ${diff}\n${JSON.stringify(html)}`);
    }
  });

  // The old parser (htmlparser2 under a bounded stack) is the oracle of the bound: forgotten
  // outermost elements, and the work steps charged (so the extractor's work budget trips alike).
  it('with a small open-element bound: the old bounded parser\'s events and work steps', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const html = randomDocument(seed);
      for (const maxOpen of [1, 3, 10]) {
        const diff = firstDifference(boundedEvents(oldParseMetered, html, maxOpen), boundedEvents(parseMetered, html, maxOpen));
        if (diff !== null) expect.fail(`seed ${seed}, maxOpen ${maxOpen}: ${diff}\n${JSON.stringify(html)}`);
      }
    }
  });

  // A handler that says it skips (`wantsContent`) gets nothing decoded there; what it reads is the same.
  it('a handler skipping subtrees reads the same events whether or not it tells the parser', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const html = randomDocument(seed);
      for (const maxOpen of [3, 1e9]) {
        const diff = firstDifference(skippingEvents(html, maxOpen, false), skippingEvents(html, maxOpen, true));
        if (diff !== null) expect.fail(`seed ${seed}, maxOpen ${maxOpen}: ${diff}\n${JSON.stringify(html)}`);
      }
    }
  });

  it('deep nesting: thousands of elements forgotten past the bound, then closed', () => {
    const html = `${'<div class=d><b><svg><title>'.repeat(1500)}<p>x &amp; y${'</title></svg></b></div>'.repeat(1200)}${'<li><td>'.repeat(900)}z`;
    for (const maxOpen of [10, 513]) {
      const diff = firstDifference(boundedEvents(oldParseMetered, html, maxOpen), boundedEvents(parseMetered, html, maxOpen));
      expect(diff, `maxOpen ${maxOpen}`).toBeNull();
    }
  });

  it('on every HTML page of the fixtures (saved pages and WARC responses)', async () => {
    let pages = 0;
    for (const dir of readdirSync(HTML_FIXTURES, { withFileTypes: true })) {
      const file = dir.isDirectory() ? `${HTML_FIXTURES}${dir.name}/source.html.gz` : `${HTML_FIXTURES}${dir.name}`;
      const html = file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
      expectSameEvents(html);
      pages++;
    }
    const warcs = readdirSync(WARC_FIXTURES).filter((f) => f.endsWith('.warc.gz')).map((f) => `${WARC_FIXTURES}${f}`);
    const { rows } = await readAll(warcs);
    for (const row of rows) {
      expectSameEvents(String(row.html));
      pages++;
    }
    expect(pages).toBeGreaterThan(50);
  });
});
