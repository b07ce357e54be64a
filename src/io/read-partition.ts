import type { RecordBatch } from 'apache-arrow';
import { concatBatches } from '../arrow/batch.ts';
import { batchByteSize } from '../arrow/byte-size.ts';
import type { SourceSpec } from '../plan/logical-plan.ts';
import type { PartitionSpec } from '../plan/physical-plan.ts';
import type { ReadItem, ReadRequest } from './source.ts';
import { readerReason } from './limits.ts';
import { getReader } from './sources.ts';

/** A joined batch stops growing at this many bytes, so many small files never make one huge batch. */
const MAX_JOINED_BATCH_BYTES = 64 << 20;

/**
 * Streams one scan partition. A coalesced partition (`inputs`) reads its splits one after another
 * in input order, and joins the small batches that split ends leave (a file of 60 records is one
 * short batch) into batches of up to `batchSize` rows when their columns agree: a task's commits,
 * output pieces and dedup band files then follow rows, not input files. Bad and skipped records
 * pass through as they come, a bad record's reason prefixed with the reader's name (`jsonl: …`).
 * The joining depends only on the splits and the batch size, so a resumed task sees the same batches.
 */
export async function* readPartition(source: SourceSpec, partition: PartitionSpec, request: ReadRequest): AsyncGenerator<ReadItem> {
  for await (const item of readSplits(source, partition, request)) {
    yield 'bad' in item ? { bad: { ...item.bad, reason: readerReason(source.format, item.bad.reason) } } : item;
  }
}

async function* readSplits(source: SourceSpec, partition: PartitionSpec, request: ReadRequest): AsyncGenerator<ReadItem> {
  const reader = getReader(source.format);
  if (!partition.inputs) {
    yield* reader.read(source, partition, request);
    return;
  }
  let pending: RecordBatch[] = [];
  let rows = 0, bytes = 0;
  const flush = (): ReadItem[] => {
    if (!pending.length) return [];
    const batch = concatBatches(pending);
    pending = []; rows = 0; bytes = 0;
    return [{ batch }];
  };
  for (const input of partition.inputs) {
    for await (const item of reader.read(source, { ...input, index: partition.index }, request)) {
      if (!('batch' in item)) { yield item; continue; }
      const b = item.batch;
      const size = batchByteSize(b);
      const fits = pending.length > 0 && sameColumns(pending[0]!, b) && rows + b.numRows <= request.batchSize && bytes + size <= MAX_JOINED_BATCH_BYTES;
      if (!fits) yield* flush();
      pending.push(b);
      rows += b.numRows;
      bytes += size;
    }
  }
  yield* flush();
}

function sameColumns(a: RecordBatch, b: RecordBatch): boolean {
  const fa = a.schema.fields, fb = b.schema.fields;
  return fa.length === fb.length && fa.every((f, i) => f.name === fb[i]!.name && f.typeId === fb[i]!.typeId && String(f.type) === String(fb[i]!.type));
}
