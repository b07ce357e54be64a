/**
 * Tag instead of drop, step 1 of 2: run language ID and the quality filters once, keeping every
 * document with each filter's verdict (`<filter>_reason`, null = would keep) and statistics
 * (`gopher_quality_word_count`, `fineweb_quality_line_punct_ratio`, ...) as columns.
 *
 *   npx sluice run pipelines/tag-quality.ts --input fixtures/corpus --output out/tagged
 *
 * Then choose thresholds as often as you like without re-running this (step 2):
 *
 *   npx sluice run pipelines/threshold-quality.ts --input out/tagged/documents --output out/kept
 */
import { definePipeline, finewebQuality, gopherQuality, gopherRepetition, languageId, readJsonl, textLength } from 'sluice';

export default definePipeline((ctx) =>
  readJsonl(ctx.files('**/*.jsonl'))
    .tag(languageId, { languages: ['en'] })
    .tag(gopherRepetition)
    .tag(gopherQuality)
    .tag(finewebQuality)
    .apply(textLength));
