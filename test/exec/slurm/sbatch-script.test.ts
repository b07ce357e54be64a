import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { slurmOptionsSchema, type SlurmOptionsInput } from '../../../src/exec/slurm/options.ts';
import { renderArrayScript, sbatchDirectives, type ArrayScriptSpec } from '../../../src/exec/slurm/sbatch-script.ts';
import { slurmTimeSeconds } from '../../../src/exec/slurm/slurm-time.ts';
import { probeCommand, probeEvents, probeInvocations } from './probe-task.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** A wave of 7 tasks whose array covers lines 4-7 (t3..t6), 3 tasks per element: elements 0 and 1. */
function setup(lists: Parameters<typeof probeCommand>[2] = {}, slurm: SlurmOptionsInput = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-sbatch-script-'));
  dirs.push(dir);
  const taskListFile = join(dir, 'wave.tasks');
  writeFileSync(taskListFile, ['t0', 't1', 't2', 't3', 't4', 't5', 't6'].join('\n') + '\n');
  const spec: ArrayScriptSpec = {
    jobName: 'sluice-wave', description: 'test wave', taskListFile, firstTask: 3, taskCount: 4, tasksPerElement: 3,
    command: probeCommand(dir, join(dir, 'task logs'), lists), logDir: join(dir, 'task logs'), slurmLogDir: join(dir, 'slurm'), workDir: dir, dependsOn: [],
    options: slurmOptionsSchema.parse(slurm),
  };
  const script = join(dir, 'wave.sh');
  writeFileSync(script, renderArrayScript(spec));
  return { dir, spec, script };
}

/** Runs the script as Slurm would run array element `index` (bash, the SLURM_* variables set). */
function runElement(script: string, index: number, onSpawn?: (pid: number) => void): Promise<number | null> {
  const env = { ...process.env, SLURM_ARRAY_TASK_ID: String(index), SLURM_ARRAY_JOB_ID: '42', SLURM_JOB_ID: String(100 + index), SLURM_RESTART_COUNT: '1' };
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
    onSpawn?.(child.pid!);
  });
}

describe('renderArrayScript, run by bash as an array element', () => {
  it('element i runs its tasks from the array offset in one process, in order, each logged with a header', async () => {
    const { dir, script, spec } = setup();
    expect(await runElement(script, 0)).toBe(0);
    expect(probeEvents(dir).filter((e) => e.kind === 'start').map((e) => e.id)).toEqual(['t3', 't4', 't5']);
    expect(await runElement(script, 1)).toBe(0);
    expect(probeEvents(dir).filter((e) => e.kind === 'start').map((e) => e.id)).toEqual(['t3', 't4', 't5', 't6']);
    expect(probeInvocations(dir)).toEqual([['t3', 't4', 't5'], ['t6']]);
    const log = readFileSync(join(spec.logDir, 't6.log'), 'utf8').split('\n');
    expect(log[0]).toMatch(/^=== sluice task t6 \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \| host \S+ \| array element 42_1 \(job 101\) \| attempt 2$/);
    expect(log[1]).toBe('task t6 says hello');
    expect(log[2]).toMatch(/^=== sluice task t6 \| exit 0 \| /);
  });

  it('a failed task fails the element with exit 1 (the process ran the tasks after it)', async () => {
    const { dir, script, spec } = setup({ fail: ['t4'] });
    expect(await runElement(script, 0)).toBe(1);
    expect(probeEvents(dir).filter((e) => e.kind === 'end').map((e) => `${e.id} ${e.rest}`.trim())).toEqual(['t3', 't4 failed', 't5']);
    expect(readFileSync(join(spec.logDir, 't4.log'), 'utf8')).toMatch(/task t4 fails on purpose\n=== sluice task t4 \| exit 3 \|/);
  });

  it('a task process that dies ends the element with exit 1, closing the log of the task it died in', async () => {
    const { dir, script, spec } = setup({ die: ['t4'] });
    expect(await runElement(script, 0)).toBe(1);
    expect(probeEvents(dir).map((e) => `${e.kind} ${e.id}`)).toEqual(['start t3', 'end t3', 'start t4']);
    const log = readFileSync(join(spec.logDir, 't4.log'), 'utf8').trim().split('\n');
    expect(log.at(-1)).toMatch(new RegExp(`^=== sluice task t4 \\| exit 137 \\(the task process died; its output: ${spec.slurmLogDir.replaceAll('/', '\\/')}\\/42_0\\.out\\) \\| \\d{4}-`));
    expect(readFileSync(join(spec.logDir, 't3.log'), 'utf8').trim().split('\n').at(-1)).toMatch(/^=== sluice task t3 \| exit 0 \|/);
  });

  it('on SIGTERM stops the running task with SIGTERM and exits 143', async () => {
    const { dir, script } = setup({ sleep: ['t6'] });
    let pid = 0;
    const done = runElement(script, 1, (p) => { pid = p; });
    for (let i = 0; i < 1200 && !existsSync(join(dir, 'trapped-t6')); i++) await new Promise((r) => setTimeout(r, 50));
    process.kill(pid, 'SIGTERM');
    expect(await done).toBe(143);
    expect(probeEvents(dir).map((e) => `${e.kind} ${e.id}`)).toEqual(['start t6', 'term t6']);
  });

  it('a failing setup line fails the element before any task runs', async () => {
    const { dir, script } = setup({}, { setup: 'false' });
    expect(await runElement(script, 0)).toBe(1);
    expect(probeEvents(dir)).toEqual([]);
  });
});

