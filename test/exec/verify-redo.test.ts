import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../src/exec/driver/verify-run.ts';
import type { Checkpoint } from '../../src/exec/state/checkpoint.ts';
import type { BlobManifest } from '../../src/storage/blob-store.ts';

/**
 * Integrity end to end on the real CLI: the refinedweb recipe (scan + extract + filters, MinHash
 * dedup with bucket and merge tasks, substring dedup, exact dedup, tokens sink with Parquet
 * documents) on the WARC fixtures, one task per 64 KiB so there are 14 tasks per stage.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const PIPELINE = join(ROOT, 'pipelines/refinedweb.ts');
const INPUT = join(ROOT, 'fixtures/warc');
let tmp: string;
let clean: string;
let cleanFiles: Record<string, Buffer>;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'sluice-verify-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function sluice(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

const run = (out: string, env: Record<string, string> = {}) =>
  sluice(['run', PIPELINE, '--input', INPUT, '--output', out, '--task-bytes', '65536', '--workers', '2'], env);

function verify(out: string): { code: number | null; report: VerifyReport } {
  const r = sluice(['verify', out, '--json']);
  return { code: r.status, report: JSON.parse(r.stdout) as VerifyReport };
}

/** Every user-facing output file's bytes (not the store, not stats.json and the report, which carry timings). */
async function outputs(out: string): Promise<Record<string, Buffer>> {
  const result: Record<string, Buffer> = {};
  for (const sub of ['documents', 'tokens', 'quarantine', 'dropped']) {
    for (const n of (await readdir(join(out, sub)).catch(() => [] as string[])).sort()) {
      let bytes = await readFile(join(out, sub, n));
      // The shard manifest records the fingerprint, which includes the output path.
      if (n === 'manifest.json') bytes = Buffer.from(JSON.stringify({ ...JSON.parse(bytes.toString()), fingerprint: '' }));
      result[`${sub}/${n}`] = bytes;
    }
  }
  return result;
}

async function manifest(out: string, key: string): Promise<BlobManifest> {
  return JSON.parse(await readFile(join(out, '_store/manifests', `${key}.json`), 'utf8')) as BlobManifest;
}

/** Flips one bit in the middle of the blob's first chunk file: same size, wrong hash. */
async function flipChunk(out: string, key: string): Promise<void> {
  const c = (await manifest(out, key)).chunks[0]!;
  const path = join(out, '_store/chunks', c.hash.slice(0, 2), `${c.hash}-${c.size}`);
  const bytes = await readFile(path);
  bytes[bytes.length >> 1]! ^= 0x10;
  await writeFile(path, bytes);
}

async function flipFile(path: string): Promise<void> {
  const bytes = await readFile(path);
  bytes[bytes.length >> 1]! ^= 0x01;
  await writeFile(path, bytes);
}

const exists = (out: string, key: string) => manifest(out, key).then(() => true, () => false);

