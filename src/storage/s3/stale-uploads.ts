import { AbortMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import type { S3Connection } from './s3-connection.ts';

/**
 * Aborts the multipart uploads under `prefix` started before `cutoff`: what a writer killed
 * mid-upload leaves behind (invisible to readers, but its parts are stored and billed until
 * aborted). Returns how many were aborted. Pick a cutoff older than any live upload: an upload
 * aborted while its writer is still going makes that writer fail (it then retries from scratch).
 */
export async function abortStaleUploads(conn: S3Connection, bucket: string, prefix: string, cutoff: Date): Promise<number> {
  let aborted = 0;
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await conn.send({ op: 'ListMultipartUploads', bucket, key: prefix }, (client) =>
      client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker })));
    for (const u of page.Uploads ?? []) {
      if (!u.Key || !u.UploadId || (u.Initiated && u.Initiated.getTime() > cutoff.getTime())) continue;
      const { Key, UploadId } = u;
      await conn.send({ op: 'AbortMultipartUpload', bucket, key: Key }, (client) =>
        client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId })));
      aborted++;
    }
    if (!page.IsTruncated) return aborted;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}
