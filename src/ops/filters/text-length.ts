import { Int32, makeData } from 'apache-arrow';
import { z } from 'zod';
import { setColumn } from '../../arrow/batch.ts';
import { utf8Parts } from '../../arrow/utf8.ts';
import { defineOperator } from '../operator.ts';

/** Options of `text_length`. */
export const textLengthOptions = z.object({
  /** Utf8 column to measure (default `text`). */
  column: z.string().default('text'),
  /** Output column (default `<column>_length`). */
  output: z.string().optional(),
  /** `bytes`: UTF-8 bytes (default; what storage and tokenizer budgets see); `chars`: Unicode code points. */
  unit: z.enum(['bytes', 'chars']).default('bytes'),
});
export type TextLengthOptions = z.output<typeof textLengthOptions>;

/**
 * Annotates each document with the length of a text column, computed from the UTF-8 offsets
 * (bytes) or by counting non-continuation bytes (code points), never decoding. A null text has a
 * null length. Narrow, filters nothing.
 */
export const textLength = defineOperator({
  name: 'text_length',
  options: textLengthOptions,
  declare: (o) => ({
    reads: [o.column], writes: [o.output ?? `${o.column}_length`], removes: [],
    filters: false, kind: 'narrow', costPerRow: 20,
  }),
  init: (o) => o,
  apply: (o, batch) => {
    const at = batch.schema.fields.findIndex((f) => f.name === o.column);
    if (at < 0) throw new Error(`text_length: no column "${o.column}" (columns: ${batch.schema.fields.map((f) => f.name).join(', ')})`);
    const data = batch.data.children[at]!;
    if (String(data.type) !== 'Utf8') throw new Error(`text_length: column "${o.column}" must be Utf8, got ${String(data.type)}`);
    const { offsets, bytes } = utf8Parts(data);
    const n = batch.numRows;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const s = offsets[i]!, e = offsets[i + 1]!;
      if (o.unit === 'bytes') { out[i] = e - s; continue; }
      let len = 0;
      for (let k = s; k < e; k++) if ((bytes[k]! & 0xc0) !== 0x80) len++;
      out[i] = len;
    }
    const lengths = makeData({ type: new Int32(), length: n, data: out, nullCount: data.nullCount, nullBitmap: data.nullCount ? copyBitmap(data.nullBitmap!, data.offset, n) : undefined });
    return { batch: setColumn(batch, o.output ?? `${o.column}_length`, lengths) };
  },
});

function copyBitmap(bm: Uint8Array, offset: number, n: number): Uint8Array {
  const out = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if ((bm[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  return out;
}
