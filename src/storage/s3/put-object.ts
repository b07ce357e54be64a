import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Connection } from './s3-connection.ts';

/** Writes a small object in one retried PutObject (the bytes are replayable, so retries resend them). */
export async function putObjectBytes(conn: S3Connection, bucket: string, key: string, bytes: Uint8Array | string, contentType?: string): Promise<void> {
  const body = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  await conn.send({ op: 'PutObject', bucket, key }, (client) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length, ContentType: contentType })));
}
