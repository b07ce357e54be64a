import type { BlobData } from '../../storage/index.ts';

/** One file (local) or object (S3) under a location. */
export interface LocationEntry {
  /** Path relative to the location's root, `/`-separated. */
  path: string;
  /** Full URI: a local absolute path, or `s3://bucket/key`. */
  uri: string;
  size: number;
  lastModified: Date;
}

/** Size and modification time of one file or object. */
export interface LocationStat {
  size: number;
  lastModified: Date;
}

/**
 * A place inputs are read from and outputs written to, named by a URI: a local directory or an
 * `s3://bucket/prefix`. Paths are relative to the root and `/`-separated on every backend, so the
 * code above it (readers, sinks, the run's output folder) never sees which one it is.
 */
export interface Location {
  /** The root as a URI (`s3://bucket/prefix/` or an absolute directory path). */
  readonly uri: string;
  /**
   * Every file whose relative path starts with `prefix` (default all), recursively, sorted by path
   * in UTF-8 byte order (S3's listing order). On S3 this is one paginated listing: do it once
   * when planning, not per task.
   */
  list(prefix?: string): Promise<LocationEntry[]>;
  /** Size and modification time, or undefined when there is no such file. */
  stat(path: string): Promise<LocationStat | undefined>;
  /** Streams bytes `[start, end)` (to the end when `end` is undefined): ranged GETs on S3. Throws if the file is missing or shorter than `end`. */
  readRange(path: string, start?: number, end?: number): AsyncIterable<Uint8Array>;
  /** The whole file. */
  readBytes(path: string): Promise<Uint8Array>;
  /**
   * Writes a file atomically: readers see the old file (or none) or the complete new one
   * (temp file + rename locally; one PUT or a multipart upload, aborted on failure, on S3).
   * A string is written as UTF-8.
   */
  writeFile(path: string, data: BlobData | string): Promise<void>;
  /** Removes the file; missing files are fine. */
  delete(path: string): Promise<void>;
  /** The URI of a path under this location. */
  uriOf(path: string): string;
}

/** Orders paths as S3 lists keys: by their UTF-8 bytes. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Rejects paths that would escape the root or that differ between backends (`.`/`..`/empty segments, backslashes). */
export function checkRelativePath(path: string): string {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`invalid location path "${path}": must be relative, '/'-separated, without empty, '.' or '..' segments`);
  }
  return path;
}
