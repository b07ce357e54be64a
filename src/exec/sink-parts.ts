import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Table, tableToIPC, type RecordBatch } from 'apache-arrow';
import * as pw from 'parquet-wasm/node';
import { SYSTEM_COLUMNS, type SinkSpec } from '../planner/logical-plan.ts';
import { files } from './layout.ts';
import { selectColumns } from '../dataframe/arrow/batch.ts';

/**
 * Writes one task's rows as one part file of a sink directory. Part files are named by stage and
 * partition (never by worker), written to a temp name and renamed, so a part either exists whole
 * or not at all and rewriting it on resume gives the same bytes.
 */
export type SinkPartWriter = (sink: SinkSpec, path: string, batches: RecordBatch[]) => Promise<void>;

/**
 * Runs in the driver once every task of the run is committed, for sinks whose output spans all
 * parts (token shards + manifest). Must be idempotent: a rerun of a finished run calls it again.
 */
export type SinkFinalizer = (sink: SinkSpec, ctx: { fingerprint: string; outDir: string }) => Promise<void>;

const writers = new Map<string, { ext: string; write: SinkPartWriter; finalize?: SinkFinalizer }>();

/** Registers a writer for a sink format (the token-shard sink plugs in here). */
export function registerSinkWriter(format: string, ext: string, write: SinkPartWriter, finalize?: SinkFinalizer): void {
  writers.set(format, { ext, write, ...(finalize ? { finalize } : {}) });
}

/** Calls the sink format's finalizer, if it has one. */
export async function finalizeSink(sink: SinkSpec, ctx: { fingerprint: string; outDir: string }): Promise<void> {
  await writers.get(sink.format)?.finalize?.(sink, ctx);
}

export async function writeSinkPart(sink: SinkSpec, stage: string, partition: number, batches: RecordBatch[]): Promise<string> {
  const w = writers.get(sink.format);
  if (!w) throw new Error(`no writer registered for sink format "${sink.format}"`);
  const path = files.part(sink.path, stage, partition, w.ext);
  await w.write(sink, path, batches.map(stripSystemColumns));
  return path;
}

function stripSystemColumns(b: RecordBatch): RecordBatch {
  const keep = b.schema.fields.map((f) => f.name).filter((n) => !SYSTEM_COLUMNS.includes(n));
  // Not arrow's `RecordBatch.select`: on IPC-read batches it returned nulls for Uint32 columns
  // placed after the system columns (seen with dedup's cluster_id/cluster_size).
  return keep.length === b.schema.fields.length ? b : selectColumns(b, keep);
}

/** Writes a file atomically: temp file in the same directory, then rename. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** Row groups of at most this many rows, whatever the batch boundaries. */
const ROW_GROUP_ROWS = 65_536;

registerSinkWriter('parquet', 'parquet', async (_sink, path, batches) => {
  const nonEmpty = batches.filter((b) => b.numRows > 0);
  const table = nonEmpty.length ? new Table(nonEmpty) : new Table(batches[0]?.schema ?? undefined);
  const wasmTable = pw.Table.fromIPCStream(tableToIPC(table, 'stream'));
  const props = new pw.WriterPropertiesBuilder()
    .setMaxRowGroupSize(ROW_GROUP_ROWS)
    .setCompression(pw.Compression.ZSTD)
    .setCreatedBy('sluice')
    .build();
  await writeFileAtomic(path, pw.writeParquet(wasmTable, props));
});

registerSinkWriter('jsonl', 'jsonl', async (_sink, path, batches) => {
  const lines: string[] = [];
  for (const b of batches) {
    for (const row of b) lines.push(JSON.stringify(row?.toJSON(), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
  }
  await writeFileAtomic(path, lines.length ? lines.join('\n') + '\n' : '');
});
