import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { S3RequestError } from './retry.ts';
import type { S3Connection } from './s3-connection.ts';

/** What HEAD tells about an object. */
export interface ObjectInfo {
  size: number;
  lastModified: Date;
  etag: string | undefined;
}

/** A 404 for a key (not for a missing bucket, which stays an error). */
export function isMissingKey(e: unknown): boolean {
  return e instanceof S3RequestError && e.status === 404 && (e.code === 'NoSuchKey' || e.code === 'NotFound');
}

/**
 * The object's bytes (or those of `range`, inclusive `[start, end]` as HTTP has it), or undefined
 * when no object has the key. Body read inside the retried request, so a drop mid-body is retried.
 */
export async function getObjectBytes(conn: S3Connection, bucket: string, key: string, range?: readonly [number, number]): Promise<Uint8Array | undefined> {
  try {
    return await conn.send({ op: 'GetObject', bucket, key }, async (client) => {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range ? `bytes=${range[0]}-${range[1]}` : undefined }));
      return res.Body ? await res.Body.transformToByteArray() : new Uint8Array(0);
    });
  } catch (e) {
    if (isMissingKey(e)) return undefined;
    throw e;
  }
}

/** Size, modification time and ETag of an object, or undefined when no object has the key. */
export async function headObject(conn: S3Connection, bucket: string, key: string): Promise<ObjectInfo | undefined> {
  try {
    return await conn.send({ op: 'HeadObject', bucket, key }, async (client) => {
      const res = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { size: res.ContentLength ?? 0, lastModified: res.LastModified ?? new Date(0), etag: res.ETag };
    });
  } catch (e) {
    if (isMissingKey(e)) return undefined;
    throw e;
  }
}