describe('sbatchDirectives', () => {
  const spec = (slurm: SlurmOptionsInput, dependsOn: string[] = []): ArrayScriptSpec => ({
    jobName: 'sluice-s0', description: '', taskListFile: '/x/s0.tasks', firstTask: 0, taskCount: 5, tasksPerElement: 2,
    command: ['node'], logDir: '/x/logs', slurmLogDir: '/x/slurm 50%/logs', workDir: '/x/slurm 50%', dependsOn, options: slurmOptionsSchema.parse(slurm),
  });

  it('sends only what is given: no qos, account, partition, time or memory by default (datatrove #258)', () => {
    expect(sbatchDirectives(spec({}))).toEqual([
      '--job-name=sluice-s0', '--array=0-2', '--output="/x/slurm 50%%/logs/%A_%a.out"', '--chdir="/x/slurm 50%"', '--open-mode=append',
      '--requeue', '--kill-on-invalid-dep=yes',
    ]);
  });

  it('maps every option to its flag; the time limit brings the requeue signal', () => {
    const flags = sbatchDirectives(spec({ partition: 'cpu', time: '4:00:00', cpusPerTask: 2, memPerCpu: '2G', account: 'proj', qos: 'low', arrayParallelism: 4, requeueBeforeTimeLimit: 300 }, ['17', '18']));
    expect(flags).toEqual(expect.arrayContaining([
      '--array=0-2%4', '--dependency=afterok:17:18', '--partition=cpu', '--time=4:00:00', '--signal=B:USR1@300',
      '--cpus-per-task=2', '--mem-per-cpu=2G', '--account=proj', '--qos=low',
    ]));
  });

  it('sends no requeue signal with a time limit too short for it (it would requeue for ever)', () => {
    expect(sbatchDirectives(spec({ time: '3' }))).toContain('--time=3');
    expect(sbatchDirectives(spec({ time: '3' })).some((f) => f.startsWith('--signal'))).toBe(false);
    expect(sbatchDirectives(spec({ time: '3:01' }))).toContain('--signal=B:USR1@120');
    expect(sbatchDirectives(spec({ time: '10', requeueBeforeTimeLimit: 600 })).some((f) => f.startsWith('--signal'))).toBe(false);
  });

  it('rejects malformed options', () => {
    expect(() => slurmOptionsSchema.parse({ time: '4 hours' })).toThrow(/Slurm time/);
    expect(() => slurmOptionsSchema.parse({ memPerCpu: '2 GB' })).toThrow(/size/);
    expect(() => slurmOptionsSchema.parse({ qos: 'normal', nope: 1 })).toThrow();
  });
});

describe('slurmTimeSeconds', () => {
  it('reads every sbatch --time form', () => {
    expect(['30', '30:15', '4:00:00', '2-0', '2-3:30', '1-00:00:01', 'UNLIMITED'].map(slurmTimeSeconds))
      .toEqual([1800, 1815, 14400, 172800, 185400, 86401, Infinity]);
    expect(() => slurmTimeSeconds('4h')).toThrow(/Slurm time/);
  });
});
