import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tableToIPC } from 'apache-arrow';
import { readArrow, readJsonl, readParquet, readWarc } from '../../../src/dataframe/read.ts';
import { executePlan } from '../../../src/exec/driver/collect.ts';
import { statInputs } from '../../../src/exec/graph/input-files.ts';
import { openPipelineContext } from '../../../src/cli/pipeline-module.ts';
import { planQuery } from '../../../src/planner/plan-query.ts';
import type { LogicalPlan } from '../../../src/plan/logical-plan.ts';
import { defaultS3Connection, putObjectBytes } from '../../../src/storage/s3/index.ts';
import { NO_S3, findS3Server, useTestBucket } from '../../helpers/s3.ts';
import { rowsOf, uploadDirectory, useServerEnvironment } from '../../helpers/s3-inputs.ts';

const server = await findS3Server();
const bucket = useTestBucket(server);
const WARC = resolve('fixtures/warc');
const JSONL = resolve('fixtures/jsonl');
const PARQUET = resolve('fixtures/parquet');
let local = '';
let s3 = '';

beforeAll(async () => {
  if (!server) return;
  useServerEnvironment(server);
  s3 = `s3://${bucket.name}`;
  local = await mkdtemp(join(tmpdir(), 'sluice-s3-inputs-'));
  const conn = bucket.connection;
  await uploadDirectory(conn, bucket.name, WARC, 'in/warc/');
  await uploadDirectory(conn, bucket.name, JSONL, 'in/jsonl/');
  await uploadDirectory(conn, bucket.name, PARQUET, 'in/parquet/');
  // A bigger object than one fetch step (4 MiB), gzip and plain, so reads restart mid-range and split into many tasks.
  const whole = Buffer.concat(await Promise.all((await readdir(WARC)).filter((n) => !n.startsWith('clipped')).sort().map((n) => readFile(join(WARC, n)))));
  const big = Buffer.concat(Array.from({ length: 8 }, () => whole));
  await mkdir(join(local, 'big'));
  await writeFile(join(local, 'big/big.warc.gz'), big);
  await writeFile(join(local, 'big/big.warc'), gunzipSync(big));
  await uploadDirectory(conn, bucket.name, join(local, 'big'), 'in/big/');
  await putObjectBytes(conn, bucket.name, 'in/other/readme.txt', 'not an input');
}, 120_000);
afterAll(async () => { if (local) await rm(local, { recursive: true, force: true }); });

/** The scan paths of a frame after analysis (prefixes listed). */
async function scanPaths(plan: LogicalPlan): Promise<string[]> {
  const { physical } = await planQuery(plan);
  const stage = physical.stages.find((s) => s.input.kind === 'scan')!;
  return stage.input.kind === 'scan' ? stage.input.source.paths : [];
}

async function collectRows(plan: LogicalPlan, partitionBytes?: number): Promise<{ rows: Record<string, unknown>[]; tasks: number }> {
  const { table } = await executePlan(plan, partitionBytes ? { partitionBytes } : {});
  const { physical } = await planQuery(plan, partitionBytes ? { partitionBytes } : {});
  return { rows: rowsOf(table), tasks: physical.stages[0]!.partitions.length };
}

if (!server) it.skip(`s3:// inputs: ${NO_S3}`, () => undefined);

