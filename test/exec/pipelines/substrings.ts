import { definePipeline, readJsonl, substrings } from 'sluice';

/**
 * Exact-substring dedup test pipeline: `--option keep=none|first` (default none), `--option
 * minTokens=<k>` (default 50), `--option memoryMb=<MiB>` (bucket budget, default 256). Writes JSONL
 * parts to `<output>/documents/`.
 */
export default definePipeline((ctx) => {
  const keep = ctx.options.keep === 'first' ? 'first' : 'none';
  const minTokens = Number(ctx.options.minTokens ?? 50);
  const bucketMemoryMb = Number(ctx.options.memoryMb ?? 256);
  const frame = readJsonl(ctx.files('*.jsonl')).dedup(substrings({ minTokens, keep, bucketMemoryMb }));
  return { frame, sink: { format: 'jsonl', path: 'documents' } };
});
