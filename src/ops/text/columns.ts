import { Float64, makeData, Type } from 'apache-arrow';
import type { Data, RecordBatch } from 'apache-arrow';
import { decodeUtf8, utf8Parts } from '../../arrow/utf8.ts';

/**
 * Decodes a Utf8 column of `batch` once into JS strings; nulls become `''` because every text
 * filter treats a missing text like an empty one. The error names the operator and the columns
 * present, since a wrong `column` option is the usual cause.
 */
export function readTextColumn(batch: RecordBatch, column: string, operator: string): string[] {
  const at = batch.schema.fields.findIndex((f) => f.name === column);
  if (at < 0) {
    const names = batch.schema.fields.map((f) => f.name).join(', ');
    throw new Error(`${operator}: input has no column "${column}" (columns: ${names || 'none'})`);
  }
  const data = batch.data.children[at]!;
  if (data.typeId !== Type.Utf8) {
    throw new Error(`${operator}: column "${column}" must be Utf8, got ${String(data.type)}`);
  }
  const values = decodeUtf8(utf8Parts(data));
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] ?? '';
  return out;
}

/** A non-null Float64 column over `values` (no copy). */
export function float64Column(values: Float64Array): Data<Float64> {
  return makeData({ type: new Float64(), length: values.length, nullCount: 0, data: values });
}
