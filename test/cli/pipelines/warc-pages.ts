import { col, definePipeline, readWarc } from 'sluice';

/** The HTML pages of WARC inputs, with their size: a cheap pipeline for input tests (default Parquet sink). */
export default definePipeline((ctx) =>
  readWarc(ctx.files('**/*.{warc,warc.gz}'))
    .withColumn('html_chars', col('html').length())
    .select('id', 'url', 'date', 'http_status', 'html_chars', 'html'));
