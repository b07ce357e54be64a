import type { RecordBatch } from 'apache-arrow';
import { Type } from 'apache-arrow';
import { decodeUtf8, utf8Parts } from '../../arrow/utf8.ts';
import { windowHashes } from '../../ops/dedup/substrings-hash.ts';
import { SubstringDedupOptions } from '../../ops/dedup/substrings-options.ts';
import { partitionWindowRecords, WindowRecords, wordsToBytes } from '../../ops/dedup/substrings-records.ts';
import { loadTokenizer } from '../../ops/tokenize/backend.ts';
import type { PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { dedupKeys } from './layout.ts';
import { bandPartitionsOf, dedupSpecOf } from './strategy.ts';

/**
 * The map side of exact-substring dedup, fused into the stage before the cut like band records:
 * every committed piece also gets, per document, the hashes of its `minTokens`-token windows
 * (document = row position in the task's output, plus the window's token position), split by hash
 * range into the consumer's K bucket partitions. A document shorter than `minTokens` tokens, or
 * with a null text, has no windows.
 */
export function substringMapOf(stage: PhysicalStage, consumer: PhysicalStage): {
  write(store: BlobStore, partition: number, seq: number, outputs: readonly RecordBatch[], firstRow: number): Promise<void>;
} {
  const o = SubstringDedupOptions.parse(dedupSpecOf(consumer).options);
  const k = bandPartitionsOf(consumer);
  return {
    async write(store, partition, seq, outputs, firstRow) {
      const backend = await loadTokenizer(o.tokenizer);
      const records = new WindowRecords();
      let at = firstRow;
      for (const b of outputs) {
        const texts = textsOf(b, o.column);
        for (let i = 0; i < texts.length; i++) {
          const t = texts[i];
          if (t) records.pushDocument(windowHashes(backend.encodeOrdinary(t), o.minTokens), at + i);
        }
        at += b.numRows;
      }
      if (!records.length) return;
      const split = partitionWindowRecords(records.view(), k);
      for (let i = 0; i < k; i++) {
        if (split[i]!.length) await store.put(dedupKeys.records(stage.id, partition, seq, i), wordsToBytes(split[i]!));
      }
    },
  };
}

function textsOf(batch: RecordBatch, column: string): (string | null)[] {
  const at = batch.schema.fields.findIndex((f) => f.name === column);
  if (at < 0) throw new Error(`substring dedup: column "${column}" is not in the data (columns: ${batch.schema.fields.map((f) => f.name).join(', ')})`);
  const data = batch.data.children[at]!;
  if (data.typeId !== Type.Utf8) throw new Error(`substring dedup: column "${column}" must be a string column, it is ${String(data.type)}`);
  return decodeUtf8(utf8Parts(data));
}
