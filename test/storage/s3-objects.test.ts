import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  S3RequestError, deleteObjects, getObjectBytes, headObject, listObjects, putObjectBytes, readObjectRange, uploadObject,
} from '../../src/storage/s3/index.ts';
import { collectBytes, inPieces, pseudoRandomBytes as bytes, sameBytes } from '../helpers/bytes.ts';
import { NO_S3, findS3Server, useTestBucket } from '../helpers/s3.ts';

const server = await findS3Server();
const bucket = useTestBucket(server);
if (!server) it.skip(`S3 object operations: ${NO_S3}`, () => undefined);

const MIB = 1 << 20;

describe.runIf(server)('S3 object operations against a real server', () => {
  it('uploads a streamed object in parts, reads ranges of it, and counts the requests', async () => {
    const conn = bucket.connection;
    const data = bytes(17 * MIB + 4321, 42);
    conn.resetRequestCounts();
    const result = await uploadObject(conn, bucket.name, 'mp/stream.bin', inPieces(data, 1_000_003), { partSize: 5 * MIB });
    expect(result).toEqual({ size: data.length, parts: 4 });
    expect(conn.requestCounts()).toEqual({ CreateMultipartUpload: 1, UploadPart: 4, CompleteMultipartUpload: 1 });
    expect((await headObject(conn, bucket.name, 'mp/stream.bin'))?.size).toBe(data.length);

    conn.resetRequestCounts();
    const whole = await collectBytes(readObjectRange(conn, bucket.name, 'mp/stream.bin', 0, undefined, { windowSize: 4 * MIB }));
    expect(sameBytes(whole, data)).toBe(true);
    // One HEAD for the size, then ceil(17.004 MiB / 4 MiB) = 5 ranged GETs.
    expect(conn.requestCounts()).toEqual({ GetObject: 5, HeadObject: 1 });
    // A range crossing part and window boundaries, and a range inside one window.
    const a = 5 * MIB - 17;
    const b = 11 * MIB + 3;
    expect(sameBytes(await collectBytes(readObjectRange(conn, bucket.name, 'mp/stream.bin', a, b, { windowSize: MIB })), data.subarray(a, b))).toBe(true);
    expect(sameBytes((await getObjectBytes(conn, bucket.name, 'mp/stream.bin', [100, 199]))!, data.subarray(100, 200))).toBe(true);
    await expect(collectBytes(readObjectRange(conn, bucket.name, 'mp/stream.bin', 0, data.length + 10))).rejects.toThrow(/object shorter|InvalidRange|416/);
  });

  it('uploads bytes of known size in one PutObject up to the part size, and empty objects', async () => {
    const conn = bucket.connection;
    conn.resetRequestCounts();
    expect(await uploadObject(conn, bucket.name, 'small/one', bytes(3 * MIB, 1))).toEqual({ size: 3 * MIB, parts: 0 });
    expect(await uploadObject(conn, bucket.name, 'small/empty', new Uint8Array(0))).toEqual({ size: 0, parts: 0 });
    expect(await uploadObject(conn, bucket.name, 'small/empty-stream', inPieces(new Uint8Array(0), 10))).toEqual({ size: 0, parts: 0 });
    expect(conn.requestCounts()).toEqual({ PutObject: 3 });
    expect((await getObjectBytes(conn, bucket.name, 'small/empty'))!.length).toBe(0);
    expect(await collectBytes(readObjectRange(conn, bucket.name, 'small/empty'))).toEqual(new Uint8Array(0));
    expect(sameBytes((await getObjectBytes(conn, bucket.name, 'small/one'))!, bytes(3 * MIB, 1))).toBe(true);
  });

  it('aborts a multipart upload whose stream fails, keeping the previous object and leaving no parts', async () => {
    const conn = bucket.connection;
    const before = bytes(1000, 5);
    await putObjectBytes(conn, bucket.name, 'abort/victim', before);
    async function* failing() {
      for (let i = 0; i < 3; i++) yield bytes(4 * MIB, 10 + i);
      throw new Error('producer crashed');
    }
    conn.resetRequestCounts();
    await expect(uploadObject(conn, bucket.name, 'abort/victim', failing(), { partSize: 5 * MIB })).rejects.toThrow('producer crashed');
    expect(conn.requestCounts()).toMatchObject({ CreateMultipartUpload: 1, AbortMultipartUpload: 1 });
    expect(conn.requestCounts().CompleteMultipartUpload).toBeUndefined();
    expect(await getObjectBytes(conn, bucket.name, 'abort/victim')).toEqual(before);
    const uploads = await conn.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name, Prefix: 'abort/' }));
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  it('lists with pagination in key order, and deletes in batches', async () => {
    const conn = bucket.connection;
    const keys = Array.from({ length: 23 }, (_, i) => `page/k${String(i).padStart(3, '0')}`);
    await Promise.all(keys.map((k) => putObjectBytes(conn, bucket.name, k, k)));
    await putObjectBytes(conn, bucket.name, 'pagez', 'outside the prefix');
    conn.resetRequestCounts();
    const listed = [];
    for await (const o of listObjects(conn, bucket.name, 'page/', 5)) listed.push(o);
    expect(listed.map((o) => o.key)).toEqual(keys);
    expect(listed.every((o) => o.size === 9 && o.lastModified.getTime() > 0)).toBe(true);
    expect(conn.requestCounts()).toEqual({ ListObjectsV2: 5 });
    await deleteObjects(conn, bucket.name, [...keys.slice(0, 20), 'page/never-existed']);
    const left = [];
    for await (const o of listObjects(conn, bucket.name, 'page/')) left.push(o.key);
    expect(left).toEqual(keys.slice(20));
  });

  it('returns undefined for a missing key and names operation, bucket and key on a final error', async () => {
    const conn = bucket.connection;
    expect(await getObjectBytes(conn, bucket.name, 'no/such/key')).toBeUndefined();
    expect(await headObject(conn, bucket.name, 'no/such/key')).toBeUndefined();
    const err = await getObjectBytes(conn, 'sluice-no-such-bucket-x', 'k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3RequestError);
    expect((err as S3RequestError).message).toMatch(/^S3 GetObject s3:\/\/sluice-no-such-bucket-x\/k failed: .*NoSuchBucket/);
    expect((err as S3RequestError).attempts).toBe(1);
  });
});
