import { z } from 'zod';

/**
 * Limits that keep one hostile input (a gzip bomb, a gigabyte-long line) from exhausting a worker's
 * memory or holding a task for hours. Each is counted in bytes, never in time, so the same input
 * is cut at the same place on every machine and on resume.
 */

/**
 * Longest JSON line kept. A line is buffered whole before it is parsed, then held as a JS string
 * and an Arrow value, so a line costs about 4× its size at its peak; 64 MiB keeps that far below a
 * worker's heap while a real document (a book is ~1 MB of text) never comes near it.
 */
export const DEFAULT_MAX_LINE_BYTES = 64 << 20;

/**
 * Largest ratio of inflated to compressed bytes a gzip stream may reach. Text and HTML compress 3–10×
 * with gzip and deflate cannot exceed ~1032×; a gzip bomb sits near that bound. 100 is Apache POI's
 * bound for zip containers; Tor uses 25 for its own documents.
 */
export const DEFAULT_MAX_INFLATION_RATIO = 100;

/**
 * The inflation ratio is only judged past this many inflated bytes: a small file of repeated
 * lines may compress far better than text does without costing anything.
 */
export const INFLATION_RATIO_GRACE_BYTES = 16 << 20;

/** Reader options shared by line-based, gzip-capable sources (zod-validated with the reader's options). */
export const lineLimitsSchema = {
  /** Longest line (in decompressed bytes) kept; a longer one is quarantined without being buffered. Default 64 MiB. */
  maxLineBytes: z.number().int().positive().default(DEFAULT_MAX_LINE_BYTES),
  /** Largest inflated/compressed ratio of a gzip stream, judged past 16 MiB inflated; past it the rest of the file is quarantined. Default 100. */
  maxInflationRatio: z.number().positive().default(DEFAULT_MAX_INFLATION_RATIO),
};

/** An input broke one of the limits above; the message names the limit and the option to raise. */
export class InputLimitError extends Error {
  override name = 'InputLimitError';
}

/** The reason for a 0-byte input file: never a valid gzip or Parquet file, usually a failed download. */
export const EMPTY_FILE_REASON = 'empty file (0 bytes)';

/**
 * Prefixes a bad record's reason with the reader that found it (`warc: truncated gzip member …`),
 * so a quarantine file mixing sources and operators says who rejected each document.
 */
export function readerReason(reader: string, reason: string): string {
  return reason.startsWith(`${reader}: `) ? reason : `${reader}: ${reason}`;
}
