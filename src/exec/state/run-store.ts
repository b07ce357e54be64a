import type { BlobStore } from '../../storage/blob-store.ts';
import { openBlobStore } from '../../storage/open-blob-store.ts';
import { files } from './layout.ts';

/**
 * The run's blob store, `<output>/_store`: a directory for a local output, objects under the
 * output's prefix for an `s3://` output. Every process and thread of a run (driver, pool threads,
 * `sluice task`, `sluice status`) opens it this way, from the output URI alone.
 */
export function openRunStore(outDir: string, chunkSize: number): Promise<BlobStore> {
  return openStoreAt(files.store(outDir), chunkSize);
}

/** The store at `uri` (what pool threads receive) with the run's chunk size. */
export function openStoreAt(uri: string, chunkSize: number): Promise<BlobStore> {
  return openBlobStore(uri, { local: { chunkSize }, s3: { chunkSize } });
}
