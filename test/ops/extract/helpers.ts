import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { extractMainText } from '../../../src/ops/extract/extract.ts';
import { defaultExtractOptions, type ExtractOptions } from '../../../src/ops/extract/options.ts';

export const FIXTURES = new URL('../../../fixtures/html/', import.meta.url).pathname;

/** A Readability.js test page copied into fixtures/html/<name>/ (see fixtures/SOURCES.md). */
export function fixturePage(name: string): { html: string; expected: string } {
  const read = (f: string): string => gunzipSync(readFileSync(`${FIXTURES}${name}/${f}`)).toString('utf8');
  return { html: read('source.html.gz'), expected: read('expected.html.gz') };
}

/** Extracts with defaults (plus overrides) and fails the test if the page was refused. */
export function textOf(html: string | Uint8Array, overrides: Partial<ExtractOptions> = {}): string {
  const r = extractMainText(html, defaultExtractOptions(overrides));
  if (!r.ok) throw new Error(`extraction refused: ${r.message}`);
  return r.text;
}
