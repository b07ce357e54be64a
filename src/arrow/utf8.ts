import { makeData, makeVector, Utf8 } from 'apache-arrow';
import type { Data, Vector } from 'apache-arrow';

const encoder = new TextEncoder();

/**
 * Builds an Arrow Utf8 column by encoding strings straight into one growing byte buffer.
 * `vectorFromArray` on JS strings goes through a dictionary builder and measured ~3× slower
 * (see bench notes in the report of this module's commit).
 */
export class Utf8Builder {
  private bytes: Uint8Array;
  private offsets: Int32Array;
  private validity: Uint8Array | null = null;
  private length = 0;
  private byteLength = 0;
  private nulls = 0;

  constructor(expectedRows = 1024, expectedBytes = expectedRows * 32) {
    this.bytes = new Uint8Array(Math.max(64, expectedBytes));
    this.offsets = new Int32Array(Math.max(2, expectedRows + 1));
  }

  /** Appends one value; `null`/`undefined` append a null. */
  append(value: string | null | undefined): void {
    if (value === null || value === undefined) { this.appendNull(); return; }
    // Try in the space left first (most text is near 1 byte per code unit); only a value that
    // did not fit pays for growing to the worst case of 3 bytes per UTF-16 code unit.
    if (this.bytes.length - this.byteLength < value.length) this.reserveBytes(value.length * 3);
    let r = encoder.encodeInto(value, this.bytes.subarray(this.byteLength));
    if (r.read < value.length) {
      this.reserveBytes(value.length * 3);
      r = encoder.encodeInto(value, this.bytes.subarray(this.byteLength));
    }
    this.byteLength += r.written;
    this.pushOffset();
  }

  /** Appends already-encoded UTF-8 bytes (caller guarantees validity). */
  appendBytes(bytes: Uint8Array): void {
    this.reserveBytes(bytes.length);
    this.bytes.set(bytes, this.byteLength);
    this.byteLength += bytes.length;
    this.pushOffset();
  }

  appendNull(): void {
    if (!this.validity) {
      this.validity = new Uint8Array(Math.max(8, this.offsets.length >> 3) + 1).fill(0xff);
    }
    const row = this.length;
    this.nulls++;
    this.pushOffset();
    this.ensureValidity(row);
    this.validity![row >> 3]! &= ~(1 << (row & 7));
  }

  get rows(): number { return this.length; }

  /** Finishes the column; the builder must not be used afterwards. */
  finish(): Data<Utf8> {
    const rows = this.length;
    let nullBitmap: Uint8Array | undefined;
    if (this.nulls > 0 && this.validity) {
      this.ensureValidity(rows);
      nullBitmap = this.validity.subarray(0, (rows + 7) >> 3);
    }
    return makeData({
      type: new Utf8(),
      length: rows,
      nullCount: this.nulls,
      nullBitmap,
      valueOffsets: this.offsets.subarray(0, rows + 1),
      data: this.bytes.subarray(0, this.byteLength),
    });
  }

  finishVector(): Vector<Utf8> { return makeVector(this.finish()); }

  private pushOffset(): void {
    const next = this.length + 1;
    if (next >= this.offsets.length) {
      const grown = new Int32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    if (this.byteLength > 0x7fffffff) throw new Error('Utf8 column exceeds 2 GiB; use smaller batches');
    this.offsets[next] = this.byteLength;
    this.length = next;
    if (this.validity) this.ensureValidity(next);
  }

  private ensureValidity(row: number): void {
    const need = (row >> 3) + 1;
    if (this.validity && need > this.validity.length) {
      const grown = new Uint8Array(Math.max(need, this.validity.length * 2)).fill(0xff);
      grown.set(this.validity);
      this.validity = grown;
    }
  }

  private reserveBytes(extra: number): void {
    const need = this.byteLength + extra;
    if (need <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.byteLength));
    this.bytes = grown;
  }
}

/** Builds a Utf8 vector from JS strings (nulls allowed). */
export function utf8Vector(values: ReadonlyArray<string | null | undefined>): Vector<Utf8> {
  let chars = 0;
  for (const v of values) if (v) chars += v.length;
  const b = new Utf8Builder(values.length, chars + 16);
  for (const v of values) b.append(v);
  return b.finishVector();
}

/** The raw parts of a Utf8 column chunk; row `i` is `bytes[offsets[i] .. offsets[i+1])`. */
export interface Utf8Parts {
  offsets: Int32Array;
  bytes: Uint8Array;
  /** Validity as one byte per row (1 = valid), or null when there are no nulls. */
  valid: Uint8Array | null;
  length: number;
}

/** Exposes a Utf8 Data's buffers without decoding any string. */
export function utf8Parts(data: Data): Utf8Parts {
  return {
    offsets: data.valueOffsets as Int32Array,
    bytes: (data.values as Uint8Array) ?? new Uint8Array(0),
    valid: validityBytes(data),
    length: data.length,
  };
}

/**
 * Expands a Data's validity bitmap (which starts at bit `data.offset`) into one byte per row,
 * or null when the column has no nulls.
 */
export function validityBytes(data: Data): Uint8Array | null {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return null;
  const out = new Uint8Array(data.length);
  const bm = data.nullBitmap;
  const off = data.offset;
  for (let i = 0; i < data.length; i++) {
    const b = off + i;
    out[i] = (bm[b >> 3]! >> (b & 7)) & 1;
  }
  return out;
}

const decoderBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Decodes every row of a Utf8 column once (nulls become null). */
export function decodeUtf8(parts: Utf8Parts): (string | null)[] {
  const buf = decoderBuffer(parts.bytes);
  const out = new Array<string | null>(parts.length);
  const { offsets, valid } = parts;
  for (let i = 0; i < parts.length; i++) {
    out[i] = valid && !valid[i] ? null : buf.toString('utf8', offsets[i]!, offsets[i + 1]!);
  }
  return out;
}

/** A Buffer view over the same memory, for native `indexOf` and `toString('utf8', s, e)`. */
export function asBuffer(bytes: Uint8Array): Buffer { return decoderBuffer(bytes); }
