import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { makeData, tableFromIPC, Type } from 'apache-arrow';
import type { Data, RecordBatch, Schema } from 'apache-arrow';
import type * as pw from 'parquet-wasm/node';
import { parquetWasm } from './wasm.ts';
import type { SourceSpec } from '../../plan/logical-plan.ts';
import type { PartitionSpec } from '../../plan/physical-plan.ts';
import { columnsOf, makeBatch, takeData } from '../../arrow/batch.ts';
import { fieldSpecs } from '../../arrow/schema.ts';
import { validityBytes } from '../../arrow/utf8.ts';
import { parquetFooter } from './footer.ts';
import { inputSize, isRemoteInput, readInputBytes, statInput } from '../location/input-file.ts';
import { canSkipRowGroup } from './row-group-pruning.ts';
import { columnTypeMismatch } from './schema-check.ts';
import { addSystemColumns, checkColumns, rowPositions } from '../system-columns.ts';
import type { ReadItem, SourceReader } from '../source.ts';

/** Skip reason for the rows of a row group whose statistics rule out the scan predicate. */
export const ROW_GROUP_PRUNED = 'row_group_pruned';

/**
 * A Blob-like view of a file for `ParquetFile.fromFile`, which only calls `size` and
 * `slice(a, b).arrayBuffer()`. Node's `openAsBlob` reopens the file and goes through the thread
 * pool for every slice; one descriptor and positioned reads measured faster (and readers run in
 * workers, where blocking reads are fine).
 */
class FileBlob {
  readonly size: number;
  private constructor(private readonly fd: number) { this.size = fstatSync(fd).size; }

  static open(path: string): FileBlob { return new FileBlob(openSync(path, 'r')); }

  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> } {
    return {
      arrayBuffer: async () => {
        const len = Math.max(0, Math.min(end, this.size) - start);
        const buf = new Uint8Array(len);
        let done = 0;
        while (done < len) {
          const n = readSync(this.fd, buf, done, len - done, start + done);
          if (n === 0) throw new Error(`unexpected end of file at byte ${start + done}`);
          done += n;
        }
        return buf.buffer;
      },
    };
  }

  close(): void { closeSync(this.fd); }
}

/**
 * The same view of an `s3://` object: each slice parquet-wasm asks for (the footer, then the
 * column chunks of the row groups a task reads) is one ranged GET, so a task fetches its row
 * groups' projected columns, not the object.
 */
class RemoteBlob {
  constructor(private readonly uri: string, readonly size: number) {}

  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> } {
    return {
      arrayBuffer: async () => {
        const bytes = await readInputBytes(this.uri, start, Math.max(start, Math.min(end, this.size)));
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
      },
    };
  }

  close(): void {}
}

/** Opens a Parquet file (local, or an `s3://` object of `size` bytes) for parquet-wasm over one descriptor; `close()` frees both. */
export async function openParquet(path: string, size?: number): Promise<{ pf: pw.ParquetFile; close(): void }> {
  const blob = isRemoteInput(path) ? new RemoteBlob(path, size ?? (await inputSize(path))) : FileBlob.open(path);
  try {
    const pf = await (await parquetWasm()).ParquetFile.fromFile(blob as unknown as Blob);
    return { pf, close: () => { pf.free(); blob.close(); } };
  } catch (e) {
    blob.close();
    throw new Error(`${path}: cannot open as Parquet: ${(e as Error).message ?? String(e)}`);
  }
}

interface SharedFile { pf: pw.ParquetFile; close(): void; schema: Schema; users: number; evicted: boolean }

/**
 * Open Parquet files shared by the tasks of one thread (a file's partitions run one after another
 * on the same worker), so metadata is parsed once per file, not once per row-group partition.
 * Keyed by path, size and mtime; at most {@link MAX_OPEN_FILES} stay open.
 */
const shared = new Map<string, Promise<SharedFile>>();
const MAX_OPEN_FILES = 4;

