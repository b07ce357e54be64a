import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { parseOptions } from '../../src/ops/operator.ts';
import { tokenize } from '../../src/ops/tokenize/tokenize.ts';
import type { TokenizerBackend } from '../../src/ops/tokenize/backend.ts';
import type { TokenShardWriterOptions } from '../../src/io/token-shards/writer.ts';
import { noHeartbeat, realDocs, textBatch } from '../ops/tokenize/helpers.ts';

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'sluice-shards-'));

/** The real fixture documents tokenized by the operator, as three batches. */
export async function tokenizedBatches(tokenizer: 'gpt2' | 'cl100k_base' | 'o200k_base' = 'gpt2'): Promise<{
  texts: string[]; batches: RecordBatch[]; backend: TokenizerBackend; eos: number;
}> {
  const texts = realDocs().map((d) => d.text);
  const state = await tokenize.init(parseOptions(tokenize, { tokenizer }));
  const batches: RecordBatch[] = [];
  for (let i = 0; i < texts.length; i += 13) {
    batches.push((await tokenize.apply(state, textBatch(texts.slice(i, i + 13)), noHeartbeat)).batch);
  }
  return { texts, batches, backend: state.backend, eos: state.eos! };
}

export function writerOptions(backend: TokenizerBackend, eos: number, extra: Partial<TokenShardWriterOptions> = {}): TokenShardWriterOptions {
  return { tokenizer: { name: backend.name, hash: backend.hash }, vocabSize: backend.vocabSize, eosId: eos, fingerprint: 'fp-test-1', ...extra };
}
