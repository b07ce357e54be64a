/**
 * The README's example pipeline: English documents of decent quality from JSON lines, fuzzy
 * deduplicated.
 *
 *   npx sluice run pipelines/english-quality.ts --input fixtures/corpus --output out/english
 */
import { col, definePipeline, readJsonl, languageId, gopherQuality, minhash } from 'sluice';

export default definePipeline((ctx) =>
  readJsonl(ctx.files('**/*.{jsonl,jsonl.gz,json.gz}'))
    .apply(languageId, { languages: ['en'], minScore: 0.65 })
    .apply(gopherQuality)
    .filter(col('text').length().gt(200))
    .dedup(minhash({ preset: 'fineweb' }))
    .select('id', 'text', 'language_score'));
