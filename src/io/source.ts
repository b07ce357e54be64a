import type { RecordBatch } from 'apache-arrow';
import type { ExprNode } from '../plan/expr.ts';
import type { FieldSpec, SourceSpec } from '../plan/logical-plan.ts';
import type { PartitionSpec } from '../plan/physical-plan.ts';

/** What a scan task asks of a reader. */
export interface ReadRequest {
  /** Columns to produce (plus the system columns `__file`/`__pos`); absent means all. */
  columns?: string[];
  /** A predicate the reader may use to skip data (e.g. Parquet row-group statistics); rows it
   *  returns are still filtered exactly by the stage, so a reader may ignore it. */
  predicate?: ExprNode;
  /** Rows per batch to aim for. */
  batchSize: number;
}

/**
 * A record the reader could not turn into a row (truncated gzip member, malformed WARC record,
 * undecodable line). It is counted and written to quarantine; the read goes on.
 */
export interface BadRecord {
  file: string;
  /** Byte offset (or row number) of the bad record in the file. */
  pos: number;
  reason: string;
  /** A prefix of the raw bytes, for the quarantine report. */
  sample?: string;
}

/**
 * Records a reader passed over on purpose (e.g. WARC `request`/`metadata` records, non-HTML
 * responses), counted by reason so the run accounts for every input record. Counts are deltas:
 * a reader may report the same reason several times per partition; the runner sums them.
 */
export interface SkippedRecords {
  reason: string;
  count: number;
}

/** A batch of rows, a bad record, or a count of skipped records, in input order. */
export type ReadItem = { batch: RecordBatch } | { bad: BadRecord } | { skipped: SkippedRecords };

/**
 * One reader per source format. Readers add the system columns `__file` (Int32, index of the file in
 * `spec.paths`) and `__pos` (Float64: byte offset of the record, or row number) to every batch.
 */
export interface SourceReader {
  format: SourceSpec['format'];
  /** Reads the schema cheaply (metadata or a small sample); undefined if it cannot be known. */
  inspect(spec: SourceSpec): Promise<FieldSpec[] | undefined>;
  /** Splits the input into partitions of at most about `targetBytes` (per file, byte range, row
   *  group), each with the `bytes` it covers when that is known; planning coalesces small ones. */
  partitions(spec: SourceSpec, targetBytes: number): Promise<PartitionSpec[]>;
  /** Streams one partition in input order. */
  read(spec: SourceSpec, partition: PartitionSpec, request: ReadRequest): AsyncIterable<ReadItem>;
}
