import { cleanContent, type CleanConfig } from './clean.ts';
import { bytesLookBinary, decodePage, looksBinary } from './decode.ts';
import { parsePage, type El, type Page } from './dom.ts';
import { BOILERPLATE, CHROME_TAGS, COMMENTS, MAYBE, UNLIKELY } from './hints.ts';
import { Deadline, ExtractLimitError, type ExtractFailure } from './limits.ts';
import { extractMetadata, type PageMetadata } from './metadata.ts';
import type { ExtractOptions } from './options.ts';
import { pruneCaptions, pruneLabels, pruneLinkHeavy, pruneNamed, pruneTrailingHeadings } from './prune.ts';
import { pruneSeeAlso } from './see-also.ts';
import { withStandfirst } from './standfirst.ts';
import { withIngredients } from './recipe.ts';
import { towardNamedBody } from './named-body.ts';
import { pickTop, scoreCandidates } from './score.ts';
import { computeStats, cut, linkDensity, type Stats } from './stats.ts';
import { StatsStorage } from './stats-storage.ts';
import { assembleText } from './text.ts';

/** The outcome for one page: text (possibly empty) and metadata, or why it was refused. */
export type ExtractResult =
  | ({ ok: true; text: string } & PageMetadata)
  | { ok: false; reason: ExtractFailure; message: string };

/** Below this many characters a pass is retried with fewer heuristics (twice trafilatura's MIN_EXTRACTED_SIZE,
 *  since sluice retries its own passes rather than comparing with a second algorithm). */
const RETRY_CHARS = 500;
/** Storage for a page's raw measures and for one pass's at a time: extraction runs one page at a
 *  time per thread, and a pass's measures are dead once its text is written. */
const RAW_STATS = new StatsStorage();
const PASS_STATS = new StatsStorage();
/** Paragraph text above which loose text is dropped: trafilatura adds divs to what it extracts
 *  below 3 × MIN_EXTRACTED_SIZE (750 characters) of `<p>` text. */
const LOOSE_TEXT_BELOW = 750;
const NEVER_UNLIKELY = new Set(['html', 'body', 'a', 'main', 'article']);

interface Pass { strip: boolean; weight: boolean; clean: boolean }
/** A sentence's end: a standfirst-like short block ends like prose. */
const SENTENCE_END = /\.( |$)/;
const NON_WORD = /[^\p{L}\p{N}]+/u;

const PASSES: Pass[] = [
  { strip: true, weight: true, clean: true },
  { strip: false, weight: true, clean: true },
  { strip: false, weight: false, clean: true },
  { strip: false, weight: false, clean: false },
];

const SECTIONING = new Set(['article', 'section', 'main']);

function hasAncestor(el: El, tags: ReadonlySet<string>): boolean {
  for (let a = el.parent; a !== null; a = a.parent) if (tags.has(a.tag)) return true;
  return false;
}

/**
 * HTML5 page chrome (header/footer/aside/form) is dead unless it holds most of the page's text;
 * a header inside an article or section is the article's own (title, standfirst) and stays.
 */
export function chromeDead(page: Page, raw: Stats): Uint8Array {
  const dead = new Uint8Array(page.all.length);
  const total = raw.text[(page.body ?? page.root).index]!;
  for (let i = 1; i < page.all.length; i++) {
    const el = page.all[i]!;
    const parentDead = dead[el.parent!.index]!;
    if (parentDead || !CHROME_TAGS.has(el.tag) || raw.text[i]! >= 0.5 * total) { dead[i] = parentDead; continue; }
    dead[i] = el.tag === 'header' && hasAncestor(el, SECTIONING) ? 0 : 1;
  }
  return dead;
}

/**
 * An image with a short caption and no links: CMS media boxes are often named after their
 * embedding machinery (`dnd-widget-wrapper`), which is not boilerplate vocabulary about the content.
 */
