import type { Table } from 'apache-arrow';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { col } from '../../src/plan/expr.ts';
import { readJsonl } from '../../src/dataframe/read.ts';
import { exact } from '../../src/ops/dedup/specs.ts';
import { runStages } from '../../src/exec/driver/run-stages.ts';
import { runStatus } from '../../src/exec/driver/run-status.ts';
import { listObjects } from '../../src/storage/s3/index.ts';
import { planQuery } from '../../src/planner/plan-query.ts';
import type { PhysicalPlan } from '../../src/plan/physical-plan.ts';
import { findS3Server, NO_S3, useTestBucket } from '../helpers/s3.ts';

/**
 * A run whose output is `s3://`: the driver, the pool threads (which open the store from its URI
 * themselves) and `sluice status` keep all run state in the bucket — `_store` chunks and manifests,
 * `plan.json`, `stats.json` — and the rows equal those of the same plan run into a local directory.
 */
const server = await findS3Server();
if (!server) console.warn(`skipping S3 run tests: ${NO_S3}`);
const bucket = useTestBucket(server);
const JSONL = resolve(import.meta.dirname, '../../fixtures/jsonl/dolma-40.jsonl');
let tmp: string;
let plan: PhysicalPlan;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-s3-run-'));
  if (!server) return;
  // Pool threads open the store with the process-wide connection, configured from the environment as a user's would be.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: server.endpoint, AWS_REGION: server.region, AWS_ACCESS_KEY_ID: server.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.secretAccessKey, SLUICE_S3_PATH_STYLE: '1',
  });
  const frame = readJsonl(JSONL).filter(col('text').length().gt(200)).dedup(exact({}));
  plan = (await planQuery(frame.plan, { partitionBytes: 20_000 })).physical;
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function rows(t: Table): string[] {
  return t.toArray().map((r) => JSON.stringify(r.toJSON(), (_k, v: unknown) => typeof v === 'bigint' ? Number(v) : v));
}

describe.skipIf(!server)('a run with its store and output folder on S3', () => {
  it('gives the rows of a local run, keeps its state in the bucket, and a rerun finds it complete', async () => {
    const local = await runStages(plan, { outDir: join(tmp, 'local'), workers: 2, batchSize: 16 });
    const out = `s3://${bucket.name}/runs/a`;
    const remote = await runStages(plan, { outDir: out, workers: 2, batchSize: 16 });
    expect(plan.stages[0]!.partitions.length).toBeGreaterThan(1);
    expect(remote.fingerprint).toBe(local.fingerprint);
    expect(rows(remote.table!)).toEqual(rows(local.table!));
    const counts = ({ documentsIn, documentsOut, dropped, quarantined }: typeof local.stats.totals) => ({ documentsIn, documentsOut, dropped, quarantined });
    expect(counts(remote.stats.totals)).toEqual(counts(local.stats.totals));

    const keys: string[] = [];
    for await (const o of listObjects(bucket.connection, bucket.name, 'runs/a/')) keys.push(o.key);
    expect(keys).toContain('runs/a/plan.json');
    expect(keys).toContain('runs/a/stats.json');
    expect(keys.some((k) => k.startsWith('runs/a/_store/manifests/stages/'))).toBe(true);
    expect(keys.some((k) => k.startsWith('runs/a/_store/chunks/'))).toBe(true);
    expect(keys.filter((k) => k.includes('.sluice-driver.lock'))).toEqual([]);

    const status = await runStatus(out);
    expect(status.state).toBe('complete');
    expect(status.groups.every((g) => g.committed === g.tasks)).toBe(true);

    const again = await runStages(plan, { outDir: out, workers: 1, batchSize: 16 });
    expect(again.alreadyComplete).toBe(true);
  });

  it('refuses another plan on that prefix, and --overwrite replaces it, deleting only the earlier run\'s objects', async () => {
    const out = `s3://${bucket.name}/runs/b`;
    await runStages(plan, { outDir: out, workers: 1 });
    const other = (await planQuery(readJsonl(JSONL).filter(col('text').length().gt(100)).plan, { partitionBytes: 20_000 })).physical;
    await expect(runStages(other, { outDir: out, workers: 1 })).rejects.toThrow(/holds a run of a different pipeline/);
    const deleted: string[] = [];
    const r = await runStages(other, { outDir: out, workers: 1, overwrite: true, onOverwrite: (p) => deleted.push(...p) });
    expect(deleted).toEqual([`${out}/_store`, `${out}/dropped`, `${out}/plan.json`, `${out}/stats.json`]);
    expect(r.stats.totals.documentsIn).toBe(40);
    const manifests: string[] = [];
    for await (const o of listObjects(bucket.connection, bucket.name, 'runs/b/_store/manifests/stages/')) manifests.push(o.key);
    // Only the new plan's stage (one stage, no dedup) is left.
    expect(manifests.every((k) => k.startsWith('runs/b/_store/manifests/stages/s0/'))).toBe(true);
    expect(manifests.length).toBeGreaterThan(0);
  });

  it('refuses an s3:// prefix that holds files but no run', async () => {
    const { uploadObject } = await import('../../src/storage/s3/index.ts');
    await uploadObject(bucket.connection, bucket.name, 'foreign/notes.txt', new TextEncoder().encode('not a run'));
    await expect(runStages(plan, { outDir: `s3://${bucket.name}/foreign`, workers: 1 })).rejects.toThrow(/is not empty and holds no sluice run/);
  });
});
