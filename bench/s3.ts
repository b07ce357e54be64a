import { createReadStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCorpus } from './pipeline/warc-input.ts';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { S3BlobStore, deleteObjects, listObjects, readObjectRange, uploadObject, type S3Connection } from '../src/storage/s3/index.ts';
import { findS3Server, testConnection } from '../test/helpers/s3-server.ts';

/**
 * `npm run bench -- s3`: reading a ~100 MB WARC (the real crawls of ../shared/data/warc
 * concatenated, still a valid multi-member WARC) from the local S3 server (.ci/s3/start.sh:
 * Swift + s3api on loopback) against reading the same file from local disk in the same run, and
 * the HTTP requests each operation costs. Median of 3 runs each (page cache warm for both).
 * Prints one JSON line per figure; needs the server and ../shared.
 */
const WARC_DIR = join(import.meta.dirname, '../../shared/data/warc');
/** MB of WARC (~100 MiB). */
const TARGET_MB = 105;
const RUNS = 3;


async function timed(fn: () => Promise<number>): Promise<{ ms: number; bytes: number }> {
  const runs: { ms: number; bytes: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const bytes = await fn();
    runs.push({ ms: performance.now() - t0, bytes });
  }
  return runs.sort((a, b) => a.ms - b.ms)[Math.floor(RUNS / 2)]!;
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const piece of stream) n += piece.length;
  return n;
}

const mbps = (r: { ms: number; bytes: number }): number => +((r.bytes / 1e6) / (r.ms / 1000)).toFixed(1);

export default async function run(): Promise<void> {
  if (!existsSync(WARC_DIR)) throw new Error(`bench s3 needs ${WARC_DIR}`);
  const server = await findS3Server();
  if (!server) throw new Error('no S3 server: run .ci/s3/start.sh');
  const conn: S3Connection = testConnection(server, { retry: {} });
  const bucket = `sluice-bench-${randomBytes(4).toString('hex')}`;
  const dir = join(tmpdir(), bucket);
  const { path: file, bytes: size } = await writeCorpus(dir, TARGET_MB);
  await conn.send({ op: 'CreateBucket', bucket }, (c) => c.send(new CreateBucketCommand({ Bucket: bucket })));
  try {
    const emit = (fields: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 's3', objectBytes: size, ...fields }));
    const requests = (): Record<string, number> => { const r = conn.requestCounts(); conn.resetRequestCounts(); return r; };

    const disk = await timed(() => drain(createReadStream(file, { highWaterMark: 1 << 20 })));
    emit({ case: 'read WARC from local disk (baseline)', ms: Math.round(disk.ms), mbPerSec: mbps(disk) });

    conn.resetRequestCounts();
    const up = await timed(() => uploadObject(conn, bucket, 'warc/big.warc.gz', readFileSync(file)).then((r) => r.size));
    emit({ case: 'upload WARC (multipart, 8 MiB parts, 4 in flight)', ms: Math.round(up.ms), mbPerSec: mbps(up), requestsPerOp: perOp(requests(), RUNS) });

    for (const [windowMiB, readAhead] of [[8, 2], [16, 4]] as const) {
      const read = await timed(() => drain(readObjectRange(conn, bucket, 'warc/big.warc.gz', 0, size, { windowSize: windowMiB << 20, readAhead })));
      emit({ case: `read WARC from S3 (ranged GETs of ${windowMiB} MiB, ${readAhead} ahead)`, ms: Math.round(read.ms), mbPerSec: mbps(read), baseline: 'local disk', baselineMbPerSec: mbps(disk), ratio: +(mbps(read) / mbps(disk)).toFixed(3), requestsPerOp: perOp(requests(), RUNS) });
    }
    // The server's ceiling: one plain GetObject of the whole object, streamed, without windows or retries.
    const raw = await timed(async () => {
      const res = await conn.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'warc/big.warc.gz' }));
      return drain(res.Body as AsyncIterable<Uint8Array>);
    });
    emit({ case: 'read WARC from S3 (one plain streamed GetObject, the server\'s ceiling)', ms: Math.round(raw.ms), mbPerSec: mbps(raw), baseline: 'local disk', baselineMbPerSec: mbps(disk), ratio: +(mbps(raw) / mbps(disk)).toFixed(3) });
    const taskRange = await timed(() => drain(readObjectRange(conn, bucket, 'warc/big.warc.gz', 10_000_000, 10_000_000 + 3 * 1024 * 1024)));
    emit({ case: 'read one task\'s 3 MiB byte range from S3', ms: +taskRange.ms.toFixed(1), mbPerSec: mbps(taskRange), requestsPerOp: perOp(requests(), RUNS) });

    const store = new S3BlobStore(bucket, 'store', { connection: conn });
    const put = await timed(() => store.put('warc/big', readFileSync(file)).then((m) => m.size));
    emit({ case: 'blob store put (4 MiB chunks + manifest)', ms: Math.round(put.ms), mbPerSec: mbps(put), requestsPerOp: perOp(requests(), RUNS) });
    const get = await timed(() => drain(store.get('warc/big')));
    emit({ case: 'blob store get (verified chunks, 4 ahead)', ms: Math.round(get.ms), mbPerSec: mbps(get), baseline: 'local disk', baselineMbPerSec: mbps(disk), ratio: +(mbps(get) / mbps(disk)).toFixed(3), requestsPerOp: perOp(requests(), RUNS) });
    await timed(async () => (await store.list('warc/')).length);
    emit({ case: 'blob store list', requestsPerOp: perOp(requests(), RUNS) });
  } finally {
    const keys: string[] = [];
    for await (const o of listObjects(conn, bucket, '')) keys.push(o.key);
    await deleteObjects(conn, bucket, keys);
    await conn.send({ op: 'DeleteBucket', bucket }, (c) => c.send(new DeleteBucketCommand({ Bucket: bucket })));
    conn.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

function perOp(counts: Record<string, number>, runs: number): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([op, n]) => [op, n / runs]));
}
