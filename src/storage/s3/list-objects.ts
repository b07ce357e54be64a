import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Connection } from './s3-connection.ts';

/** One listed object. */
export interface ListedObject {
  key: string;
  size: number;
  lastModified: Date;
}

/**
 * Every object whose key starts with `prefix`, page by page (ListObjectsV2 with continuation
 * tokens, up to `pageSize` keys a request), in the server's order: UTF-8 binary order of keys on
 * S3 and Swift. Each page is one retried request.
 */
export async function* listObjects(conn: S3Connection, bucket: string, prefix: string, pageSize = 1000): AsyncGenerator<ListedObject> {
  let token: string | undefined;
  do {
    const page = await conn.send({ op: 'ListObjectsV2', bucket, key: prefix }, (client) =>
      client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: pageSize, ContinuationToken: token })));
    for (const o of page.Contents ?? []) {
      if (o.Key !== undefined) yield { key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}
