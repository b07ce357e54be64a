import {
  DataType, Field, makeData, makeVector, RecordBatch, Schema, Struct, Type, vectorFromArray,
} from 'apache-arrow';
import type { Data, Vector } from 'apache-arrow';

/** A column to put into a batch: a Vector (single chunk) or a Data. */
export type ColumnLike = Vector | Data;

function toData(c: ColumnLike): Data {
  if ('data' in c && Array.isArray((c as Vector).data)) {
    const v = c as Vector;
    if (v.data.length === 1) return v.data[0]!;
    return concatData(v.data as Data[], v.type);
  }
  return c as Data;
}

/** Builds a batch from named columns; `length` is required so zero-column batches keep their row count. */
export function makeBatch(columns: ReadonlyArray<{ field: Field; data: ColumnLike }>, length: number): RecordBatch {
  const fields = columns.map((c) => c.field);
  const children = columns.map((c) => {
    const d = toData(c.data);
    if (d.length !== length) throw new Error(`column "${c.field.name}" has ${d.length} rows, batch has ${length}`);
    return d;
  });
  const schema = new Schema(fields);
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children }));
}

/** The batch's columns as fields + data, in schema order. */
export function columnsOf(batch: RecordBatch): { field: Field; data: Data }[] {
  return batch.schema.fields.map((field, i) => ({ field, data: batch.data.children[i]! }));
}

/** Adds a column, or replaces the column of the same name in place (keeping its position). */
export function setColumn(batch: RecordBatch, name: string, column: ColumnLike, nullable = true): RecordBatch {
  const data = toData(column);
  const field = new Field(name, data.type, nullable || data.nullCount > 0);
  const cols = columnsOf(batch);
  const at = cols.findIndex((c) => c.field.name === name);
  if (at >= 0) cols[at] = { field, data };
  else cols.push({ field, data });
  return makeBatch(cols, batch.numRows);
}

/** Removes the named columns (names not present are ignored). */
export function dropColumns(batch: RecordBatch, names: readonly string[]): RecordBatch {
  const drop = new Set(names);
  return makeBatch(columnsOf(batch).filter((c) => !drop.has(c.field.name)), batch.numRows);
}

/** Keeps exactly the named columns, in the given order; a missing name is an error naming the columns present. */
export function selectColumns(batch: RecordBatch, names: readonly string[]): RecordBatch {
  const cols = columnsOf(batch);
  const byName = new Map(cols.map((c) => [c.field.name, c]));
  return makeBatch(names.map((n) => {
    const c = byName.get(n);
    if (!c) throw new Error(`unknown column "${n}" (available: ${cols.map((x) => x.field.name).join(', ')})`);
    return c;
  }), batch.numRows);
}

/** Indices of the rows whose mask byte is non-zero. */
export function maskToIndices(mask: Uint8Array): Int32Array {
  const out = new Int32Array(mask.length);
  let j = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) out[j++] = i;
  return out.subarray(0, j);
}

/** Keeps the rows whose mask byte is non-zero, in order. */
export function filterBatch(batch: RecordBatch, mask: Uint8Array): RecordBatch {
  if (mask.length !== batch.numRows) throw new Error(`mask has ${mask.length} rows, batch has ${batch.numRows}`);
  const idx = maskToIndices(mask);
  if (idx.length === batch.numRows) return batch;
  if (idx.length > 0 && idx[idx.length - 1]! - idx[0]! === idx.length - 1) return batch.slice(idx[0]!, idx[0]! + idx.length);
  return takeBatch(batch, idx);
}

/** Gathers rows by index (indices may repeat or reorder). */
export function takeBatch(batch: RecordBatch, indices: Int32Array): RecordBatch {
  return makeBatch(columnsOf(batch).map((c) => ({ field: c.field, data: takeData(c.data, indices) })), indices.length);
}

function bitGet(bm: Uint8Array, i: number): number { return (bm[i >> 3]! >> (i & 7)) & 1; }

function takeValidity(data: Data, indices: Int32Array): { nullBitmap?: Uint8Array; nullCount: number } {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return { nullCount: 0 };
  const bm = data.nullBitmap;
  const out = new Uint8Array((indices.length + 7) >> 3);
  let nulls = 0;
  for (let j = 0; j < indices.length; j++) {
    if (bitGet(bm, data.offset + indices[j]!)) out[j >> 3]! |= 1 << (j & 7);
    else nulls++;
  }
  return nulls ? { nullBitmap: out, nullCount: nulls } : { nullCount: 0 };
}

