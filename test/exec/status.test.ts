import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStatus, type RunStatus, type SchedulerView } from '../../src/exec/driver/run-status.ts';
import { failedInRunningElements } from '../../src/exec/driver/slurm-executor.ts';
import { readPlanFile } from '../../src/exec/graph/plan-file.ts';
import { recordAttempt, thisAttempt } from '../../src/exec/graph/task-state.ts';
import { openRunStore } from '../../src/exec/state/run-store.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const INPUT = join(ROOT, 'fixtures/corpus');
const PIPELINE = join(ROOT, 'test/exec/pipelines/fail-on-word.ts');
/** Task size below any two fixture files together (15-58 KB each): one task per file. */
const PER_FILE = '65536';
let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'sluice-status-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function sluice(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
}

function plan(out: string, extra: string[] = []) {
  return sluice(['run', PIPELINE, '--input', INPUT, '--output', out, '--batch-size', '8', '--task-bytes', PER_FILE, '--plan-only', ...extra]);
}

function status(out: string, extra: string[] = []): { code: number | null; json: RunStatus; stderr: string } {
  const r = sluice(['status', out, '--json', ...extra]);
  return { code: r.status, json: JSON.parse(r.stdout || '{}') as RunStatus, stderr: r.stderr };
}

describe('sluice status', () => {
  it('follows a run task by task: pending, then complete; --wait gives exit 0, or 3 on timeout', () => {
    const out = join(tmp, 'steps');
    expect(plan(out).status).toBe(0);
    const before = status(out, ['--wait', '--timeout', '0.2']);
    expect(before.code).toBe(3);
    expect(before.json).toMatchObject({ format: 'sluice-status/1', state: 'stopped', failed: [], blocked: [] });
    expect(before.json.groups).toEqual([
      { id: 's0', tasks: 3, committed: 0, running: 0, failed: 0, pending: 3 },
      { id: 'finalize', tasks: 1, committed: 0, running: 0, failed: 0, pending: 1 },
    ]);
    expect(sluice(['task', out, 's0.1']).status).toBe(0);
    expect(status(out).json.groups[0]).toMatchObject({ committed: 1, pending: 2 });
    for (const id of ['s0.0', 's0.2', 'finalize']) expect(sluice(['task', out, id]).status).toBe(0);
    const after = status(out, ['--wait']);
    expect(after.code).toBe(0);
    expect(after.json.state).toBe('complete');
    expect(after.json.documents.in).toBe(80);
    const text = sluice(['status', out]).stdout;
    expect(text).toMatch(/: complete\n/);
    expect(text).toMatch(/s0\s+3\s+3\s+0\s+0\s+0/);
  });

  it('names a failed task with its error, reports what it blocks, and --wait exits 1', () => {
    const out = join(tmp, 'failing');
    expect(plan(out, ['--retries', '0', '--option', 'crashOn=Sevenoaks']).status).toBe(0);
    const results = ['s0.0', 's0.1', 's0.2'].map((id) => [id, sluice(['task', out, id])] as const);
    const bad = results.filter(([, r]) => r.status !== 0);
    expect(bad.map(([id]) => id)).toHaveLength(1);
    expect(bad[0]![1].status).toBe(1);
    expect(bad[0]![1].stderr).toMatch(/failed after 1 attempts/);
    const s = status(out, ['--wait', '--timeout', '30']);
    expect(s.code).toBe(1);
    expect(s.json.state).toBe('failed');
    expect(s.json.failed).toEqual([expect.objectContaining({ task: bad[0]![0], error: expect.stringMatching(/failed after 1 attempts/) })]);
    expect(s.json.blocked).toEqual([{ task: 'finalize', waitsFor: [bad[0]![0]] }]);
    expect(s.json.groups[0]).toMatchObject({ committed: 2, failed: 1 });
  });

  it('while a Slurm element runs: the task it failed is failed, the one it is on is running, one it has not reached is pending', async () => {
    const out = join(tmp, 'element');
    expect(plan(out, ['--retries', '0', '--option', 'crashOn=Sevenoaks']).status).toBe(0);
    // The three tasks in one process, as array element 7_0 runs them: the crashing one fails, the others commit.
    const env = { ...process.env, SLURM_ARRAY_JOB_ID: '7', SLURM_ARRAY_TASK_ID: '0', SLURM_JOB_ID: '7' };
    const ran = spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), 'task', out, 's0.0', 's0.1', 's0.2'], { cwd: ROOT, encoding: 'utf8', env });
    expect(ran.status).toBe(1);
    const element = async () => new Map<string, SchedulerView>([...['s0.0', 's0.1', 's0.2', 'finalize']].map((id) => [id, { state: 'running', job: '7_0', detail: 'RUNNING' }]));
    const during = await runStatus(out, element);
    expect(during.failed.map((f) => f.job)).toEqual(['7_0']);
    expect(during.groups).toEqual([
      { id: 's0', tasks: 3, committed: 2, running: 0, failed: 1, pending: 0 },
      { id: 'finalize', tasks: 1, committed: 0, running: 0, failed: 0, pending: 1 },
    ]);
    const file = await readPlanFile(out);
    const store = await openRunStore(out, file.settings.chunkSize);
    await recordAttempt(store, 'finalize', thisAttempt({ job: '7_0' }));
    expect((await runStatus(out, element)).groups[1]).toMatchObject({ running: 1, pending: 0 });
    // A rerun now would wait (afterok) for an element that is going to fail: submitSlurmRun refuses.
    const bad = during.failed[0]!.task;
    expect(await failedInRunningElements(store, new Map([[bad, '7_0'], ['finalize', '7_0']]))).toEqual([{ task: bad, element: '7_0' }]);
    expect(await failedInRunningElements(store, new Map([[bad, '8_0']]))).toEqual([]);
  });

  it('reports a local run that failed the same way', () => {
    const out = join(tmp, 'local-failing');
    const r = sluice(['run', PIPELINE, '--input', INPUT, '--output', out, '--batch-size', '8', '--task-bytes', PER_FILE, '--workers', '1', '--retries', '0', '--option', 'crashOn=Sevenoaks']);
    expect(r.status).toBe(1);
    const s = status(out);
    expect(s.json.state).toBe('failed');
    expect(s.json.failed).toHaveLength(1);
  });

  it('says clearly when the directory holds no run', () => {
    const r = sluice(['status', join(tmp, 'nothing')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/holds no planned sluice run/);
  });
});
