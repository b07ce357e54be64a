import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRun } from '../../src/exec/driver/verify-run.ts';
import { getObjectBytes, putObjectBytes } from '../../src/storage/s3/index.ts';
import { NO_S3, findS3Server, useTestBucket } from '../helpers/s3.ts';

/**
 * `sluice verify` reads an output through its location and store URIs, so an output on S3
 * verifies like a local one: a run's output folder (two stages, a global limit whose JSONL parts
 * finalize writes) uploaded as-is to the test S3 server (Swift with s3api, `.ci/s3/start.sh`).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const server = await findS3Server();
const bucket = useTestBucket(server);
let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'sluice-verify-s3-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

describe.skipIf(!server)('sluice verify on an s3:// output', () => {
  it('matches a clean output, and names a damaged part with its task', async () => {
    const out = join(tmp, 'out');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), 'run', join(ROOT, 'test/exec/pipelines/two-stages.ts'),
      '--input', join(ROOT, 'fixtures/corpus'), '--output', out, '--batch-size', '8', '--task-bytes', '65536', '--option', 'limit=40'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const conn = bucket.connection;
    const entries = await readdir(out, { recursive: true, withFileTypes: true });
    for (const e of entries.filter((x) => x.isFile())) {
      const rel = relative(out, join(e.parentPath, e.name)).split(sep).join('/');
      await putObjectBytes(conn, bucket.name, `run/${rel}`, new Uint8Array(await readFile(join(e.parentPath, e.name))));
    }
    const uri = `s3://${bucket.name}/run`;
    const clean = await verifyRun(uri, { s3Connection: conn });
    expect(clean.problems).toEqual([]);
    expect(clean.ok).toBe(true);
    // Global-limit parts (recorded by finalize), quarantine, drop logs, stats.json.
    expect(clean.files.checked).toBeGreaterThanOrEqual(3);
    expect(clean.blobs.checked).toBeGreaterThan(20);

    const part = (await readdir(join(out, 'out'))).sort()[0]!;
    const bytes = (await getObjectBytes(conn, bucket.name, `run/out/${part}`))!;
    bytes[bytes.length >> 1]! ^= 1;
    await putObjectBytes(conn, bucket.name, `run/out/${part}`, bytes);
    const damaged = await verifyRun(uri, { s3Connection: conn });
    expect(damaged.ok).toBe(false);
    // Limit parts are cut by finalize across tasks, so finalize is what rewrites them.
    expect(damaged.problems).toEqual([expect.objectContaining({ kind: 'file', name: `out/${part}`, task: 'finalize', problem: 'corrupt' })]);
    expect(damaged.redo).toEqual(['finalize']);
  }, 120_000);
});

if (!server) it.skip(`sluice verify on s3: ${NO_S3}`, () => undefined);
