import { decodeHtml } from '../../src/ops/extract/decode.ts';
import { loadDevSet } from '../extract/pages.ts';
import { loadTrafilaturaEval } from '../extract/trafilatura-eval.ts';
import { loadWarcPages } from '../extract/warc-pages.ts';

/** A page of the shared evaluation sets, decoded once so parsers see the same string. */
export interface CorpusPage { set: 'warc' | 'dev' | 'trafilatura'; name: string; html: string }

/**
 * Every HTML page of ../shared: the WARC responses, the extraction dev set and trafilatura's
 * benchmark, in a fixed order. `sets` picks some of them (all by default).
 */
export function loadCorpus(sets: ReadonlyArray<CorpusPage['set']> = ['warc', 'dev', 'trafilatura']): CorpusPage[] {
  const pages: CorpusPage[] = [];
  if (sets.includes('warc')) for (const w of loadWarcPages()) pages.push({ set: 'warc', name: w.name, html: decodeHtml(w.body, w.charset) });
  if (sets.includes('dev')) for (const d of loadDevSet()) pages.push({ set: 'dev', name: d.name, html: d.html });
  if (sets.includes('trafilatura')) for (const t of loadTrafilaturaEval()) pages.push({ set: 'trafilatura', name: t.id, html: decodeHtml(t.bytes) });
  return pages;
}
