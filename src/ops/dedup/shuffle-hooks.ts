import type { RecordBatch } from 'apache-arrow';
import { registerShuffle } from '../../exec/shuffle.ts';
import type { WideStep } from '../../planner/physical-plan.ts';
import { exactKeys, urlKeys } from './keys.ts';
import { bandPartition } from './lsh.ts';

/**
 * Shuffle hooks for the row-level dedup strategies: every row goes to the partition of its key's
 * hash range, so all rows with equal keys meet in one partition and keep-first (smallest
 * DOC_FILE, DOC_POS) is decided there without a global step. Rows without a key (null/empty) all
 * go to partition 0 and are never duplicates. MinHash is not row-level (one row feeds B band
 * partitions) and needs the multi-step flow described in index.ts.
 */
function column(batch: RecordBatch, wide: WideStep, fallback: string): (string | null)[] {
  const name = wide.kind === 'dedup' && typeof wide.dedup.options.column === 'string' ? wide.dedup.options.column : fallback;
  const vec = batch.getChild(name);
  if (!vec) throw new Error(`dedup: column "${name}" is not in the batch (columns: ${batch.schema.fields.map((f) => f.name).join(', ')})`);
  return Array.from({ length: batch.numRows }, (_, i) => {
    const v: unknown = vec.get(i);
    return typeof v === 'string' ? v : null;
  });
}

function partitionsOf(keys: { keys: Uint32Array; valid: Uint8Array }, n: number): Uint32Array {
  const out = new Uint32Array(keys.valid.length);
  for (let i = 0; i < out.length; i++) out[i] = keys.valid[i] ? bandPartition(keys.keys[2 * i]!, n) : 0;
  return out;
}

registerShuffle('dedup:exact', { bucketOf: (batch, wide, n) => partitionsOf(exactKeys(column(batch, wide, 'text')), n) });
registerShuffle('dedup:url', { bucketOf: (batch, wide, n) => partitionsOf(urlKeys(column(batch, wide, 'url')), n) });