/** Gathers values of one column by index; typed fast paths for primitives, Bool, Utf8/Binary, Dictionary. */
export function takeData(data: Data, indices: Int32Array): Data {
  const type = data.type as DataType;
  const n = indices.length;
  const v = takeValidity(data, indices);
  switch (data.typeId) {
    case Type.Null:
      return makeData({ type, length: n } as never);
    case Type.Bool: {
      const out = new Uint8Array((n + 7) >> 3);
      const src = data.values as Uint8Array;
      for (let j = 0; j < n; j++) if (bitGet(src, data.offset + indices[j]!)) out[j >> 3]! |= 1 << (j & 7);
      return makeData({ type, length: n, data: out, ...v } as never);
    }
    case Type.Utf8: case Type.Binary: {
      const offs = data.valueOffsets as Int32Array;
      const src = data.values as Uint8Array;
      let total = 0;
      for (let j = 0; j < n; j++) { const i = indices[j]!; total += offs[i + 1]! - offs[i]!; }
      const bytes = new Uint8Array(total);
      const outOffs = new Int32Array(n + 1);
      let pos = 0;
      for (let j = 0; j < n; j++) {
        const i = indices[j]!;
        const s = offs[i]!, e = offs[i + 1]!;
        if (e > s) bytes.set(src.subarray(s, e), pos);
        pos += e - s;
        outOffs[j + 1] = pos;
      }
      return makeData({ type, length: n, valueOffsets: outOffs, data: bytes, ...v } as never);
    }
    case Type.Dictionary: {
      const keys = data.values as Int32Array;
      const out = new (keys.constructor as Int32ArrayConstructor)(n);
      for (let j = 0; j < n; j++) out[j] = keys[indices[j]!]!;
      return makeData({ type, length: n, data: out, dictionary: data.dictionary, ...v } as never);
    }
    case Type.Int: case Type.Float: case Type.Date: case Type.Time: case Type.Timestamp:
    case Type.Duration: case Type.Decimal: case Type.FixedSizeBinary: case Type.Interval: {
      return makeData({ type, length: n, data: gather(data.values as unknown as TypedArray, data.stride, indices), ...v } as never);
    }
    default: {
      // Nested and rare types: correctness over speed.
      const vec = makeVector(data);
      const values = Array.from(indices, (i) => vec.get(i));
      return vectorFromArray(values, type).data[0]!;
    }
  }
}

type TypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/** Gathers fixed-width values; the common types get their own loop so each stays monomorphic. */
function gather(src: TypedArray, stride: number, indices: Int32Array): TypedArray {
  const n = indices.length;
  if (stride === 1) {
    if (src instanceof Float64Array) { const o = new Float64Array(n); for (let j = 0; j < n; j++) o[j] = src[indices[j]!]!; return o; }
    if (src instanceof Int32Array) { const o = new Int32Array(n); for (let j = 0; j < n; j++) o[j] = src[indices[j]!]!; return o; }
    if (src instanceof BigInt64Array) { const o = new BigInt64Array(n); for (let j = 0; j < n; j++) o[j] = src[indices[j]!]!; return o; }
  }
  const out = new (src.constructor as new (n: number) => TypedArray)(n * stride) as unknown as { [i: number]: number | bigint };
  const s = src as unknown as ArrayLike<number | bigint>;
  for (let j = 0; j < n; j++) for (let k = 0; k < stride; k++) out[j * stride + k] = s[indices[j]! * stride + k]!;
  return out as unknown as TypedArray;
}

/** Concatenates column chunks of one type into a single Data. */
export function concatData(parts: readonly Data[], type: DataType = parts[0]!.type): Data {
  if (parts.length === 1) return parts[0]!;
  let total = 0;
  const starts: number[] = [];
  for (const p of parts) { starts.push(total); total += p.length; }
  // Gather through a virtual index space: reuse takeData per part and stitch, which keeps one code path.
  if (parts.length === 0) return makeData({ type, length: 0 } as never);
  const pieces = parts.map((p) => takeData(p, identity(p.length)));
  return stitch(pieces, type, total);
}

const identityCache: Int32Array[] = [];
function identity(n: number): Int32Array {
  const cached = identityCache[0];
  if (cached && cached.length >= n) return cached.subarray(0, n);
  const a = new Int32Array(Math.max(n, 1024));
  for (let i = 0; i < a.length; i++) a[i] = i;
  identityCache[0] = a;
  return a.subarray(0, n);
}

