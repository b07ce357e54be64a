import type { SourceSpec } from '../plan/logical-plan.ts';

/** The files a reader takes from a directory (local) or a prefix (`s3://…/`) it is given, per format. */
export const DIRECTORY_PATTERNS: Record<Exclude<SourceSpec['format'], 'records'>, string[]> = {
  jsonl: ['**/*.jsonl', '**/*.jsonl.gz', '**/*.json.gz', '**/*.ndjson'],
  parquet: ['**/*.parquet'],
  arrow: ['**/*.arrow', '**/*.feather', '**/*.ipc'],
  warc: ['**/*.warc', '**/*.warc.gz'],
};
