import { definePipeline } from '../../../src/cli/pipeline-module.ts';
import { readWarc } from '../../../src/dataframe/read.ts';
import { extractText } from '../../../src/ops/extract/extract-text.ts';
import { languageId } from '../../../src/ops/filters/language-id.ts';

/** Language ID keeping every language, then a final projection without the `language` column. */
export default definePipeline((ctx) =>
  readWarc(ctx.files('**/*.warc.gz'))
    .apply(extractText)
    .apply(languageId, { languages: [], minScore: 0 })
    .select('url', 'text'));