function isCaptionedImage(raw: Stats, i: number): boolean {
  return raw.img[i]! > 0 && raw.img[i]! <= 2 && raw.link[i] === 0 && raw.text[i]! > 0 && raw.text[i]! < 300;
}

/** Marks what a pass removes: the page chrome, plus unlikely candidates when `strip` is set. */
export function passDead(page: Page, raw: Stats, base: Uint8Array, strip: boolean): Uint8Array {
  const dead = base.slice();
  if (!strip) return dead;
  const small = 0.25 * raw.text[(page.body ?? page.root).index]!;
  const inTableOrCode = new Uint8Array(page.all.length);
  for (let i = 1; i < page.all.length; i++) {
    const el = page.all[i]!;
    const p = el.parent!;
    inTableOrCode[i] = inTableOrCode[p.index]! || p.tag === 'table' || p.tag === 'code' ? 1 : 0;
    if (dead[p.index]) { dead[i] = 1; continue; }
    if (el.hint === '' || inTableOrCode[i] || NEVER_UNLIKELY.has(el.tag)) continue;
    if ((UNLIKELY.test(el.hint) && !MAYBE.test(el.hint)) || (raw.text[i]! < small && BOILERPLATE.test(el.hint) && !isCaptionedImage(raw, i))) dead[i] = 1;
  }
  return dead;
}

function firstToken(hint: string): string {
  const sp = hint.indexOf(' ');
  return sp < 0 ? hint : hint.slice(0, sp);
}

/**
 * Readability gives a sibling with the top candidate's exact class a bonus. List-style articles
 * mark each item's kind with modifier classes on one base class (`item item_image` beside
 * `item item_text`), so the shared first class token earns the bonus too.
 */
function sameClass(a: El, b: El): boolean {
  return a.hint !== '' && (a.hint === b.hint || (a.cls !== '' && firstToken(a.cls) === firstToken(b.cls)));
}

/** Readability's sibling step: neighbours of the top candidate that score well or read like prose. */
function withSiblings(s: Stats, score: Float64Array, top: El, favorPrecision: boolean, deadline: Deadline): El[] {
  const parent = top.parent;
  if (parent === null) return [top];
  const topScore = Number.isNaN(score[top.index]!) ? 0 : score[top.index]!;
  const threshold = Math.max(10, topScore * (favorPrecision ? 0.3 : 0.2));
  const out: El[] = [];
  for (const c of parent.children) {
    if (typeof c === 'string' || s.dead[c.index]) continue;
    if (c === top) { out.push(c); continue; }
    const bonus = sameClass(c, top) ? topScore * 0.2 : 0;
    const sc = score[c.index]!;
    if (!Number.isNaN(sc) && sc + bonus >= threshold) { out.push(c); continue; }
    // A div with no block inside reads as a paragraph (Readability turns such divs into <p>): a standfirst.
    if (c.tag !== 'p' && !(c.tag === 'div' && !s.blockChild[c.index])) continue;
    const len = s.text[c.index]!;
    const ld = linkDensity(s, c.index);
    if (len > 80 && ld < 0.25) out.push(c);
    else if (len > 0 && len <= 80 && ld === 0 && SENTENCE_END.test(assembleText([c], { dead: s.dead, includeTables: true }, deadline))) out.push(c);
  }
  return out;
}

/**
 * Stories split into same-class chunks between ads or "continue reading" interrupters
 * (`story-body-supplemental` × n) put each chunk in its own wrapper, so the top candidate's siblings
 * hold nothing and the other chunks sit beside its parent. When the parent has a same-class sibling
 * that scored as content, the sibling step runs one level up, where the class bonus joins the chunks.
 */
function splitArticleParent(s: Stats, score: Float64Array, top: El, body: El): El {
  const parent = top.parent;
  if (parent === null || parent === body || parent.parent === null || parent.hint === '' || Number.isNaN(score[parent.index]!)) return top;
  const min = 0.2 * score[top.index]!;
  for (const c of parent.parent.children) {
    if (typeof c === 'string' || c === parent || s.dead[c.index] || c.hint !== parent.hint) continue;
    if (score[c.index]! >= min) return parent;
  }
  return top;
}

