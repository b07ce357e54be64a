import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonl, readParquet, readWarc } from '../../../src/dataframe/read.ts';
import { executePlan } from '../../../src/exec/driver/collect.ts';
import { putObjectBytes } from '../../../src/storage/s3/index.ts';
import { faultsByKind, startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.ts';
import { NO_S3, findS3Server, useTestBucket } from '../../helpers/s3.ts';
import { rowsOf, uploadDirectory, useServerEnvironment } from '../../helpers/s3-inputs.ts';

// Readers open S3 through the process's default connection, configured from the environment: this
// file points it at a proxy that injects faults, so it runs in its own test file (own process state).
const server = await findS3Server();
const bucket = useTestBucket(server);
let proxy: FaultProxy | undefined;
let s3 = '';
const DATA = /\/in\//;

beforeAll(async () => {
  if (!server) return;
  await uploadDirectory(bucket.connection, bucket.name, resolve('fixtures/warc'), 'in/warc/');
  await uploadDirectory(bucket.connection, bucket.name, resolve('fixtures/jsonl'), 'in/jsonl/');
  await uploadDirectory(bucket.connection, bucket.name, resolve('fixtures/parquet'), 'in/parquet/');
  // Every few requests for input data fails in one of the ways S3 and networks fail; counted, never timed.
  proxy = await startFaultProxy(server.endpoint, faultsByKind([
    { method: 'GET', match: DATA, nth: [2, 11, 23], fault: 'slowdown' },
    { method: 'GET', match: DATA, nth: [4, 17], fault: 'drop' },
    { method: 'GET', match: DATA, nth: [6, 19, 29], fault: 'drop-mid-response' },
    { method: 'GET', match: DATA, nth: [8], fault: 'internal-error' },
    { method: 'GET', match: DATA, nth: [13], fault: 'throttle-429' },
    { method: 'HEAD', match: DATA, nth: [3, 9], fault: 'slowdown' },
    { method: 'GET', match: /list-type=2/, nth: [1], fault: 'slowdown' },
    // Planning this object reads its gzip magic and a schema sample (2 GETs), the task its magic (1):
    // from the task's range read on, every request fails.
    { method: 'GET', match: /\/broken\//, nth: Array.from({ length: 60 }, (_, i) => i + 4), fault: 'internal-error' },
  ]));
  await putObjectBytes(bucket.connection, bucket.name, 'broken/dolma-40.jsonl', await readFile(resolve('fixtures/jsonl/dolma-40.jsonl')));
  useServerEnvironment(server, proxy.endpoint);
  s3 = `s3://${bucket.name}`;
}, 60_000);
afterAll(async () => { await proxy?.close(); });

if (!server) it.skip(`s3:// inputs under faults: ${NO_S3}`, () => undefined);

describe.runIf(server)('s3:// reads under injected faults', () => {
  it('WARC, JSONL and Parquet reads through 503s, 500s, 429s and dropped connections give the local rows', async () => {
    for (const [remote, local, partitionBytes] of [
      [readWarc(`${s3}/in/warc/`), readWarc(resolve('fixtures/warc')), 60_000],
      [readJsonl(`${s3}/in/jsonl/`), readJsonl(resolve('fixtures/jsonl')), 20_000],
      [readParquet(`${s3}/in/parquet/`), readParquet(resolve('fixtures/parquet')), 1 << 20],
    ] as const) {
      const there = rowsOf((await executePlan(remote.plan, { partitionBytes })).table);
      const here = rowsOf((await executePlan(local.plan, { partitionBytes })).table);
      expect(there.length).toBeGreaterThan(0);
      expect(there).toEqual(here);
    }
    const faults = proxy!.log.filter((r) => r.fault !== undefined).map((r) => r.fault);
    expect(new Set(faults)).toEqual(new Set(['slowdown', 'drop', 'drop-mid-response', 'internal-error', 'throttle-429']));
    expect(faults.length).toBeGreaterThanOrEqual(12);
  }, 180_000);

  it('a read that fails after all its retries fails the task instead of quarantining the rest of the object', async () => {
    const uri = `${s3}/broken/dolma-40.jsonl`;
    await expect(executePlan(readJsonl(uri).plan, { partitionBytes: 1 << 20 }))
      .rejects.toThrow(new RegExp(`task s0/0 \\(${uri}.*failed after 1 attempts: S3 GetObject ${uri} failed after 8 attempts: .*InternalError`));
  }, 120_000);
});
