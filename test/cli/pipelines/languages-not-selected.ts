import { definePipeline, extractText, languageId, readWarc } from 'sluice';

/** Language ID keeping every language, then a final projection without the `language` column. */
export default definePipeline((ctx) =>
  readWarc(ctx.files('**/*.warc.gz'))
    .apply(extractText)
    .apply(languageId, { languages: [], minScore: 0 })
    .select('url', 'text'));
