import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStats } from '../../src/exec/accounting/counters.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const INPUT = join(ROOT, 'fixtures/corpus');
const PIPELINE = join(ROOT, 'test/exec/pipelines/fail-on-word.ts');
const TWO_STAGES = join(ROOT, 'test/exec/pipelines/two-stages.ts');
/** Task size below any two fixture files together (15-58 KB each): one task per file. */
const PER_FILE = '65536';
let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'sluice-run-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

/** Runs the real CLI in a child process (SIGKILL must not take vitest down with it). */
function sluice(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env },
  });
}

/** The CLI in a child process without blocking, so two copies can run at once. */
function sluiceAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => done({ code, stderr }));
  });
}

function run(out: string, extra: string[] = [], env: Record<string, string> = {}) {
  return sluice(['run', PIPELINE, '--input', INPUT, '--output', out, '--batch-size', '4', '--task-bytes', PER_FILE, '--option', 'minLength=300', ...extra], env);
}

/** sha256 of every user-facing output file (not the store, not timing-bearing stats). */
async function digest(out: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const sub of ['documents', 'quarantine', 'out']) {
    const dir = join(out, sub);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const n of names.sort()) {
      result[relative(out, join(dir, n))] = createHash('sha256').update(await readFile(join(dir, n))).digest('hex');
    }
  }
  return result;
}

async function stats(out: string): Promise<RunStats> {
  return JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')) as RunStats;
}

