import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { S3BlobStore, S3RequestError, abortStaleUploads, getObjectBytes, putObjectBytes, readObjectRange, uploadObject, type S3Connection } from '../../src/storage/s3/index.ts';
import { collectBytes, inPieces, pseudoRandomBytes as bytes, sameBytes } from '../helpers/bytes.ts';
import { faultsByKind, startFaultProxy, type FaultPlan, type FaultProxy } from '../helpers/fault-proxy.ts';
import { NO_S3, findS3Server, testConnection, useTestBucket } from '../helpers/s3.ts';

const server = await findS3Server();
const bucket = useTestBucket(server);
if (!server) it.skip(`S3 fault injection: ${NO_S3}`, () => undefined);

const MIB = 1 << 20;
let proxy: FaultProxy | undefined;
let faulty: S3Connection | undefined;
afterEach(async () => {
  faulty?.destroy();
  await proxy?.close();
  proxy = undefined;
  faulty = undefined;
});

/** A connection whose requests pass through a fault-injecting proxy in front of the server. */
async function throughProxy(plan: FaultPlan, maxAttempts = 8): Promise<S3Connection> {
  proxy = await startFaultProxy(server!.endpoint, plan);
  faulty = testConnection(server!, { endpoint: proxy.endpoint, retry: { maxAttempts, baseDelayMs: 5, maxDelayMs: 50 } });
  return faulty;
}

