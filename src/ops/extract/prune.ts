import type { El, Page } from './dom.ts';
import type { Deadline } from './limits.ts';
import { cut, type Stats } from './stats.ts';
import { assembleText } from './text.ts';

/**
 * trafilatura's boilerplate names (`xpaths.py`, OVERALL_DISCARD_XPATH), split as it applies them:
 * some only on `class`, some only on `id`, the rest on both. They are tested inside the chosen
 * content, where Readability's scoring has already found the article, so words that also name
 * article wrappers (`main`, `content`) are absent.
 */
const CLASS_DISCARD = new RegExp([
  '^shar', 'social', 'viral', 'newsletter', 'syndication', 'tags', 'sidebar', 'banner', 'bread-?crumb', 'button', 'author',
  '^(?:nav|post-nav)', 'subnav', 'avigation', 'navbar', 'navbox', 'menu', 'bar', '(?:^|\\s)ad(?:\\s|$)', '-ad-', 'outbrain',
  'taboola', 'criteo', 'paid-?content', 'widget', 'footer', 'byline', 'share-', 'sociable', 'embed', 'tag-list', 'consent',
  'modal-content', 'permission', 'elated', 'next-', '-stories', 'most-popular', 'meta', 'rating', 'attachment', 'timestamp',
  'user-info', 'user-profile', '-icon', 'article-infos', 'message', 'slide', 'viewport', 'overlay', 'options', 'expand',
  'obfuscated', 'blurred', 'cookie',
  // Hidden or print-only boxes and comment-form chrome (trafilatura's second discard expression).
  '^hide-', 'comments-title', 'nocomments', '-reply-', '^reply-', 'akismet', 'suggest-links', '-hide-', 'hide-print',
  '\\shidden', '\\shide', 'noprint', 'notloaded',
  // Beyond trafilatura's list: legal notes, embedded posts and German comment boxes.
  'disclaimer', 'disclosure', 'copyright', 'licen[cs]e', 'kommentar', 'twitter-tweet', 'instagram-media', 'fb-post', 'ez-toc',
].join('|'));

const ID_DISCARD = new RegExp([
  '^shar', 'social', 'viral', 'newsletter', 'syndication', 'tags', 'sidebar', 'banner', 'bread-?crumb', 'button', 'author',
  'footer', 'share', 'nav', 'menu', 'related', 'message-container', 'premium', 'cookie', 'hidden', 'reader-comments',
  'akismet', '^reply-',
].join('|'));

/** Elements the name rule may remove (trafilatura's div, item, list, p, section, span). */
const NAMED_TAGS = new Set(['div', 'li', 'ul', 'ol', 'dl', 'p', 'section', 'span', 'aside']);

/** Whether an element's class or id names it as boilerplate. */
export function namedBoilerplate(el: El): boolean {
  return NAMED_TAGS.has(el.tag) && ((el.cls !== '' && CLASS_DISCARD.test(el.cls)) || (el.id !== '' && ID_DISCARD.test(el.id)));
}

/** trafilatura keeps a pruned tree only if more than this share of its text survives. */
const KEEP_AT_LEAST = 1 / 7;

/**
 * Rule `named-boilerplate`: inside the content, boxes whose class or id names them as boilerplate
 * (share bars, author boxes, newsletter forms, related-post lists, metadata lines) are removed,
 * outermost first. As in trafilatura, nothing is removed when that would leave under a seventh
 * of the content: then the names describe the article itself.
 */
export function pruneNamed(page: Page, s: Stats, roots: readonly El[], deadline: Deadline): void {
  let total = 0;
  let removed = 0;
  const hits: number[] = [];
  for (const r of roots) total += s.text[r.index]!;
  for (const r of roots) {
    // A sibling the sibling step joined is judged like what it holds (a `related_posts` list beside
    // the story); the rule never takes the larger part of the content this way.
    const first = roots.length > 1 && s.text[r.index]! < 0.5 * total ? r.index : r.index + 1;
    const end = s.end[r.index]!;
    for (let i = first; i <= end; i++) {
      deadline.tick();
      if (s.dead[i] || !namedBoilerplate(page.all[i]!)) continue;
      hits.push(i);
      removed += s.text[i]!;
      i = s.end[i]!;
    }
  }
  if (total - removed <= total * KEEP_AT_LEAST) return;
  for (const i of hits) cut(page, s, i);
}

function isLastElement(el: El): boolean {
  const ch = el.parent?.children ?? [];
  for (let k = ch.length - 1; k >= 0; k--) {
    const c = ch[k]!;
    if (typeof c !== 'string') return c === el;
  }
  return true;
}

function elementChildren(el: El): number {
  let n = 0;
  for (const c of el.children) if (typeof c !== 'string') n++;
  return n;
}

