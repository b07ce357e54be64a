import { Float64, makeData, Type } from 'apache-arrow';
import type { Data, RecordBatch } from 'apache-arrow';
import { utf8Parts } from '../../arrow/utf8.ts';

/**
 * Reads a Utf8 column of `batch` row by row, decoding a row only when asked for it; nulls read as
 * `''` because every text filter treats a missing text like an empty one. The error names the
 * operator and the columns present, since a wrong `column` option is the usual cause.
 */
export function textColumnReader(batch: RecordBatch, column: string, operator: string): (row: number) => string {
  const at = batch.schema.fields.findIndex((f) => f.name === column);
  if (at < 0) {
    const names = batch.schema.fields.map((f) => f.name).join(', ');
    throw new Error(`${operator}: input has no column "${column}" (columns: ${names || 'none'})`);
  }
  const data = batch.data.children[at]!;
  if (data.typeId !== Type.Utf8) {
    throw new Error(`${operator}: column "${column}" must be Utf8, got ${String(data.type)}`);
  }
  const { offsets, bytes, valid } = utf8Parts(data);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (row) => (valid && !valid[row] ? '' : buf.toString('utf8', offsets[row]!, offsets[row + 1]!));
}

/** Decodes a Utf8 column of `batch` once into JS strings (see {@link textColumnReader}). */
export function readTextColumn(batch: RecordBatch, column: string, operator: string): string[] {
  const read = textColumnReader(batch, column, operator);
  const out = new Array<string>(batch.numRows);
  for (let i = 0; i < out.length; i++) out[i] = read(i);
  return out;
}

/** A non-null Float64 column over `values` (no copy). */
export function float64Column(values: Float64Array): Data<Float64> {
  return makeData({ type: new Float64(), length: values.length, nullCount: 0, data: values });
}
