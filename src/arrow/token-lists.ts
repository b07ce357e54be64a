import { Field, List, makeData, Type, Uint32 } from 'apache-arrow';
import type { Data, RecordBatch } from 'apache-arrow';

/**
 * The `tokens` column is Arrow `List<Uint32>`: one contiguous Uint32 values buffer plus Int32
 * offsets. That is the compact form already — two flat buffers a worker can transfer to another
 * thread without per-document objects — and any Arrow reader understands it.
 */
export function tokensListData(values: Uint32Array, offsets: Int32Array): Data<List<Uint32>> {
  const child = makeData({ type: new Uint32(), length: values.length, nullCount: 0, data: values });
  return makeData({
    type: new List(new Field('item', new Uint32(), false)),
    length: offsets.length - 1,
    nullCount: 0,
    valueOffsets: offsets,
    child,
  });
}

/** Accumulates per-document ids into one values buffer (grown by doubling) and offsets. */
export class TokensBuilder {
  private values: Uint32Array;
  private length = 0;
  private readonly offsets: Int32Array;
  private row = 0;

  constructor(rows: number, expectedTokens = 1024) {
    this.values = new Uint32Array(Math.max(16, expectedTokens));
    this.offsets = new Int32Array(rows + 1);
  }

  /** Appends one document: its ids, then `eos` unless null. */
  push(ids: Uint32Array, eos: number | null): void {
    const n = ids.length + (eos === null ? 0 : 1);
    this.reserve(n);
    this.values.set(ids, this.length);
    if (eos !== null) this.values[this.length + ids.length] = eos;
    this.length += n;
    this.offsets[++this.row] = this.length;
  }

  finish(): Data<List<Uint32>> {
    if (this.row !== this.offsets.length - 1) throw new Error(`TokensBuilder: ${this.row} rows pushed, ${this.offsets.length - 1} expected`);
    return tokensListData(this.values.subarray(0, this.length), this.offsets);
  }

  private reserve(extra: number): void {
    const need = this.length + extra;
    if (need > 0x7fffffff) throw new Error('tokenize: more than 2^31-1 tokens in one batch; use smaller batches');
    if (need <= this.values.length) return;
    let size = this.values.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint32Array(Math.min(size, 0x7fffffff));
    grown.set(this.values.subarray(0, this.length));
    this.values = grown;
  }
}

/** A view of a batch's `List<Uint32>` tokens column: document `i` is `values[offsets[i]..offsets[i+1])`. */
export interface TokenLists {
  values: Uint32Array;
  offsets: Int32Array;
  length: number;
}

/** Reads a tokens column without copying; the error names the columns present. */
export function readTokenLists(batch: RecordBatch, column = 'tokens'): TokenLists {
  const at = batch.schema.fields.findIndex((f) => f.name === column);
  if (at < 0) {
    throw new Error(`token shards: batch has no column "${column}" (columns: ${batch.schema.fields.map((f) => f.name).join(', ') || 'none'}); run the tokenize operator first`);
  }
  const data = batch.data.children[at]!;
  const child = data.children[0];
  if (data.typeId !== Type.List || !child || child.typeId !== Type.Int || (child.type as Uint32).bitWidth !== 32 || (child.type as Uint32).isSigned) {
    throw new Error(`token shards: column "${column}" must be List<Uint32>, got ${String(data.type)}`);
  }
  const offsets = (data.valueOffsets as Int32Array).subarray(data.offset, data.offset + data.length + 1);
  const values = (child.values as Uint32Array).subarray(child.offset);
  return { values, offsets, length: data.length };
}
