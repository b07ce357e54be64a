import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putObjectBytes } from '../../src/storage/s3/index.ts';
import { NO_S3, findS3Server, useTestBucket } from '../helpers/s3.ts';
import { rowsOf, uploadDirectory } from '../helpers/s3-inputs.ts';
import { readParquet } from '../../src/dataframe/read.ts';
import { executePlan } from '../../src/exec/driver/collect.ts';

// Runs dist/ (`npm run build` after changing src).
const ROOT = resolve('.');
const WARC = join(ROOT, 'fixtures/warc');
const NAMES = readdirSync(WARC).sort();
const server = await findS3Server();
const bucket = useTestBucket(server);
const tmp = mkdtempSync(join(tmpdir(), 'sluice-s3-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let env: NodeJS.ProcessEnv = process.env;

function sluice(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, encoding: 'utf8', env });
}

function planInputs(out: string): { path: string; size: number; mtimeMs: number }[] {
  return (JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { inputs: { path: string; size: number; mtimeMs: number }[] }).inputs;
}

describe('input options', () => {
  it('--input and --input-list are mutually exclusive, and --input-prefix needs a list', () => {
    const both = sluice(['explain', 'pipelines/refinedweb.ts', '--input', WARC, '--input-list', join(tmp, 'x.paths')]);
    expect(both.status).not.toBe(0);
    expect(both.stderr).toContain('--input: and --input-list are mutually exclusive');
    const prefix = sluice(['explain', 'pipelines/refinedweb.ts', '--input', WARC, '--input-prefix', 's3://commoncrawl/']);
    expect(prefix.stderr).toContain('--input-prefix: needs --input-list');
    const none = sluice(['explain', 'pipelines/refinedweb.ts']);
    expect(none.stderr).toContain('--input: is required (or --input-list)');
  });

  it('--plan-only records every input with size and mtime, those of coalesced tasks too', () => {
    const out = join(tmp, 'local-plan');
    const r = sluice(['run', 'pipelines/refinedweb.ts', '--input', WARC, '--output', out, '--plan-only']);
    expect(r.status, r.stderr).toBe(0);
    expect(planInputs(out)).toEqual(NAMES.map((n) => ({ path: join(WARC, n), size: statSync(join(WARC, n)).size, mtimeMs: statSync(join(WARC, n)).mtimeMs })));
  });
});

if (!server) it.skip(`sluice with s3:// inputs: ${NO_S3}`, () => undefined);

describe.runIf(server)('sluice with s3:// inputs', () => {
  beforeAll(async () => {
    await uploadDirectory(bucket.connection, bucket.name, WARC, 'crawl/warc/');
    env = {
      ...process.env,
      AWS_ENDPOINT_URL_S3: server!.endpoint, AWS_ACCESS_KEY_ID: server!.accessKeyId, AWS_SECRET_ACCESS_KEY: server!.secretAccessKey,
      AWS_REGION: server!.region, SLUICE_S3_PATH_STYLE: server!.forcePathStyle ? '1' : '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  });

  it('explain plans the objects under an s3:// --input', () => {
    const r = sluice(['explain', 'pipelines/refinedweb.ts', '--input', `s3://${bucket.name}/crawl/warc/`]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Scan warc (${NAMES.length} files)`);
  });

  it('--plan-only with a local --output records the objects by URI, size and LastModified', () => {
    const out = join(tmp, 's3-plan');
    const r = sluice(['run', 'pipelines/refinedweb.ts', '--input', `s3://${bucket.name}/crawl/warc/`, '--output', out, '--plan-only']);
    expect(r.status, r.stderr).toBe(0);
    const inputs = planInputs(out);
    expect(inputs.map((i) => i.path)).toEqual(NAMES.map((n) => `s3://${bucket.name}/crawl/warc/${n}`));
    expect(inputs.map((i) => i.size)).toEqual(NAMES.map((n) => statSync(join(WARC, n)).size));
    for (const i of inputs) expect(i.mtimeMs).toBeGreaterThan(Date.parse('2020-01-01'));
  });

  it('sluice task refuses an input object rewritten since planning, naming it', async () => {
    const out = join(tmp, 's3-changed');
    const input = `s3://${bucket.name}/changing/`;
    await uploadDirectory(bucket.connection, bucket.name, WARC, 'changing/');
    expect(sluice(['run', 'test/cli/pipelines/warc-pages.ts', '--input', input, '--output', out, '--plan-only']).status).toBe(0);
    const name = NAMES.find((n) => n.startsWith('wget-'))!;
    await putObjectBytes(bucket.connection, bucket.name, `changing/${name}`, Buffer.concat([readFileSync(join(WARC, name)), readFileSync(join(WARC, name))]));
    const r = sluice(['task', out, 's0.0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('task s0.0: its input changed since the run was planned');
    expect(r.stderr).toContain(`${input}${name}: ${statSync(join(WARC, name)).size} bytes modified`);
  });

  it('sluice run from an s3:// --input, split into many tasks on worker threads, writes the documents of the local run', async () => {
    const outs = { s3: join(tmp, 'run-s3'), local: join(tmp, 'run-local') };
    for (const [kind, input] of [['s3', `s3://${bucket.name}/crawl/warc/`], ['local', WARC]] as const) {
      const r = sluice(['run', 'test/cli/pipelines/warc-pages.ts', '--input', input, '--output', outs[kind], '--task-bytes', '60000', '--workers', '2']);
      expect(r.status, r.stderr).toBe(0);
    }
    const documents = async (out: string) => rowsOf((await executePlan(readParquet(join(out, 'documents')).plan)).table);
    const [there, here] = [await documents(outs.s3), await documents(outs.local)];
    expect(there.length).toBeGreaterThan(50);
    expect(there).toEqual(here);
    expect(readdirSync(join(outs.s3, 'documents')).length).toBeGreaterThan(5);
  }, 180_000);

  it('--input-list (gzip, keys relative to --input-prefix) plans the listed objects in list order', async () => {
    const keys = NAMES.filter((n) => n.startsWith('wget-') || n.startsWith('cc-')).reverse().map((n) => `crawl/warc/${n}`);
    await putObjectBytes(bucket.connection, bucket.name, 'warc.paths.gz', gzipSync(keys.join('\n') + '\n'));
    writeFileSync(join(tmp, 'warc.paths'), keys.join('\n') + '\n');
    for (const list of [`s3://${bucket.name}/warc.paths.gz`, join(tmp, 'warc.paths')]) {
      const out = join(tmp, `list-plan-${list.startsWith('s3') ? 's3' : 'local'}`);
      const r = sluice(['run', 'pipelines/refinedweb.ts', '--input-list', list, '--input-prefix', `s3://${bucket.name}/`, '--output', out, '--plan-only']);
      expect(r.status, r.stderr).toBe(0);
      const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { stages: { input: { kind: string; source?: { paths: string[] } } }[] };
      expect(plan.stages[0]!.input.source!.paths).toEqual(keys.map((k) => `s3://${bucket.name}/${k}`));
    }
    const missing = sluice(['explain', 'pipelines/refinedweb.ts', '--input-list', join(tmp, 'warc.paths'), '--input-prefix', `s3://${bucket.name}/nowhere/`]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain(`input not found: s3://${bucket.name}/nowhere/crawl/warc/`);
  });
});
