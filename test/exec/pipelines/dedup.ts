import { definePipeline } from '../../../src/cli/pipeline-module.ts';
import { readJsonl } from '../../../src/dataframe/read.ts';
import { byUrl, exact, minhash } from '../../../src/ops/dedup/specs.ts';

/**
 * Dedup test pipeline: `--option strategy=minhash|exact|url` (default minhash), optionally
 * `--option cluster=1` for cluster columns. Writes JSONL parts to `<output>/documents/`.
 */
export default definePipeline((ctx) => {
  const clusterColumns = ctx.options.cluster === '1';
  const spec = ctx.options.strategy === 'exact' ? exact({ clusterColumns })
    : ctx.options.strategy === 'url' ? byUrl({ clusterColumns })
    : minhash({ preset: 'fineweb', clusterColumns });
  return { frame: readJsonl(ctx.files('*.jsonl')).dedup(spec), sink: { format: 'jsonl', path: 'documents' } };
});
