import { Bool, Field, makeData, Type } from 'apache-arrow';
import type { DataType, RecordBatch } from 'apache-arrow';
import type { FieldSpec } from '../plan/logical-plan.ts';
import { makeBatch } from './batch.ts';
import { parseTypeName } from './schema.ts';
import { Utf8Builder } from './utf8.ts';

/** A row as JSON-like sources give it. */
export type Row = Record<string, unknown>;

/**
 * Infers column types from sample rows, in first-seen column order: all strings → Utf8, all numbers
 * → Float64, all booleans → Bool; mixed kinds, objects and arrays → Utf8 (non-strings stored as JSON
 * text). A column that is null in every sampled row is Utf8, the type most values can take.
 */
export function inferFields(rows: readonly Row[]): FieldSpec[] {
  const kinds = new Map<string, Set<string>>();
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      let s = kinds.get(k);
      if (!s) kinds.set(k, (s = new Set()));
      if (v !== null && v !== undefined) s.add(typeof v === 'object' ? 'json' : typeof v);
    }
  }
  return [...kinds].map(([name, s]) => {
    const only = s.size === 1 ? [...s][0] : undefined;
    return { name, type: only === 'number' ? 'Float64' : only === 'boolean' ? 'Bool' : 'Utf8' };
  });
}

/** A value that does not fit its column's type; sources turn it into a bad record. */
export class RowTypeError extends Error {}

interface ColumnBuilder { append(v: unknown): void; finish(): ReturnType<typeof makeData> }

function builderFor(name: string, type: DataType, rows: number): ColumnBuilder {
  if (type.typeId === Type.Utf8) {
    const b = new Utf8Builder(rows);
    return {
      append: (v) => b.append(v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v)),
      finish: () => b.finish(),
    };
  }
  const valid = new Uint8Array((rows + 7) >> 3);
  let nulls = 0, i = 0;
  const isBool = type instanceof Bool;
  const ArrayType = isBool ? Uint8Array : (type as DataType & { ArrayType: new (n: number) => ArrayLike<number | bigint> }).ArrayType;
  const values = new ArrayType(isBool ? (rows + 7) >> 3 : rows) as unknown as { [k: number]: number | bigint };
  const isBig = type.typeId === Type.Int && (type as unknown as { bitWidth: number }).bitWidth === 64;
  const isInt = type.typeId === Type.Int;
  return {
    append: (v) => {
      if (v === null || v === undefined) { nulls++; i++; return; }
      if (isBool) {
        if (typeof v !== 'boolean') throw new RowTypeError(`column "${name}": expected boolean, got ${JSON.stringify(v)?.slice(0, 40)}`);
        if (v) (values as Uint8Array)[i >> 3]! |= 1 << (i & 7);
      } else {
        if (typeof v !== 'number') throw new RowTypeError(`column "${name}": expected number, got ${JSON.stringify(v)?.slice(0, 40)}`);
        if (isInt && !Number.isInteger(v)) throw new RowTypeError(`column "${name}": expected integer, got ${v}`);
        values[i] = isBig ? BigInt(v) : v;
      }
      valid[i >> 3]! |= 1 << (i & 7);
      i++;
    },
    finish: () => makeData({ type, length: i, nullCount: nulls, nullBitmap: nulls ? valid : undefined, data: values } as never),
  };
}

/**
 * Builds a batch from rows with the given column types. A value that does not fit throws
 * {@link RowTypeError}; use {@link rowFits} first to keep bad rows out.
 */
export function rowsToBatch(rows: readonly Row[], fields: readonly FieldSpec[]): RecordBatch {
  const types = fields.map((f) => parseTypeName(f.type));
  const builders = fields.map((f, k) => builderFor(f.name, types[k]!, rows.length));
  for (const row of rows) for (let k = 0; k < fields.length; k++) builders[k]!.append(row[fields[k]!.name]);
  return makeBatch(fields.map((f, k) => ({ field: new Field(f.name, types[k]!, true), data: builders[k]!.finish() })), rows.length);
}

/** Null when the row's values fit the column types, else the reason they do not. */
export function rowFits(row: Row, fields: readonly FieldSpec[]): string | null {
  for (const f of fields) {
    const v = row[f.name];
    if (v === null || v === undefined || f.type === 'Utf8') continue;
    if (f.type === 'Bool') { if (typeof v !== 'boolean') return `column "${f.name}": expected boolean, got ${JSON.stringify(v)?.slice(0, 40)}`; continue; }
    if (typeof v !== 'number') return `column "${f.name}": expected number, got ${JSON.stringify(v)?.slice(0, 40)}`;
    if (f.type.startsWith('Int') || f.type.startsWith('Uint')) { if (!Number.isInteger(v)) return `column "${f.name}": expected integer, got ${v}`; }
  }
  return null;
}
