import type { RecordBatch } from 'apache-arrow';
import { encodeRecords } from '../../ops/dedup/codec.ts';
import { concatRecords, partitionRecords, type BandRecords } from '../../ops/dedup/lsh.ts';
import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { dedupKeys } from './layout.ts';
import { bandPartitionsOf, dedupConsumerOf, dedupRuntime, dedupSpecOf } from './strategy.ts';
import { substringMapOf } from './substring-map.ts';
import { isUrlNewest, urlNewestMapOf } from './url-newest.ts';

/**
 * The map side of a dedup, fused into the stage before the cut: every committed piece of a task's
 * output also gets its band records (signatures or keys), range-partitioned by band hash, written
 * before the piece's checkpoint, so a resumed task rewrites exactly what a killed one left. A
 * record's doc is the row's position in the task's output; the bucket phase adds the partition's
 * offset to make it a global input ordinal.
 */
export interface DedupMap {
  write(store: BlobStore, partition: number, seq: number, outputs: readonly RecordBatch[], firstRow: number): Promise<void>;
}

export function dedupMapOf(plan: PhysicalPlan, stage: PhysicalStage): DedupMap | undefined {
  const consumer = dedupConsumerOf(plan, stage);
  if (!consumer) return undefined;
  if (dedupSpecOf(consumer).strategy === 'substrings') return substringMapOf(stage, consumer);
  if (isUrlNewest(dedupSpecOf(consumer))) return urlNewestMapOf(stage, consumer);
  const runtime = dedupRuntime(dedupSpecOf(consumer));
  const k = bandPartitionsOf(consumer);
  return {
    async write(store, partition, seq, outputs, firstRow) {
      const parts: BandRecords[] = [];
      let at = firstRow;
      for (const b of outputs) {
        if (b.numRows) parts.push(runtime.records(b, at));
        at += b.numRows;
      }
      if (!parts.length) return;
      const split = partitionRecords(parts.length === 1 ? parts[0]! : concatRecords(parts), k);
      for (let i = 0; i < k; i++) {
        if (split[i]!.length) await store.put(dedupKeys.records(stage.id, partition, seq, i), encodeRecords(split[i]!));
      }
    },
  };
}
