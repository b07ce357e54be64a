import { decodeHtml } from '../../src/ops/extract/decode.ts';
import { extractMainText } from '../../src/ops/extract/extract.ts';
import { defaultExtractOptions } from '../../src/ops/extract/options.ts';
import { readability } from './peers.ts';
import { loadTrafilaturaEval, scoreSnippets, type SnippetPage, type SnippetScore } from './trafilatura-eval.ts';

/**
 * Published scores on the same 990 pages with the same metric (trafilatura's docs/evaluation.rst,
 * "Results (2026-08-04)", as quoted in the set's README), printed beside ours.
 */
export const PUBLISHED: ReadonlyArray<{ extractor: string; precision: number; recall: number; accuracy: number; f1: number }> = [
  { extractor: 'trafilatura 2.2.0 (standard)', precision: 0.906, recall: 0.943, accuracy: 0.923, f1: 0.924 },
  { extractor: 'trafilatura 2.2.0 (precision)', precision: 0.925, recall: 0.915, accuracy: 0.921, f1: 0.920 },
  { extractor: 'magic-html 0.1.8', precision: 0.887, recall: 0.891, accuracy: 0.889, f1: 0.889 },
  { extractor: 'justext 3.0.2 (custom)', precision: 0.864, recall: 0.859, accuracy: 0.862, f1: 0.862 },
  { extractor: 'readability-lxml 0.8.4.1', precision: 0.898, recall: 0.764, accuracy: 0.839, f1: 0.826 },
  { extractor: 'resiliparse 1.0.9', precision: 0.705, recall: 0.955, accuracy: 0.778, f1: 0.811 },
  { extractor: 'goose3 3.1.22', precision: 0.936, recall: 0.714, accuracy: 0.833, f1: 0.810 },
];

/** One extractor's row: the benchmark's scores and its speed per CPU-second of this process. */
export interface SnippetRow {
  bench: 'extract'; case: string; dataset: 'trafilatura'; extractor: string; pages: number;
  precision: number; recall: number; accuracy: number; f1: number;
  pagesPerSec: number; pagesPerCpuSec: number; mbPerCpuSec: number; quarantined: number;
  speedupVsReadability?: number;
}

type BytesExtractor = (bytes: Uint8Array) => string;

const r3 = (x: number): number => Number(x.toFixed(3));

/** Runs an extractor over every page (after one untimed warm-up pass) and scores it. */
function measure(name: string, fn: BytesExtractor, pages: readonly SnippetPage[], quarantined: () => number): { row: SnippetRow; texts: string[] } {
  for (const p of pages) fn(p.bytes);
  const before = quarantined();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const texts = pages.map((p) => fn(p.bytes));
  const cpu = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const mb = pages.reduce((n, p) => n + p.bytes.length, 0) / 1e6;
  const s: SnippetScore = scoreSnippets(pages, texts).total;
  const row: SnippetRow = {
    bench: 'extract', case: `trafilatura/${name}`, dataset: 'trafilatura', extractor: name, pages: pages.length,
    precision: r3(s.precision), recall: r3(s.recall), accuracy: r3(s.accuracy), f1: r3(s.f1),
    pagesPerSec: Number((pages.length / seconds).toFixed(1)), pagesPerCpuSec: Number((pages.length / cpuSeconds).toFixed(1)),
    mbPerCpuSec: Number((mb / cpuSeconds).toFixed(1)), quarantined: quarantined() - before,
  };
  return { row, texts };
}

/**
 * trafilatura's own benchmark (990 pages, snippets that must be kept or dropped): sluice's default,
 * precision and recall settings and Readability.js on linkedom, in this process on the same raw
 * bytes (each extractor decodes them inside its timed call), with the published scores beside
 * ours and sluice's 20 worst pages. Returns [] when the set is not on this machine.
 */
export function trafilaturaBench(): { rows: SnippetRow[]; report: string } {
  const pages = loadTrafilaturaEval();
  if (pages.length === 0) return { rows: [], report: 'extract bench: no trafilatura pages found, skipped\n' };
  let refused = 0;
  const sluice = (overrides: Parameters<typeof defaultExtractOptions>[0]): BytesExtractor => {
    const opts = defaultExtractOptions(overrides);
    return (bytes) => {
      const r = extractMainText(bytes, opts);
      if (r.ok) return r.text;
      refused++;
      return '';
    };
  };
  const count = (): number => refused;
  const main = measure('sluice', sluice({}), pages, count);
  const rows = [
    main.row,
    measure('sluice-precision', sluice({ favorPrecision: true }), pages, count).row,
    measure('sluice-recall', sluice({ favorRecall: true }), pages, count).row,
    measure('readability', (bytes) => readability(decodeHtml(bytes)), pages, () => 0).row,
  ];
  const base = rows.find((r) => r.extractor === 'readability')!.pagesPerCpuSec;
  for (const r of rows) r.speedupVsReadability = Number((r.pagesPerCpuSec / base).toFixed(2));
  const worst = scoreSnippets(pages, main.texts).pages
    .filter((p) => p.missed + p.leaked > 0)
    .sort((a, b) => b.missed + b.leaked - (a.missed + a.leaked) || a.id.localeCompare(b.id))
    .slice(0, 20);
  const fmt = (x: number): string => x.toFixed(3);
  const lines = [
    'trafilatura benchmark (990 pages; P/R/acc/F1 over snippets; speed per CPU-second of this process)',
    'extractor                       P      R      acc    F1     pages/cpu-s  MB/cpu-s  x Readab.',
    ...rows.map((r) => `${r.extractor.padEnd(30)}  ${fmt(r.precision)}  ${fmt(r.recall)}  ${fmt(r.accuracy)}  ${fmt(r.f1)}  ${r.pagesPerCpuSec.toFixed(0).padStart(11)}  ${r.mbPerCpuSec.toFixed(1).padStart(8)}  ${r.speedupVsReadability!.toFixed(1)}x`),
    ...PUBLISHED.map((p) => `${`${p.extractor} (published)`.padEnd(30)}  ${fmt(p.precision)}  ${fmt(p.recall)}  ${fmt(p.accuracy)}  ${fmt(p.f1)}`),
    'sluice worst 20 pages: id  missed  leaked  url',
    ...worst.map((p) => `  ${p.id}  ${p.missed}  ${p.leaked}  ${p.url}`),
    '',
  ];
  return { rows, report: lines.join('\n') };
}
