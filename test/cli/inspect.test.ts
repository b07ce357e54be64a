import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectRun } from '../../src/report/inspect.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let tmp: string;
let out: string;

/** A run whose length filter drops real documents, written as Parquet (the default sink). */
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-inspect-'));
  out = join(tmp, 'out');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), 'run', join(ROOT, 'test/cli/pipelines/short-docs.ts'),
    '--input', join(ROOT, 'fixtures/corpus'), '--output', out, '--workers', '1'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

describe('sluice inspect', () => {
  it('shows kept documents with their columns', async () => {
    const text = await inspectRun(out, { sample: 2, chars: 50 });
    expect(text).toMatch(/^kept documents: \d+ of 80; showing 2/);
    expect(text.match(/── kept #/g)?.length).toBe(2);
    expect(text).toContain('chars: ');
  });

  it('shows documents a step dropped, only of the asked reason, with text excerpts', async () => {
    const text = await inspectRun(out, { droppedBy: 'filter', sample: 3, chars: 40 });
    expect(text).toMatch(/^dropped by filter: \d+ documents\n {2}filter:len\(text\) > 1499: \d+/);
    const shown = [...text.matchAll(/chars: (\d+)/g)].map((m) => Number(m[1]));
    expect(shown.length).toBe(3);
    // The pipeline keeps documents of at least 1,500 characters: every example shown is shorter.
    expect(shown.every((n) => n < 1500)).toBe(true);
    const none = await inspectRun(out, { reason: 'no_such_reason', sample: 3, chars: 40 });
    expect(none).toContain(': 0 documents');
  });

  it('names the steps that dropped something when the step is unknown', async () => {
    await expect(inspectRun(out, { droppedBy: 'gopher_quality', sample: 1, chars: 10 })).rejects.toThrow(/steps that dropped documents: filter/);
  });

  it('samples reproducibly with a seed', async () => {
    const a = await inspectRun(out, { droppedBy: 'filter', sample: 3, chars: 20, seed: 7 });
    expect(await inspectRun(out, { droppedBy: 'filter', sample: 3, chars: 20, seed: 7 })).toBe(a);
    expect(await inspectRun(out, { droppedBy: 'filter', sample: 3, chars: 20, seed: 8 })).not.toBe(a);
  });
});
