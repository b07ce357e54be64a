/**
 * Tag instead of drop, step 2 of 2: keep the documents of a tagged run (pipelines/tag-quality.ts)
 * that pass thresholds on its columns. Nothing is re-extracted or re-classified, and the optimizer
 * pushes the predicate into the Parquet scan, so row groups it rules out are skipped.
 *
 *   npx sluice run pipelines/threshold-quality.ts --input out/tagged/documents --output out/kept
 *   npx sluice run pipelines/threshold-quality.ts --input out/tagged/documents --output out/kept-strict \
 *     --option minWords=100 --option minLanguageScore=0.8
 *
 * `--option verdicts=true` keeps what the filters themselves decided (every `<filter>_reason`
 * null). The default thresholds are the filters' defaults, so both keep exactly what a run with
 * `apply` instead of `tag` keeps.
 */
import { col, definePipeline, readParquet, type Expr } from 'sluice';

const all = (...conditions: Expr[]): Expr => conditions.reduce((a, b) => a.and(b));

/** Each filter's verdict: null when it would have kept the document. */
const verdicts = (): Expr => all(
  col('language_id_reason').isNull(),
  col('gopher_repetition_reason').isNull(),
  col('gopher_quality_reason').isNull(),
  col('fineweb_quality_reason').isNull(),
);

/** The filters' own decisions as thresholds on their statistics; `--option name=value` overrides each. */
function thresholds(options: Record<string, string>): Expr {
  const t = (name: string, fallback: number): number => (options[name] === undefined ? fallback : Number(options[name]));
  const gq = (stat: string) => col(`gopher_quality_${stat}`);
  const gr = (stat: string) => col(`gopher_repetition_${stat}`);
  const fw = (stat: string) => col(`fineweb_quality_${stat}`);
  return all(
    col('language').isIn(['en']),
    col('language_score').gte(t('minLanguageScore', 0.65)),
    gr('dup_para_frac').lte(0.3), gr('dup_para_char_frac').lte(0.2),
    gr('dup_line_frac').lte(0.3), gr('dup_line_char_frac').lte(0.2),
    gr('top_2_gram').lte(0.2), gr('top_3_gram').lte(0.18), gr('top_4_gram').lte(0.16),
    gr('duplicated_5_n_grams').lte(0.15), gr('duplicated_6_n_grams').lte(0.14), gr('duplicated_7_n_grams').lte(0.13),
    gr('duplicated_8_n_grams').lte(0.12), gr('duplicated_9_n_grams').lte(0.11), gr('duplicated_10_n_grams').lte(0.1),
    gq('word_count').gte(t('minWords', 50)), gq('word_count').lte(100_000),
    gq('mean_word_length').gte(3), gq('mean_word_length').lte(10),
    gq('hash_ratio').lte(0.1), gq('ellipsis_ratio').lte(0.1),
    gq('bullet_lines_ratio').lte(0.9), gq('end_ellipsis_lines_ratio').lte(0.3),
    gq('alpha_words_ratio').gte(0.8), gq('stop_words').gte(2),
    fw('line_punct_ratio').gt(t('linePunctThr', 0.12)), fw('short_line_ratio').lt(0.67),
    fw('char_dup_ratio').lt(t('charDuplicatesRatio', 0.01)), fw('list_ratio').lte(0.3),
  );
}

export default definePipeline((ctx) =>
  readParquet(ctx.files('**/*.parquet'))
    .filter(ctx.options.verdicts === 'true' ? verdicts() : thresholds(ctx.options))
    .select('id', 'text', 'language', 'language_score', 'text_length'));