describe('sluice verify and redoing damaged tasks', () => {
  beforeAll(async () => {
    clean = join(tmp, 'clean');
    const r = run(clean);
    expect(r.status, r.stderr).toBe(0);
    cleanFiles = await outputs(clean);
  }, 120_000);

  it('a clean run verifies: every blob and every recorded output file matches', async () => {
    const { code, report } = verify(clean);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.blobs.checked).toBeGreaterThan(100);
    // Parquet documents, the token shard, its index and manifest, quarantine, drop logs, stats.json.
    const recorded = Object.keys(cleanFiles).filter((p) => !p.startsWith('tokens/')).length + 3 + 1;
    expect(report.files.checked).toBe(recorded);
  }, 60_000);

  it('a damaged piece, committed checkpoint and dedup bucket record make the resumed run redo exactly their tasks', async () => {
    const out = join(tmp, 'killed');
    // 16 commits: every scan task committed, some dedup bucket tasks committed, the merge not yet.
    const killed = run(out, { SLUICE_TEST_KILL_AFTER: '16' });
    expect(killed.signal).toBe('SIGKILL');
    const merged = await exists(out, 'stages/s1/dedup/assign/done.json');
    expect(merged).toBe(false);
    let bucket = -1;
    for (let k = 0; k < 14 && bucket < 0; k++) {
      if (await exists(out, `stages/s1/dedup/stars/${String(k).padStart(5, '0')}.edges`)) bucket = k;
    }
    // (Its edges are 32 bytes that every bucket of this corpus writes alike: a later bucket's
    // identical write would repair their shared chunk. Its cost record, read by finalize, is its own.)
    expect(bucket).toBeGreaterThanOrEqual(0);
    const withRows: number[] = [];
    for (let t = 0; t < 14; t++) {
      const key = `stages/s0/tasks/${String(t).padStart(5, '0')}/committed`;
      expect(await exists(out, key)).toBe(true);
      const ck = JSON.parse(await readFile(join(out, '_store/chunks', ...(await chunkPath(out, key))), 'utf8')) as Checkpoint;
      if (ck.pieces[0]!.rows > 0) withRows.push(t);
    }
    expect(withRows.length).toBeGreaterThanOrEqual(2);
    const [pieceTask, checkpointTask] = withRows as [number, number];
    await flipChunk(out, `stages/s0/tasks/${String(pieceTask).padStart(5, '0')}/out/00000.arrow`);
    await flipChunk(out, `stages/s0/tasks/${String(checkpointTask).padStart(5, '0')}/committed`);
    await flipChunk(out, `stages/s1/dedup/stars/${String(bucket).padStart(5, '0')}.cost.json`);

    const resumed = run(out);
    expect(resumed.status, resumed.stderr).toBe(0);
    const redone = [...resumed.stderr.matchAll(/redoing task (\S+):/g)].map((m) => m[1]).sort();
    expect(redone).toEqual([`s0.${checkpointTask}`, `s0.${pieceTask}`, `s1.bucket.${bucket}`].sort());
    expect(await outputs(out)).toEqual(cleanFiles);
    expect(verify(out).code).toBe(0);
  }, 180_000);

  it('damaged dedup verdicts make the resumed run redo the merge, and only it', async () => {
    const out = join(tmp, 'verdicts');
    // 45 commits: scan tasks, the 14 buckets and the merge's 14 verdict blobs, a few dedup-stage tasks.
    expect(run(out, { SLUICE_TEST_KILL_AFTER: '45' }).signal).toBe('SIGKILL');
    expect(await exists(out, 'stages/s1/dedup/assign/done.json')).toBe(true);
    let victim: { p: number; size: number } | undefined;
    for (let p = 0; p < 14; p++) {
      const n = String(p).padStart(5, '0');
      if (await exists(out, `stages/s1/tasks/${n}/committed`)) continue;
      const size = (await manifest(out, `stages/s1/dedup/assign/${n}.u32`)).size;
      if (size > (victim?.size ?? 0)) victim = { p, size };
    }
    expect(victim).toBeDefined();
    await flipChunk(out, `stages/s1/dedup/assign/${String(victim!.p).padStart(5, '0')}.u32`);
    const resumed = run(out);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect([...resumed.stderr.matchAll(/redoing task (\S+):/g)].map((m) => m[1])).toEqual(['s1.merge']);
    expect(await outputs(out)).toEqual(cleanFiles);
    expect(verify(out).code).toBe(0);
  }, 180_000);

  // These two damage the clean run in place (the fingerprint includes the output path, so a copy
  // elsewhere would be another run) and check that the next run restores it.
  it('a damaged sink part is named by verify with its task, and the next run rewrites it', async () => {
    const out = clean;
    const part = (await readdir(join(out, 'documents'))).sort()[1]!;
    const task = /part-(s\d+)-0*(\d+)\.parquet/.exec(part)!;
    await flipFile(join(out, 'documents', part));
    const bad = verify(out);
    expect(bad.code).toBe(1);
    expect(bad.report.problems).toEqual([expect.objectContaining({ kind: 'file', name: `documents/${part}`, task: `${task[1]}.${task[2]}`, problem: 'corrupt' })]);
    expect(bad.report.redo).toEqual([`${task[1]}.${task[2]}`]);
    const text = sluice(['verify', out]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(`corrupt file documents/${part} (task ${task[1]}.${task[2]})`);

    const rerun = run(out);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain(`redoing task ${task[1]}.${task[2]}: sluice verify found file documents/${part} corrupt`);
    expect(verify(out).code).toBe(0);
    expect(await outputs(out)).toEqual(cleanFiles);
  }, 120_000);

  it('a damaged token shard or a missing drop log is rebuilt by the next run', async () => {
    const out = clean;
    await flipFile(join(out, 'tokens/tokens-00000.ds'));
    const dropLog = (await readdir(join(out, 'dropped'))).sort()[0]!;
    await rm(join(out, 'dropped', dropLog));
    const bad = verify(out);
    expect(bad.code).toBe(1);
    expect(bad.report.problems.map((p) => [p.name, p.problem, p.task])).toEqual(expect.arrayContaining([
      ['tokens/tokens-00000.ds', 'corrupt', 'finalize'],
      [`dropped/${dropLog}`, 'missing', expect.stringMatching(/^s\d+\.\d+$/)],
    ]));
    // The shards were assembled from every final task's token part, which finalize removed.
    expect(bad.report.redo).toContain('finalize');
    expect(bad.report.redo.filter((t) => t.startsWith('s3.')).length).toBeGreaterThan(1);

    const rerun = run(out);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(verify(out).code).toBe(0);
    expect(await outputs(out)).toEqual(cleanFiles);
  }, 120_000);
});

