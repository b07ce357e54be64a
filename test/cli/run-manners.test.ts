import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReportData } from '../../src/report/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = join(ROOT, 'fixtures/corpus');
const FAIL_ON_WORD = join(ROOT, 'test/exec/pipelines/fail-on-word.ts');
const STALL_WORD = 'Cleveland';
let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'sluice-manners-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function sluice(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

const small = (out: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  sluice(['run', FAIL_ON_WORD, '--input', CORPUS, '--output', out, '--option', 'minLength=300', ...extra], env);

describe('sluice run manners', () => {
  it('caps --workers above the core count with a warning, unless --force-workers', () => {
    const cores = availableParallelism();
    const capped = small(join(tmp, 'capped'), ['--workers', String(cores * 32)]);
    expect(capped.status, capped.stderr).toBe(0);
    expect(capped.stderr).toContain(`--workers ${cores * 32} exceeds the ${cores} cores of this machine; using ${cores}`);
    const forced = small(join(tmp, 'forced'), ['--workers', String(cores + 1), '--force-workers']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('kept because of --force-workers');
    const fine = small(join(tmp, 'fine'), ['--workers', '1']);
    expect(fine.stderr).not.toContain('exceeds');
  });

  it('runs when node itself was given V8 flags (threads inherit them instead of rejecting them)', () => {
    const r = spawnSync(process.execPath, ['--max-semi-space-size=32', '--stack-size=2000', join(ROOT, 'bin/sluice.js'), 'run', FAIL_ON_WORD,
      '--input', CORPUS, '--output', join(tmp, 'v8-flags'), '--option', 'minLength=300', '--workers', '2'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('documents:');
  });

  it('says a finished run is already complete and leaves its stats and report alone', async () => {
    const out = join(tmp, 'complete');
    expect(small(out, ['--workers', '1']).status).toBe(0);
    const before = { stats: await readFile(join(out, 'stats.json'), 'utf8'), report: (await stat(join(out, 'report.html'))).mtimeMs };
    const again = small(out, ['--workers', '1']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain(`already complete: ${out}`);
    expect(await readFile(join(out, 'stats.json'), 'utf8')).toBe(before.stats);
    expect((await stat(join(out, 'report.html'))).mtimeMs).toBe(before.report);
  });

  it('refuses another pipeline\'s run saying how to proceed; --overwrite deletes only sluice\'s paths', async () => {
    const out = join(tmp, 'other');
    expect(small(out, ['--workers', '1']).status).toBe(0);
    await writeFile(join(out, 'notes.txt'), 'mine');
    const refused = small(out, ['--workers', '1', '--option', 'minLength=301']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/different pipeline or configuration.*--overwrite.*new --output/s);
    const over = small(out, ['--workers', '1', '--option', 'minLength=301', '--overwrite']);
    expect(over.status, over.stderr).toBe(0);
    const listed = over.stderr.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
    expect(listed).toEqual(['_store', 'documents', 'dropped', 'plan.json', 'report.html', 'stats.json'].map((n) => join(out, n)));
    expect(await readFile(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')).fingerprint)
      .toBe(JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')).fingerprint);
    const rerun = small(out, ['--workers', '1', '--option', 'minLength=301']);
    expect(rerun.stdout).toContain('already complete');
  });

  it('still refuses a non-empty directory that holds no sluice run, even with --overwrite', async () => {
    const out = join(tmp, 'foreign');
    await mkdir(out);
    await writeFile(join(out, 'precious.txt'), 'keep');
    const r = small(out, ['--workers', '1', '--overwrite']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not empty and holds no sluice run');
    expect(await readdir(out)).toEqual(['precious.txt']);
  });

  it('resumes a run whose claim failed on a full disk, as the failed run says to', async () => {
    const out = join(tmp, 'full-at-claim');
    // The first chunk the store writes is the run manifest: the claim fails with `_store/` made.
    const failed = small(out, ['--workers', '1'], { SLUICE_FAULT_FS: 'write:1:ENOSPC:/_store/chunks/' });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('rerun the same command to resume');
    expect(await readdir(out)).toEqual(['_store']);
    const rerun = small(out, ['--workers', '1']);
    expect(rerun.status, rerun.stderr).toBe(0);
    const clean = small(join(tmp, 'full-at-claim-reference'), ['--workers', '1']);
    expect(clean.status, clean.stderr).toBe(0);
    const parts = await readdir(join(out, 'documents'));
    expect(parts).toEqual(await readdir(join(tmp, 'full-at-claim-reference/documents')));
    for (const p of parts) expect(await readFile(join(out, 'documents', p))).toEqual(await readFile(join(tmp, 'full-at-claim-reference/documents', p)));
  });
});

describe('run report languages', () => {
  it('counts kept languages from the accounting when the output has no language column', async () => {
    const out = join(tmp, 'languages');
    const r = sluice(['run', join(ROOT, 'test/cli/pipelines/languages-not-selected.ts'), '--input', 'fixtures/warc', '--output', out, '--workers', '2']);
    expect(r.status, r.stderr).toBe(0);
    const d = await loadReportData(out);
    const kept = Object.values(d.keptLanguages).reduce((a, b) => a + b, 0);
    expect(kept).toBe(d.stats.totals.documentsOut);
    expect(d.keptLanguages['en']).toBeGreaterThan(0);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`${d.keptLanguages['en']} kept,`);
  });
});

describe('sluice run on the refinedweb fixture', () => {
  let out: string;
  let stdout: string;
  let stderr: string;
  beforeAll(() => {
    out = join(tmp, 'refinedweb');
    const r = sluice(['run', 'pipelines/refinedweb.ts', '--input', 'fixtures/warc', '--output', out, '--workers', '2']);
    expect(r.status, r.stderr).toBe(0);
    stdout = r.stdout;
    stderr = r.stderr;
  }, 120_000);

  it('reports the dedup phases and the token sink finalize between stages', () => {
    const lines = stderr.split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    // The recipe's three dedup stages (MinHash, exact substring, URL), then the token sink's assembly.
    const order = [/stage s0 done/, /s1 dedup buckets: \d+ steps?/, /s1 dedup buckets done/, /s1 dedup merge: 1 step$/, /s1 dedup merge done/,
      /stage s1: \d+ tasks?/, /stage s1 done/, /s2 dedup merge done/, /stage s2 done/, /s3 dedup merge done/, /stage s3 done/,
      /s3 finalize tokens sink: 1 step$/, /s3 finalize tokens sink done: 1\/1 step in/].map(at);
    expect(order.every((i) => i >= 0), stderr).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('prints a summary that fits 100 columns', () => {
    const summary = stdout.slice(stdout.indexOf('step '));
    expect(summary).toMatch(/^step\s+in\s+out\s+kept\s+dropped/);
    expect(summary).toMatch(/^s3 tokenize/m);
    for (const line of summary.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });
});

describe('sluice run stopped by a signal', () => {
  const STALL = join(ROOT, 'test/cli/pipelines/stall-in-second-stage.ts');
  // A task size below any two of the corpus files together (15-58 KB): one task per file.
  const args = (out: string) => ['run', STALL, '--input', CORPUS, '--output', out, '--batch-size', '4', '--task-bytes', '65536', '--workers', '2'];
  let baseline: Record<string, string>;

  beforeAll(async () => {
    const out = join(tmp, 'stall-baseline');
    const r = sluice(args(out));
    expect(r.status, r.stderr).toBe(0);
    baseline = await digest(out);
    expect(Object.keys(baseline).filter((k) => k.startsWith('documents/'))).toHaveLength(3);
  }, 120_000);

  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s: says what is committed and how to resume; the resumed run equals an uninterrupted one', async (signal, code) => {
    const out = join(tmp, `stopped-${signal}`);
    // "Cleveland" is in a document of the second stage: that task stalls until the signal.
    const child = spawn(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args(out)], {
      cwd: ROOT, env: { ...process.env, SLUICE_TEST_STALL_ON: STALL_WORD }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    await new Promise<void>((ready) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        // s0 is committed and s1 has started: its stalled task keeps the run going until the signal.
        if (/stage s1: 3 tasks/.test(stderr)) ready();
      });
    });
    child.kill(signal);
    expect(await exited, stderr).toBe(code);
    expect(stderr).toContain(`stopped by ${signal}`);
    expect(stderr).toMatch(/s0 +3\/3 tasks committed/);
    expect(stderr).toMatch(/s1 +[0-2]\/3 tasks committed\n +finalize +0\/1 tasks committed/);
    const resume = stderr.slice(stderr.indexOf('Resume with the same command')).split('\n')[1]!.trim();
    // `npx sluice` when started under npx (as vitest is here), `sluice` otherwise.
    expect(resume.replace(/^npx /, '')).toBe(['sluice', ...args(out)].join(' '));
    expect(existsSync(join(out, 'stats.json'))).toBe(false);
    const resumed = sluice(args(out));
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(await digest(out)).toEqual(baseline);
  });
});

/** sha256 of the documents output, the quarantine files and the drop logs. */
async function digest(out: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const sub of ['documents', 'quarantine', 'dropped']) {
    const dir = join(out, sub);
    for (const n of (await readdir(dir).catch(() => [] as string[])).sort()) {
      result[`${sub}/${n}`] = createHash('sha256').update(await readFile(join(dir, n))).digest('hex');
    }
  }
  return result;
}
