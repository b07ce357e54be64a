import { localPath, isS3Uri, parseS3Uri } from '../../storage/index.ts';
import { LocalLocation } from './local-location.ts';
import type { Location } from './location.ts';
import type { S3LocationOptions } from './s3-location.ts';

/**
 * Opens the location a URI names: `s3://bucket/prefix` an S3 location (loading the AWS SDK only
 * then), a local path or `file://` URL a local directory.
 */
export async function openLocation(uri: string, options: { s3?: S3LocationOptions } = {}): Promise<Location> {
  if (isS3Uri(uri)) {
    const { bucket, key } = parseS3Uri(uri);
    const { S3Location } = await import('./s3-location.ts');
    return new S3Location(bucket, key, options.s3);
  }
  return new LocalLocation(localPath(uri));
}

/**
 * Splits a file's URI into the location of its directory and its name, so a reader given a list
 * of full URIs can `stat` and `readRange` each: `s3://b/crawl/x.warc.gz` → (`s3://b/crawl/`, `x.warc.gz`).
 */
export async function openFile(uri: string, options: { s3?: S3LocationOptions } = {}): Promise<{ location: Location; path: string }> {
  const slash = uri.lastIndexOf('/');
  if (isS3Uri(uri)) {
    const { key } = parseS3Uri(uri);
    if (key === '' || key.endsWith('/')) throw new Error(`"${uri}" names no object`);
    return { location: await openLocation(uri.slice(0, slash + 1), options), path: uri.slice(slash + 1) };
  }
  const file = localPath(uri);
  const cut = file.lastIndexOf('/');
  return { location: new LocalLocation(file.slice(0, cut) || '/'), path: file.slice(cut + 1) };
}
