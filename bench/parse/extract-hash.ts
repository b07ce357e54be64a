import { createHash } from 'node:crypto';
import { extractMainText } from '../../src/ops/extract/extract.ts';
import { defaultExtractOptions, type ExtractOptions } from '../../src/ops/extract/options.ts';
import type { CorpusPage } from './corpus.ts';

/** The option sets whose outputs must not change when the parser does. */
export const HASHED_OPTIONS: Array<[string, Partial<ExtractOptions>]> = [
  ['default', {}], ['favorRecall', { favorRecall: true }], ['favorPrecision', { favorPrecision: true }], ['includeComments', { includeComments: true }],
];

/**
 * sha256 of `JSON.stringify(extractMainText(html, opts))` over every page, per option set: equal
 * hashes before and after a parser change mean byte-identical extraction output.
 */
export function extractionHashes(pages: readonly CorpusPage[], extract: typeof extractMainText = extractMainText): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, overrides] of HASHED_OPTIONS) {
    const opts = defaultExtractOptions(overrides);
    const h = createHash('sha256');
    for (const p of pages) h.update(`${p.set}/${p.name}\n${JSON.stringify(extract(p.html, opts))}\n`);
    out[name] = h.digest('hex');
  }
  return out;
}
