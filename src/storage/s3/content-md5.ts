import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * DeleteObjects must carry an integrity header; SDK releases since early 2025 send a CRC32
 * checksum, which older S3 implementations (OpenStack Swift's s3api, Ceph before 18) reject,
 * requiring the `Content-MD5` that S3 itself still accepts. This build-step middleware swaps the
 * one for the other on that command only.
 */
export function addContentMd5ForDeleteObjects(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      if (context.commandName === 'DeleteObjectsCommand' && request.headers && (typeof request.body === 'string' || request.body instanceof Uint8Array)) {
        request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
        for (const h of Object.keys(request.headers)) {
          if (/^x-amz-(checksum-|sdk-checksum-algorithm)/i.test(h)) delete request.headers[h];
        }
      }
      return next(args);
    },
    { step: 'build', name: 'sluiceContentMd5ForDeleteObjects', priority: 'low' },
  );
}
