import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getObjectBytes, listObjects, uploadObject } from '../../../src/storage/s3/index.ts';
import { findS3Server, NO_S3, useTestBucket, type S3TestServer } from '../../helpers/s3.ts';
import { slurmEnv } from '../../helpers/slurm.ts';

/**
 * The refinedweb recipe from `s3://` WARC to an `s3://` output through the CLI, as a user runs it:
 * the documents and token shards, once downloaded, equal a local run's on the same files; a run
 * killed part way resumes to the same bytes; and the Slurm executor does the same with only its
 * scripts and logs on a local directory.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const REFINEDWEB = join(ROOT, 'pipelines/refinedweb.ts');
const WARC = join(ROOT, 'fixtures/warc');
const server = await findS3Server();
if (!server) console.warn(`skipping S3 CLI tests: ${NO_S3}`);
const bucket = useTestBucket(server);
const slurm = slurmEnv();
let tmp: string;
let localOut: string;

const s3Env = (s: S3TestServer): NodeJS.ProcessEnv => ({
  AWS_ENDPOINT_URL_S3: s.endpoint, AWS_REGION: s.region, AWS_ACCESS_KEY_ID: s.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s.secretAccessKey, SLUICE_S3_PATH_STYLE: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

function sluice(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...(server ? s3Env(server) : {}), ...env },
  });
}

// Default task sizes: one task per group on the fixtures, so the Slurm case submits a few
// elements rather than dozens (each a process start and a scheduling round on a 2-CPU node).
const recipe = (input: string, output: string): string[] => ['run', REFINEDWEB, '--input', input, '--output', output];

/** The token manifest names the run's fingerprint, which hashes input and output locations. */
function hashOf(name: string, bytes: Uint8Array): string {
  const b = name.endsWith('manifest.json') ? Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(bytes).toString()), fingerprint: undefined })) : bytes;
  return createHash('sha256').update(b).digest('hex');
}

async function localDigest(out: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const sub of ['documents', 'tokens']) {
    for (const n of (await readdir(join(out, sub), { recursive: true, withFileTypes: true })).filter((e) => e.isFile())) {
      const path = join(n.parentPath, n.name);
      result[relative(out, path)] = hashOf(n.name, await readFile(path));
    }
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}

async function s3Digest(prefix: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for await (const o of listObjects(bucket.connection, bucket.name, prefix)) {
    const rel = o.key.slice(prefix.length);
    if (!rel.startsWith('documents/') && !rel.startsWith('tokens/')) continue;
    result[rel] = hashOf(rel, (await getObjectBytes(bucket.connection, bucket.name, o.key))!);
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}

async function s3Counts(prefix: string): Promise<unknown> {
  return counts(JSON.parse(Buffer.from((await getObjectBytes(bucket.connection, bucket.name, `${prefix}stats.json`))!).toString()));
}
const counts = (s: { totals: Record<string, unknown>; steps: Record<string, unknown>[] }) => {
  const pick = (c: Record<string, unknown>) => [c.documentsIn, c.documentsOut, c.dropped, c.quarantined];
  return { totals: pick(s.totals), steps: s.steps.map(pick) };
};

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-s3-cli-'));
  if (!server) return;
  for (const n of (await readdir(WARC)).sort()) await uploadObject(bucket.connection, bucket.name, `warc/${n}`, await readFile(join(WARC, n)));
  localOut = join(tmp, 'local');
  const r = sluice([...recipe(WARC, localOut), '--workers', '2']);
  if (r.status !== 0) throw new Error(`local run failed: ${r.stderr}`);
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

describe.skipIf(!server)('sluice run with s3:// input and output', () => {
  it('writes the same documents, token shards and counts as a local run', async () => {
    const r = sluice([...recipe(`s3://${bucket.name}/warc/`, `s3://${bucket.name}/run/`), '--workers', '2']);
    expect(r.status, r.stderr).toBe(0);
    const local = await localDigest(localOut);
    expect(Object.keys(local).some((f) => f.startsWith('tokens/'))).toBe(true);
    expect(await s3Digest('run/')).toEqual(local);
    expect(await s3Counts('run/')).toEqual(counts(JSON.parse(await readFile(join(localOut, 'stats.json'), 'utf8'))));
    const again = sluice(recipe(`s3://${bucket.name}/warc/`, `s3://${bucket.name}/run`));
    expect(again.stdout).toMatch(/already complete/);
  }, 600_000);

  it('a run killed after some commits resumes to the same bytes', async () => {
    const prefix = 'killed/';
    const args = recipe(`s3://${bucket.name}/warc/`, `s3://${bucket.name}/${prefix}`);
    // SIGKILLed at its second checkpoint (counted, never timed): the scan is committed, dedup is not.
    const killed = sluice(args, { SLUICE_TEST_KILL_AFTER: '2' });
    expect(killed.signal).toBe('SIGKILL');
    const manifests: string[] = [];
    for await (const o of listObjects(bucket.connection, bucket.name, `${prefix}_store/manifests/`)) manifests.push(o.key);
    expect(manifests.some((k) => k.endsWith('/committed.json'))).toBe(true);
    expect(manifests.some((k) => k.endsWith('run/finalized.json'))).toBe(false);
    const resumed = sluice(args);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(await s3Digest(prefix)).toEqual(await localDigest(localOut));
  }, 600_000);

  it('refuses --executor slurm on an s3:// output without --slurm-dir, before claiming anything', async () => {
    const r = sluice([...recipe(`s3://${bucket.name}/warc/`, `s3://${bucket.name}/no-dir/`), '--executor', 'slurm']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/needs --slurm-dir/);
    const left: string[] = [];
    for await (const o of listObjects(bucket.connection, bucket.name, 'no-dir/')) left.push(o.key);
    expect(left).toEqual([]);
  });

  it.skipIf(slurm.skip)('runs through Slurm job arrays with data on S3 and scripts and logs in --slurm-dir', async () => {
    const out = `s3://${bucket.name}/slurm-run`;
    const dir = join(tmp, 'slurm');
    const submitted = sluice([...recipe(`s3://${bucket.name}/warc/`, out), '--executor', 'slurm', '--slurm-dir', dir], slurm.env);
    expect(submitted.status, submitted.stderr).toBe(0);
    const done = sluice(['status', out, '--slurm-dir', dir, '--wait', '--timeout', '500', '--json'], slurm.env);
    expect(done.status, done.stdout + done.stderr).toBe(0);
    expect(await s3Digest('slurm-run/')).toEqual(await localDigest(localOut));
    const logs = await readdir(join(dir, 'task-logs'));
    expect(logs.length).toBe((JSON.parse(done.stdout) as { groups: { tasks: number }[] }).groups.reduce((n, g) => n + g.tasks, 0));
  }, 600_000);
});
