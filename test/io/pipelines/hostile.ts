import { definePipeline, extractText, gopherQuality, readJsonl, readParquet, readWarc } from 'sluice';

/**
 * The hostile-input test's pipeline (test/io/hostile-inputs.test.ts, bench/hostile.ts): a source
 * chosen by `--option format=jsonl|warc|parquet` feeding the operators a real recipe runs on it
 * (WARC: main-text extraction; all: Gopher quality on `text`). Reader limits pass through as
 * options (`maxLineBytes`, `maxInflationRatio`, `maxMemberBytes`, `maxRecordBytes`); absent ones
 * keep the reader's defaults.
 */
export default definePipeline((ctx) => {
  const limit = (name: string): Record<string, number> => (ctx.options[name] !== undefined ? { [name]: Number(ctx.options[name]) } : {});
  switch (ctx.options.format) {
    case 'warc':
      return readWarc(ctx.files('*.{warc,warc.gz}'), { ...limit('maxMemberBytes'), ...limit('maxRecordBytes') })
        .apply(extractText)
        .apply(gopherQuality);
    case 'parquet':
      return readParquet(ctx.files('*.parquet')).apply(gopherQuality);
    default:
      return readJsonl(ctx.files('*.{jsonl,jsonl.gz}'), { ...limit('maxLineBytes'), ...limit('maxInflationRatio') }).apply(gopherQuality);
  }
});
