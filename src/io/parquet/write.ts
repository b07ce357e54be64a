import { Schema, Table, tableToIPC } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import type * as PW from 'parquet-wasm/node';
import { parquetWasm } from './wasm.ts';
import { SYSTEM_COLUMNS } from '../../plan/logical-plan.ts';
import { conformBatch, unifySchemas } from '../../arrow/schema.ts';
import { openFile, type S3LocationOptions } from '../location/index.ts';
import { digesting, StreamDigest, type FileDigest } from '../../storage/file-digest.ts';
import { userColumns } from '../user-columns.ts';

export interface ParquetWriteOptions {
  /** Rows per row group (default 65,536: row groups are the unit of parallel reads and skipping). */
  rowGroupRows?: number;
  /** Compression codec (default `zstd`). */
  compression?: 'uncompressed' | 'snappy' | 'zstd' | 'gzip' | 'lz4';
  /** Schema to write when there are no batches. */
  schema?: Schema;
  /** How an `s3://` path is written (default: the process-wide connection from the environment). */
  s3?: S3LocationOptions;
}

function properties(pw: typeof PW, opts: ParquetWriteOptions): PW.WriterProperties {
  const codecs = {
    uncompressed: pw.Compression.UNCOMPRESSED, snappy: pw.Compression.SNAPPY, zstd: pw.Compression.ZSTD,
    gzip: pw.Compression.GZIP, lz4: pw.Compression.LZ4_RAW,
  } as const;
  return new pw.WriterPropertiesBuilder()
    .setMaxRowGroupSize(opts.rowGroupRows ?? 65_536)
    .setCompression(codecs[opts.compression ?? 'zstd'])
    // A fixed writer string keeps output bytes independent of who wrote them.
    .setCreatedBy('sluice')
    .build();
}

/** The schema as written: user columns only, all nullable. */
function nullableSchema(schema: Schema): Schema {
  return new Schema(schema.fields.filter((f) => !SYSTEM_COLUMNS.includes(f.name)).map((f) => f.clone({ nullable: true })));
}

function toWasm(pw: typeof PW, batch: RecordBatch): PW.RecordBatch {
  const t = pw.Table.fromIPCStream(tableToIPC(new Table([batch]), 'stream'));
  const b = t.recordBatch(0)!;
  t.free();
  return b;
}

/**
 * Streams batches into a Parquet file at `path` (a local path or an `s3://` URI), atomically:
 * temp file + rename locally, a PUT or multipart upload on S3 (aborted on failure, so a failed
 * write leaves the old file or none). The bytes stream from the encoder to the file as row groups
 * are encoded, never held whole. System columns are not written. All columns are written
 * nullable, in the first batch's column order; later batches are conformed to it (a missing
 * column is null, a type conflict is an error). Same batches → same bytes.
 * Returns the rows and the digest of the bytes written (hashed as they stream out).
 */
export async function writeParquet(
  path: string,
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  opts: ParquetWriteOptions = {},
): Promise<{ rows: number; file: FileDigest }> {
  const pw = await parquetWasm();
  const { location, path: name } = await openFile(path, { s3: opts.s3 });
  const out = { rows: 0 };
  const digest = await StreamDigest.create();
  await location.writeFile(name, digesting(parquetBytes(pw, batches, opts, out), digest));
  return { rows: out.rows, file: digest.digest() };
}

/** The encoded file as a stream of byte pieces; throws (so the write is not committed) if the input fails. */
async function* parquetBytes(
  pw: typeof PW, batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>, opts: ParquetWriteOptions, out: { rows: number },
): AsyncGenerator<Uint8Array> {
  const it = userColumns(batches)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) {
    const empty = pw.Table.fromIPCStream(tableToIPC(new Table(nullableSchema(opts.schema ?? new Schema([]))), 'stream'));
    yield pw.writeParquet(empty, properties(pw, opts));
    return;
  }
  const schema = nullableSchema(unifySchemas([first.value.schema]));
  let pending: RecordBatch | undefined = first.value;
  // parquet-wasm ends the file quietly when its input stream errors, so an upstream failure is
  // kept here and rethrown: the file must not be committed as if complete.
  let failure: { error: unknown } | undefined;
  const source = new ReadableStream({
    async pull(controller) {
      try {
        const next = pending ?? (await it.next()).value;
        pending = undefined;
        if (!next) { controller.close(); return; }
        out.rows += next.numRows;
        controller.enqueue(toWasm(pw, conformBatch(next, schema)));
      } catch (error) {
        failure = { error };
        controller.close();
      }
    },
  });
  const bytes = await pw.transformParquetStream(source, properties(pw, opts));
  for await (const piece of bytes as unknown as AsyncIterable<Uint8Array>) {
    if (failure) break;
    yield piece;
  }
  if (failure) throw failure.error;
}
