import { Field, Float64, Int32, RecordBatch, Schema, Struct, Utf8, makeData, type Data, type DataType } from 'apache-arrow';
import { DOC_FILE, DOC_POS, type FieldSpec } from '../../plan/logical-plan.ts';

/** One row of the WARC source. `html` is null when the column was not requested (not decoded). */
export interface WarcRow {
  id: string;
  url: string;
  date: string;
  html: Buffer | string | null;
  content_type: string;
  charset: string;
  http_status: number;
  pos: number;
  /** Whether `html`, when bytes, stays valid after the next record (see `RawRecord.owned`). */
  owned: boolean;
}

type TextColumn = 'id' | 'url' | 'date' | 'html' | 'content_type' | 'charset';

/** The WARC source schema, in column order; `__file`/`__pos` are the system columns. */
export const WARC_FIELDS: readonly FieldSpec[] = [
  { name: 'id', type: 'Utf8' },
  { name: 'url', type: 'Utf8' },
  { name: 'date', type: 'Utf8' },
  { name: 'html', type: 'Utf8' },
  { name: 'content_type', type: 'Utf8' },
  { name: 'charset', type: 'Utf8' },
  { name: 'http_status', type: 'Int32' },
  { name: DOC_FILE, type: 'Int32' },
  { name: DOC_POS, type: 'Float64' },
];

const TEXT_COLUMNS = new Set<string>(['id', 'url', 'date', 'html', 'content_type', 'charset']);

/**
 * Appends UTF-8 values and builds an Arrow Utf8 vector from offsets + bytes directly: HTML that
 * already is valid UTF-8 is never turned into a JS string (Arrow's builder would). The values are
 * joined once, when the batch is built: bytes a record owns (an inflated gzip member) are kept as
 * they are until then, and only views into the reader's file window (an uncompressed `.warc`),
 * valid until the window moves on, are copied when pushed. A buffer grown by doubling instead
 * copied the HTML about twice, into memory the kernel had to zero first.
 */
class Utf8Column {
  private parts: Buffer[] = [];
  private offsets: number[] = [0];
  bytes = 0;

  push(value: Buffer | string, owned: boolean): void {
    const b = typeof value === 'string' ? Buffer.from(value, 'utf8') : owned ? value : Buffer.from(value);
    this.parts.push(b);
    this.bytes += b.length;
    this.offsets.push(this.bytes);
  }

  finish(): Data<Utf8> {
    const data = Buffer.concat(this.parts, this.bytes);
    const length = this.offsets.length - 1;
    return makeData({ type: new Utf8(), length, nullCount: 0, valueOffsets: Int32Array.from(this.offsets), data });
  }
}

/** Accumulates rows of the requested columns and emits Arrow record batches. */
export class WarcBatchBuilder {
  private text = new Map<TextColumn, Utf8Column>();
  private status: number[] = [];
  private pos: number[] = [];
  private readonly fields: FieldSpec[];
  rows = 0;

  /** `columns` absent means all; the system columns are always built. */
  constructor(columns: readonly string[] | undefined, private readonly fileIndex: number) {
    const want = columns ? new Set(columns) : undefined;
    this.fields = WARC_FIELDS.filter((f) => !want || want.has(f.name) || f.name === DOC_FILE || f.name === DOC_POS);
    this.reset();
  }

  /** Whether the `html` column is wanted (if not, bodies need not be decoded). */
  get wantsHtml(): boolean {
    return this.text.has('html');
  }

  /** Bytes of text buffered, so callers can cut batches before Utf8's 2 GiB offset limit. */
  get bytes(): number {
    let n = 0;
    for (const c of this.text.values()) n += c.bytes;
    return n;
  }

  private reset(): void {
    this.text = new Map();
    for (const f of this.fields) if (TEXT_COLUMNS.has(f.name)) this.text.set(f.name as TextColumn, new Utf8Column());
    this.status = [];
    this.pos = [];
    this.rows = 0;
  }

  push(row: WarcRow): void {
    for (const [name, col] of this.text) col.push(row[name] ?? '', row.owned);
    this.status.push(row.http_status);
    this.pos.push(row.pos);
    this.rows++;
  }

  /** Builds a batch of the buffered rows and starts a new one. */
  flush(): RecordBatch {
    const n = this.rows;
    const children: Data<DataType>[] = [];
    const fields: Field[] = [];
    for (const f of this.fields) {
      const text = this.text.get(f.name as TextColumn);
      if (text) {
        children.push(text.finish());
        fields.push(new Field(f.name, new Utf8(), false));
      } else if (f.name === 'http_status') {
        children.push(makeData({ type: new Int32(), length: n, nullCount: 0, data: Int32Array.from(this.status) }));
        fields.push(new Field(f.name, new Int32(), false));
      } else if (f.name === DOC_FILE) {
        children.push(makeData({ type: new Int32(), length: n, nullCount: 0, data: new Int32Array(n).fill(this.fileIndex) }));
        fields.push(new Field(f.name, new Int32(), false));
      } else {
        children.push(makeData({ type: new Float64(), length: n, nullCount: 0, data: Float64Array.from(this.pos) }));
        fields.push(new Field(f.name, new Float64(), false));
      }
    }
    this.reset();
    return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
  }
}
