/**
 * Main-text extraction: token precision/recall/F1 and docs/s for sluice's extractor and two peers
 * (Readability.js on linkedom, html-to-text) on the same pages in one run, then trafilatura's own
 * benchmark (snippet P/R/accuracy/F1 beside the published table, pages/s and MB/s per CPU-second,
 * the worst 20 pages; see extract/trafilatura-bench.ts).
 * - dev: the 130 Readability.js test pages, reference = the accepted article body, tags stripped.
 * - warc: every HTML response in /work/shared/data/warc; F1 only where Common Crawl's own WET text
 *   of the same URI exists (whirlwind). WET keeps the whole page's text, boilerplate included, so
 *   there recall is the meaningful number; the other pages measure speed and robustness.
 * Extraction is single-threaded, so docs/s is per core. The machine is shared and noisy, so besides
 * wall-clock docs/s the bench reports docs per CPU-second of this process (`docsPerCpuSec`), which
 * is what one core delivers when it is not time-sliced with other work.
 */
import { pathToFileURL } from 'node:url';
import { decodeHtml } from '../src/ops/extract/decode.ts';
import { extractMainText } from '../src/ops/extract/extract.ts';
import { defaultExtractOptions, type ExtractOptions } from '../src/ops/extract/options.ts';
import { tokenPrf } from './extract/metrics.ts';
import { loadDevSet, type EvalPage } from './extract/pages.ts';
import { htmlToText, readability, type Extractor } from './extract/peers.ts';
import { PUBLISHED, trafilaturaBench } from './extract/trafilatura-bench.ts';
import { loadWarcPages } from './extract/warc-pages.ts';

interface Row {
  bench: 'extract'; case: string; dataset: string; extractor: string; docs: number; docsPerSec: number; docsPerCpuSec: number;
  precision: number | null; recall: number | null; f1: number | null; scored: number; empty: number;
  quarantined: number; maxMsPerDoc: number;
  /** docs per CPU-second relative to Readability's in the same run. */
  speedupVsReadability?: number;
}

function sluice(overrides: Partial<ExtractOptions>, quarantine: Map<string, number>): Extractor {
  const opts = defaultExtractOptions(overrides);
  return (html) => {
    const r = extractMainText(html, opts);
    if (r.ok) return r.text;
    quarantine.set(r.reason, (quarantine.get(r.reason) ?? 0) + 1);
    return '';
  };
}

function measure(dataset: string, name: string, fn: Extractor, pages: EvalPage[], quarantined: () => number): { row: Row; texts: string[] } {
  // One untimed pass for every extractor, so JIT warm-up does not favour whichever runs later.
  for (const p of pages) fn(p.html);
  const before = quarantined();
  const texts: string[] = [];
  let maxMs = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const p of pages) {
    const t = performance.now();
    texts.push(fn(p.html));
    maxMs = Math.max(maxMs, performance.now() - t);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  let p = 0, r = 0, f = 0, scored = 0;
  pages.forEach((page, i) => {
    if (page.reference === null) return;
    const m = tokenPrf(texts[i]!, page.reference);
    p += m.precision; r += m.recall; f += m.f1; scored++;
  });
  const avg = (x: number): number | null => (scored === 0 ? null : Number((x / scored).toFixed(4)));
  const row: Row = {
    bench: 'extract', case: `${dataset}/${name}`, dataset, extractor: name, docs: pages.length,
    docsPerSec: Number((pages.length / seconds).toFixed(1)),
    docsPerCpuSec: Number((pages.length / cpuSeconds).toFixed(1)), precision: avg(p), recall: avg(r), f1: avg(f), scored,
    empty: texts.filter((t) => t.trim() === '').length, quarantined: quarantined() - before, maxMsPerDoc: Number(maxMs.toFixed(1)),
  };
  return { row, texts };
}

