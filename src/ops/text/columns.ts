import { Float64, makeData, Type } from 'apache-arrow';
import type { Data, RecordBatch } from 'apache-arrow';
import { utf8Parts } from '../../arrow/utf8.ts';

/**
 * The parts of Utf8 column `column` of `batch`. The error names the operator and the columns
 * present, since a wrong `column` option is the usual cause.
 */
function utf8Column(batch: RecordBatch, column: string, operator: string): { offsets: Int32Array; buf: Buffer; valid: Uint8Array | null } {
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
  return { offsets, buf: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), valid };
}

/**
 * Reads a Utf8 column of `batch` row by row, decoding a row only when asked for it; nulls read as
 * `''` because every text filter treats a missing text like an empty one.
 */
export function textColumnReader(batch: RecordBatch, column: string, operator: string): (row: number) => string {
  const { offsets, buf, valid } = utf8Column(batch, column, operator);
  return (row) => (valid && !valid[row] ? '' : buf.toString('utf8', offsets[row]!, offsets[row + 1]!));
}

/** Reads a Utf8 column of `batch` row by row as views of its UTF-8 bytes (no copy, no decoding); nulls read as empty. */
export function utf8ColumnReader(batch: RecordBatch, column: string, operator: string): (row: number) => Buffer {
  const { offsets, buf, valid } = utf8Column(batch, column, operator);
  return (row) => (valid && !valid[row] ? buf.subarray(0, 0) : buf.subarray(offsets[row]!, offsets[row + 1]!));
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
