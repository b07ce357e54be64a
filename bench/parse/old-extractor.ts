import { register } from 'node:module';
import type { parsePage as ParsePage } from '../../src/ops/extract/dom.ts';
import type { extractMainText as ExtractMainText } from '../../src/ops/extract/extract.ts';

const SRC = new URL('../../src/', import.meta.url).href;
const PARSER = `${SRC}ops/extract/parser.ts`;
const OLD_PARSER = new URL('../../test/ops/extract/old-parser.ts', import.meta.url).href;
const TAG = '?old-parser';

/**
 * A second copy of src/ modules, identical but for `ops/extract/parser.ts`, which resolves to
 * test/ops/extract/old-parser.ts (htmlparser2): every src/ module imported from a tagged module is loaded tagged
 * too, so the old and the new extractor run side by side in one process.
 */
const HOOKS = `
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (!(context.parentURL ?? '').endsWith(${JSON.stringify(TAG)}) || !r.url.startsWith(${JSON.stringify(SRC)})) return r;
  return { ...r, url: r.url === ${JSON.stringify(PARSER)} ? ${JSON.stringify(OLD_PARSER)} : r.url + ${JSON.stringify(TAG)} };
}`;

/** The extractor as it was with htmlparser2: `extractMainText` and `parsePage` of the tagged copy. */
export async function loadOldExtractor(): Promise<{ extractMainText: typeof ExtractMainText; parsePage: typeof ParsePage }> {
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
  const extract = (await import(`${SRC}ops/extract/extract.ts${TAG}`)) as { extractMainText: typeof ExtractMainText };
  const dom = (await import(`${SRC}ops/extract/dom.ts${TAG}`)) as { parsePage: typeof ParsePage };
  return { extractMainText: extract.extractMainText, parsePage: dom.parsePage };
}
