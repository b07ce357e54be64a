import { RecordBatchReader, RecordBatchStreamWriter, type Data, type RecordBatch } from 'apache-arrow';
import { makeBatch, takeData } from './batch.ts';

/**
 * Arrow IPC stream bytes of the batches: the format of committed pieces and of what crosses
 * threads (moved in the transfer list, never structured-cloned).
 */
export function toIpc(batches: readonly RecordBatch[]): Uint8Array {
  if (batches.length === 0) throw new Error('toIpc needs at least one batch (the schema comes from it)');
  const writer = new RecordBatchStreamWriter();
  for (const b of batches) writer.write(unshareBuffers(b));
  writer.finish();
  return writer.toUint8Array(true);
}

/**
 * arrow's IPC writer cannot write two columns that share a buffer object: `select(a, a AS z)`
 * (a column reference is not copied) wrote a body shorter than its metadata, or `z` read back as
 * garbage. A column whose buffers were already written by an earlier column is copied first.
 */
function unshareBuffers(batch: RecordBatch): RecordBatch {
  const seen = new Set<unknown>();
  let shared = false;
  const children = batch.data.children.map((d) => {
    if (!buffersOf(d).some((x) => seen.has(x))) {
      for (const x of buffersOf(d)) seen.add(x);
      return d;
    }
    shared = true;
    const copy = takeData(d, Int32Array.from({ length: d.length }, (_, i) => i));
    for (const x of buffersOf(copy)) seen.add(x);
    return copy;
  });
  if (!shared) return batch;
  return makeBatch(batch.schema.fields.map((field, i) => ({ field, data: children[i]! })), batch.numRows);
}

function buffersOf(d: Data): unknown[] {
  const own = [d.values, d.valueOffsets, d.nullBitmap].filter((x) => x !== undefined && x !== null && x.length > 0);
  return d.children.length ? [...own, ...d.children.flatMap(buffersOf)] : own;
}

/** Decodes an IPC stream back into batches. */
export function fromIpc(bytes: Uint8Array): RecordBatch[] {
  return [...RecordBatchReader.from(bytes)];
}
