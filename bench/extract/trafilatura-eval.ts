import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const TRAFILATURA_EVAL_DIR = '/work/shared/data/extraction-trafilatura-eval';

/** One page of trafilatura's benchmark: raw bytes (any charset) and the annotated snippets. */
export interface SnippetPage { id: string; url: string; bytes: Uint8Array; with: string[]; without: string[] }

/** The 990 pages with their `with` (must keep) and `without` (must drop) snippets; [] when absent. */
export function loadTrafilaturaEval(dir = TRAFILATURA_EVAL_DIR): SnippetPage[] {
  const file = join(dir, 'annotations.json');
  if (!existsSync(file)) return [];
  const ann = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { url: string; with: string[]; without: string[] }>;
  return Object.entries(ann).map(([id, a]) => ({
    id, url: a.url, with: a.with, without: a.without, bytes: gunzipSync(readFileSync(join(dir, 'html', `${id}.html.gz`))),
  }));
}

/** Counts of the benchmark's metric, summed over pages, and the scores derived from them. */
export interface SnippetScore { tp: number; fp: number; fn: number; tn: number; precision: number; recall: number; accuracy: number; f1: number }

/** Per page: snippets missed (false negatives) and leaked (false positives). */
export interface SnippetPageScore { id: string; url: string; missed: number; leaked: number }

const norm = (s: string): string => s.replace(/\s+/gu, ' ').trim();

/**
 * trafilatura's metric (its `tests/eval_common.py`, as in the set's `score.mjs`): a `with` snippet
 * found in the output as a whitespace-normalised substring is a true positive, else a false
 * negative; a `without` snippet found is a false positive, else a true negative.
 */
export function scoreSnippets(pages: readonly SnippetPage[], texts: readonly string[]): { total: SnippetScore; pages: SnippetPageScore[] } {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  const rows: SnippetPageScore[] = [];
  pages.forEach((page, i) => {
    const t = norm(texts[i] ?? '');
    const ptp = page.with.filter((w) => t.includes(norm(w))).length;
    const pfp = page.without.filter((w) => t.includes(norm(w))).length;
    tp += ptp; fn += page.with.length - ptp; fp += pfp; tn += page.without.length - pfp;
    rows.push({ id: page.id, url: page.url, missed: page.with.length - ptp, leaked: pfp });
  });
  const precision = tp / (tp + fp), recall = tp / (tp + fn);
  const total = {
    tp, fp, fn, tn, precision, recall, accuracy: (tp + tn) / (tp + fp + fn + tn), f1: (2 * precision * recall) / (precision + recall),
  };
  return { total, pages: rows };
}