/**
 * trafilatura's `link_density_test`: a block whose text is mostly links. A single long link that is
 * the whole block, a short block (under 30-300 characters by tag and position) whose links hold
 * 80% of its text or are nearly all under 10 characters, or a link farm of more than four links
 * holding 90% of the text. Blocks with images are kept (captioned media).
 */
function linkHeavy(page: Page, s: Stats, i: number, backtrack: boolean): boolean {
  const links = s.links[i]!;
  if (links === 0 || s.img[i]! > 0) return false;
  const el = page.all[i]!;
  const len = s.text[i]!;
  const linkLen = s.linkChars[i]!;
  if (links === 1 && linkLen > 100 && linkLen > 0.9 * len) return true;
  const last = isLastElement(el);
  const limit = el.tag === 'p' ? (last ? 60 : 30) : last ? 300 : 100;
  if (len < limit) {
    if (linkLen > 0.8 * len || (links > 1 && s.shortLinks[i]! / links > 0.8)) return true;
    // trafilatura's backtracking for divs: a short box of three or more elements with links.
    return backtrack && len > 0 && len < 100 && elementChildren(el) >= 3;
  }
  return links > 4 && linkLen > 0.9 * len && linkLen < 100 * links;
}

const LINK_TESTED = new Set(['div', 'ul', 'ol', 'dl', 'p']);

/**
 * Rule `link-density`: trafilatura's `delete_by_link_density` over divs, lists and paragraphs in
 * the content: "read more" teaser lines, related-link boxes and tag lists that Readability's
 * per-container link density leaves when they sit inside the article. A paragraph that is a list
 * item's or table cell's whole content is left to the list or table test.
 */
export function pruneLinkHeavy(page: Page, s: Stats, roots: readonly El[], deadline: Deadline): void {
  for (const r of roots) {
    const end = s.end[r.index]!;
    for (let i = end; i > r.index; i--) {
      deadline.tick();
      if (s.dead[i]) continue;
      const el = page.all[i]!;
      if (!LINK_TESTED.has(el.tag)) continue;
      if (el.tag === 'p' && (el.parent!.tag === 'li' || el.parent!.tag === 'td' || el.parent!.tag === 'th')) continue;
      if (linkHeavy(page, s, i, el.tag === 'div')) cut(page, s, i);
    }
  }
}

const CAPTION = /caption/;

/**
 * Rule `captions`: figure captions and photo credits are not running text. trafilatura drops
 * `<figure>` with its caption unless images are wanted, and any box whose class or id says
 * `caption` (`wp-caption-text`, `image-caption`).
 */
export function pruneCaptions(page: Page, s: Stats, roots: readonly El[], deadline: Deadline): void {
  cutWhere(page, s, roots, deadline, (el) => el.tag === 'figcaption' || (NAMED_TAGS.has(el.tag) && el.hint !== '' && CAPTION.test(el.hint)));
}

/** Cuts every live element below `roots` that `drop` picks, outermost first (a cut subtree is skipped). */
function cutWhere(page: Page, s: Stats, roots: readonly El[], deadline: Deadline, drop: (el: El, i: number) => boolean): void {
  for (const r of roots) {
    const end = s.end[r.index]!;
    for (let i = r.index + 1; i <= end; i++) {
      deadline.tick();
      if (s.dead[i]) continue;
      if (drop(page.all[i]!, i)) {
        cut(page, s, i);
        i = s.end[i]!;
      }
    }
  }
}

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** The element holding the last piece of live text or image under `root`, or null when it has none. */
function lastTextHolder(s: Stats, root: El, deadline: Deadline): El | null {
  let node = root;
  for (;;) {
    let next: El | null = null;
    for (let k = node.children.length - 1; k >= 0; k--) {
      deadline.tick();
      const c = node.children[k]!;
      if (typeof c === 'string') {
        if (c.trim() !== '') return node;
        continue;
      }
      if (s.dead[c.index]) continue;
      // Content ending in an image ends in media, not in a heading.
      if (c.tag === 'img') return c;
      if (s.text[c.index]! > 0 || s.img[c.index]! > 0) { next = c; break; }
    }
    if (next === null) return node === root ? null : node;
    node = next;
  }
}

/**
 * Rule `trailing-headings`: a heading with nothing after it in the content announces something
 * that was removed ("Related articles", "Comments"); trafilatura drops such trailing titles too.
 */
export function pruneTrailingHeadings(page: Page, s: Stats, roots: readonly El[], deadline: Deadline): void {
  const r = roots[roots.length - 1];
  if (r === undefined) return;
  for (;;) {
    let h = lastTextHolder(s, r, deadline);
    while (h !== null && h !== r && !HEADINGS.has(h.tag)) h = h.parent;
    // A "heading" holding much of the text is a misused tag around the article itself.
    if (h === null || h === r || s.text[h.index]! > Math.min(200, 0.5 * s.text[r.index]!)) return;
    cut(page, s, h.index);
  }
}

