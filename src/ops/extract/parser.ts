import { HtmlTokenizer } from './html-tokenizer.ts';
import { TreeBuilder, type ParseHandler, type ParseLimits } from './html-tree.ts';
import type { Deadline } from './limits.ts';

export { MAX_ATTRIBUTES, type ParseHandler, type ParseLimits } from './html-tree.ts';

/**
 * Parses `html` (a string, or UTF-8 bytes) into `handler`'s callbacks in time linear in its size:
 * the events htmlparser2 12's `Parser` gives (HTML mode, entities decoded, names lower-cased,
 * attributes restricted to `limits.attributes`), from a hand-written tokenizer
 * (`html-tokenizer.ts`) and tree builder (`html-tree.ts`), measured several times faster
 * (`npm run bench -- parse`). The open-element
 * stack holds at most `limits.maxOpen` elements (past it the outermost are forgotten and the
 * handler is told they closed, so its depth always equals the parser's), a closing tag that
 * matches nothing costs O(1), and every tag and attribute is charged to `deadline` (a tag more
 * when many elements are open). Throws `ExtractLimitError` out of the parse when the budget runs out.
 */
export function parseMetered(html: string | Uint8Array, handler: ParseHandler, deadline: Deadline, limits: ParseLimits): void {
  const tree = new TreeBuilder(handler, deadline, limits);
  new HtmlTokenizer(utf8Bytes(html), tree, handler).run();
}

/** The page as UTF-8 bytes: a string is encoded, bytes (UTF-8 already) are viewed as a Buffer. */
function utf8Bytes(html: string | Uint8Array): Buffer {
  if (typeof html === 'string') return Buffer.from(html, 'utf8');
  return Buffer.isBuffer(html) ? html : Buffer.from(html.buffer, html.byteOffset, html.byteLength);
}
