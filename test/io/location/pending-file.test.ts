import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { LocalLocation, openPendingFile, type Location } from '../../../src/io/location/index.ts';
import { S3Location } from '../../../src/io/location/s3-location.ts';
import { S3RequestError, type S3Connection } from '../../../src/storage/s3/index.ts';
import { pseudoRandomBytes as bytes, sameBytes } from '../../helpers/bytes.ts';
import { startFaultProxy } from '../../helpers/fault-proxy.ts';
import { NO_S3, findS3Server, testConnection, useTestBucket } from '../../helpers/s3.ts';

const server = await findS3Server();
const bucket = useTestBucket(server);
const MIB = 1 << 20;
const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

interface Backend { name: string; open(): Promise<Location> }
let n = 0;
const backends: Backend[] = [{
  name: 'local',
  open: async () => { const d = await mkdtemp(join(tmpdir(), 'sluice-pending-')); dirs.push(d); return new LocalLocation(d); },
}];
if (server) {
  backends.push({ name: 's3', open: async () => new S3Location(bucket.name, `pending/${n++}`, { connection: bucket.connection, upload: { partSize: 5 * MIB } }) });
} else {
  it.skip(`pending files on s3: ${NO_S3}`, () => undefined);
}

/** 13 MiB of distinct pieces, pushed through ONE reused 1 MiB buffer, as the shard builder does. */
async function pushReusingBuffer(file: { write(b: Uint8Array): Promise<void> }, data: Uint8Array): Promise<void> {
  const buf = new Uint8Array(MIB);
  for (let at = 0; at < data.length; at += MIB) {
    const piece = data.subarray(at, Math.min(at + MIB, data.length));
    buf.set(piece);
    await file.write(buf.subarray(0, piece.length));
  }
}

describe.each(backends)('openPendingFile: $name', (backend) => {
  it('streams pushed pieces into one file, visible only on commit, even when the pusher reuses its buffer', async () => {
    const loc = await backend.open();
    const data = bytes(13 * MIB + 12345, 7);
    const file = openPendingFile(loc, 'shard.ds');
    await pushReusingBuffer(file, data);
    expect(await loc.stat('shard.ds')).toBeUndefined();
    await file.commit();
    expect(sameBytes(await loc.readBytes('shard.ds'), data)).toBe(true);
    expect((await loc.list()).map((e) => e.path)).toEqual(['shard.ds']);
  });

  it('abort leaves the previous file and nothing else', async () => {
    const loc = await backend.open();
    await loc.writeFile('shard.ds', 'previous');
    const file = openPendingFile(loc, 'shard.ds');
    await pushReusingBuffer(file, bytes(11 * MIB, 3));
    await file.abort();
    expect(new TextDecoder().decode(await loc.readBytes('shard.ds'))).toBe('previous');
    expect((await loc.list()).map((e) => e.path)).toEqual(['shard.ds']);
    await expect(file.write(new Uint8Array(1))).rejects.toThrow(/after abort/);
  });
});

describe.runIf(server)('openPendingFile when the upload fails for good', () => {
  it('rejects the pending write instead of waiting forever, and leaves no object or upload', async () => {
    // Every UploadPart fails: the multipart upload gives up after 2 attempts and is aborted.
    const proxy = await startFaultProxy(server!.endpoint, (_n, req) => (req.method === 'PUT' && /partNumber=/.test(req.url ?? '') ? 'internal-error' : undefined));
    const conn: S3Connection = testConnection(server!, { endpoint: proxy.endpoint, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } });
    try {
      const loc = new S3Location(bucket.name, 'pending-fail', { connection: conn, upload: { partSize: 5 * MIB } });
      const file = openPendingFile(loc, 'shard.ds');
      const error = await pushReusingBuffer(file, bytes(40 * MIB, 5)).then(() => file.commit()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(S3RequestError);
      expect((error as Error).message).toMatch(/UploadPart .*pending-fail\/shard\.ds failed after 2 attempts/);
      await expect(file.commit()).rejects.toBe(error);
      await file.abort();
      expect(await loc.list()).toEqual([]);
      const pending = await bucket.connection.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name, Prefix: 'pending-fail/' }));
      expect(pending.Uploads ?? []).toEqual([]);
    } finally {
      conn.destroy();
      await proxy.close();
    }
  });
});

it('local: a committed pending file leaves no temp file behind', async () => {
  const d = await mkdtemp(join(tmpdir(), 'sluice-pending-')); dirs.push(d);
  const file = openPendingFile(new LocalLocation(d), 'a.bin');
  await file.write(bytes(1000, 1));
  await file.commit();
  expect(await readdir(d)).toEqual(['a.bin']);
});
