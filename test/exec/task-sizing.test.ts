import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWarc } from '../../src/dataframe/read.ts';
import { runStages } from '../../src/exec/driver/run-stages.ts';
import type { TaskExecutor } from '../../src/exec/pool/executor.ts';
import { threadPoolExecutor } from '../../src/exec/pool/thread-pool-executor.ts';
import { readParquetFooter } from '../../src/io/parquet/footer.ts';
import { splitPoints } from '../../src/io/warc/partitions.ts';
import { col } from '../../src/plan/expr.ts';
import type { LogicalPlan } from '../../src/plan/logical-plan.ts';
import type { InputSplit, PhysicalPlan } from '../../src/plan/physical-plan.ts';
import { planQuery } from '../../src/planner/plan-query.ts';

/**
 * Tasks are sized by bytes: the real wget crawls of fixtures/warc, cut at gzip members into many
 * small files, plan into few tasks whatever the file count, read every record once in input order,
 * keep document identity and give the same kept rows and byte-identical part files with 1 or 2
 * workers; tasks that keep nothing write no part.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const SOURCES = ['wget-2024.dolma-sample-0000.warc.gz', 'wget-2024.dolma-sample-0001.warc.gz'].map((f) => join(ROOT, 'fixtures/warc', f));
const TASK_BYTES = 96 << 10;
let tmp: string;
let small: string[];
let pools: TaskExecutor[];

/** Cuts each source at record-aligned points about every 12 KB into files named in input order. */
async function cutIntoSmallFiles(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const out: string[] = [];
  for (const src of SOURCES) {
    const { size, points } = splitPoints(src, 12 << 10);
    const bytes = await readFile(src);
    for (let i = 0; i < points.length; i++) {
      const path = join(dir, `part-${String(out.length).padStart(3, '0')}.warc.gz`);
      await writeFile(path, bytes.subarray(points[i]!, points[i + 1] ?? size));
      out.push(path);
    }
  }
  return out;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-task-sizing-'));
  small = await cutIntoSmallFiles(join(tmp, 'in'));
  pools = [threadPoolExecutor({ workers: 1 }), threadPoolExecutor({ workers: 2 })];
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await rm(tmp, { recursive: true, force: true });
});

/** Documents from one host only (most small files hold none of them), as Parquet parts. */
function pipeline(paths: string[], out: string): LogicalPlan {
  const frame = readWarc(paths).filter(col('url').contains('commoncrawl.org'));
  return { kind: 'sink', input: frame.plan, sink: { format: 'parquet', path: join(out, 'documents') } };
}

const splitsOf = (physical: PhysicalPlan): InputSplit[] => physical.stages[0]!.partitions.flatMap((p) => p.inputs ?? [p]);

async function parts(out: string): Promise<{ name: string; rows: number; sha: string }[]> {
  const dir = join(out, 'documents');
  return Promise.all((await readdir(dir)).sort().map(async (name) => ({
    name,
    rows: readParquetFooter(join(dir, name)).rowGroups.reduce((n, g) => n + g.numRows, 0),
    sha: createHash('sha256').update(await readFile(join(dir, name))).digest('hex'),
  })));
}

describe('tasks sized by bytes', () => {
  it('coalesces small files into tasks of the target size, each file once and in order', async () => {
    expect(small.length).toBeGreaterThan(20);
    const { physical } = await planQuery(pipeline(small, join(tmp, 'plan')), { partitionBytes: TASK_BYTES });
    const tasks = physical.stages[0]!.partitions;
    const total = splitsOf(physical).reduce((n, s) => n + s.bytes!, 0);
    expect(tasks.length).toBeLessThanOrEqual(Math.ceil((2 * total) / TASK_BYTES));
    expect(tasks.length).toBeLessThan(small.length / 4);
    expect(splitsOf(physical).map((s) => s.fileIndex)).toEqual(small.map((_, i) => i));
    for (const t of tasks) {
      expect(t.index).toBe(tasks.indexOf(t));
      if (t.inputs) expect(t.bytes).toBeLessThanOrEqual(TASK_BYTES);
    }
    // The same bytes in two files plan into tasks no more numerous (big files split at the target).
    const few = await planQuery(pipeline(SOURCES, join(tmp, 'plan2')), { partitionBytes: TASK_BYTES });
    expect(few.physical.stages[0]!.partitions.length).toBeLessThanOrEqual(tasks.length);
  });

  it('keeps the same rows as one task per record, byte-identical across workers, with no empty parts', async () => {
    const runWith = async (name: string, taskBytes: number, pool: TaskExecutor) => {
      const out = join(tmp, name);
      const { physical } = await planQuery(pipeline(small, out), { partitionBytes: taskBytes });
      const { stats } = await runStages(physical, { outDir: out, executor: pool, retries: 0, batchSize: 16 });
      return { physical, stats, parts: await parts(out) };
    };
    const w1 = await runWith('w1', TASK_BYTES, pools[0]!);
    const w2 = await runWith('w2', TASK_BYTES, pools[1]!);
    const perRecord = await runWith('per-record', 1, pools[1]!);

    expect(w2.parts).toEqual(w1.parts);
    const kept = w1.stats.totals.documentsOut;
    expect(kept).toBeGreaterThan(0);
    for (const r of [w1, w2, perRecord]) {
      expect(r.parts.every((p) => p.rows > 0)).toBe(true);
      expect(r.parts.reduce((n, p) => n + p.rows, 0)).toBe(kept);
    }
    // One task per record: most keep nothing, and they write nothing.
    expect(perRecord.physical.stages[0]!.partitions.length).toBeGreaterThan(small.length);
    expect(perRecord.parts.length).toBeLessThan(perRecord.physical.stages[0]!.partitions.length / 4);
    expect(perRecord.stats.totals.documentsIn).toBe(w1.stats.totals.documentsIn);
    expect(perRecord.stats.totals.documentsOut).toBe(kept);
  }, 120_000);
});
