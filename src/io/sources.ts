import type { SourceSpec } from '../plan/logical-plan.ts';
import type { PartitionSpec } from '../plan/physical-plan.ts';
import { arrowReader } from './arrow-ipc/read.ts';
import { jsonlReader } from './jsonl/read.ts';
import { parquetReader } from './parquet/read.ts';
import { recordsReader } from './records/read.ts';
import type { SourceReader } from './source.ts';
import { warcReader } from './warc/read.ts';

const readers: Record<SourceSpec['format'], SourceReader> = {
  jsonl: jsonlReader,
  parquet: parquetReader,
  arrow: arrowReader,
  records: recordsReader,
  warc: warcReader,
};

/** The reader for a source format. */
export function getReader(format: SourceSpec['format']): SourceReader {
  const r = readers[format];
  if (!r) throw new Error(`no reader for source format "${format}" (known: ${Object.keys(readers).join(', ')})`);
  return r;
}

export { arrowReader, jsonlReader, parquetReader, recordsReader, warcReader };
export type { ReadItem, ReadRequest, SourceReader } from './source.ts';

/**
 * Input bytes per scan task when planning. Task boundaries may not depend on the worker count, so
 * the size is set by balance: a worker that takes the last task while the others are done idles
 * for up to one task's time, so tasks must be short next to a run. 16 MiB of WARC is ~1,000 HTML
 * pages, a few seconds of the RefinedWeb recipe on one core; a 1 GB Common Crawl file makes ~64
 * tasks, and per-task costs (a commit, a part file, dedup band files) stay ~1% of a task.
 */
export const DEFAULT_PARTITION_BYTES = 16 << 20;

/**
 * Splits a source into partitions with its reader; the signature physical planning expects
 * (`PhysicalPlanningContext.partition`). The scan's columns/predicate do not change partitioning.
 */
export async function partitionSource(
  source: SourceSpec,
  _scan: { columns?: string[]; predicate?: unknown } = {},
  targetBytes: number = DEFAULT_PARTITION_BYTES,
): Promise<PartitionSpec[]> {
  return getReader(source.format).partitions(source, targetBytes);
}