describe('a damaged progress checkpoint', () => {
  it('makes the resumed run redo that task from its start, with the same output', async () => {
    const pipeline = join(ROOT, 'test/exec/pipelines/two-stages.ts');
    const args = (out: string) => ['run', pipeline, '--input', join(ROOT, 'fixtures/corpus'), '--output', out, '--batch-size', '4', '--task-bytes', '65536', '--workers', '1'];
    const whole = join(tmp, 'progress-clean');
    expect(sluice(args(whole)).status).toBe(0);
    const out = join(tmp, 'progress');
    // Four-row batches: each task commits many pieces, so the kill leaves a task part way.
    expect(sluice(args(out), { SLUICE_TEST_KILL_AFTER: '5' }).signal).toBe('SIGKILL');
    const partWay: number[] = [];
    for (let t = 0; t < 3; t++) {
      const task = `stages/s0/tasks/${String(t).padStart(5, '0')}`;
      if (await exists(out, `${task}/checkpoint`) && !(await exists(out, `${task}/committed`))) partWay.push(t);
    }
    expect(partWay.length).toBeGreaterThan(0);
    await flipChunk(out, `stages/s0/tasks/${String(partWay[0]).padStart(5, '0')}/checkpoint`);
    const resumed = sluice(args(out));
    expect(resumed.status, resumed.stderr).toBe(0);
    expect([...resumed.stderr.matchAll(/redoing task (\S+):/g)].map((m) => m[1])).toEqual([`s0.${partWay[0]}`]);
    const parts = async (o: string) => Promise.all((await readdir(join(o, 'out'))).sort().map(async (n) => [n, await readFile(join(o, 'out', n))]));
    expect(await parts(out)).toEqual(await parts(whole));
    expect(verify(out).code).toBe(0);
  }, 120_000);
});

describe('sluice task on a damaged blob', () => {
  it('discards the task that wrote it and says which to run again', async () => {
    const out = join(tmp, 'one-by-one');
    const pipeline = join(ROOT, 'test/exec/pipelines/two-stages.ts');
    const plan = sluice(['run', pipeline, '--input', join(ROOT, 'fixtures/corpus'), '--output', out, '--batch-size', '4', '--task-bytes', '65536', '--plan-only']);
    expect(plan.status, plan.stderr).toBe(0);
    const task = (id: string) => sluice(['task', out, id]);
    for (const id of ['s0.0', 's0.1', 's0.2']) expect(task(id).status).toBe(0);
    // s1.0 reads bucket 0 of every s0 task's pieces (a repartition).
    await flipChunk(out, 'stages/s0/tasks/00001/out/b00000-00000.arrow');
    const failed = task('s1.0');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/task s0\.1 was discarded; run task s0\.1 again, then this one/);
    expect(await exists(out, 'stages/s0/tasks/00001/committed')).toBe(false);
    expect(task('s1.0').status).toBe(2); // waits for s0.1 again
    for (const id of ['s0.1', 's1.0', 's1.1', 's1.2', 'finalize']) {
      const r = task(id);
      expect(r.status, `${id}: ${r.stderr}`).toBe(0);
    }
    expect(verify(out).code).toBe(0);
  }, 120_000);
});

/** The chunk file path (under `_store/chunks`) of a single-chunk blob. */
async function chunkPath(out: string, key: string): Promise<string[]> {
  const c = (await manifest(out, key)).chunks[0]!;
  return [c.hash.slice(0, 2), `${c.hash}-${c.size}`];
}
