import { isAbsolute, relative, sep } from 'node:path';
import { getBytesIfAny, type BlobStore } from '../../storage/blob-store.ts';
import { isS3Uri } from '../../storage/uri.ts';
import type { FileDigest } from '../../storage/file-digest.ts';
import { keys } from './layout.ts';

/**
 * One output file as its task committed it: what `sluice verify` re-hashes. Recorded in the
 * committed checkpoint of the stage task that wrote it (sink part, quarantine file, drop log) or in
 * `run/finalized` (token shards, index and manifest, global-limit parts, `stats.json`).
 */
export interface OutputRecord extends FileDigest {
  /** `/`-separated and relative to the output directory; absolute for a sink outside it. */
  path: string;
  /** Consumed and removed by finalize (token parts): checked only while the run is not finalized. */
  transient?: boolean;
}

/** The record of a file written under (or, for a sink elsewhere, outside) `outDir`. */
export function outputRecord(outDir: string, file: FileDigest & { path: string; transient?: boolean }): OutputRecord {
  return {
    path: relativeTo(outDir, file.path),
    size: file.size,
    xxh64: file.xxh64,
    ...(file.transient ? { transient: true } : {}),
  };
}

/** `path` relative to the output when it is inside it (`/`-separated), else as given. */
function relativeTo(outDir: string, path: string): string {
  if (isS3Uri(outDir) || isS3Uri(path)) {
    const base = outDir.replace(/\/+$/, '') + '/';
    return path.startsWith(base) && path.length > base.length ? path.slice(base.length) : path;
  }
  const rel = relative(outDir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

/** What `run/finalized` holds: the finalize task's commit and the files it wrote. */
export interface FinalizedMarker {
  fingerprint: string;
  at: string;
  /** Token shards, their indexes and manifest, global-limit sink parts, `stats.json`. Absent in
   *  markers of runs made before outputs were recorded. */
  outputs?: OutputRecord[];
}

/** The finalize task's marker, or undefined when the run is not finalized. */
export async function readFinalized(store: BlobStore): Promise<FinalizedMarker | undefined> {
  const bytes = await getBytesIfAny(store, keys.finalized);
  return bytes && JSON.parse(new TextDecoder().decode(bytes)) as FinalizedMarker;
}
