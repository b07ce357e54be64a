import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTokenShardManifest } from '../../src/io/token-shards/writer.ts';
import type { RunStats } from '../../src/exec/accounting/counters.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let tmp: string;
let input: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-tokens-finalize-'));
  input = join(tmp, 'in');
  await mkdir(input);
  await copyFile(join(ROOT, 'fixtures/warc/wget-2024.dolma-sample-0000.warc.gz'), join(input, 'a.warc.gz'));
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function run(out: string, ...options: string[]) {
  const args = ['run', join(ROOT, 'pipelines/refinedweb.ts'), '--input', input, '--output', out, '--workers', '1', '--option', 'dedup=off'];
  for (const o of options) args.push('--option', o);
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('tokens sink finalize', () => {
  it('a run that keeps no document still writes stats.json, the report and an empty manifest', async () => {
    const out = join(tmp, 'none');
    const r = run(out, 'languages=zz');
    expect(r.status, r.stderr).toBe(0);
    const stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')) as RunStats;
    expect(stats.totals.documentsIn).toBeGreaterThan(0);
    expect(stats.totals.documentsOut).toBe(0);
    const manifest = await readTokenShardManifest(join(out, 'tokens'));
    expect(manifest.shards).toEqual([]);
    expect(manifest.totalDocuments).toBe(0);
    expect((await readdir(out)).sort()).toContain('report.html');
  });

  it('never rebuilds shards from parts left over after the manifest was committed', async () => {
    const out = join(tmp, 'some');
    expect(run(out).status).toBe(0);
    const tokens = join(out, 'tokens');
    const before = await readFile(join(tokens, 'manifest.json'), 'utf8');
    const shards = (await readdir(tokens)).filter((n) => n.endsWith('.ds')).sort();
    const bytes = await Promise.all(shards.map((n) => readFile(join(tokens, n))));
    // A crash while the parts were being removed leaves a subset of them behind, and no stats.json
    // (written after finalize); a rerun of a run with stats.json is already complete and finalizes nothing.
    await mkdir(join(tokens, '_parts'), { recursive: true });
    await writeFile(join(tokens, '_parts', 'part-s0-00000.arrow'), 'partial leftover');
    await rm(join(out, 'stats.json'));
    const again = run(out);
    expect(again.status, again.stderr).toBe(0);
    expect(await readFile(join(tokens, 'manifest.json'), 'utf8')).toBe(before);
    for (const [i, n] of shards.entries()) expect((await readFile(join(tokens, n))).equals(bytes[i]!)).toBe(true);
    expect((await readdir(tokens)).includes('_parts')).toBe(false);
  });
});
