import { byUrl, definePipeline, exact, minhash, readJsonl } from 'sluice';

/**
 * Dedup test pipeline: `--option strategy=minhash|exact|url|none` (default minhash; `none` is the
 * same pipeline without dedup, a baseline for benches), optionally `--option cluster=1` for
 * cluster columns. Writes JSONL parts to `<output>/documents/`.
 */
export default definePipeline((ctx) => {
  const clusterColumns = ctx.options.cluster === '1';
  const spec = ctx.options.strategy === 'exact' ? exact({ clusterColumns })
    : ctx.options.strategy === 'url' ? byUrl({ clusterColumns })
    : minhash({ preset: 'fineweb', clusterColumns });
  const frame = readJsonl(ctx.files('*.jsonl'));
  return { frame: ctx.options.strategy === 'none' ? frame : frame.dedup(spec), sink: { format: 'jsonl', path: 'documents' } };
});
