/**
 * The README's example pipeline: English documents of decent quality from JSON lines, fuzzy
 * deduplicated.
 *
 *   npx sluice run pipelines/english-quality.ts --input fixtures/corpus --output out/english
 */
import { definePipeline } from '../src/cli/pipeline-module.ts';
import { col, readJsonl, languageId, gopherQuality, minhash } from '../src/index.ts';

export default definePipeline((ctx) =>
  readJsonl(ctx.files('**/*.{jsonl,jsonl.gz,json.gz}'))
    .apply(languageId, { languages: ['en'], minScore: 0.65 })
    .apply(gopherQuality)
    .filter(col('text').length().gt(200))
    .dedup(minhash({ preset: 'fineweb' }))
    .select('id', 'text', 'language_score'));
