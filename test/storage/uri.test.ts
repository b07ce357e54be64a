import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LocalBlobStore, formatS3Uri, isS3Uri, joinUri, localPath, openBlobStore, parseS3Uri } from '../../src/storage/index.ts';
import { S3BlobStore, S3Connection } from '../../src/storage/s3/index.ts';

describe('location URIs', () => {
  it('parses s3:// URIs into bucket and key', () => {
    expect(parseS3Uri('s3://commoncrawl/crawl-data/CC-MAIN-2024-22/warc.paths.gz')).toEqual({ bucket: 'commoncrawl', key: 'crawl-data/CC-MAIN-2024-22/warc.paths.gz' });
    expect(parseS3Uri('s3://bucket')).toEqual({ bucket: 'bucket', key: '' });
    expect(parseS3Uri('s3://bucket/')).toEqual({ bucket: 'bucket', key: '' });
    expect(parseS3Uri('s3://bucket/run/')).toEqual({ bucket: 'bucket', key: 'run/' });
    expect(() => parseS3Uri('/data/x')).toThrow(/not an s3:\/\/ URI/);
    expect(() => parseS3Uri('s3:///key')).toThrow(/invalid bucket name ""/);
    expect(() => parseS3Uri('s3://b/k')).toThrow(/invalid bucket name "b"/);
    expect(isS3Uri('s3://b/k')).toBe(true);
    expect(isS3Uri('S3://b/k')).toBe(false);
    expect(isS3Uri('./s3/data')).toBe(false);
    expect(formatS3Uri('bucket', 'a/b')).toBe('s3://bucket/a/b');
  });

  it('joins segments onto s3:// and local locations', () => {
    expect(joinUri('s3://bucket/run/', 'documents', 'part-0.parquet')).toBe('s3://bucket/run/documents/part-0.parquet');
    expect(joinUri('s3://bucket/run', '/store/')).toBe('s3://bucket/run/store');
    expect(joinUri('s3://bucket', 'x')).toBe('s3://bucket/x');
    expect(joinUri('/data/out', 'store')).toBe('/data/out/store');
    expect(joinUri('file:///data/my%20out', 'store')).toBe('/data/my out/store');
    expect(localPath('rel/dir')).toBe(resolve('rel/dir'));
    expect(() => localPath('gs://bucket/x')).toThrow(/unsupported location "gs:\/\/bucket\/x"/);
  });

  it('opens the blob store a URI names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-open-'));
    try {
      const local = await openBlobStore(dir);
      expect(local).toBeInstanceOf(LocalBlobStore);
      await local.put('k', new Uint8Array([1, 2, 3]));
      const viaUrl = await openBlobStore(pathToFileURL(dir).href);
      expect(await viaUrl.getBytes('k')).toEqual(new Uint8Array([1, 2, 3]));
      // Opening an S3 store sends no request: it only needs a connection.
      const connection = new S3Connection({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, env: {} });
      const s3 = await openBlobStore('s3://my-bucket/runs/r1', { s3: { connection } });
      expect(s3).toBeInstanceOf(S3BlobStore);
      expect((s3 as S3BlobStore).uri).toBe('s3://my-bucket/runs/r1/');
      expect((s3 as S3BlobStore).chunkKey({ hash: 'abcdef0123456789', size: 7 })).toBe('runs/r1/chunks/ab/abcdef0123456789-7');
      expect(connection.requestCounts()).toEqual({});
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
