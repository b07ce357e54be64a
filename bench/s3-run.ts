import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { deleteObjects, getObjectBytes, listObjects, uploadObject } from '../src/storage/s3/index.ts';
import { findS3Server, testConnection } from '../test/helpers/s3-server.ts';
import { startFaultProxy, type ProxiedRequest } from '../test/helpers/fault-proxy.ts';

/**
 * `npm run bench -- s3-run`: the refinedweb recipe on `fixtures/warc` with input and output on the
 * local S3 server (.ci/s3/start.sh) against the same run on local disk, in the same process, and
 * the S3 requests the run made — counted by a pass-through proxy in front of the server, so the
 * driver, every pool thread and every process are counted — per operation and per task of the
 * task graph. Prints JSON lines; needs the server (`dist/` built).
 */
const ROOT = join(import.meta.dirname, '..');
const WARC = join(ROOT, 'fixtures/warc');

function kind(r: ProxiedRequest): string {
  const q = new URL(r.url, 'http://x').searchParams;
  if (r.method === 'GET') return q.get('list-type') === '2' ? 'LIST' : 'GET';
  if (r.method === 'PUT') return q.has('partNumber') ? 'UPLOAD_PART' : 'PUT';
  if (r.method === 'POST') return q.has('delete') ? 'DELETE_OBJECTS' : q.has('uploads') ? 'CREATE_MULTIPART' : 'COMPLETE_MULTIPART';
  return r.method;
}

/** Runs the CLI without blocking this process's event loop: the counting proxy lives in it. */
async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; cpuS: number }> {
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%U %S', process.execPath, join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`sluice ${args.join(' ')} failed: ${stderr}`);
  const [u, s] = stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { ms: performance.now() - t0, cpuS: u! + s! };
}

export default async function bench(): Promise<void> {
  const server = await findS3Server();
  if (!server) throw new Error('no S3 server: run .ci/s3/start.sh');
  const conn = testConnection(server, { retry: {} });
  const bucket = `sluice-bench-${randomBytes(4).toString('hex')}`;
  await conn.send({ op: 'CreateBucket', bucket }, (c) => c.send(new CreateBucketCommand({ Bucket: bucket })));
  const tmp = mkdtempSync(join(tmpdir(), 'sluice-bench-s3-run-'));
  const proxy = await startFaultProxy(server.endpoint, () => undefined);
  try {
    for (const n of readdirSync(WARC).sort()) await uploadObject(conn, bucket, `warc/${n}`, readFileSync(join(WARC, n)));
    const env = {
      AWS_ENDPOINT_URL_S3: proxy.endpoint, AWS_REGION: server.region, AWS_ACCESS_KEY_ID: server.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.secretAccessKey, SLUICE_S3_PATH_STYLE: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const recipe = (input: string, output: string) => ['run', 'pipelines/refinedweb.ts', '--input', input, '--output', output, '--workers', '2'];
    const local = await run(recipe(WARC, join(tmp, 'local')), {});
    proxy.log.length = 0;
    const remote = await run(recipe(`s3://${bucket}/warc/`, `s3://${bucket}/run/`), env);
    const plan = JSON.parse(Buffer.from((await getObjectBytes(conn, bucket, 'run/plan.json'))!).toString()) as { tasks: { id: string }[] };
    const byKind: Record<string, number> = {};
    for (const r of proxy.log) byKind[kind(r)] = (byKind[kind(r)] ?? 0) + 1;
    const tasks = plan.tasks.length;
    console.log(JSON.stringify({ bench: 's3-run', case: 'local disk', wall_s: +(local.ms / 1000).toFixed(2), cpu_s: local.cpuS }));
    console.log(JSON.stringify({
      bench: 's3-run', case: 's3 input and output', wall_s: +(remote.ms / 1000).toFixed(2), cpu_s: remote.cpuS,
      wall_vs_local: +(remote.ms / local.ms).toFixed(2), tasks, requests: proxy.log.length, requests_by_kind: byKind,
      per_task: Object.fromEntries(Object.entries(byKind).map(([k, n]) => [k, +(n / tasks).toFixed(1)])),
    }));
  } finally {
    await proxy.close();
    const keys: string[] = [];
    for await (const o of listObjects(conn, bucket, '')) keys.push(o.key);
    await deleteObjects(conn, bucket, keys);
    await conn.send({ op: 'DeleteBucket', bucket }, (c) => c.send(new DeleteBucketCommand({ Bucket: bucket })));
    conn.destroy();
    rmSync(tmp, { recursive: true, force: true });
  }
}
