import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCorpus } from './pipeline/warc-input.ts';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { warcReader } from '../src/io/warc/read.ts';
import type { SourceSpec } from '../src/plan/logical-plan.ts';
import { DEFAULT_PARTITION_BYTES } from '../src/io/sources.ts';
import { defaultS3Connection, deleteObjects, uploadObject } from '../src/storage/s3/index.ts';
import { findS3Server, testConnection } from '../test/helpers/s3-server.ts';
import { useServerEnvironment } from '../test/helpers/s3-inputs.ts';

/**
 * `npm run bench -- s3-inputs`: the WARC reader on a ~100 MB `.warc.gz` (the real crawls of
 * ../shared/data/warc concatenated) from the local S3 server (.ci/s3/start.sh) against the same
 * file on local disk, in the same run: planning (split points) and reading every task of the
 * default size (16 MiB) into rows, as a scan stage does; MB/s of compressed input, and the requests
 * planning and each task cost. Median of 3 runs. Prints JSON lines; needs the server and ../shared.
 */
const WARC_DIR = join(import.meta.dirname, '../../shared/data/warc');
/** MB of WARC (~100 MiB). */
const TARGET_MB = 105;
const RUNS = 3;


async function median<T extends { ms: number }>(fn: () => Promise<T>): Promise<T> {
  const runs: T[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await fn());
  return runs.sort((a, b) => a.ms - b.ms)[Math.floor(RUNS / 2)]!;
}

/** Plans the file into tasks and reads every task into row batches, as the scan stage would. */
async function planAndRead(path: string): Promise<{ ms: number; planMs: number; tasks: number; rows: number }> {
  const spec: SourceSpec = { format: 'warc', paths: [path] };
  const t0 = performance.now();
  const parts = await warcReader.partitions(spec, DEFAULT_PARTITION_BYTES);
  const planMs = performance.now() - t0;
  let rows = 0;
  for (const p of parts) {
    for await (const item of warcReader.read(spec, p, { batchSize: 8192 })) if ('batch' in item) rows += item.batch.numRows;
  }
  return { ms: performance.now() - t0, planMs, tasks: parts.length, rows };
}

export default async function run(): Promise<void> {
  if (!existsSync(WARC_DIR)) throw new Error(`bench s3-inputs needs ${WARC_DIR}`);
  const server = await findS3Server();
  if (!server) throw new Error('no S3 server: run .ci/s3/start.sh');
  useServerEnvironment(server);
  const conn = testConnection(server);
  const bucket = `sluice-bench-${randomBytes(4).toString('hex')}`;
  const dir = join(tmpdir(), bucket);
  const { path: file, bytes: size } = await writeCorpus(dir, TARGET_MB);
  await conn.send({ op: 'CreateBucket', bucket }, (c) => c.send(new CreateBucketCommand({ Bucket: bucket })));
  try {
    await uploadObject(conn, bucket, 'warc/big.warc.gz', readFileSync(file));
    const mbps = (ms: number): number => +((size / 1e6) / (ms / 1000)).toFixed(1);
    const local = await median(() => planAndRead(file));
    console.log(JSON.stringify({ bench: 's3-inputs', case: 'plan + read WARC rows from local disk (baseline)', objectBytes: size, ms: Math.round(local.ms), planMs: Math.round(local.planMs), mbPerSec: mbps(local.ms), tasks: local.tasks, rows: local.rows }));
    const reader = defaultS3Connection();
    reader.resetRequestCounts();
    const remote = await median(() => planAndRead(`s3://${bucket}/warc/big.warc.gz`));
    const perRun = Object.fromEntries(Object.entries(reader.requestCounts()).map(([op, n]) => [op, n / RUNS]));
    // Planning alone, to split its requests from the tasks'.
    reader.resetRequestCounts();
    await warcReader.partitions({ format: 'warc', paths: [`s3://${bucket}/warc/big.warc.gz`] }, DEFAULT_PARTITION_BYTES);
    const planning = reader.requestCounts();
    const perTask = Object.fromEntries(Object.entries(perRun).map(([op, n]) => [op, +((n - (planning[op] ?? 0)) / remote.tasks).toFixed(2)]));
    console.log(JSON.stringify({
      bench: 's3-inputs', case: 'plan + read WARC rows from S3 (ranged GETs)', objectBytes: size, ms: Math.round(remote.ms), planMs: Math.round(remote.planMs),
      mbPerSec: mbps(remote.ms), baseline: 'local disk', baselineMbPerSec: mbps(local.ms), ratio: +(local.ms / remote.ms).toFixed(3),
      tasks: remote.tasks, rows: remote.rows, sameRows: remote.rows === local.rows, planningRequests: planning, requestsPerTask: perTask,
    }));
  } finally {
    await deleteObjects(conn, bucket, ['warc/big.warc.gz']);
    await conn.send({ op: 'DeleteBucket', bucket }, (c) => c.send(new DeleteBucketCommand({ Bucket: bucket })));
    conn.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
