import { Bool, Float64, Int32, makeData, makeVector, Null, Type, Utf8 } from 'apache-arrow';
import type { Data, RecordBatch, Vector } from 'apache-arrow';
import type { Scalar } from '../plan/expr.ts';
import { takeData } from '../arrow/batch.ts';
import { Utf8Builder, utf8Parts, validityBytes } from '../arrow/utf8.ts';
import type { Utf8Parts } from '../arrow/utf8.ts';

/** Numbers as any typed array (Int64 is widened to Float64 on load). */
export type NumArray = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * An intermediate column during evaluation. Validity is one byte per row (1 = valid) or null when
 * every row is valid; booleans are one byte per row (0/1) so masks combine with plain loops.
 */
export type Val =
  | { t: 'num'; v: NumArray; valid: Uint8Array | null }
  | { t: 'bool'; v: Uint8Array; valid: Uint8Array | null }
  | { t: 'str'; s: Utf8Parts; valid: Uint8Array | null }
  | { t: 'scalar'; value: Scalar };

/** The type of a value, for error messages. */
export function describe(v: Val): string {
  if (v.t === 'scalar') return v.value === null ? 'null' : typeof v.value;
  return { num: 'number', bool: 'boolean', str: 'string' }[v.t];
}

/** Loads a batch column as a Val; errors name the columns that exist. */
export function loadColumn(batch: RecordBatch, name: string): Val {
  const idx = batch.schema.fields.findIndex((f) => f.name === name);
  if (idx < 0) {
    const names = batch.schema.fields.map((f) => f.name).join(', ');
    throw new Error(`unknown column "${name}" in expression (available: ${names || 'none'})`);
  }
  return loadData(batch.data.children[idx]!, name);
}

function loadData(data: Data, name: string): Val {
  const valid = validityBytes(data);
  switch (data.typeId) {
    case Type.Int: case Type.Float: {
      const values = data.values as unknown as ArrayLike<number | bigint>;
      if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
        const out = new Float64Array(data.length);
        for (let i = 0; i < data.length; i++) out[i] = Number(values[i]!);
        return { t: 'num', v: out, valid };
      }
      if ((data.type as { precision?: number }).precision === 0) {
        // Float16 is stored as raw Uint16 bits.
        const out = new Float64Array(data.length);
        const v = makeVector(data);
        for (let i = 0; i < data.length; i++) out[i] = Number(v.get(i));
        return { t: 'num', v: out, valid };
      }
      return { t: 'num', v: values as NumArray, valid };
    }
    case Type.Bool: {
      const out = new Uint8Array(data.length);
      const bits = data.values as Uint8Array;
      for (let i = 0; i < data.length; i++) { const b = data.offset + i; out[i] = (bits[b >> 3]! >> (b & 7)) & 1; }
      return { t: 'bool', v: out, valid };
    }
    case Type.Utf8:
      return { t: 'str', s: utf8Parts(data), valid };
    case Type.Dictionary: {
      const keys = data.values as Int32Array;
      const dict = data.dictionary!.data[0]!;
      const gathered = takeData(dict, Int32Array.from(keys));
      const inner = loadData(gathered, name);
      return withValidity(inner, valid);
    }
    case Type.Null:
      return { t: 'scalar', value: null };
    default:
      throw new Error(`column "${name}" has type ${String(data.type)}, which expressions do not support`);
  }
}

function withValidity(v: Val, valid: Uint8Array | null): Val {
  if (!valid || v.t === 'scalar') return v;
  if (!v.valid) return { ...v, valid };
  return { ...v, valid: andValid(v.valid, valid) };
}

/** Row-wise AND of two validity arrays. */
export function andValid(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (!a) return b;
  if (!b) return a;
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}

function bitmapFromBytes(bytes: Uint8Array | null, n: number): { nullBitmap?: Uint8Array; nullCount: number } {
  if (!bytes) return { nullCount: 0 };
  const bm = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) { if (bytes[i]) bm[i >> 3]! |= 1 << (i & 7); else nulls++; }
  return nulls ? { nullBitmap: bm, nullCount: nulls } : { nullCount: 0 };
}

/** Converts a Val to an Arrow vector of `n` rows (scalars are broadcast). */
export function toVector(v: Val, n: number): Vector {
  switch (v.t) {
    case 'num': {
      const nb = bitmapFromBytes(v.valid, n);
      if (v.v instanceof Int32Array) return makeVector(makeData({ type: new Int32(), length: n, data: v.v, ...nb }));
      const data = v.v instanceof Float64Array ? v.v : Float64Array.from(v.v);
      return makeVector(makeData({ type: new Float64(), length: n, data, ...nb }));
    }
    case 'bool': {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (v.v[i]) bits[i >> 3]! |= 1 << (i & 7);
      return makeVector(makeData({ type: new Bool(), length: n, data: bits, ...bitmapFromBytes(v.valid, n) }));
    }
    case 'str': {
      const nb = bitmapFromBytes(v.valid, n);
      const s = v.s;
      const base = s.offsets[0]!;
      const offsets = base === 0 ? s.offsets : s.offsets.map((o) => o - base);
      const bytes = s.bytes.subarray(base, s.offsets[n]!);
      return makeVector(makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: bytes, ...nb }));
    }
    case 'scalar': {
      const x = v.value;
      if (x === null) return makeVector(makeData({ type: new Null(), length: n }));
      if (typeof x === 'number') return makeVector(new Float64Array(n).fill(x));
      if (typeof x === 'boolean') return toVector({ t: 'bool', v: new Uint8Array(n).fill(x ? 1 : 0), valid: null }, n);
      const b = new Utf8Builder(n, n * x.length * 3 + 8);
      for (let i = 0; i < n; i++) b.append(x);
      return b.finishVector();
    }
  }
}

/** Broadcasts a non-null scalar to a Val of `n` rows. */
export function broadcast(value: Exclude<Scalar, null>, n: number): Val {
  if (typeof value === 'number') return { t: 'num', v: new Float64Array(n).fill(value), valid: null };
  if (typeof value === 'boolean') return { t: 'bool', v: new Uint8Array(n).fill(value ? 1 : 0), valid: null };
  const vec = toVector({ t: 'scalar', value }, n);
  return { t: 'str', s: utf8Parts(vec.data[0]!), valid: null };
}
