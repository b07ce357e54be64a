import { DeleteObjectsCommand } from '@aws-sdk/client-s3';
import type { S3Connection } from './s3-connection.ts';

/** DeleteObjects takes at most this many keys per request. */
const BATCH = 1000;

/**
 * Deletes the keys with DeleteObjects, 1000 per request (quiet mode: the answer lists only
 * failures, which are thrown). Missing keys count as deleted, as S3 has it.
 */
export async function deleteObjects(conn: S3Connection, bucket: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += BATCH) {
    const batch = keys.slice(i, i + BATCH);
    const res = await conn.send({ op: 'DeleteObjects', bucket, key: batch[0] }, (client) =>
      client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } })));
    const errors = res.Errors ?? [];
    if (errors.length > 0) {
      const first = errors[0]!;
      throw new Error(`S3 DeleteObjects s3://${bucket}: ${errors.length} of ${batch.length} keys failed, first ${first.Key}: ${first.Code} ${first.Message}`);
    }
  }
}
