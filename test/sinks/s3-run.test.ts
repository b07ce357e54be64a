import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSinkPath } from '../../src/io/sinks.ts';
import { readTokenShardManifest } from '../../src/io/token-shards/writer.ts';
import { NO_S3, findS3Server, useTestBucket } from '../helpers/s3.ts';
import { localTree, s3Tree, sameTrees, useS3Environment } from './s3-sink-helpers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PIPELINE = join(ROOT, 'test/sinks/pipelines/sink-to.ts');
const server = await findS3Server();
const bucket = useTestBucket(server);
if (server) useS3Environment(server);
else it.skip(`sluice run with s3:// sinks: ${NO_S3}`, () => undefined);

/** The real CLI (dist/) in a child process, reaching the server through the standard AWS variables only. */
function sluice(output: string, options: Record<string, string>) {
  const args = ['run', PIPELINE, '--input', join(ROOT, 'fixtures/corpus'), '--output', output, '--workers', '2', '--task-bytes', '40000'];
  for (const [k, v] of Object.entries(options)) args.push('--option', `${k}=${v}`);
  const env = {
    ...process.env, AWS_ENDPOINT_URL_S3: server!.endpoint, AWS_ACCESS_KEY_ID: server!.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server!.secretAccessKey, AWS_REGION: server!.region, SLUICE_S3_PATH_STYLE: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, encoding: 'utf8', env });
}

describe('resolveSinkPath', () => {
  it('keeps s3:// URIs and absolute paths, puts relative paths under a local or s3:// output', () => {
    expect(resolveSinkPath('s3://b/x/tokens', '/runs/a')).toBe('s3://b/x/tokens');
    expect(resolveSinkPath('/data/tokens', 's3://b/run/')).toBe('/data/tokens');
    expect(resolveSinkPath('file:///data/tokens', '/runs/a')).toBe('/data/tokens');
    expect(resolveSinkPath('tokens', '/runs/a')).toBe('/runs/a/tokens');
    expect(resolveSinkPath('out/docs', 's3://b/run/')).toBe('s3://b/run/out/docs');
    expect(resolveSinkPath('documents', 's3://b/run')).toBe('s3://b/run/documents');
  });
});

describe.runIf(server)('sluice run writing its sink to s3://', () => {
  it('token shards, manifest and documents on S3 equal those of a local run, in 2 worker threads', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'sluice-s3-run-'));
    const local = sluice(join(tmp, 'local'), { documents: join(tmp, 'local', 'documents') });
    expect(local.status, local.stderr).toBe(0);
    const remote = sluice(join(tmp, 'remote'), { sink: `s3://${bucket.name}/run/tokens`, documents: `s3://${bucket.name}/run/documents` });
    expect(remote.status, remote.stderr).toBe(0);
    const want = await localTree(join(tmp, 'local', 'tokens'));
    const got = await s3Tree(bucket.connection, bucket.name, 'run/tokens');
    // The manifests differ in the fingerprint only: the plan names another sink path.
    const manifest = await readTokenShardManifest(`s3://${bucket.name}/run/tokens`);
    const localManifest = await readTokenShardManifest(join(tmp, 'local', 'tokens'));
    expect(manifest.fingerprint).not.toBe(localManifest.fingerprint);
    expect({ ...manifest, fingerprint: '' }).toEqual({ ...localManifest, fingerprint: '' });
    expect(manifest.shards.length).toBeGreaterThan(1);
    want.delete('manifest.json');
    got.delete('manifest.json');
    expect([...got.keys()]).toEqual([...want.keys()]);
    expect(sameTrees(got, want)).toBe(true);
    const docs = await localTree(join(tmp, 'local', 'documents'));
    expect(docs.size).toBeGreaterThan(1);
    expect(sameTrees(await s3Tree(bucket.connection, bucket.name, 'run/documents'), docs)).toBe(true);
    // Nothing of the sink landed in the local output of the S3 run.
    expect(await readdir(join(tmp, 'remote'))).not.toContain('tokens');
  });

  it('Parquet parts on S3 equal those of a local run', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'sluice-s3-run-'));
    expect(sluice(join(tmp, 'local'), { format: 'parquet', sink: 'parts' }).status).toBe(0);
    const remote = sluice(join(tmp, 'remote'), { format: 'parquet', sink: `s3://${bucket.name}/pq/parts` });
    expect(remote.status, remote.stderr).toBe(0);
    const want = await localTree(join(tmp, 'local', 'parts'));
    expect(want.size).toBeGreaterThan(1);
    expect(sameTrees(await s3Tree(bucket.connection, bucket.name, 'pq/parts'), want)).toBe(true);
  });
});