async function acquire(path: string, fresh = false): Promise<{ file: SharedFile; release(): void }> {
  const { size, mtimeMs } = await fileVersion(path, fresh);
  const key = `${path}\u0000${size}\u0000${mtimeMs}`;
  let entry = shared.get(key);
  if (!entry) {
    entry = openParquet(path, size).then((h) => ({ ...h, schema: tableFromIPC(h.pf.schema().intoIPCStream()).schema, users: 0, evicted: false }));
    shared.set(key, entry);
    entry.catch(() => shared.delete(key));
    while (shared.size > MAX_OPEN_FILES) {
      const [oldKey, old] = shared.entries().next().value!;
      shared.delete(oldKey);
      void old.then((f) => { f.evicted = true; if (f.users === 0) f.close(); }, () => {});
    }
  } else {
    // Refresh recency.
    shared.delete(key);
    shared.set(key, entry);
  }
  const file = await entry;
  file.users++;
  return { file, release: () => { file.users--; if (file.evicted && file.users === 0) file.close(); } };
}

/** Size and modification time of a local file or `s3://` object (HeadObject), which key the shared open files. */
async function fileVersion(path: string, fresh: boolean): Promise<{ size: number; mtimeMs: number }> {
  if (!isRemoteInput(path)) return statSync(path);
  const st = await statInput(path, { fresh });
  if (!st) throw new Error(`input not found: ${path}`);
  return { size: st.size, mtimeMs: st.lastModified.getTime() };
}

/** Arrow schema of a Parquet file, read from its metadata only. */
async function fileSchema(path: string): Promise<Schema> {
  const { file, release } = await acquire(path);
  release();
  return file.schema;
}

/** Dictionary-encoded columns become plain columns so operators see one representation. */
function flattenDictionaries(batch: RecordBatch): RecordBatch {
  const cols = columnsOf(batch);
  if (!cols.some((c) => c.data.typeId === Type.Dictionary)) return batch;
  return makeBatch(cols.map(({ field, data }) => {
    if (data.typeId !== Type.Dictionary) return { field, data };
    const dict = data.dictionary!.data[0]!;
    const valid = validityBytes(data);
    const keys = Int32Array.from(data.values as ArrayLike<number>, (k, i) => (valid && !valid[i] ? 0 : k));
    let plain: Data = takeData(dict, keys);
    if (valid) {
      const bitmap = new Uint8Array((data.length + 7) >> 3);
      for (let i = 0; i < data.length; i++) if (valid[i]) bitmap[i >> 3]! |= 1 << (i & 7);
      plain = makeData({ type: plain.type, length: plain.length, nullCount: data.nullCount, nullBitmap: bitmap,
        valueOffsets: plain.valueOffsets, data: plain.values } as never);
    }
    return { field: field.clone({ type: data.dictionary!.type }), data: plain };
  }), batch.numRows);
}

/**
 * Parquet through parquet-wasm. `ParquetFile.stream({ rowGroups, columns })` is used because on
 * parquet-wasm 0.8 `readParquet`'s `columns` option is ignored (verified; see test). Partitions
 * are runs of row groups up to `targetBytes` (compressed); row groups whose statistics rule out
 * the request's predicate are skipped. `__pos` is the row number in the file.
 */