function words(text: string): string[] {
  return text.toLowerCase().split(NON_WORD).filter((w) => w !== '');
}

/** Readability's `_textSimilarity`: the share of `b`'s characters in words that also occur in `a`. */
function similarity(a: string, b: string): number {
  const wa = new Set(words(a));
  const wb = words(b);
  const total = wb.join(' ').length;
  if (total === 0) return 0;
  return 1 - wb.filter((w) => !wa.has(w)).join(' ').length / total;
}

/** The page title repeated as the content's h1/h2 is metadata, not text (Readability and trafilatura). */
function dropTitleHeadings(page: Page, s: Stats, roots: readonly El[], title: string, deadline: Deadline): void {
  if (title === '') return;
  for (const r of roots) {
    for (let i = r.index; i <= s.end[r.index]!; i++) {
      const el = page.all[i]!;
      if (s.dead[i] || (el.tag !== 'h1' && el.tag !== 'h2')) continue;
      if (similarity(title, assembleText([el], { dead: s.dead, includeTables: true }, deadline)) > 0.75) cut(page, s, i);
    }
  }
}

function runPass(page: Page, raw: Stats, base: Uint8Array, pass: Pass, opts: ExtractOptions, deadline: Deadline): { text: string; roots: El[] } {
  const s = computeStats(page, passDead(page, raw, base, pass.strip), deadline, PASS_STATS);
  const body = page.body ?? page.root;
  const score = scoreCandidates(page, s, { weightClasses: pass.weight, minParagraph: 25 }, deadline);
  const scored = pickTop(page, score, body);
  const picked = scored === null ? null : towardNamedBody(page, s, scored);
  const top = picked === null ? null : splitArticleParent(s, score, picked, body);
  const roots = top === null ? [body] : withSiblings(s, score, top, opts.favorPrecision, deadline);
  const clean: CleanConfig = {
    weightClasses: pass.weight,
    cleanConditionally: pass.clean,
    linkDensityModifier: opts.favorPrecision ? -0.1 : opts.favorRecall ? 0.2 : 0,
    cleanLists: !opts.favorRecall,
  };
  for (const r of roots) cleanContent(page, s, r, clean, deadline);
  pruneNamed(page, s, roots, deadline);
  pruneLinkHeavy(page, s, roots, deadline);
  pruneCaptions(page, s, roots, deadline);
  pruneSeeAlso(page, s, roots, deadline);
  pruneLabels(page, s, roots, deadline);
  pruneTrailingHeadings(page, s, roots, deadline);
  dropTitleHeadings(page, s, roots, page.metas.get('og:title') ?? page.title, deadline);
  const lead = withStandfirst(page, s, raw, roots, deadline);
  const out = withIngredients(page, s, lead, deadline);
  // Rule `loose-text`: content with enough paragraph text is written from its paragraphs,
  // headings, lists, tables and quotes only (trafilatura's extraction), dropping dates, labels
  // and bylines that sit in bare divs; short content keeps everything.
  const looseText = paragraphChars(page, s, out) < LOOSE_TEXT_BELOW;
  return { text: assembleText(out, { dead: s.dead, includeTables: opts.includeTables, looseText }, deadline), roots: out };
}

/** Characters of live `<p>` text in the roots. */
function paragraphChars(page: Page, s: Stats, roots: readonly El[]): number {
  let n = 0;
  for (const r of roots) for (let i = r.index; i <= s.end[r.index]!; i++) if (!s.dead[i] && page.all[i]!.tag === 'p') { n += s.text[i]!; i = s.end[i]!; }
  return n;
}

