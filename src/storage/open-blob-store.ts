import type { BlobStore } from './blob-store.ts';
import { LocalBlobStore, type LocalBlobStoreOptions } from './local-blob-store.ts';
import type { S3BlobStoreOptions } from './s3/s3-blob-store.ts';
import { isS3Uri, localPath, parseS3Uri } from './uri.ts';

/** Options passed through to whichever store the URI selects. */
export interface OpenBlobStoreOptions {
  local?: LocalBlobStoreOptions;
  s3?: S3BlobStoreOptions;
}

/**
 * Opens the blob store a URI names: `s3://bucket/prefix` is an `S3BlobStore` under that prefix
 * (on the process-wide connection unless `options.s3.connection` is given); a local path or
 * `file://` URL is a {@link LocalBlobStore} rooted there. Workers receive such URIs, never store
 * objects, and open their own. Async because the AWS SDK (~0.35 s to load) is imported only when
 * an `s3://` store is opened, so local runs and their worker threads never pay for it.
 */
export async function openBlobStore(uri: string, options: OpenBlobStoreOptions = {}): Promise<BlobStore> {
  if (isS3Uri(uri)) {
    const { bucket, key } = parseS3Uri(uri);
    const { S3BlobStore } = await import('./s3/s3-blob-store.ts');
    return new S3BlobStore(bucket, key, options.s3);
  }
  return new LocalBlobStore(localPath(uri), options.local);
}