/** Joins pieces that start at offset 0 (fresh from takeData) into one Data. */
function stitch(pieces: Data[], type: DataType, total: number): Data {
  let nullCount = 0;
  for (const p of pieces) nullCount += p.nullCount;
  let nullBitmap: Uint8Array | undefined;
  if (nullCount > 0) {
    nullBitmap = new Uint8Array((total + 7) >> 3);
    let row = 0;
    for (const p of pieces) {
      const bm = p.nullBitmap;
      for (let i = 0; i < p.length; i++, row++) {
        if (!bm || bm.length === 0 || bitGet(bm, i)) nullBitmap[row >> 3]! |= 1 << (row & 7);
      }
    }
  }
  const nb = nullBitmap ? { nullBitmap, nullCount } : { nullCount: 0 };
  switch (type.typeId) {
    case Type.Null: return makeData({ type, length: total } as never);
    case Type.Bool: {
      const out = new Uint8Array((total + 7) >> 3);
      let row = 0;
      for (const p of pieces) for (let i = 0; i < p.length; i++, row++) if (bitGet(p.values as Uint8Array, i)) out[row >> 3]! |= 1 << (row & 7);
      return makeData({ type, length: total, data: out, ...nb } as never);
    }
    case Type.Utf8: case Type.Binary: {
      let bytesTotal = 0;
      for (const p of pieces) bytesTotal += (p.values as Uint8Array).length;
      const bytes = new Uint8Array(bytesTotal);
      const offs = new Int32Array(total + 1);
      let row = 0, base = 0;
      for (const p of pieces) {
        const po = p.valueOffsets as Int32Array;
        bytes.set(p.values as Uint8Array, base);
        for (let i = 0; i < p.length; i++) offs[++row] = base + po[i + 1]!;
        base += (p.values as Uint8Array).length;
      }
      return makeData({ type, length: total, valueOffsets: offs, data: bytes, ...nb } as never);
    }
    case Type.Int: case Type.Float: case Type.Date: case Type.Time: case Type.Timestamp:
    case Type.Duration: case Type.Decimal: case Type.FixedSizeBinary: case Type.Interval: case Type.Dictionary: {
      if (type.typeId === Type.Dictionary && pieces.some((p) => p.dictionary !== pieces[0]!.dictionary)) break;
      const first = pieces[0]!.values as unknown as { constructor: new (n: number) => { set(a: ArrayLike<number | bigint>, o: number): void } };
      const stride = pieces[0]!.stride;
      const out = new first.constructor(total * stride);
      let at = 0;
      for (const p of pieces) { out.set(p.values as unknown as ArrayLike<number>, at); at += p.length * stride; }
      return makeData({ type, length: total, data: out, dictionary: pieces[0]!.dictionary, ...nb } as never);
    }
    default: break;
  }
  const values: unknown[] = [];
  for (const p of pieces) { const v = makeVector(p); for (let i = 0; i < p.length; i++) values.push(v.get(i)); }
  return vectorFromArray(values, type).data[0]!;
}

/** An empty batch with the given schema. */
export function emptyBatch(schema: Schema): RecordBatch {
  return makeBatch(schema.fields.map((field) => ({ field, data: makeVector(vectorFromArray([], field.type)).data[0]! })), 0);
}

export { Field, Schema };

/**
 * Concatenates batches into one. Schemas must agree on column names and types (use
 * `conformBatch` from schema.ts first when they may differ).
 */
export function concatBatches(batches: readonly RecordBatch[]): RecordBatch {
  if (batches.length === 0) throw new Error('concatBatches needs at least one batch');
  if (batches.length === 1) return batches[0]!;
  const first = batches[0]!.schema;
  const total = batches.reduce((s, b) => s + b.numRows, 0);
  return makeBatch(first.fields.map((field, k) => {
    const parts = batches.map((b) => {
      const f = b.schema.fields[k];
      if (!f || f.name !== field.name) throw new Error(`cannot concatenate batches: column ${k} is "${f?.name}", expected "${field.name}"`);
      return b.data.children[k]!;
    });
    const nullable = batches.some((b) => b.schema.fields[k]!.nullable);
    return { field: nullable === field.nullable ? field : field.clone({ nullable }), data: concatData(parts, field.type) };
  }), total);
}