/** The environment a child process reaches the test server with, through the standard variables only. */
const childEnv = (): NodeJS.ProcessEnv => ({
  ...process.env, AWS_ENDPOINT_URL_S3: server!.endpoint, AWS_ACCESS_KEY_ID: server!.accessKeyId,
  AWS_SECRET_ACCESS_KEY: server!.secretAccessKey, AWS_REGION: server!.region, SLUICE_S3_PATH_STYLE: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

const injected = (): string[] => proxy!.log.filter((r) => r.fault).map((r) => `${r.method} ${r.fault}`);

describe.runIf(server)('S3 layer under injected faults', () => {
  it('blob store put, get and list survive throttling, 5xx and dropped connections with identical bytes', async () => {
    const conn = await throughProxy(faultsByKind([
      { method: 'PUT', nth: [1, 4], fault: 'slowdown' },
      { method: 'PUT', nth: [2], fault: 'drop' },
      { method: 'PUT', nth: [6], fault: 'internal-error' },
      { method: 'PUT', nth: [7], fault: 'throttle-429' },
      { method: 'GET', match: /list-type=2/, nth: [1], fault: 'slowdown' },
      { method: 'GET', match: /list-type=2/, nth: [2], fault: 'drop-mid-response' },
      { method: 'GET', match: /chunks\//, nth: [1], fault: 'drop-mid-response' },
      { method: 'GET', match: /chunks\//, nth: [3], fault: 'drop' },
      { method: 'GET', match: /manifests\//, nth: [2], fault: 'internal-error' },
    ]));
    const store = new S3BlobStore(bucket.name, 'faults/store', { chunkSize: 256 * 1024, connection: conn });
    const a = bytes(MIB + 777, 1);
    const b = bytes(300_000, 2);
    await store.put('docs/a', inPieces(a, 100_000));
    await store.put('docs/b', b);
    expect(await store.list('docs/')).toEqual(['docs/a', 'docs/b']);
    expect(await store.list('docs/')).toEqual(['docs/a', 'docs/b']);
    expect(sameBytes(await store.getBytes('docs/a'), a)).toBe(true);
    expect(sameBytes(await collectBytes(store.get('docs/b')), b)).toBe(true);
    expect(injected().sort()).toEqual([
      'GET drop', 'GET drop-mid-response', 'GET drop-mid-response', 'GET internal-error', 'GET slowdown',
      'PUT drop', 'PUT internal-error', 'PUT slowdown', 'PUT slowdown', 'PUT throttle-429',
    ]);
    // Read back without the proxy: what was stored is what was written.
    const direct = new S3BlobStore(bucket.name, 'faults/store', { connection: bucket.connection });
    expect(sameBytes(await direct.getBytes('docs/a'), a)).toBe(true);
    // Every injected fault cost exactly one extra request.
    const sent = Object.values(conn.requestCounts()).reduce((x, y) => x + y, 0);
    expect(sent).toBe(proxy!.log.length);
  });

  it('multipart uploads and ranged reads survive faults on parts and windows', async () => {
    const conn = await throughProxy(faultsByKind([
      { method: 'PUT', match: /partNumber=2/, nth: [1], fault: 'drop' },
      { method: 'PUT', match: /partNumber=3/, nth: [1, 2], fault: 'slowdown' },
      { method: 'POST', match: /uploadId=/, nth: [1], fault: 'internal-error' },
      { method: 'GET', nth: [2], fault: 'drop-mid-response' },
      { method: 'GET', nth: [4], fault: 'slowdown' },
    ]));
    const data = bytes(16 * MIB + 99, 7);
    expect(await uploadObject(conn, bucket.name, 'faults/big.warc', inPieces(data, 3 * MIB), { partSize: 5 * MIB })).toEqual({ size: data.length, parts: 4 });
    const back = await collectBytes(readObjectRange(conn, bucket.name, 'faults/big.warc', 0, data.length, { windowSize: 2 * MIB, readAhead: 1 }));
    expect(sameBytes(back, data)).toBe(true);
    expect(injected().sort()).toEqual(['GET drop-mid-response', 'GET slowdown', 'POST internal-error', 'PUT drop', 'PUT slowdown', 'PUT slowdown']);
  });

  it('gives up after the attempt limit with an error naming operation, bucket and key, leaving the old blob', async () => {
    const store0 = new S3BlobStore(bucket.name, 'faults/limit', { chunkSize: 1000, connection: bucket.connection });
    await store0.put('k', bytes(2500, 1));
    // The new version's first two chunks go through, then every PUT is throttled.
    const conn = await throughProxy(faultsByKind([{ method: 'PUT', nth: Array.from({ length: 100 }, (_, i) => i + 3), fault: 'slowdown' }]), 4);
    const store = new S3BlobStore(bucket.name, 'faults/limit', { chunkSize: 1000, chunksInFlight: 1, connection: conn });
    const err = await store.put('k', bytes(2500, 2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3RequestError);
    expect((err as Error).message).toMatch(new RegExp(`^S3 PutObject s3://${bucket.name}/faults/limit/chunks/[0-9a-f]{2}/[0-9a-f]{16}-500 failed after 4 attempts: .*SlowDown.*HTTP 503`));
    expect(await store0.getBytes('k')).toEqual(bytes(2500, 1));
  });

  it('a writer killed mid-put leaves the previous blob visible, and gc reclaims its chunks', async () => {
    const store = new S3BlobStore(bucket.name, 'faults/kill', { chunkSize: 64, connection: bucket.connection });
    await store.put('victim', bytes(200, 1));
    const dir = await mkdtemp(join(tmpdir(), 'sluice-s3-kill-'));
    try {
      const script = join(dir, 'crash.mts');
      await writeFile(script, `
        import { openBlobStore } from ${JSON.stringify(resolve('src/storage/index.ts'))};
        const store = await openBlobStore('s3://${bucket.name}/faults/kill', { s3: { chunkSize: 64, chunksInFlight: 1 } });
        let n = 0;
        async function* data() {
          for (;;) {
            // Chunk n+1 is requested only once chunk n's PUT went out.
            if (++n === 4) process.kill(process.pid, 'SIGKILL');
            yield new Uint8Array(64).fill(n);
          }
        }
        await store.put('victim', data());
      `);
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', env: childEnv() });
      expect(r.signal, r.stderr).toBe('SIGKILL');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(await store.getBytes('victim')).toEqual(bytes(200, 1));
    expect(await store.list('')).toEqual(['victim']);
    const report = await store.gc({ graceMs: 0 });
    expect(report.chunksRemoved).toBeGreaterThanOrEqual(2);
    expect(report.chunksKept).toBe(4);
    expect(await store.getBytes('victim')).toEqual(bytes(200, 1));
  });

  it('a writer killed mid multipart upload leaves the old object; the stale upload is aborted and a rerun writes identical bytes', async () => {
    const conn = bucket.connection;
    const key = 'faults/mp-kill/part-0.warc.gz';
    await putObjectBytes(conn, bucket.name, key, bytes(1000, 1));
    const dir = await mkdtemp(join(tmpdir(), 'sluice-s3-mpkill-'));
    // The child writes 6 parts of 5 MiB, one at a time, and is killed asking for the 4th.
    const part = (i: number): Uint8Array => bytes(5 * MIB, 100 + i);
    try {
      const script = join(dir, 'crash.mts');
      await writeFile(script, `
        import { openLocation } from ${JSON.stringify(resolve('src/io/location/index.ts'))};
        import { pseudoRandomBytes } from ${JSON.stringify(resolve('test/helpers/bytes.ts'))};
        const loc = await openLocation('s3://${bucket.name}/faults/mp-kill', { s3: { upload: { partSize: ${5 * MIB}, partsInFlight: 1 } } });
        async function* data() {
          for (let i = 0; i < 6; i++) {
            if (i === 3) process.kill(process.pid, 'SIGKILL');
            yield pseudoRandomBytes(${5 * MIB}, 100 + i);
          }
        }
        await loc.writeFile('part-0.warc.gz', data());
      `);
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', env: childEnv() });
      expect(r.signal, r.stderr).toBe('SIGKILL');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(await getObjectBytes(conn, bucket.name, key)).toEqual(bytes(1000, 1));
    const stale = await conn.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name, Prefix: 'faults/mp-kill/' }));
    expect((stale.Uploads ?? []).map((u) => u.Key)).toEqual([key]);
    expect(await abortStaleUploads(conn, bucket.name, 'faults/mp-kill/', new Date(Date.now() - 3_600_000))).toBe(0);
    expect(await abortStaleUploads(conn, bucket.name, 'faults/mp-kill/', new Date(Date.now() + 60_000))).toBe(1);
    const after = await conn.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name, Prefix: 'faults/mp-kill/' }));
    expect(after.Uploads ?? []).toEqual([]);
    // The rerun (same deterministic bytes) commits the object whole.
    async function* rerun() { for (let i = 0; i < 6; i++) yield part(i); }
    expect(await uploadObject(conn, bucket.name, key, rerun(), { partSize: 5 * MIB })).toEqual({ size: 30 * MIB, parts: 6 });
    const back = await getObjectBytes(conn, bucket.name, key);
    const expected = new Uint8Array(30 * MIB);
    for (let i = 0; i < 6; i++) expected.set(part(i), i * 5 * MIB);
    expect(sameBytes(back!, expected)).toBe(true);
  });
});
