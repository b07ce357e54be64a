import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStats } from '../../src/exec/accounting/counters.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'sluice-bad-records-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

async function filesUnder(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) n += e.isDirectory() ? await filesUnder(join(dir, e.name)) : 1;
  return n;
}

describe('many malformed records', () => {
  it('are quarantined one by one but committed in a few units, not one checkpoint each', async () => {
    const input = join(tmp, 'in');
    const lines = [
      ...Array.from({ length: 200 }, (_, i) => JSON.stringify({ id: String(i), text: `an ordinary sentence number ${i} about the weather today` })),
      ...Array.from({ length: 3000 }, (_, i) => `{broken json line ${i}`),
    ];
    await mkdir(input);
    await writeFile(join(input, 'x.jsonl'), lines.join('\n') + '\n');
    const out = join(tmp, 'out');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), 'run', join(ROOT, 'test/exec/pipelines/fail-on-word.ts'),
      '--input', input, '--output', out, '--workers', '1'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')) as RunStats;
    expect(stats.steps[0]).toMatchObject({ name: 'scan', documentsIn: 3200, documentsOut: 200, quarantined: 3000 });
    const quarantined = (await readFile(join(out, 'quarantine', 's0-00000.jsonl'), 'utf8')).trim().split('\n');
    expect(quarantined).toHaveLength(3000);
    // Per-record commits rewrote the growing checkpoint 3,000 times (thousands of chunk files).
    expect(await filesUnder(join(out, '_store'))).toBeLessThan(60);
  });
});
