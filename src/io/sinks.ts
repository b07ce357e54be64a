import { isAbsolute } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import type { SinkSpec } from '../plan/logical-plan.ts';
import { isS3Uri, joinUri, localPath } from '../storage/uri.ts';
import { writeJsonl } from './jsonl/write.ts';
import { writeParquet } from './parquet/write.ts';
import type { FileDigest } from '../storage/file-digest.ts';

/** A file a sink wrote, with the digest of its bytes (what `sluice verify` checks it against). */
export interface WrittenFile extends FileDigest {
  path: string;
  /** An intermediate file the sink's finalizer consumes and then removes (token parts): it is
   *  output only until the run is finalized. */
  transient?: boolean;
}

/**
 * Writes one task's rows as one part file of a sink directory. `path` is the part's URI (a local
 * path or `s3://…`). Part files are named by stage and partition (never by worker) and written
 * atomically through a `Location` (temp file + rename locally, a PUT or multipart upload on S3),
 * so a part either exists whole or not at all and rewriting it on resume gives the same bytes.
 * Writers drop the system columns. Returns every file written, with its digest.
 */
export type SinkPartWriter = (sink: SinkSpec, path: string, batches: RecordBatch[]) => Promise<WrittenFile[]>;

/**
 * Runs once every task of the run is committed, for sinks whose output spans all parts (token
 * shards + manifest). Must be idempotent: a rerun after a crash during finalize (before stats.json)
 * calls it again, and two copies racing (a requeued finalize task) must both succeed with the same
 * output. `outDir` is the run's output location (a path or URI). Returns the files the sink's
 * output consists of once finalized, with their digests.
 */
export type SinkFinalizer = (sink: SinkSpec, ctx: { fingerprint: string; outDir: string }) => Promise<WrittenFile[]>;

const writers = new Map<string, { ext: string; write: SinkPartWriter; finalize?: SinkFinalizer }>();

/** Registers a writer for a sink format (the token-shard sink plugs in here). */
export function registerSinkWriter(format: string, ext: string, write: SinkPartWriter, finalize?: SinkFinalizer): void {
  writers.set(format, { ext, write, ...(finalize ? { finalize } : {}) });
}

/** Whether the sink format has a finalizer (work after the last task, worth showing progress for). */
export const hasFinalizer = (sink: SinkSpec): boolean => writers.get(sink.format)?.finalize !== undefined;

/** Calls the sink format's finalizer, if it has one; returns the files it reports. */
export async function finalizeSink(sink: SinkSpec, ctx: { fingerprint: string; outDir: string }): Promise<WrittenFile[]> {
  return (await writers.get(sink.format)?.finalize?.(sink, ctx)) ?? [];
}

/**
 * Where a sink writes: an `s3://` URI or an absolute path as given, a `file://` URL as its path,
 * a relative path under the run's output (`output` a directory or an `s3://` prefix, whose
 * relative sink paths become `joinUri(output, path)`).
 */
export function resolveSinkPath(path: string, output: string): string {
  if (isS3Uri(path)) return path;
  if (path.startsWith('file://')) return localPath(path);
  return isAbsolute(path) ? path : joinUri(output, path);
}

/** Kept documents as Parquet parts under `path` (relative paths are under the run's `--output`). */
export const parquetSink = (path: string): SinkSpec => ({ format: 'parquet', path });

/** Kept documents as JSON-lines parts under `path` (relative paths are under the run's `--output`). */
export const jsonlSink = (path: string): SinkSpec => ({ format: 'jsonl', path });

/** A task's file in a sink directory (a path or `s3://` URI): `part-<stage>-<partition>.<ext>`. */
export const partPath = (dir: string, stage: string, partition: number, ext: string): string =>
  joinUri(dir, `part-${stage}-${String(partition).padStart(5, '0')}.${ext}`);

/**
 * Writes a task's part of a sink; returns the files written with their digests. A task that kept
 * no rows writes no part (so a sink holds files in proportion to its data) and returns none;
 * readers of a sink directory and finalizers take the parts that exist, in name order.
 */
export async function writeSinkPart(sink: SinkSpec, stage: string, partition: number, batches: RecordBatch[]): Promise<WrittenFile[]> {
  const w = writers.get(sink.format);
  if (!w) throw new Error(`no writer registered for sink format "${sink.format}"`);
  if (!batches.some((b) => b.numRows > 0)) return [];
  return w.write(sink, partPath(sink.path, stage, partition, w.ext), batches);
}

/** Writes a whole sink as one file, local or `s3://` (what `collect()`-side actions such as `writeParquet` do). */
export async function writeSinkFile(sink: SinkSpec, batches: RecordBatch[]): Promise<void> {
  switch (sink.format) {
    case 'parquet': await writeParquet(sink.path, batches); return;
    case 'jsonl': await writeJsonl(sink.path, batches); return;
    default: throw new Error(`sink format "${sink.format}" writes parts of a run, not one file`);
  }
}

registerSinkWriter('parquet', 'parquet', async (_sink, path, batches) => {
  const nonEmpty = batches.filter((b) => b.numRows > 0);
  const { file } = await writeParquet(path, nonEmpty, batches[0] ? { schema: batches[0].schema } : {});
  return [{ path, ...file }];
});
registerSinkWriter('jsonl', 'jsonl', async (_sink, path, batches) => [{ path, ...(await writeJsonl(path, batches)).file }]);
