import {
  Bool, DataType, Field, Float32, Float64, Int8, Int16, Int32, Int64, makeData, Null, Schema, Uint8, Uint16, Uint32, Utf8, util,
} from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import type { FieldSpec } from '../plan/logical-plan.ts';
import { columnsOf, makeBatch } from './batch.ts';

/** The printed type name used in plans (`Utf8`, `Float64`, ...). */
export function typeName(type: DataType): string { return String(type); }

const NAMED: Record<string, () => DataType> = {
  Utf8: () => new Utf8(), Float64: () => new Float64(), Float32: () => new Float32(),
  Int8: () => new Int8(), Int16: () => new Int16(), Int32: () => new Int32(), Int64: () => new Int64(),
  Uint8: () => new Uint8(), Uint16: () => new Uint16(), Uint32: () => new Uint32(),
  Bool: () => new Bool(), Null: () => new Null(),
};

/** Parses a printed primitive type name back into an Arrow type (the ones JSON-like sources produce). */
export function parseTypeName(name: string): DataType {
  const make = NAMED[name];
  if (!make) throw new Error(`unsupported column type "${name}" (supported: ${Object.keys(NAMED).join(', ')})`);
  return make();
}

/** Field specs of an Arrow schema. */
export function fieldSpecs(schema: Schema): FieldSpec[] {
  return schema.fields.map((f) => ({ name: f.name, type: typeName(f.type) }));
}

/**
 * Unifies schemas by column name in first-seen order. A column missing from some schema, or of
 * type Null in some, becomes nullable; two different non-null types for one name are an error.
 */
export function unifySchemas(schemas: readonly Schema[]): Schema {
  const order: string[] = [];
  const fields = new Map<string, Field>();
  const seen = new Map<string, number>();
  for (const s of schemas) {
    for (const f of s.fields) {
      seen.set(f.name, (seen.get(f.name) ?? 0) + 1);
      const prev = fields.get(f.name);
      if (!prev) { order.push(f.name); fields.set(f.name, f); continue; }
      if (util.compareTypes(prev.type, f.type)) {
        if (f.nullable && !prev.nullable) fields.set(f.name, prev.clone({ nullable: true }));
      } else if (DataType.isNull(prev.type)) {
        fields.set(f.name, f.clone({ nullable: true }));
      } else if (DataType.isNull(f.type)) {
        fields.set(f.name, prev.clone({ nullable: true }));
      } else {
        throw new Error(`column "${f.name}" has conflicting types ${typeName(prev.type)} and ${typeName(f.type)}`);
      }
    }
  }
  return new Schema(order.map((n) => {
    const f = fields.get(n)!;
    return seen.get(n)! < schemas.length && !f.nullable ? f.clone({ nullable: true }) : f;
  }));
}

/** Reorders a batch's columns to `schema`, filling missing columns with nulls. */
export function conformBatch(batch: RecordBatch, schema: Schema): RecordBatch {
  const byName = new Map(columnsOf(batch).map((c) => [c.field.name, c.data]));
  return makeBatch(schema.fields.map((field) => {
    const data = byName.get(field.name);
    if (data && util.compareTypes(data.type, field.type)) return { field, data };
    if (data && !DataType.isNull(data.type)) {
      throw new Error(`column "${field.name}" is ${typeName(data.type)}, expected ${typeName(field.type)}`);
    }
    return { field, data: nullData(field.type, batch.numRows) };
  }), batch.numRows);
}

/** An all-null column of the given type. */
export function nullData(type: DataType, length: number) {
  if (type instanceof Null) return makeData({ type, length });
  const bitmap = new Uint8Array((length + 7) >> 3);
  if (type instanceof Utf8) {
    return makeData({ type, length, nullCount: length, nullBitmap: bitmap, valueOffsets: new Int32Array(length + 1), data: new Uint8Array(0) });
  }
  if (type instanceof Bool) return makeData({ type, length, nullCount: length, nullBitmap: bitmap, data: new Uint8Array(bitmap.length) });
  const ArrayType = (type as DataType & { ArrayType: new (n: number) => ArrayLike<number> }).ArrayType;
  return makeData({ type, length, nullCount: length, nullBitmap: bitmap, data: new ArrayType(length) } as never);
}

export { Field, Schema };
