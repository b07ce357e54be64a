import { rm } from 'node:fs/promises';
import { isS3Uri, localPath, parseS3Uri } from '../../storage/index.ts';
import type { S3LocationOptions } from './s3-location.ts';

/**
 * Removes everything under a location and the file the URI itself names, if any (`rm -r` of a
 * directory or file; on S3 every key under the prefix plus the key itself, one listing and one
 * DeleteObjects per 1000 keys). Missing is fine.
 */
export async function removeTree(uri: string, options: { s3?: S3LocationOptions } = {}): Promise<void> {
  if (!isS3Uri(uri)) {
    await rm(localPath(uri), { recursive: true, force: true });
    return;
  }
  const { bucket, key } = parseS3Uri(uri);
  // Loaded only for S3, as openLocation does: the SDK costs ~0.35 s to import.
  const [{ S3Location }, { deleteObjects }] = await Promise.all([import('./s3-location.ts'), import('../../storage/s3/index.ts')]);
  const location = new S3Location(bucket, key, options.s3);
  const keys = (await location.list()).map((e) => location.prefix + e.path);
  if (key !== '' && !key.endsWith('/')) keys.push(key);
  await deleteObjects(location.connection, bucket, keys);
}