function table(rows: Row[]): string {
  const head = ['dataset', 'extractor', 'docs', 'scored', 'P', 'R', 'F1', 'docs/s', 'docs/cpu-s', 'x Readab.', 'empty', 'quar.', 'max ms'];
  const fmt = (x: number | null): string => (x === null ? '-' : x.toFixed(3));
  const lines = rows.map((r) => [r.dataset, r.extractor, String(r.docs), String(r.scored), fmt(r.precision), fmt(r.recall), fmt(r.f1),
    r.docsPerSec.toFixed(0), r.docsPerCpuSec.toFixed(0), r.speedupVsReadability === undefined ? '-' : `${r.speedupVsReadability.toFixed(1)}x`, String(r.empty),
    String(r.quarantined), r.maxMsPerDoc.toFixed(0)]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [head, ...lines].map((l) => l.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

/**
 * Debug aid (EXTRACT_PAGES=1): per-page P/R/F1 of sluice and Readability, every page where either
 * scores below 1, worst sluice-minus-Readability first, so losses can be traced to their pages.
 */
function perPage(dataset: string, pages: EvalPage[], ours: string[], theirs: string[]): string {
  const fmt = (m: { precision: number; recall: number; f1: number }): string =>
    `${m.precision.toFixed(3)} ${m.recall.toFixed(3)} ${m.f1.toFixed(3)}`;
  const rows: Array<{ line: string; delta: number }> = [];
  pages.forEach((page, i) => {
    if (page.reference === null) return;
    const a = tokenPrf(ours[i]!, page.reference);
    const b = tokenPrf(theirs[i]!, page.reference);
    if (a.f1 >= 0.9995 && b.f1 >= 0.9995) return;
    rows.push({ delta: a.f1 - b.f1, line: `${(a.f1 - b.f1).toFixed(3).padStart(7)}  ${fmt(a)}  ${fmt(b)}  ${page.name}` });
  });
  rows.sort((x, y) => x.delta - y.delta);
  return [`${dataset} per page: delta  sluice P R F1  readability P R F1  page`, ...rows.map((r) => r.line), ''].join('\n');
}

export default async function run(): Promise<void> {
  const quarantine = new Map<string, number>();
  const count = (): number => [...quarantine.values()].reduce((a, b) => a + b, 0);
  const none = (): number => 0;
  const datasets: Array<[string, EvalPage[]]> = [
    ['dev', loadDevSet()],
    ['warc', loadWarcPages().map((w) => ({ name: w.name, html: decodeHtml(w.body, w.charset), reference: w.reference }))],
  ];
  const rows: Row[] = [];
  // EXTRACT_SETS=dev,warc,trafilatura picks the sets to run (all by default).
  const sets = process.env.EXTRACT_SETS?.split(',');
  for (const [dataset, pages] of datasets) {
    if (sets !== undefined && !sets.includes(dataset)) continue;
    if (pages.length === 0) { process.stderr.write(`extract bench: no ${dataset} pages found, skipped\n`); continue; }
    const main = measure(dataset, 'sluice', sluice({}, quarantine), pages, count);
    const peer = measure(dataset, 'readability', readability, pages, none);
    const group: Row[] = [
      main.row,
      measure(dataset, 'sluice-precision', sluice({ favorPrecision: true }, quarantine), pages, count).row,
      measure(dataset, 'sluice-recall', sluice({ favorRecall: true }, quarantine), pages, count).row,
      peer.row,
      measure(dataset, 'html-to-text', htmlToText, pages, none).row,
    ];
    if (process.env.EXTRACT_PAGES === '1') process.stderr.write(perPage(dataset, pages, main.texts, peer.texts));
    const base = group.find((r) => r.extractor === 'readability')!.docsPerCpuSec;
    for (const r of group) r.speedupVsReadability = Number((r.docsPerCpuSec / base).toFixed(2));
    rows.push(...group);
  }
  for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
  process.stdout.write(`${JSON.stringify({ bench: 'extract', case: 'quarantine-reasons', reasons: Object.fromEntries(quarantine) })}\n`);
  if (rows.length > 0) process.stderr.write(`${table(rows)}\n`);
  if (sets !== undefined && !sets.includes('trafilatura')) return;
  const traf = trafilaturaBench();
  for (const r of traf.rows) process.stdout.write(`${JSON.stringify(r)}\n`);
  for (const p of PUBLISHED) process.stdout.write(`${JSON.stringify({ bench: 'extract', case: `trafilatura/published/${p.extractor}`, dataset: 'trafilatura', published: true, ...p })}\n`);
  process.stderr.write(traf.report);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