export const parquetReader: SourceReader = {
  format: 'parquet',

  async inspect(spec) {
    // The first file that opens gives the schema; one that does not is quarantined when read.
    for (const path of spec.paths) {
      try { return fieldSpecs(await fileSchema(path)); } catch { /* next file */ }
    }
    return undefined;
  },

  async partitions(spec, targetBytes) {
    const out: PartitionSpec[] = [];
    for (const [fileIndex, file] of spec.paths.entries()) {
      let footer: Awaited<ReturnType<typeof parquetFooter>>;
      try {
        footer = await parquetFooter(file);
      } catch (e) {
        // A request that failed after its retries is not a corrupt file.
        if ((e as Error).name === 'S3RequestError') throw e;
        // A file whose footer cannot be read is one partition, quarantined whole by `read`.
        out.push({ index: out.length, file, fileIndex, bytes: 0 });
        continue;
      }
      let group: number[] = [];
      let bytes = 0;
      const flush = () => {
        if (group.length) out.push({ index: out.length, file, fileIndex, rowGroups: group, bytes });
        group = []; bytes = 0;
      };
      footer.rowGroups.forEach((rg, i) => {
        if (group.length && bytes + rg.compressedBytes > targetBytes) flush();
        group.push(i);
        bytes += rg.compressedBytes;
      });
      flush();
      if (footer.rowGroups.length === 0) out.push({ index: out.length, file, fileIndex, rowGroups: [], bytes: 0 });
    }
    return out;
  },

  async *read(spec: SourceSpec, partition, request): AsyncGenerator<ReadItem> {
    const file = partition.file ?? spec.paths[partition.fileIndex ?? 0];
    const fileIndex = partition.fileIndex ?? spec.paths.indexOf(file ?? '');
    if (!file || fileIndex < 0) throw new Error(`parquet partition ${partition.index} names no input file`);
    let footer: Awaited<ReturnType<typeof parquetFooter>>;
    let acquired: Awaited<ReturnType<typeof acquire>>;
    try {
      footer = await parquetFooter(file, { fresh: true });
      acquired = await acquire(file, true);
    } catch (e) {
      if ((e as Error).name === 'S3RequestError') throw e;
      yield { bad: { file, pos: 0, reason: `unreadable Parquet file: ${(e as Error).message}` } };
      return;
    }
    const groups = partition.rowGroups ?? footer.rowGroups.map((_, i) => i);
    const { file: handle, release } = acquired;
    const { pf } = handle;
    try {
      const available = handle.schema.fields.map((f) => f.name);
      const columns = checkColumns(request.columns, available, `parquet ${file}`);
      const mismatch = columnTypeMismatch(handle.schema, spec.schema, columns);
      if (mismatch) {
        const rows = groups.reduce((n, g) => n + (footer.rowGroups[g]?.numRows ?? 0), 0);
        const first = footer.rowGroups[groups[0] ?? 0]?.firstRow ?? 0;
        yield { bad: { file, pos: first, reason: `${mismatch}; the split's ${rows} rows (row groups ${groups.join(', ')}) are not read` } };
        return;
      }
      // Row groups that survive statistics are read in runs of consecutive groups, one stream per
      // run: their row numbers are contiguous, so positions need no per-group bookkeeping.
      const runs: number[][] = [];
      for (const g of groups) {
        const rg = footer.rowGroups[g];
        if (!rg) throw new Error(`parquet ${file}: no row group ${g} (file has ${footer.rowGroups.length})`);
        if (request.predicate && canSkipRowGroup(request.predicate, rg)) {
          if (rg.numRows) yield { skipped: { reason: ROW_GROUP_PRUNED, count: rg.numRows } };
          continue;
        }
        const last = runs.at(-1);
        if (last && last.at(-1) === g - 1) last.push(g);
        else runs.push([g]);
      }
      // An empty projection (e.g. a count) still needs row counts: read the first column and drop it.
      const readCols = columns.length ? columns : available.slice(0, 1);
      for (const run of runs) {
        const stream = await pf.stream({ rowGroups: run, columns: readCols, batchSize: request.batchSize });
        let row = footer.rowGroups[run[0]!]!.firstRow;
        for await (const wasmBatch of stream as unknown as AsyncIterable<pw.RecordBatch>) {
          const table = tableFromIPC(wasmBatch.intoIPCStream());
          for (const b of table.batches) {
            let batch = flattenDictionaries(b);
            if (!columns.length) batch = makeBatch([], batch.numRows);
            yield { batch: addSystemColumns(batch, fileIndex, rowPositions(row, batch.numRows)) };
            row += batch.numRows;
          }
        }
      }
    } finally { release(); }
  },
};
