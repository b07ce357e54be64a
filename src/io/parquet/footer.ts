import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isRemoteInput, readInputBytes, statInput, type StatOptions } from '../location/input-file.ts';

/**
 * A minimal reader for the Parquet footer (Thrift compact protocol), because parquet-wasm 0.8 does
 * not expose column statistics, which row-group skipping needs. Only the fields used here are
 * interpreted; everything else is skipped generically.
 */

type TValue = number | boolean | Uint8Array | TValue[] | TStruct | Map<TValue, TValue>;
type TStruct = { [field: number]: TValue };

class CompactReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  private byte(): number {
    if (this.pos >= this.buf.length) throw new Error('truncated Parquet footer');
    return this.buf[this.pos++]!;
  }

  varint(): number {
    let result = 0, mul = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if (!(b & 0x80)) return result;
      mul *= 128;
    }
  }

  zigzag(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  value(type: number): TValue {
    switch (type) {
      case 1: return true;
      case 2: return false;
      case 3: { const b = this.byte(); return b > 127 ? b - 256 : b; }
      case 4: case 5: case 6: return this.zigzag();
      case 7: { const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true); this.pos += 8; return v; }
      case 8: { const n = this.varint(); const v = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return v; }
      case 9: case 10: {
        const h = this.byte();
        let size = h >> 4;
        const et = h & 15;
        if (size === 15) size = this.varint();
        const out: TValue[] = [];
        for (let i = 0; i < size; i++) out.push(et === 1 || et === 2 ? this.byte() === 1 : this.value(et));
        return out;
      }
      case 11: {
        const size = this.varint();
        const m = new Map<TValue, TValue>();
        if (size === 0) return m;
        const kv = this.byte();
        for (let i = 0; i < size; i++) m.set(this.value(kv >> 4), this.value(kv & 15));
        return m;
      }
      case 12: return this.struct();
      default: throw new Error(`bad Thrift compact type ${type} in Parquet footer`);
    }
  }

  struct(): TStruct {
    const out: TStruct = {};
    let last = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return out;
      const delta = h >> 4;
      const id = delta ? last + delta : this.zigzag();
      last = id;
      out[id] = this.value(h & 15);
    }
  }
}

/** Min/max/null statistics of one column chunk, decoded to JS values where safe to compare. */
export interface ColumnStats {
  min?: number | string;
  max?: number | string;
  nullCount?: number;
}

export interface RowGroupInfo {
  numRows: number;
  /** First row of the group in the file. */
  firstRow: number;
  compressedBytes: number;
  /** Statistics of top-level columns by name. */
  columns: Map<string, ColumnStats>;
}

export interface ParquetFooter {
  numRows: number;
  rowGroups: RowGroupInfo[];
}

const utf8 = new TextDecoder();

function decodeStat(bytes: TValue | undefined, physical: number, unsigned: boolean, isString: boolean): number | string | undefined {
  if (!(bytes instanceof Uint8Array)) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (physical) {
    case 1: return bytes.length === 4 ? (unsigned ? dv.getUint32(0, true) : dv.getInt32(0, true)) : undefined;
    case 2: return bytes.length === 8 ? Number(unsigned ? dv.getBigUint64(0, true) : dv.getBigInt64(0, true)) : undefined;
    case 4: return bytes.length === 4 ? dv.getFloat32(0, true) : undefined;
    case 5: return bytes.length === 8 ? dv.getFloat64(0, true) : undefined;
    case 6: return isString ? utf8.decode(bytes) : undefined;
    default: return undefined;
  }
}

const cache = new Map<string, ParquetFooter>();

/**
 * Reads the footer of a Parquet file: row groups with their first row, sizes and column statistics.
 * Footers are cached per (path, size, mtime), since planning and every partition's task need them;
 * reads are synchronous because the footer is small and a thread-pool round trip cost more.
 */
export function readParquetFooter(path: string): ParquetFooter {
  const fd = openSync(path, 'r');
  try {
    const { size, mtimeMs } = fstatSync(fd);
    const key = `${path}\u0000${size}\u0000${mtimeMs}`;
    const hit = cache.get(key);
    if (hit) return hit;
    if (size < 12) throw new Error(`${path}: not a Parquet file (${size} bytes)`);
    const tail = Buffer.alloc(8);
    readSync(fd, tail, 0, 8, size - 8);
    if (tail.toString('latin1', 4, 8) !== 'PAR1') throw new Error(`${path}: not a Parquet file (no PAR1 footer magic)`);
    const len = tail.readUInt32LE(0);
    if (len + 12 > size) throw new Error(`${path}: corrupt Parquet footer length ${len}`);
    const meta = Buffer.alloc(len);
    readSync(fd, meta, 0, len, size - 8 - len);
    const footer = parseFooter(meta);
    if (cache.size >= 256) cache.delete(cache.keys().next().value!);
    cache.set(key, footer);
    return footer;
  } finally { closeSync(fd); }
}