/** Labels that mark an advertisement slot, in the languages of the web's larger publishers. */
const AD_LABEL = /^[\s\p{P}]*(?:anzeige|werbung|advertisement|advertising|sponsored|gesponsert|reklama|publicidad|publicité|pubblicità|publicidade|advertentie)[\s\p{P}]*$/iu;

const AD_WORD = /^(?:anzeige|werbung|advertisement|advertising|sponsored|gesponsert|reklama|publicidad|publicité|pubblicità|publicidade|advertentie)$/iu;
const NOT_LETTER = /[\s\p{P}\u00ad\u200b]/gu;
/** Letters of the shortest and longest words of `AD_WORD`; an element's text length counts every letter. */
const SHORTEST_AD_WORD = 7;
const LONGEST_AD_WORD = 13;
/** The words of `AD_WORD` written in ASCII, lower-cased. */
const ASCII_AD_WORDS = ['anzeige', 'werbung', 'advertisement', 'advertising', 'sponsored', 'gesponsert', 'reklama', 'publicidad', 'publicidade', 'advertentie'];
/** The letters spelled so far, lower-cased, and the walk's stack: reused, since the rule runs on
 *  every short element of every pass and building strings there made a tenth of extraction's garbage. */
const LETTERS = new Uint8Array(LONGEST_AD_WORD);
const STACK: Array<El | string> = [];
/** ASCII characters that `NOT_LETTER` removes, derived from it so that the two cannot disagree. */
const ASCII_NOT_LETTER = Uint8Array.from({ length: 128 }, (_, c) => (new RegExp(NOT_LETTER.source, 'u').test(String.fromCharCode(c)) ? 1 : 0));

/**
 * Whether the live text under `el`, without whitespace, punctuation and invisible characters, is
 * one advertising word. `AD_LABEL` can match the element's assembled text only then: assembling
 * adds nothing but whitespace, tabs and list dashes and drops the invisible characters. Most
 * short elements (links, buttons, bylines) fail this plain walk, which costs a fraction of
 * assembling their text (the rule took 7% of the RefinedWeb recipe's CPU that way). ASCII text,
 * nearly all of it, is spelled out letter by letter, giving up at a digit or past the longest
 * word; other text (accents, and `/iu`'s case folding: `ſ` matches `s`) goes through the regex.
 */
function mayBeAdLabel(s: Stats, el: El, deadline: Deadline): boolean {
  let letters = 0;
  let ascii = true;
  const stack = STACK;
  let top = 0;
  stack[top++] = el;
  while (top > 0) {
    deadline.tick();
    const node = stack[--top]!;
    if (typeof node === 'string') {
      for (let k = 0; ascii && k < node.length; k++) {
        const c = node.charCodeAt(k);
        if (c >= 128) ascii = false;
        else if (ASCII_NOT_LETTER[c] === 0) {
          if (letters === LONGEST_AD_WORD || c < 65) return false;
          LETTERS[letters++] = c | 0x20;
        }
      }
      if (!ascii) break;
      continue;
    }
    if (s.dead[node.index]) continue;
    for (let c = node.children.length - 1; c >= 0; c--) stack[top++] = node.children[c]!;
  }
  if (ascii) {
    if (letters < SHORTEST_AD_WORD) return false;
    for (const w of ASCII_AD_WORDS) if (spells(w, letters)) return true;
    return false;
  }
  return AD_WORD.test(liveText(s, el, deadline).replace(NOT_LETTER, ''));
}

function spells(word: string, letters: number): boolean {
  if (word.length !== letters) return false;
  for (let k = 0; k < letters; k++) if (word.charCodeAt(k) !== LETTERS[k]) return false;
  return true;
}

/** The live text under `el`, its strings concatenated as they are. */
function liveText(s: Stats, el: El, deadline: Deadline): string {
  let text = '';
  const stack: Array<El | string> = [el];
  while (stack.length > 0) {
    deadline.tick();
    const node = stack.pop()!;
    if (typeof node === 'string') { text += node; continue; }
    if (s.dead[node.index]) continue;
    for (let c = node.children.length - 1; c >= 0; c--) stack.push(node.children[c]!);
  }
  return text;
}

/**
 * Rule `ad-labels-and-times`: an element whose whole text is an advertising label ("Anzeige",
 * "Reklama") marks an ad slot, and a `<time>` element is a publication date, metadata that
 * trafilatura strips as it does `<time>`. Both go from the content.
 */
export function pruneLabels(page: Page, s: Stats, roots: readonly El[], deadline: Deadline): void {
  cutWhere(page, s, roots, deadline, (el, i) => {
    const len = s.text[i]!;
    return el.tag === 'time' ||
      (len >= SHORTEST_AD_WORD && len < 30 && mayBeAdLabel(s, el, deadline) && AD_LABEL.test(assembleText([el], { dead: s.dead, includeTables: true }, deadline)));
  });
}
