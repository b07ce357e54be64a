import { Table, type RecordBatch } from 'apache-arrow';
import { conformBatch, unifySchemas } from '../../arrow/schema.ts';
import { fromIpc } from '../../arrow/ipc.ts';
import type { PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { finalCheckpoint, limitCuts } from '../state/committed.ts';
import { keys } from '../state/layout.ts';

/** The first `keep` rows of a committed task's output, in piece order. */
export async function committedRows(store: BlobStore, stage: PhysicalStage, partition: number, keep = Infinity): Promise<RecordBatch[]> {
  const ck = await finalCheckpoint(store, stage, partition);
  const out: RecordBatch[] = [];
  let remaining = keep;
  for (const piece of ck.pieces) {
    if (!piece.stored) continue;
    for (const b of fromIpc(await store.getBytes(keys.piece(stage.id, partition, piece.seq)))) {
      const batch = b.numRows > remaining ? b.slice(0, Math.max(remaining, 0)) : b;
      remaining -= batch.numRows;
      out.push(batch);
    }
  }
  return out;
}

/**
 * The rows of a `result` stage in partition order, cut to its global limit: from memory where a
 * pool thread sent them back, else from the store.
 */
export async function resultBatches(store: BlobStore, stage: PhysicalStage, parts: ReadonlyMap<number, RecordBatch[]>): Promise<RecordBatch[]> {
  const cuts = await limitCuts(stage, store);
  const all: RecordBatch[] = [];
  for (const p of stage.partitions) {
    const batches = parts.get(p.index) ?? await committedRows(store, stage, p.index);
    let remaining = cuts[p.index]!;
    for (const b of batches) {
      if (remaining <= 0) break;
      all.push(b.numRows > remaining ? b.slice(0, remaining) : b);
      remaining -= b.numRows;
    }
  }
  return all;
}

/**
 * The rows as one Table: empty batches dropped (an all-empty result keeps the first batch's
 * schema), and partitions whose inferred column types differ conformed to one schema.
 */
export function resultTable(batches: RecordBatch[]): Table {
  const rows = batches.filter((b) => b.numRows > 0);
  if (!rows.length) return batches.length ? new Table(batches[0]!.schema) : new Table();
  const schema = unifySchemas(rows.map((b) => b.schema));
  return new Table(schema, rows.map((b) => conformBatch(b, schema)));
}