function isInside(el: El, roots: readonly El[]): boolean {
  for (let a: El | null = el; a !== null; a = a.parent) if (roots.includes(a)) return true;
  return false;
}

/** Outermost comment sections outside the main content, as text (for `includeComments`). */
function commentsText(page: Page, base: Uint8Array, roots: readonly El[], opts: ExtractOptions, deadline: Deadline): string {
  const picked: El[] = [];
  for (let i = 1; i < page.all.length; i++) {
    const el = page.all[i]!;
    if (base[i] || el.hint === '' || !COMMENTS.test(el.hint)) continue;
    if (picked.some((p) => isInside(el, [p])) || isInside(el, roots) || roots.some((r) => isInside(r, [el]))) continue;
    picked.push(el);
  }
  return assembleText(picked, { dead: base, includeTables: opts.includeTables }, deadline);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function utf8Length(s: string, limit: number): number {
  return s.length * 3 <= limit ? s.length : Buffer.byteLength(s, 'utf8');
}

/**
 * Extracts the main text of one page: a string, or undecoded bytes (charset sniffed, `charset`
 * first). Never throws: limits and unexpected failures come back as `{ ok: false, reason }`, so a
 * caller can quarantine the document and go on.
 */
export function extractMainText(input: string | Uint8Array, opts: ExtractOptions, charset?: string | null): ExtractResult {
  return extract(input, false, opts, charset);
}

/**
 * {@link extractMainText} of a page given as UTF-8 (a Utf8 column's value): parsed from its bytes
 * without making a string of the whole page.
 */
export function extractMainTextUtf8(bytes: Uint8Array, opts: ExtractOptions): ExtractResult {
  return extract(bytes, true, opts);
}

function extract(input: string | Uint8Array, utf8: boolean, opts: ExtractOptions, charset?: string | null): ExtractResult {
  try {
    const size = typeof input === 'string' ? utf8Length(input, opts.maxInputBytes) : input.length;
    if (size > opts.maxInputBytes) {
      throw new ExtractLimitError('extract:too_large', `${size} bytes > maxInputBytes ${opts.maxInputBytes}`);
    }
    const deadline = new Deadline(opts.timeBudgetMs, opts.maxWork);
    if (typeof input !== 'string' && !utf8 && bytesLookBinary(input)) throw new ExtractLimitError('extract:binary', 'content is not text');
    const html = typeof input === 'string' ? input : utf8 ? asBuffer(input) : decodePage(input, charset);
    if (looksBinary(html)) throw new ExtractLimitError('extract:binary', 'content is not text');
    const page = parsePage(html, opts.maxDepth, deadline);
    deadline.check();
    const raw = computeStats(page, new Uint8Array(page.all.length), deadline, RAW_STATS);
    const base = chromeDead(page, raw);
    let best: { text: string; roots: El[] } | null = null;
    for (const pass of PASSES) {
      const r = runPass(page, raw, base, pass, opts, deadline);
      if (best === null || r.text.length > best.text.length) best = r;
      if (r.text.length >= RETRY_CHARS) break;
    }
    // Rule `chrome-fallback`: when every pass comes up short, the article may sit in page chrome
    // (a CMS that wraps the story in <aside> or <form>); the last try keeps the chrome.
    if (best!.text.length < RETRY_CHARS) {
      const r = runPass(page, raw, new Uint8Array(page.all.length), PASSES[1]!, opts, deadline);
      if (r.text.length > best!.text.length) best = r;
    }
    let text = best!.text;
    if (opts.includeComments) {
      const comments = commentsText(page, base, best!.roots, opts, deadline);
      if (comments !== '') text = text === '' ? comments : `${text}\n\n${comments}`;
    }
    return { ok: true, text, ...extractMetadata(page) };
  } catch (e) {
    if (e instanceof ExtractLimitError) return { ok: false, reason: e.reason, message: e.message };
    return { ok: false, reason: 'extract:error', message: e instanceof Error ? e.message : String(e) };
  }
}
