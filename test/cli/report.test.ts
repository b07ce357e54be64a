import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReportData, renderReport, renderSummary } from '../../src/report/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let tmp: string;
let out: string;

function sluice(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
}

/** A run without token shards (default Parquet sink) whose operator quarantines documents, over the real corpus fixture. */
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-report-'));
  out = join(tmp, 'out');
  const r = sluice(['run', join(ROOT, 'test/exec/pipelines/fail-on-word.ts'), '--input', join(ROOT, 'fixtures/corpus'), '--output', out,
    '--workers', '1', '--option', 'minLength=300', '--option', 'throwOn= the ']);
  expect(r.status, r.stderr).toBe(0);
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

describe('run report', () => {
  it('is written at the end of sluice run, with the summary table on stdout', async () => {
    const r = sluice(['report', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^step\s+in\s+out\s+kept\s+dropped/m);
    expect(r.stdout).toMatch(/documents: 80 in, \d+ kept, \d+ dropped, \d+ quarantined/);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toContain('Token shards');
  });

  it('counts what stats.json counts, folding plan bookkeeping steps away', async () => {
    const d = await loadReportData(out);
    expect(d.tokens).toEqual([]);
    // The default Parquet sink holds the kept texts: lengths, but no language column.
    expect(d.kept?.chars.length).toBe(d.stats.totals.documentsOut);
    expect(d.kept?.chars.every((n) => n > 300)).toBe(true);
    expect(d.keptLanguages).toEqual({});
    const summary = renderSummary(d);
    const rows = summary.split('\n').filter((l) => /^s\d+ /.test(l));
    expect(rows.map((l) => l.split(/\s+/)[1])).toEqual(d.stats.steps.filter((s) => !/^(select|drop)/.test(s.name)).map((s) => s.name));
    expect(d.stats.totals.quarantined).toBeGreaterThan(0);
    const html = renderReport(d);
    expect(html).toContain(`quarantined ${d.stats.totals.quarantined}`);
    expect(html).toContain('filter');
  });

  it('explains what is wrong with a directory that is not a run', async () => {
    const r = sluice(['report', tmp]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('has no stats.json');
  });
});
