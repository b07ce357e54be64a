/**
 * Hostile markup: seconds per case for the extractor, and the outcome (ok or the refusal reason).
 * The cases are those of test/ops/extract/hostile.test.ts at their full size (deep nesting, 10^5
 * unclosed tables, 10^6 attributes, a giant inline script, NUL-laden bytes) plus stack-scanning
 * shapes (unmatched closing tags, nested forms). Wall seconds vary with load, so CPU seconds of
 * this process are reported beside them; the outcomes must not vary.
 */
import { pathToFileURL } from 'node:url';
import { extractMainText } from '../src/ops/extract/extract.ts';
import { defaultExtractOptions } from '../src/ops/extract/options.ts';

const PROSE = 'The committee published its findings on Tuesday, and the report runs to many pages of detail. ';
const page = (body: string): string => `<html><body>${body}</body></html>`;

const CASES: Array<[string, () => string | Uint8Array]> = [
  ['divs-100k', () => page(`${'<div>'.repeat(100_000)}<p>${PROSE.repeat(5)}</p>${'</div>'.repeat(100_000)}`)],
  ['tables-10k', () => page('<table><tr><td>cell text '.repeat(10_000))],
  ['tables-100k', () => page('<table><tr><td>cell text '.repeat(100_000))],
  ['unmatched-close-50k', () => page(`${'<span>'.repeat(50_000)}<p>${PROSE}</p>${'</em>'.repeat(50_000)}`)],
  // Just under a step per 128 open elements: the most parser time one counted step can buy.
  ['unmatched-close-127-open-15mb', () => page(`${'<span>'.repeat(127)}<p>${PROSE}</p>${'</a>'.repeat(3_900_000)}`)],
  ['forms-in-divs-50k', () => page(`${'<div>'.repeat(50_000)}${'<form></form>'.repeat(50_000)}<p>${PROSE}</p>`)],
  ['deep-then-flat-4k', () => page(`${'<span>'.repeat(4_000)}${`<b>${PROSE}</b>`.repeat(100_000)}`)],
  ['flat-10mb', () => page(`<article>${`<p>${PROSE.repeat(10)}</p>\n`.repeat(10_500)}</article>`)],
  ['attributes-1m', () => page(`<div ${Array.from({ length: 1_000_000 }, (_, i) => `data-a${i}="v"`).join(' ')}><p>${PROSE.repeat(5)}</p></div>`)],
  ['inline-script-10mb', () => page(`<script>${'var x = "<div>"; '.repeat(600_000)}</script><p>${PROSE.repeat(5)}</p>`)],
  ['nul-bytes-10mb', () => Buffer.concat([Buffer.from(page(`<p>${PROSE.repeat(5)}</p>`)), Buffer.alloc(10_000_000)])],
];

export default async function run(): Promise<void> {
  // The clock is out of the picture: only counted limits may decide these pages.
  const opts = defaultExtractOptions({ timeBudgetMs: 3_600_000 });
  const only = process.env.HOSTILE_CASES?.split(',');
  for (const [name, make] of CASES) {
    if (only !== undefined && !only.includes(name)) continue;
    const html = make();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = extractMainText(html, opts);
    const cpu = process.cpuUsage(c0);
    const seconds = Number(((performance.now() - t0) / 1000).toFixed(2));
    const cpuSeconds = Number(((cpu.user + cpu.system) / 1e6).toFixed(2));
    const outcome = r.ok ? `ok (${r.text.length} chars)` : r.reason;
    process.stdout.write(`${JSON.stringify({ bench: 'extract-hostile', case: name, chars: html.length, seconds, cpuSeconds, outcome })}\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
