import { describe, expect, it } from 'vitest';
import { BlobCorruptError } from '../../src/storage/index.ts';
import { S3BlobStore, getObjectBytes, listObjects, putObjectBytes } from '../../src/storage/s3/index.ts';
import { pseudoRandomBytes as bytes } from '../helpers/bytes.ts';
import { NO_S3, findS3Server, useTestBucket } from '../helpers/s3.ts';

/**
 * Small blobs on S3 live inside their manifest object: one PUT to write and one GET to read
 * (checkpoints and drop logs are a few hundred bytes, written per commit unit), still verified
 * against the recorded xxhash64 on every read.
 */
const server = await findS3Server();
if (!server) console.warn(`skipping S3 inline-blob tests: ${NO_S3}`);
const bucket = useTestBucket(server);

describe.skipIf(!server)('S3BlobStore: small blobs inline in the manifest', () => {
  it('writes a small blob with one request and reads it with one, verified', async () => {
    const store = new S3BlobStore(bucket.name, 'inline/a', { chunkSize: 1000, connection: bucket.connection });
    const data = bytes(700, 3);
    bucket.connection.resetRequestCounts();
    const m = await store.put('ck', data);
    expect(bucket.connection.requestCounts()).toEqual({ PutObject: 1 });
    expect(m.chunks).toHaveLength(1);
    expect(m.inline).toBeDefined();
    bucket.connection.resetRequestCounts();
    expect(await store.getBytes('ck')).toEqual(data);
    expect(bucket.connection.requestCounts()).toEqual({ GetObject: 1 });
    const objects: string[] = [];
    for await (const o of listObjects(bucket.connection, bucket.name, 'inline/a/')) objects.push(o.key);
    expect(objects).toEqual(['inline/a/manifests/ck.json']);
    // A blob above the chunk size or the inline limit keeps chunk objects.
    const big = await store.put('big', bytes(2500, 4));
    expect(big.inline).toBeUndefined();
    expect(await store.getBytes('big')).toEqual(bytes(2500, 4));
    expect((await store.gc({ graceMs: 0 })).chunksRemoved).toBe(0);
    expect(await store.getBytes('ck')).toEqual(data);
  });

  it('a tampered inline blob fails its hash check instead of returning wrong bytes', async () => {
    const store = new S3BlobStore(bucket.name, 'inline/b', { connection: bucket.connection });
    await store.put('ck', new TextEncoder().encode('{"format":"sluice-checkpoint/1"}'));
    const key = 'inline/b/manifests/ck.json';
    const manifest = JSON.parse(Buffer.from((await getObjectBytes(bucket.connection, bucket.name, key))!).toString()) as { inline: string };
    manifest.inline = Buffer.from('{"format":"sluice-checkpoint/2"}').toString('base64');
    await putObjectBytes(bucket.connection, bucket.name, key, JSON.stringify(manifest));
    await expect(store.getBytes('ck')).rejects.toBeInstanceOf(BlobCorruptError);
    await expect(store.getBytes('ck')).rejects.toThrow(/xxhash64 is [0-9a-f]{16} inline in s3:\/\//);
  });

  it('inlineMax: 0 keeps every blob in chunk objects', async () => {
    const store = new S3BlobStore(bucket.name, 'inline/c', { inlineMax: 0, connection: bucket.connection });
    expect((await store.put('k', bytes(10, 1))).inline).toBeUndefined();
    expect(await store.getBytes('k')).toEqual(bytes(10, 1));
  });
});
