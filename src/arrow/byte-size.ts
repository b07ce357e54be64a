import { Type, type Data, type RecordBatch } from 'apache-arrow';
import { columnsOf, takeData } from './batch.ts';

/** Estimated in-memory bytes of a batch's visible rows (values + offsets), used for stats. */
export function batchByteSize(batch: RecordBatch): number {
  let bytes = 0;
  for (const d of batch.data.children) bytes += dataByteSize(d);
  return bytes;
}

/**
 * What {@link batchByteSize} would count for the named columns after keeping only `rows`, without
 * gathering them: for columns dropped before a filter compacts the batch, whose bytes still count.
 */
export function rowsByteSize(batch: RecordBatch, names: readonly string[], rows: Int32Array): number {
  let bytes = 0;
  for (const { field, data: d } of columnsOf(batch)) {
    if (!names.includes(field.name)) continue;
    if (d.typeId === Type.Utf8 || d.typeId === Type.Binary) {
      const o = d.valueOffsets as Int32Array;
      for (let j = 0; j < rows.length; j++) bytes += o[rows[j]! + 1]! - o[rows[j]!]!;
      bytes += 4 * rows.length;
    } else {
      bytes += dataByteSize(takeData(d, rows));
    }
  }
  return bytes;
}

function dataByteSize(d: Data): number {
  if (d.typeId === Type.Utf8 || d.typeId === Type.Binary) {
    const o = d.valueOffsets as Int32Array;
    return (o[d.length]! - o[0]!) + 4 * d.length;
  }
  if (d.typeId === Type.Bool) return (d.length + 7) >> 3;
  if (d.values) return d.length * d.stride * (d.values as Uint8Array).BYTES_PER_ELEMENT;
  let sum = 0;
  for (const c of d.children) sum += dataByteSize(c);
  return sum;
}
