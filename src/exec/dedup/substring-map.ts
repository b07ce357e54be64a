import type { RecordBatch } from 'apache-arrow';
import { Type } from 'apache-arrow';
import { decodeUtf8, utf8Parts } from '../../arrow/utf8.ts';
import { HASH_WORDS, windowHashes } from '../../ops/dedup/substrings-hash.ts';
import { SubstringDedupOptions } from '../../ops/dedup/substrings-options.ts';
import { recordPartition, WindowRecords, wordsToBytes } from '../../ops/dedup/substrings-records.ts';
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
 * with a null text, has no windows. Memory: one piece's records, 24 bytes per token of the piece
 * (so `--batch-size` bounds it: 1,024 web documents of ~1,000 tokens hold ~25 MB).
 */
export function substringMapOf(stage: PhysicalStage, consumer: PhysicalStage): {
  write(store: BlobStore, partition: number, seq: number, outputs: readonly RecordBatch[], firstRow: number): Promise<void>;
} {
  const o = SubstringDedupOptions.parse(dedupSpecOf(consumer).options);
  const k = bandPartitionsOf(consumer);
  return {
    async write(store, partition, seq, outputs, firstRow) {
      const backend = await loadTokenizer(o.tokenizer);
      const parts = Array.from({ length: k }, () => new WindowRecords());
      let at = firstRow;
      for (const b of outputs) {
        const texts = textsOf(b, o.column);
        for (let i = 0; i < texts.length; i++) {
          const t = texts[i];
          if (!t) continue;
          const hashes = windowHashes(backend.encodeOrdinary(t), o.minTokens);
          for (let s = 0; s < hashes.length / HASH_WORDS; s++) parts[recordPartition(hashes[s * HASH_WORDS]!, k)]!.pushWindow(hashes, s, at + i);
        }
        at += b.numRows;
      }
      for (let i = 0; i < k; i++) {
        if (parts[i]!.length) await store.put(dedupKeys.records(stage.id, partition, seq, i), wordsToBytes(parts[i]!.view()));
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
