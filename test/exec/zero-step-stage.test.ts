import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunStats } from '../../src/exec/accounting/counters.ts';
import { readParquet } from '../../src/dataframe/read.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'sluice-zero-step-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

it('a repartition straight into the default sink succeeds, and its stats add up', async () => {
  const out = join(tmp, 'out');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), 'run', join(ROOT, 'test/exec/pipelines/repartition-only.ts'),
    '--input', join(ROOT, 'fixtures/corpus'), '--output', out, '--workers', '1'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')) as RunStats;
  const scanned = stats.steps.find((s) => s.name === 'scan')!;
  expect(scanned.documentsIn).toBeGreaterThan(0);
  expect(stats.totals.documentsIn).toBe(scanned.documentsIn);
  const keptByScan = scanned.documentsOut;
  expect(stats.steps.find((s) => s.name === 'repartition')).toMatchObject({ documentsIn: keptByScan, documentsOut: keptByScan });
  expect(stats.totals.documentsOut).toBe(keptByScan);
  const parts = (await readdir(join(out, 'documents'))).filter((f) => f.endsWith('.parquet'));
  expect(parts.length).toBeGreaterThan(0);
  const rows = (await readParquet(parts.map((p) => join(out, 'documents', p))).collect()).numRows;
  expect(rows).toBe(keptByScan);
});
