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
 * arrow's IPC writer cannot write two columns whose buffers overlap in memory (the same typed array,
 * or two views of one region): `select(a, a AS z)` (a column reference is not copied) or two
 * broadcasts of one cached constant wrote a body shorter than its metadata, or read back garbage
 * (2.1e-314). Views of disjoint regions of one ArrayBuffer (batches read from IPC) are fine. A
 * column overlapping one written before it is copied first.
 */
function unshareBuffers(batch: RecordBatch): RecordBatch {
  const seen = new Map<ArrayBufferLike, [number, number][]>();
  const overlaps = (v: ArrayBufferView): boolean =>
    (seen.get(v.buffer) ?? []).some(([s, e]) => v.byteOffset < e && s < v.byteOffset + v.byteLength);
  const remember = (d: Data): void => {
    for (const v of viewsOf(d)) {
      const ranges = seen.get(v.buffer) ?? [];
      ranges.push([v.byteOffset, v.byteOffset + v.byteLength]);
      seen.set(v.buffer, ranges);
    }
  };
  let shared = false;
  const children = batch.data.children.map((d) => {
    if (!viewsOf(d).some(overlaps)) { remember(d); return d; }
    shared = true;
    const copy = takeData(d, Int32Array.from({ length: d.length }, (_, i) => i));
    remember(copy);
    return copy;
  });
  if (!shared) return batch;
  return makeBatch(batch.schema.fields.map((field, i) => ({ field, data: children[i]! })), batch.numRows);
}

function viewsOf(d: Data): ArrayBufferView[] {
  const own = [d.values, d.valueOffsets, d.nullBitmap].filter((v): v is ArrayBufferView => ArrayBuffer.isView(v) && v.byteLength > 0);
  return d.children.length ? [...own, ...d.children.flatMap(viewsOf)] : own;
}

/** Decodes an IPC stream back into batches. */
export function fromIpc(bytes: Uint8Array): RecordBatch[] {
  return [...RecordBatchReader.from(bytes)];
}