describe.runIf(server)('readers on s3:// inputs', () => {
  it('read.warc of a prefix lists the objects once and reads the same rows as the local directory, __file naming the URI', async () => {
    const names = (await readdir(WARC)).sort();
    expect(await scanPaths(readWarc(`${s3}/in/warc/`).plan)).toEqual(names.map((n) => `${s3}/in/warc/${n}`));
    const there = await collectRows(readWarc(`${s3}/in/warc/`).plan);
    const here = await collectRows(readWarc(WARC).plan);
    expect(there.rows.length).toBeGreaterThan(50);
    // __file is the index into the paths, which name the same files in the same order.
    expect(there.rows).toEqual(here.rows);
  });

  it('small task sizes split objects at the same record offsets as local files, with identical rows and no LIST while reading', async () => {
    for (const [name, target] of [['big.warc.gz', 256 << 10], ['big.warc', 512 << 10]] as const) {
      const remote = readWarc(`${s3}/in/big/${name}`).plan;
      const { physical } = await planQuery(remote, { partitionBytes: target });
      const { physical: localPhysical } = await planQuery(readWarc(join(local, 'big', name)).plan, { partitionBytes: target });
      const cut = (p: typeof physical) => p.stages[0]!.partitions.map((q) => [q.start, q.end, q.bytes]);
      expect(cut(physical)).toEqual(cut(localPhysical));
      expect(physical.stages[0]!.partitions.length).toBeGreaterThan(10);
      const conn = defaultS3Connection();
      conn.resetRequestCounts();
      const { table } = await executePlan(remote, { partitionBytes: target });
      const counts = conn.requestCounts();
      expect(counts.ListObjectsV2 ?? 0).toBe(0);
      expect(counts.GetObject).toBeGreaterThan(0);
      const { table: here } = await executePlan(readWarc(join(local, 'big', name)).plan, { partitionBytes: target });
      expect(rowsOf(table)).toEqual(rowsOf(here));
    }
  }, 120_000);

  it('a whole big object read as one task (several fetches, framing restarted between them) gives the local rows', async () => {
    for (const name of ['big.warc.gz', 'big.warc']) {
      const there = await collectRows(readWarc(`${s3}/in/big/${name}`).plan, 1 << 30);
      const here = await collectRows(readWarc(join(local, 'big', name)).plan, 1 << 30);
      expect(there.tasks).toBe(1);
      expect(there.rows).toEqual(here.rows);
    }
  }, 120_000);

  it('read.jsonl splits an uncompressed object at line boundaries like the local file and reads gzip objects whole', async () => {
    const there = await collectRows(readJsonl(`${s3}/in/jsonl/`).plan, 20_000);
    const here = await collectRows(readJsonl(JSONL).plan, 20_000);
    expect(there.tasks).toBe(here.tasks);
    expect(there.tasks).toBeGreaterThan(3);
    expect(there.rows).toEqual(here.rows);
    const { physical } = await planQuery(readJsonl(`${s3}/in/jsonl/dolma-40.jsonl`).plan, { partitionBytes: 20_000 });
    const { physical: localPhysical } = await planQuery(readJsonl(join(JSONL, 'dolma-40.jsonl')).plan, { partitionBytes: 20_000 });
    const cut = (p: typeof physical) => p.stages[0]!.partitions.flatMap((q) => (q.inputs ?? [q]).map((s) => [s.start, s.end]));
    expect(cut(physical)).toEqual(cut(localPhysical));
  }, 60_000);

  it('read.parquet reads footers and row groups with ranged GETs and gives the local rows', async () => {
    const conn = defaultS3Connection();
    const there = await collectRows(readParquet(`${s3}/in/parquet/*.parquet`).plan);
    const here = await collectRows(readParquet(PARQUET).plan);
    expect(there.rows.length).toBeGreaterThan(0);
    expect(there.rows).toEqual(here.rows);
    conn.resetRequestCounts();
    const { table } = await executePlan(readParquet(`${s3}/in/parquet/dolma-sample.parquet`).select('id').plan);
    expect(table.numRows).toBe(here.rows.length);
    expect(conn.requestCounts().ListObjectsV2 ?? 0).toBe(0);
  }, 60_000);

  it('read.arrow fetches an Arrow IPC object and gives the local rows', async () => {
    const { table } = await executePlan(readParquet(PARQUET).plan);
    await mkdir(join(local, 'arrow'), { recursive: true });
    await writeFile(join(local, 'arrow/docs.arrow'), tableToIPC(table, 'file'));
    await uploadDirectory(bucket.connection, bucket.name, join(local, 'arrow'), 'in/arrow/');
    const there = await collectRows(readArrow(`${s3}/in/arrow/`).plan);
    expect(there.rows.length).toBe(table.numRows);
    expect(there.rows).toEqual((await collectRows(readArrow(join(local, 'arrow')).plan)).rows);
  });

  it('a missing object, an empty prefix and a pattern matching nothing are plan-time errors naming them', async () => {
    await expect(planQuery(readWarc(`${s3}/in/warc/nope.warc.gz`).plan)).rejects.toThrow(`input not found: ${s3}/in/warc/nope.warc.gz`);
    await expect(planQuery(readWarc(`${s3}/empty/`).plan)).rejects.toThrow(`no warc objects under ${s3}/empty/ match "**/*.warc, **/*.warc.gz" (the prefix holds no objects)`);
    await expect(planQuery(readWarc(`${s3}/in/other/`).plan)).rejects.toThrow(/the prefix holds 1 objects, e\.g\. readme\.txt/);
    await expect(planQuery(readJsonl(`${s3}/in/jsonl/*.ndjson`).plan)).rejects.toThrow(`no jsonl objects under ${s3}/in/jsonl/*.ndjson match "*.ndjson"`);
  });

  it('a later planning in the same process sees an object as it is then, not as an earlier listing found it', async () => {
    const lines = (await readFile(join(JSONL, 'dolma-40.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');
    await putObjectBytes(bucket.connection, bucket.name, 'grow/docs.jsonl', lines.slice(0, 10).join('\n') + '\n');
    expect((await executePlan(readJsonl(`${s3}/grow/`).plan)).table.numRows).toBe(10);
    await putObjectBytes(bucket.connection, bucket.name, 'grow/docs.jsonl', lines.join('\n') + '\n');
    expect((await executePlan(readJsonl(`${s3}/grow/docs.jsonl`).plan, { partitionBytes: 4096 })).table.numRows).toBe(40);
  });

  it('records size and LastModified of each input object for the run, by HeadObject', async () => {
    const conn = defaultS3Connection();
    conn.resetRequestCounts();
    const uri = `${s3}/in/warc/cc-main-2024-22.whirlwind.warc.gz`;
    const [rec] = await statInputs([uri]);
    expect(rec).toMatchObject({ path: uri, size: (await readFile(join(WARC, 'cc-main-2024-22.whirlwind.warc.gz'))).length });
    expect(rec!.mtimeMs).toBeGreaterThan(Date.parse('2020-01-01'));
    expect(conn.requestCounts()).toEqual({ HeadObject: 1 });
    expect(await statInputs([`${s3}/in/warc/gone.warc.gz`])).toEqual([]);
  });
});

describe.runIf(server)('pipeline context on s3:// inputs and input lists', () => {
  it('--input s3://…/ gives ctx.input the prefix and ctx.files() the sorted object URIs matching the pattern', async () => {
    const ctx = await openPipelineContext(`${s3}/in/warc`, 'out', {});
    expect(ctx.input).toBe(`${s3}/in/warc/`);
    const names = (await readdir(WARC)).sort();
    expect(ctx.files()).toEqual(names.map((n) => `${s3}/in/warc/${n}`));
    expect(ctx.files('wget-*.warc.gz')).toEqual(names.filter((n) => n.startsWith('wget-')).map((n) => `${s3}/in/warc/${n}`));
    expect(() => ctx.files('**/*.parquet')).toThrow(`no files under ${s3}/in/warc/ match "**/*.parquet"`);
    await expect(openPipelineContext(`${s3}/nothing/`, 'out', {})).rejects.toThrow(`--input ${s3}/nothing/: no objects under ${s3}/nothing/`);
  });

  it('ctx.files() under an s3:// prefix warns about objects skipped for a near-miss extension, as it does locally', async () => {
    const gz = await readFile(join(JSONL, 'dolma-40.jsonl.gz'));
    await putObjectBytes(bucket.connection, bucket.name, 'mixed/a.jsonl.gz', gz);
    await putObjectBytes(bucket.connection, bucket.name, 'mixed/b.json.gz', gz);
    const ctx = await openPipelineContext(`${s3}/mixed/`, 'out', {});
    const warnings: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { warnings.push(String(chunk)); return true; });
    try {
      expect(ctx.files('**/*.jsonl.gz')).toEqual([`${s3}/mixed/a.jsonl.gz`]);
    } finally {
      spy.mockRestore();
    }
    expect(warnings.join('')).toContain(`pattern "**/*.jsonl.gz" under ${s3}/mixed/ matched 1 files but skipped 1 with a similar extension: b.json.gz`);
  });

  it('a gzipped input list of keys relative to --input-prefix gives its URIs in list order, and reading them gives the directory\'s rows', async () => {
    const names = (await readdir(WARC)).sort();
    const listed = [...names].reverse().map((n) => `in/warc/${n}`);
    await putObjectBytes(bucket.connection, bucket.name, 'lists/warc.paths.gz', gzipSync(`# fixture crawl\n${listed.join('\n')}\n`));
    const ctx = await openPipelineContext({ list: `${s3}/lists/warc.paths.gz`, prefix: `${s3}/` }, 'out', {});
    expect(ctx.input).toBe(`${s3}/`);
    expect(ctx.files()).toEqual(listed.map((k) => `${s3}/${k}`));
    expect(ctx.files('in/warc/wget-*')).toEqual(listed.filter((k) => k.includes('wget-')).map((k) => `${s3}/${k}`));
    // List order is input order: the paths are not re-sorted.
    expect(await scanPaths(readWarc(ctx.files()).plan)).toEqual(ctx.files());
    const fromList = rowsOf((await executePlan(readWarc(ctx.files()).select('url', 'html').plan)).table);
    const fromDir = rowsOf((await executePlan(readWarc(WARC).select('url', 'html').plan)).table);
    const key = (r: Record<string, unknown>) => `${r.url}\u0000${r.html}`;
    expect(fromList.map(key).sort()).toEqual(fromDir.map(key).sort());
  });

  it('a bad list entry and a listed object that does not exist are errors naming them', async () => {
    await putObjectBytes(bucket.connection, bucket.name, 'lists/bad.paths', 'in/warc/a.warc.gz\nhttp://example.com/x.warc.gz\n');
    await expect(openPipelineContext({ list: `${s3}/lists/bad.paths`, prefix: `${s3}/` }, 'out', {}))
      .rejects.toThrow(`${s3}/lists/bad.paths line 2: unsupported URI "http://example.com/x.warc.gz"`);
    await putObjectBytes(bucket.connection, bucket.name, 'lists/missing.paths', 'in/warc/wget-2024.dolma-sample-0000.warc.gz\nin/warc/missing.warc.gz\n');
    const ctx = await openPipelineContext({ list: `${s3}/lists/missing.paths`, prefix: `${s3}/` }, 'out', {});
    await expect(planQuery(readWarc(ctx.files()).plan)).rejects.toThrow(`input not found: ${s3}/in/warc/missing.warc.gz`);
  });
});
