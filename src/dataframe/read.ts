import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import fg from 'fast-glob';
import { DataFrame } from './dataframe.ts';
import { matchFiles, noFilesMessage, splitPattern, warnNearMisses } from './match-files.ts';
import type { Scalar } from '../plan/expr.ts';
import type { SourceSpec } from '../plan/logical-plan.ts';

/** Files, a directory, or glob patterns (fast-glob syntax). */
export type PathsArg = string | readonly string[];

/** Default file patterns used when a directory is given, per format. */
const DIRECTORY_PATTERNS: Record<Exclude<SourceSpec['format'], 'records'>, string[]> = {
  jsonl: ['**/*.jsonl', '**/*.jsonl.gz', '**/*.json.gz', '**/*.ndjson'],
  parquet: ['**/*.parquet'],
  arrow: ['**/*.arrow', '**/*.feather', '**/*.ipc'],
  warc: ['**/*.warc', '**/*.warc.gz'],
};

/**
 * Resolves paths to a sorted list of absolute file paths. Sorting makes input order, and so document
 * identity and output order, independent of the file system's listing order. A directory or pattern
 * that skips files with a near-miss extension (`.json.gz` next to `.jsonl.gz`) warns on stderr; one
 * that matches nothing is an error naming the pattern and the directory.
 */
export function resolvePaths(paths: PathsArg, format: Exclude<SourceSpec['format'], 'records'>): string[] {
  const list = typeof paths === 'string' ? [paths] : paths;
  if (list.length === 0) throw new Error(`no ${format} files: the list of paths is empty`);
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
  return [...out].sort();
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