describe('sluice run', () => {
  let baseline: Record<string, string>;

  it('workers=1 and workers=2 give byte-identical outputs, and stats add up', async () => {
    const a = join(tmp, 'w1');
    const b = join(tmp, 'w2');
    const ra = run(a, ['--workers', '1']);
    expect(ra.status, ra.stderr).toBe(0);
    const rb = run(b, ['--workers', '2']);
    expect(rb.status, rb.stderr).toBe(0);
    baseline = await digest(a);
    expect(Object.keys(baseline).length).toBeGreaterThan(1);
    expect(await digest(b)).toEqual(baseline);
    const s = await stats(a);
    expect(s.totals.documentsIn).toBe(80);
    expect(s.totals.documentsOut + Object.values(s.totals.dropped).reduce((x, y) => x + y, 0) + s.totals.quarantined).toBe(80);
    expect(s.totals.documentsOut).toBeGreaterThan(0);
    expect(s.totals.documentsOut).toBeLessThan(80);
  });

  it.each([['1'], ['3'], ['7:piece'], ['12']])('SIGKILL after %s commits, then resume, equals the uninterrupted run', async (k) => {
    const out = join(tmp, `kill-${k.replace(':', '-')}`);
    const killed = run(out, ['--workers', '2'], { SLUICE_TEST_KILL_AFTER: k });
    expect(killed.signal).toBe('SIGKILL');
    await expect(stat(join(out, 'stats.json'))).rejects.toThrow();
    const resumed = run(out, ['--workers', '1', '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(await digest(out)).toEqual(baseline);
  });

  it('quarantines exactly the documents a throwing operator fails on', async () => {
    const out = join(tmp, 'throw');
    const word = 'the';
    // No length filter: the optimizer may run it before the operator, which would hide short
    // documents from it; every document must reach the operator for "exactly" to be checkable.
    const r = run(out, ['--workers', '2', '--option', 'minLength=0', '--option', `throwOn= ${word} `]);
    expect(r.status, r.stderr).toBe(0);
    const expected: string[] = [];
    for (const f of (await readdir(INPUT)).filter((n) => n.endsWith('.jsonl')).sort()) {
      let pos = 0;
      for (const line of (await readFile(join(INPUT, f), 'utf8')).split('\n')) {
        if (line && (JSON.parse(line) as { text: string }).text.includes(` ${word} `)) expected.push(`${f}@${pos}`);
        pos += Buffer.byteLength(line) + 1;
      }
    }
    const got: string[] = [];
    for (const n of (await readdir(join(out, 'quarantine'))).sort()) {
      for (const line of (await readFile(join(out, 'quarantine', n), 'utf8')).trim().split('\n')) {
        const q = JSON.parse(line) as { file: string; pos: number; error: string };
        expect(q.error).toContain('trap: found');
        got.push(`${q.file.split('/').pop()}@${q.pos}`);
      }
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(80);
    expect(got).toEqual(expected);
    const s = await stats(out);
    expect(s.totals.quarantined).toBe(expected.length);
    for (const step of s.steps) {
      const dropped = Object.values(step.dropped).reduce((x, y) => x + y, 0);
      expect(step.documentsIn).toBe(step.documentsOut + dropped + step.quarantined);
    }
  });

  it('quarantines a document an operator hangs on, replaces the worker and continues', async () => {
    const out = join(tmp, 'hang');
    const r = run(out, ['--workers', '1', '--doc-timeout', '1', '--option', 'hangOn=Sevenoaks']);
    expect(r.status, r.stderr).toBe(0);
    const q = (await readFile(join(out, 'quarantine', (await readdir(join(out, 'quarantine')))[0]!), 'utf8')).trim().split('\n');
    expect(q).toHaveLength(1);
    expect(q[0]).toMatch(/timed out/);
    expect((await stats(out)).totals.quarantined).toBe(1);
  });

  it('does not blame a document for slow work of a later operator that sends no heartbeats', async () => {
    const out = join(tmp, 'slow');
    const r = run(out, ['--workers', '1', '--doc-timeout', '1', '--option', 'slowOn=Sevenoaks', '--option', 'slowMs=2500']);
    expect(r.status, r.stderr).toBe(0);
    expect((await stats(out)).totals.quarantined).toBe(0);
  });

  it('retries a task whose worker crashed, resuming it, and gets the same output', async () => {
    const out = join(tmp, 'crash-once');
    const marker = join(tmp, 'crash-once.marker');
    // Millersville is in the 26th document of the 40-document file: the task has committed pieces by then.
    const r = run(out, ['--workers', '2', '--option', 'crashOn=Millersville', '--option', `crashMarker=${marker}`]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);
    expect(await digest(out)).toEqual(baseline);
  });

  it('fails a task that crashes its worker on every attempt, naming its input range', () => {
    const r = run(join(tmp, 'crash-always'), ['--workers', '1', '--retries', '1', '--option', 'crashOn=Sevenoaks']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/task s0\/\d+ \(\S+\.jsonl\) failed after 2 attempts/);
  });

  it('replaces a worker that runs out of memory, then fails the task clearly', () => {
    const r = run(join(tmp, 'oom'), ['--workers', '1', '--retries', '1', '--max-worker-memory', '128', '--option', 'oomOn=Millersville']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/task s0\/1 \(\S+dclm-quality-labels\.sample\.jsonl\) failed after 2 attempts: .*memory/);
  });

  it('refuses to resume a run of a changed pipeline configuration', async () => {
    const out = join(tmp, 'w1');
    const r = sluice(['run', PIPELINE, '--input', INPUT, '--output', out, '--batch-size', '4', '--task-bytes', PER_FILE, '--option', 'minLength=301']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/different pipeline or configuration/);
  });

  it('reports invalid options clearly', () => {
    const r = sluice(['run', PIPELINE, '--input', INPUT, '--output', join(tmp, 'bad'), '--workers', 'two']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--workers: --workers must be a positive integer/);
    const missing = sluice(['run', PIPELINE, '--input', join(tmp, 'no-such-dir'), '--output', join(tmp, 'bad')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/--input \S+no-such-dir: no such directory/);
  });
});

describe('sluice run, two stages (shuffle, global limit)', () => {
  const runTwo = (out: string, extra: string[] = [], env: Record<string, string> = {}) =>
    sluice(['run', TWO_STAGES, '--input', INPUT, '--output', out, '--batch-size', '4', '--task-bytes', PER_FILE, '--option', 'limit=40', ...extra], env);
  let baseline: Record<string, string>;

  it('workers=1 and workers=2 give byte-identical outputs', async () => {
    const a = join(tmp, 'two-w1');
    const b = join(tmp, 'two-w2');
    expect(runTwo(a, ['--workers', '1']).status).toBe(0);
    expect(runTwo(b, ['--workers', '2']).status).toBe(0);
    baseline = await digest(a);
    // The limit keeps the first 40 rows in partition order: the last task keeps none and writes no part.
    expect(Object.keys(baseline)).toEqual(['out/part-s1-00000.jsonl', 'out/part-s1-00001.jsonl']);
    expect(await digest(b)).toEqual(baseline);
    const s = await stats(a);
    expect(s.totals.documentsIn).toBe(80);
    expect(s.totals.documentsOut).toBe(40);
    const lines = (await Promise.all(Object.keys(baseline).map((f) => readFile(join(a, f), 'utf8'))))
      .flatMap((t) => t.split('\n').filter(Boolean));
    expect(lines).toHaveLength(40);
  });

  it('one task at a time (--plan-only, then `sluice task` in any order) equals the pooled run', async () => {
    const out = join(tmp, 'two-tasks');
    const plan = runTwo(out, ['--plan-only']);
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/s0: 3 tasks\ns1: 3 tasks\nfinalize: 1 task/);
    const graph = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as { tasks: { id: string; after: string[] }[] };
    expect(graph.tasks.map((t) => t.id)).toEqual(['s0.0', 's0.1', 's0.2', 's1.0', 's1.1', 's1.2', 'finalize']);
    expect(graph.tasks.find((t) => t.id === 's1.0')!.after).toEqual(['s0']);
    const early = sluice(['task', out, 's1.0']);
    expect(early.status).toBe(2);
    expect(early.stderr).toMatch(/task s1\.0 waits for s0\.0, s0\.1, s0\.2, not committed yet/);
    expect(sluice(['task', out, 's7.0']).stderr).toMatch(/no task "s7.0" \(tasks: s0\.0\.\.s0\.2, s1\.0\.\.s1\.2, finalize\)/);
    for (const id of ['s0.2', 's0.0', 's0.1', 's1.1', 's1.2', 's1.0']) {
      const r = sluice(['task', out, id]);
      expect(r.status, r.stderr).toBe(0);
    }
    await expect(stat(join(out, 'stats.json'))).rejects.toThrow();
    // Two copies of the finalize task at once (a requeue racing a slow node): both succeed.
    const [f1, f2] = await Promise.all([sluiceAsync(['task', out, 'finalize']), sluiceAsync(['task', out, 'finalize'])]);
    expect([f1.code, f2.code], f1.stderr + f2.stderr).toEqual([0, 0]);
    expect(sluice(['task', out, 'finalize']).stdout).toMatch(/already committed/);
    expect(await digest(out)).toEqual(baseline);
    expect((await stats(out)).totals.documentsOut).toBe(40);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });

  it('several tasks in one `sluice task` process (a Slurm element) run in order, each logged to its own file, and equal the pooled run', async () => {
    const out = join(tmp, 'two-element');
    const logs = join(tmp, 'two-element logs');
    expect(runTwo(out, ['--plan-only']).status).toBe(0);
    // s1.0 comes before s0.1, which it waits for, and finalize waits for s1.0: both cannot run
    // yet; the others run all the same, and the exit code is the first failure's.
    const first = sluice(['task', '--log-dir', logs, out, 's0.2', 's0.0', 's1.0', 's0.1', 's1.1', 's1.2', 'finalize'], { SLURM_ARRAY_JOB_ID: '7', SLURM_ARRAY_TASK_ID: '3', SLURM_JOB_ID: '12', SLURM_RESTART_COUNT: '1' });
    expect(first.status, first.stderr).toBe(2);
    expect(first.stdout).toBe('');
    const s10 = readFileSync(join(logs, 's1.0.log'), 'utf8').split('\n');
    expect(s10[0]).toMatch(/^=== sluice task s1\.0 \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \| host \S+ \| array element 7_3 \(job 12\) \| attempt 2$/);
    expect(s10[1]).toBe('sluice: task s1.0 waits for s0.1, not committed yet; run that first');
    expect(s10[2]).toMatch(/^=== sluice task s1\.0 \| exit 2 \| \d{4}-/);
    expect(readFileSync(join(logs, 's1.1.log'), 'utf8')).toMatch(/\ntask s1\.1 committed\n=== sluice task s1\.1 \| exit 0 \|/);
    expect(readFileSync(join(logs, 'finalize.log'), 'utf8')).toMatch(/\| exit 2 \|/);
    const second = sluice(['task', '--log-dir', logs, out, 's0.0', 's1.0', 'finalize']);
    expect(second.status, second.stderr).toBe(0);
    expect(readFileSync(join(logs, 's0.0.log'), 'utf8')).toMatch(/task s0\.0 committed\n.*exit 0.*\n.*\ntask s0\.0 is already committed\n.*exit 0/);
    expect(readFileSync(join(logs, 's1.0.log'), 'utf8').split('\n').filter((l) => l.startsWith('=== sluice task s1.0 | 2'))).toHaveLength(2);
    expect(await digest(out)).toEqual(baseline);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    // A run that cannot be opened fails each task with the reason, in each task's log.
    const nowhere = sluice(['task', '--log-dir', join(logs, 'nowhere'), join(tmp, 'no-such-run'), 's0.0', 's0.1']);
    expect(nowhere.status).toBe(1);
    for (const id of ['s0.0', 's0.1']) expect(readFileSync(join(logs, 'nowhere', `${id}.log`), 'utf8')).toMatch(/\nsluice: .*no-such-run holds no planned sluice run \(no plan\.json\).*\n=== sluice task s0\.\d \| exit 1 \|/);
  });

  it('SIGTERM to a `sluice task` process with several ids stops the running one (exit 143) and runs no other', async () => {
    const out = join(tmp, 'element-stop');
    const logs = join(tmp, 'element-stop logs');
    expect(run(out, ['--plan-only', '--doc-timeout', '600', '--option', 'hangOn=Sevenoaks']).status).toBe(0);
    const tasks = (JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as { tasks: { id: string; input?: string }[] }).tasks;
    const hung = tasks.find((t) => t.input?.includes('c4-sample.01.jsonl'))!.id;
    const next = tasks.find((t) => t.id.startsWith('s0.') && t.id !== hung)!.id;
    const child = spawn(process.execPath, [join(ROOT, 'bin/sluice.js'), 'task', '--log-dir', logs, out, hung, next], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // Hang guard: the header is written as the task starts.
    for (let i = 0; i < 1200 && !existsSync(join(logs, `${hung}.log`)); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(readFileSync(join(logs, `${hung}.log`), 'utf8')).toMatch(new RegExp(`stopped by SIGTERM.*\\n=== sluice task ${hung.replace('.', '\\.')} \\| exit 143 \\|`));
    expect(existsSync(join(logs, `${next}.log`))).toBe(false);
  });

  it('two copies of one stage task at once both commit, leaving one run\'s bytes', async () => {
    const out = join(tmp, 'two-copies');
    expect(runTwo(out, ['--plan-only']).status).toBe(0);
    for (const id of ['s0.0', 's0.1', 's0.2']) {
      const [a, b] = await Promise.all([sluiceAsync(['task', out, id]), sluiceAsync(['task', out, id])]);
      expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    }
    for (const id of ['s1.0', 's1.1', 's1.2', 'finalize']) expect(sluice(['task', out, id]).status).toBe(0);
    expect(await digest(out)).toEqual(baseline);
  }, 180_000);

  it('SIGKILL in the second stage, then resume, equals the uninterrupted run', async () => {
    const out = join(tmp, 'two-kill');
    const killed = runTwo(out, ['--workers', '2'], { SLUICE_TEST_KILL_AFTER: '25' });
    expect(killed.signal).toBe('SIGKILL');
    // The kill landed in s1: some of its tasks had committed pieces.
    expect(await readdir(join(out, '_store/manifests/stages/s1/tasks'))).not.toHaveLength(0);
    const resumed = runTwo(out, ['--workers', '2', '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(await digest(out)).toEqual(baseline);
  });
});