/** Bytes fetched from the end of an `s3://` object for its footer: most footers fit, so one ranged GET usually does. */
const REMOTE_TAIL = 64 * 1024;

/**
 * {@link readParquetFooter} for a local file or an `s3://` object, whose footer is fetched with
 * ranged GETs of its tail (cached per URI, size and LastModified, like local footers); `fresh`
 * for a task's read, which must see the object as it is now.
 */
export async function parquetFooter(path: string, options: StatOptions = {}): Promise<ParquetFooter> {
  if (!isRemoteInput(path)) return readParquetFooter(path);
  const st = await statInput(path, options);
  if (!st) throw new Error(`input not found: ${path}`);
  const { size } = st;
  const key = `${path}\u0000${size}\u0000${st.lastModified.getTime()}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (size < 12) throw new Error(`${path}: not a Parquet file (${size} bytes)`);
  const tailStart = Math.max(0, size - REMOTE_TAIL);
  let tail = await readInputBytes(path, tailStart, size);
  const end = Buffer.from(tail.buffer, tail.byteOffset + tail.length - 8, 8);
  if (end.toString('latin1', 4, 8) !== 'PAR1') throw new Error(`${path}: not a Parquet file (no PAR1 footer magic)`);
  const len = end.readUInt32LE(0);
  if (len + 12 > size) throw new Error(`${path}: corrupt Parquet footer length ${len}`);
  const metaStart = size - 8 - len;
  if (metaStart < tailStart) tail = Buffer.concat([await readInputBytes(path, metaStart, tailStart), tail]);
  const from = metaStart - Math.min(metaStart, tailStart);
  const footer = parseFooter(tail.subarray(from, from + len));
  if (cache.size >= 256) cache.delete(cache.keys().next().value!);
  cache.set(key, footer);
  return footer;
}

function parseFooter(meta: Uint8Array): ParquetFooter {
  const fmd = new CompactReader(meta).struct();
  const schema = (fmd[2] as TStruct[] | undefined) ?? [];
  // Logical string-ness and signedness come from the schema element of each top-level leaf.
  const elements = new Map<string, { isString: boolean; unsigned: boolean }>();
  for (const el of schema.slice(1)) {
    const name = el[4] instanceof Uint8Array ? utf8.decode(el[4]) : '';
    const converted = el[6] as number | undefined;
    const logical = el[10] as TStruct | undefined;
    const logicalInt = logical?.[10] as TStruct | undefined;
    elements.set(name, {
      isString: converted === 0 || logical?.[1] !== undefined,
      unsigned: (converted !== undefined && converted >= 11 && converted <= 14) || logicalInt?.[2] === false,
    });
  }
  let firstRow = 0;
  const rowGroups = ((fmd[4] as TStruct[] | undefined) ?? []).map((rg) => {
    const numRows = rg[3] as number;
    const columns = new Map<string, ColumnStats>();
    let compressedBytes = (rg[6] as number | undefined) ?? 0;
    let sum = 0;
    for (const cc of (rg[1] as TStruct[]) ?? []) {
      const md = cc[3] as TStruct | undefined;
      if (!md) continue;
      sum += (md[7] as number) ?? 0;
      const path = ((md[3] as TValue[]) ?? []).map((p) => utf8.decode(p as Uint8Array));
      if (path.length !== 1) continue;
      const el = elements.get(path[0]!) ?? { isString: false, unsigned: false };
      const st = md[12] as TStruct | undefined;
      const physical = md[1] as number;
      const stats: ColumnStats = {};
      if (st) {
        // min_value/max_value (5, 6) are always correctly ordered; the deprecated min/max (2, 1)
        // are trusted for numbers only, since old writers compared strings as signed bytes.
        const min = decodeStat(st[6] ?? (el.isString ? undefined : st[2]), physical, el.unsigned, el.isString);
        const max = decodeStat(st[5] ?? (el.isString ? undefined : st[1]), physical, el.unsigned, el.isString);
        if (min !== undefined && max !== undefined) { stats.min = min; stats.max = max; }
        if (typeof st[3] === 'number') stats.nullCount = st[3];
      }
      columns.set(path[0]!, stats);
    }
    if (!compressedBytes) compressedBytes = sum;
    const info: RowGroupInfo = { numRows, firstRow, compressedBytes, columns };
    firstRow += numRows;
    return info;
  });
  return { numRows: (fmd[3] as number) ?? firstRow, rowGroups };
}
