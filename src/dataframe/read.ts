import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import fg from 'fast-glob';
import { DataFrame } from './dataframe.ts';
import { matchFiles, noFilesMessage, splitPattern, warnNearMisses } from './match-files.ts';
import { DIRECTORY_PATTERNS } from '../io/input-patterns.ts';
import { isS3Uri, parseS3Uri } from '../storage/index.ts';
import type { Scalar } from '../plan/expr.ts';
import type { SourceSpec } from '../plan/logical-plan.ts';

/**
 * Files, a directory, or glob patterns (fast-glob syntax); local paths or `s3://` URIs (an object,
 * a prefix ending in `/`, or a pattern over keys), listed once when the plan is analyzed.
 */
export type PathsArg = string | readonly string[];

/**
 * Resolves paths to a sorted list of absolute file paths. Sorting makes input order, and so document
 * identity and output order, independent of the file system's listing order. A directory or pattern
 * that skips files with a near-miss extension (`.json.gz` next to `.jsonl.gz`) warns on stderr; one
 * that matches nothing is an error naming the pattern and the directory.
 */
export function resolvePaths(paths: PathsArg, format: Exclude<SourceSpec['format'], 'records'>): string[] {
  const list = typeof paths === 'string' ? [paths] : paths;
  if (list.length === 0) throw new Error(`no ${format} files: the list of paths is empty`);
  if (list.some(isS3Uri)) return resolveWithRemote(list, format);
  return [...resolveLocal(list, format)].sort();
}

/**
 * Paths with `s3://` entries: the S3 entries are kept as given (checked, not listed: this call is
 * synchronous; the analyzer lists prefixes and patterns once, `io/remote-inputs.ts`) and local
 * entries are resolved in place. Nothing is re-sorted, so a list of object URIs (an input list,
 * `ctx.files()`) keeps its order, which defines document identity.
 */
function resolveWithRemote(list: readonly string[], format: Exclude<SourceSpec['format'], 'records'>): string[] {
  const out = new Set<string>();
  for (const p of list) {
    if (isS3Uri(p)) {
      parseS3Uri(p);
      out.add(p);
    } else {
      for (const f of [...resolveLocal([p], format)].sort()) out.add(f);
    }
  }
  return [...out];
}

function resolveLocal(list: readonly string[], format: Exclude<SourceSpec['format'], 'records'>): Set<string> {
  const out = new Set<string>();
  for (const p of list) {
    const isDir = !fg.isDynamicPattern(p) && statOrNull(p)?.isDirectory();
    if (isDir || fg.isDynamicPattern(p)) {
      const { dir, pattern } = isDir ? { dir: resolve(p), pattern: DIRECTORY_PATTERNS[format] } : splitPattern(p);
      const match = matchFiles(pattern, dir);
      const shown = typeof pattern === 'string' ? pattern : pattern.join(', ');
      if (match.files.length === 0) throw new Error(noFilesMessage(`${format} files`, shown, dir));
      warnNearMisses(shown, dir, match);
      for (const f of match.files) out.add(f);
    } else {
      if (!statOrNull(p)?.isFile()) throw new Error(`input not found: ${resolve(p)}`);
      out.add(resolve(p));
    }
  }
  return out;
}

function statOrNull(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function scan(format: SourceSpec['format'], paths: string[], options?: Record<string, unknown>): DataFrame {
  const source: SourceSpec = { format, paths, ...(options ? { options } : {}) };
  return new DataFrame({ kind: 'scan', source });
}

/** Limits of {@link readJsonl} (validated by the reader; see README "Hostile inputs"). */
export interface JsonlReadOptions {
  /** Longest line kept, in decompressed bytes; longer lines are quarantined unbuffered. Default 64 MiB. */
  maxLineBytes?: number;
  /** Largest inflated/compressed ratio of a `.gz` file past 16 MiB inflated; past it the rest of the file is quarantined. Default 100. */
  maxInflationRatio?: number;
}

/** Reads JSON lines files (`.jsonl`, `.ndjson`, gzip-compressed `.jsonl.gz`/`.json.gz`). */
export function readJsonl(paths: PathsArg, options?: JsonlReadOptions): DataFrame {
  return scan('jsonl', resolvePaths(paths, 'jsonl'), options && Object.keys(options).length ? { ...options } : undefined);
}

/** Reads Parquet files; only the columns the plan needs are decoded, row groups are skipped by statistics. */
export function readParquet(paths: PathsArg): DataFrame {
  return scan('parquet', resolvePaths(paths, 'parquet'));
}

/** Reads Arrow IPC files. */
export function readArrow(paths: PathsArg): DataFrame {
  return scan('arrow', resolvePaths(paths, 'arrow'));
}

/** Options of {@link readWarc}. */
export interface WarcReadOptions {
  /** Content types kept (prefix match on the HTTP Content-Type); default HTML only. */
  contentTypes?: string[];
  /** Largest inflated gzip member and decoded HTTP body; bigger ones are quarantined. Default 256 MiB. */
  maxMemberBytes?: number;
  /** Largest record of an uncompressed `.warc` (header + Content-Length); bigger ones are quarantined. Default 256 MiB. */
  maxRecordBytes?: number;
}

/** Reads WARC files (`.warc`, multi-member `.warc.gz`): one row per HTML `response` record. */
export function readWarc(paths: PathsArg, options: WarcReadOptions = {}): DataFrame {
  return scan('warc', resolvePaths(paths, 'warc'), { ...options });
}

/** Builds a frame from rows held in memory (tests, small lookups). Values must be JSON scalars. */
export function fromRecords(rows: ReadonlyArray<Record<string, Scalar>>): DataFrame {
  return scan('records', [], { rows: rows.map((r) => ({ ...r })) });
}
