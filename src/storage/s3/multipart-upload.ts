import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { BlobData } from '../blob-store.ts';
import { sizedChunks } from '../chunker.ts';
import { DEFAULT_PART_SIZE, partSizeForSize, partSizeForStream } from './part-size.ts';
import type { S3Connection } from './s3-connection.ts';

/** How {@link uploadObject} writes. */
export interface UploadOptions {
  /** Smallest part (and the size up to which one PutObject is used); default 8 MiB, at least 5 MiB. */
  partSize?: number;
  /** Parts uploading at once for this object (each held in memory); default 4. */
  partsInFlight?: number;
  contentType?: string;
}

/** What {@link uploadObject} wrote. */
export interface UploadResult {
  size: number;
  /** 0 for a single PutObject. */
  parts: number;
}

/**
 * Writes an object from bytes or a stream. Up to one part size it is a single PutObject; beyond,
 * a multipart upload whose part size keeps within 10,000 parts (from the size when known, else
 * growing with the part count), a few parts in flight. S3 makes the object visible only when the
 * upload completes, so readers see the old object or the new one; on failure the upload is
 * aborted, leaving no parts behind (and the old object in place).
 */
export async function uploadObject(conn: S3Connection, bucket: string, key: string, data: BlobData, options: UploadOptions = {}): Promise<UploadResult> {
  const minPart = options.partSize ?? DEFAULT_PART_SIZE;
  const sizeOf = data instanceof Uint8Array
    ? ((size: number) => () => size)(partSizeForSize(data.length, minPart))
    : (i: number) => partSizeForStream(i, minPart);
  // A streamed part is copied as soon as it is read: it is uploaded while the producer goes on,
  // and a pass-through view of the producer's buffer would change if the producer reused it.
  const own = (bytes: Uint8Array): Uint8Array => (data instanceof Uint8Array ? bytes : bytes.slice());
  const parts = sizedChunks(data, sizeOf)[Symbol.asyncIterator]();
  const first = await parts.next();
  const firstBytes = first.done ? new Uint8Array(0) : own(first.value);
  const second = first.done ? first : await parts.next();
  if (second.done) {
    await conn.send({ op: 'PutObject', bucket, key }, (client) =>
      client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: firstBytes, ContentLength: firstBytes.length, ContentType: options.contentType })));
    return { size: firstBytes.length, parts: 0 };
  }
  const created = await conn.send({ op: 'CreateMultipartUpload', bucket, key }, (client) =>
    client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: options.contentType })));
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error(`S3 CreateMultipartUpload s3://${bucket}/${key} returned no UploadId`);
  try {
    const etags: string[] = [];
    const inFlight = new Set<Promise<void>>();
    const limit = Math.max(1, options.partsInFlight ?? 4);
    let size = 0;
    let partNumber = 0;
    const uploadPart = async (n: number, bytes: Uint8Array): Promise<void> => {
      const res = await conn.send({ op: 'UploadPart', bucket, key }, (client) =>
        client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: n, Body: bytes, ContentLength: bytes.length })));
      if (!res.ETag) throw new Error(`S3 UploadPart s3://${bucket}/${key} part ${n} returned no ETag`);
      etags[n - 1] = res.ETag;
    };
    let failure: { error: unknown } | undefined;
    const start = (bytes: Uint8Array): void => {
      const n = ++partNumber;
      size += bytes.length;
      const p: Promise<void> = uploadPart(n, bytes)
        .catch((error: unknown) => { failure ??= { error }; })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    try {
      start(firstBytes);
      start(own(second.value));
      for (let r = await parts.next(); !r.done && !failure; r = await parts.next()) {
        while (inFlight.size >= limit) await Promise.race(inFlight);
        if (failure) break;
        start(own(r.value));
      }
    } finally {
      // Every started part settles before we complete or abort.
      await Promise.all([...inFlight]);
    }
    if (failure) throw failure.error;
    await conn.send({ op: 'CompleteMultipartUpload', bucket, key }, (client) =>
      client.send(new CompleteMultipartUploadCommand({
        Bucket: bucket, Key: key, UploadId: uploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      })));
    return { size, parts: partNumber };
  } catch (e) {
    await conn.send({ op: 'AbortMultipartUpload', bucket, key }, (client) =>
      client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))).catch(() => undefined);
    throw e;
  }
}
