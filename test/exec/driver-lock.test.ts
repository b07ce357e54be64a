import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockOutput, LOCK_FILE, OutputLockedError, STALE_AFTER_MS } from '../../src/exec/driver/driver-lock.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PIPELINE = join(ROOT, 'test/exec/pipelines/fail-on-word.ts');
let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'sluice-lock-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function sluice(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
}

/** The pid of a process that has exited (so no process has it, barring reuse). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('driver lock', () => {
  it('refuses a second driver while the first is alive, and frees the output on release', async () => {
    const out = join(tmp, 'unit');
    const first = await lockOutput(out, () => {});
    const err = await lockOutput(out, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputLockedError);
    expect((err as Error).message).toMatch(new RegExp(`pid ${process.pid}, started `));
    await first.release();
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    await (await lockOutput(out, () => {})).release();
  });

  it('takes over a stale lock with a warning: a dead pid on this host, an old heartbeat from another host', async () => {
    const out = join(tmp, 'stale');
    await lockOutput(out, () => {}).then((l) => l.release());
    const now = new Date().toISOString();
    const warnings: string[] = [];
    await writeFile(join(out, LOCK_FILE), JSON.stringify({ host: (await import('node:os')).hostname(), pid: deadPid(), startedAt: now, heartbeatAt: now }));
    await (await lockOutput(out, (l) => warnings.push(l))).release();
    const old = new Date(Date.now() - STALE_AFTER_MS - 1000).toISOString();
    await writeFile(join(out, LOCK_FILE), JSON.stringify({ host: 'another-node', pid: 1, startedAt: old, heartbeatAt: old }));
    await (await lockOutput(out, (l) => warnings.push(l))).release();
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/taking over the lock of a driver that is gone \(host another-node, pid 1/);
    await writeFile(join(out, LOCK_FILE), JSON.stringify({ host: 'another-node', pid: 1, startedAt: now, heartbeatAt: now }));
    await expect(lockOutput(out, () => {})).rejects.toThrow(/host another-node, pid 1/);
  });

  it('a second `sluice run` on a live run is refused; after the first is killed, a rerun takes over and completes', async () => {
    const out = join(tmp, 'cli');
    const args = ['run', PIPELINE, '--input', join(ROOT, 'fixtures/corpus'), '--output', out, '--batch-size', '8', '--workers', '1', '--option', 'hangOn=Sevenoaks'];
    const first = spawn(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args, '--doc-timeout', '600'], { cwd: ROOT, stdio: 'ignore' });
    try {
      // Bounded wait for the first driver to take the lock (not a timing assertion: a hang guard).
      for (let i = 0; i < 600 && !existsSync(join(out, LOCK_FILE)); i++) await sleep(100);
      const second = sluice(args);
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`being run by another sluice driver \\(host \\S+, pid ${first.pid}, started `));
    } finally {
      first.kill('SIGKILL');
      await new Promise((done) => first.once('exit', done));
    }
    const third = sluice([...args, '--doc-timeout', '1']);
    expect(third.status, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/taking over the lock of a driver that is gone/);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });
});

describe('inputs changed under a run', () => {
  it('resume and `sluice task` refuse a changed input, naming it; --overwrite starts over', async () => {
    const input = join(tmp, 'changing-input');
    await cp(join(ROOT, 'fixtures/corpus'), input, { recursive: true });
    const out = join(tmp, 'changing-out');
    // One task per file (15-58 KB each), so the task reading the changed file is one of three.
    const args = ['run', PIPELINE, '--input', input, '--output', out, '--batch-size', '8', '--task-bytes', '65536'];
    expect(sluice([...args, '--plan-only']).status).toBe(0);
    const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as { inputs: { path: string }[]; tasks: { id: string; input?: string }[] };
    expect(plan.inputs).toHaveLength(3);
    const victim = join(input, 'c4-sample.01.jsonl');
    await appendFile(victim, '{"text":"appended after planning"}\n');
    const resumed = sluice(args);
    expect(resumed.status).toBe(1);
    expect(resumed.stderr).toMatch(/input files changed since the run .* was planned/);
    expect(resumed.stderr).toContain(`${victim}: `);
    const task = plan.tasks.find((t) => t.input?.includes('c4-sample.01.jsonl'))!;
    const single = sluice(['task', out, task.id]);
    expect(single.status).toBe(1);
    expect(single.stderr).toMatch(new RegExp(`task ${task.id.replace('.', '\\.')}: its input changed since the run was planned`));
    const fresh = sluice([...args, '--overwrite']);
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(fresh.stdout).toMatch(/81 documents in/);
  });
});
