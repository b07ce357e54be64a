import { definePipeline, minhash, readJsonl, tokenize, tokensSink } from 'sluice';

/**
 * Chaos test pipeline: JSON lines → MinHash dedup → GPT-2 tokens → token shards in
 * `<output>/tokens/`, with the kept documents as Parquet in `<output>/documents/`. It has every
 * commit place of the disk-error tests (store chunks and manifests, dedup buckets and merge, sink
 * parts, shard assembly) at a fraction of the RefinedWeb recipe's cost.
 */
export default definePipeline((ctx) => ({
  frame: readJsonl(ctx.files('*.jsonl'))
    .dedup(minhash({ preset: 'fineweb' }))
    .apply(tokenize, { tokenizer: 'gpt2' })
    .select('id', 'text', 'token_count', 'tokens'),
  sink: tokensSink('tokens', { documents: `${ctx.output}/documents` }),
}));
