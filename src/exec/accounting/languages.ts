import type { RecordBatch } from 'apache-arrow';

/** Name of the column whose values the run report charts as languages. */
export const LANGUAGE = 'language';

/** Rows of `batch` by their {@link LANGUAGE} value (null and non-string values are not counted). */
export function languageCounts(batch: RecordBatch): Record<string, number> {
  const out: Record<string, number> = {};
  const lang = batch.getChild(LANGUAGE);
  if (!lang) return out;
  for (let i = 0; i < batch.numRows; i++) {
    const l = lang.get(i) as unknown;
    if (typeof l === 'string') out[l] = (out[l] ?? 0) + 1;
  }
  return out;
}

/** Adds `b`'s per-language counts into `a` and returns `a`. */
export function addLanguages(a: Record<string, number>, b: Record<string, number> | undefined): Record<string, number> {
  for (const [l, n] of Object.entries(b ?? {})) a[l] = (a[l] ?? 0) + n;
  return a;
}
