import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { Schema, Table, tableToIPC } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import type * as PW from 'parquet-wasm/node';
import { parquetWasm } from './wasm.ts';
import { SYSTEM_COLUMNS } from '../../plan/logical-plan.ts';
import { conformBatch, unifySchemas } from '../../arrow/schema.ts';
import { writeAtomically } from '../../storage/atomic-write.ts';
import { digestOf, StreamDigest, type FileDigest } from '../../storage/file-digest.ts';
import { userColumns } from '../user-columns.ts';

export interface ParquetWriteOptions {
  /** Rows per row group (default 65,536: row groups are the unit of parallel reads and skipping). */
  rowGroupRows?: number;
  /** Compression codec (default `zstd`). */
  compression?: 'uncompressed' | 'snappy' | 'zstd' | 'gzip' | 'lz4';
  /** Schema to write when there are no batches. */
  schema?: Schema;
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
 * Streams batches into a Parquet file, atomically (temp file + rename); system columns are not
 * written. All columns are written nullable, in the first batch's column order; later batches are
 * conformed to it (a missing column is null, a type conflict is an error). Same batches → same bytes.
 * Returns the rows and the digest of the bytes written (hashed as they stream to the file).
 */
export async function writeParquet(
  path: string,
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  opts: ParquetWriteOptions = {},
): Promise<{ rows: number; file: FileDigest }> {
  let rows = 0;
  let file: FileDigest | undefined;
  const pw = await parquetWasm();
  await writeAtomically(path, async (tmp) => {
    const it = userColumns(batches)[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) {
      const empty = pw.Table.fromIPCStream(tableToIPC(new Table(nullableSchema(opts.schema ?? new Schema([]))), 'stream'));
      const bytes = pw.writeParquet(empty, properties(pw, opts));
      await writeFile(tmp, bytes);
      file = await digestOf(bytes);
      return;
    }
    const schema = nullableSchema(unifySchemas([first.value.schema]));
    let pending: RecordBatch | undefined = first.value;
    // parquet-wasm ends the file quietly when its input stream errors, so an upstream failure is
    // kept here and rethrown: the temp file must not be committed as if complete.
    let failure: { error: unknown } | undefined;
    const source = new ReadableStream({
      async pull(controller) {
        try {
          const next = pending ?? (await it.next()).value;
          pending = undefined;
          if (!next) { controller.close(); return; }
          rows += next.numRows;
          controller.enqueue(toWasm(pw, conformBatch(next, schema)));
        } catch (error) {
          failure = { error };
          controller.close();
        }
      },
    });
    const bytes = await pw.transformParquetStream(source, properties(pw, opts));
    const digest = await StreamDigest.create();
    const hashed = new TransformStream<Uint8Array, Uint8Array>({ transform(chunk, c) { digest.update(chunk); c.enqueue(chunk); } });
    await bytes.pipeThrough(hashed).pipeTo(Writable.toWeb(createWriteStream(tmp)));
    if (failure) throw failure.error;
    file = digest.digest();
  });
  return { rows, file: file! };
}
