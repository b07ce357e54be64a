import { definePipeline, parquetSink, readJsonl, tokenize, tokensSink } from 'sluice';

/**
 * The fixture corpus tokenized with GPT-2, written where `--option sink=<path or s3:// URI>` says
 * (default `tokens`, under the output): token shards (with `--option documents=<path>` also the
 * rows as Parquet), or Parquet parts with `--option format=parquet`.
 */
export default definePipeline((ctx) => {
  const frame = readJsonl(ctx.files('*.jsonl')).select('text').apply(tokenize, { tokenizer: 'gpt2' });
  const path = ctx.options.sink ?? 'tokens';
  if (ctx.options.format === 'parquet') return { frame, sink: parquetSink(path) };
  return { frame, sink: tokensSink(path, { maxTokensPerShard: 20_000, ...(ctx.options.documents ? { documents: ctx.options.documents } : {}) }) };
});
