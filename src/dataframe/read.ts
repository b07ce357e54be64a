import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import fg from 'fast-glob';
import { DataFrame } from './dataframe.ts';
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
 * identity and output order, independent of the file system's listing order.
 */
export function resolvePaths(paths: PathsArg, format: Exclude<SourceSpec['format'], 'records'>): string[] {
  const out = new Set<string>();
  for (const p of typeof paths === 'string' ? [paths] : paths) {
    const isDir = !fg.isDynamicPattern(p) && statOrNull(p)?.isDirectory();
    if (isDir) {
      for (const f of fg.sync(DIRECTORY_PATTERNS[format], { cwd: p, absolute: true, onlyFiles: true })) out.add(f);
    } else if (fg.isDynamicPattern(p)) {
      for (const f of fg.sync(p, { absolute: true, onlyFiles: true })) out.add(f);
    } else {
      if (!statOrNull(p)?.isFile()) throw new Error(`input not found: ${p}`);
      out.add(resolve(p));
    }
  }
  if (out.size === 0) throw new Error(`no ${format} files match ${JSON.stringify(paths)}`);
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

/** Reads JSON lines files (`.jsonl`, `.ndjson`, gzip-compressed `.jsonl.gz`/`.json.gz`). */
export function readJsonl(paths: PathsArg): DataFrame {
  return scan('jsonl', resolvePaths(paths, 'jsonl'));
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
}

/** Reads WARC files (`.warc`, multi-member `.warc.gz`): one row per HTML `response` record. */
export function readWarc(paths: PathsArg, options: WarcReadOptions = {}): DataFrame {
  return scan('warc', resolvePaths(paths, 'warc'), { ...options });
}

/** Builds a frame from rows held in memory (tests, small lookups). Values must be JSON scalars. */
export function fromRecords(rows: ReadonlyArray<Record<string, Scalar>>): DataFrame {
  return scan('records', [], { rows: rows.map((r) => ({ ...r })) });
}
