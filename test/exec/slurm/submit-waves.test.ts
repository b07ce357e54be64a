import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cancel, elementName, jobStates, maxArraySize, partitionCpus } from '../../../src/exec/slurm/queue.ts';
import { runSlurmCommand } from '../../../src/exec/slurm/slurm-command.ts';
import { locateTasks, readSubmissions, type Submission } from '../../../src/exec/slurm/submissions.ts';
import { submitWaves, type SubmitWavesRequest } from '../../../src/exec/slurm/submit-waves.ts';
import { taskStates } from '../../../src/exec/slurm/task-states.ts';
import { slurmEnv } from '../../helpers/slurm.ts';
import { probeCommand, probeEvents, probeInvocations, type ProbeEvent } from './probe-task.ts';
import { pollJobs } from './slurm-wait.ts';

const slurm = slurmEnv();
const env = slurm.env;

/** A fresh directory, the probe task in it, and a request for those waves. */
function request(waves: SubmitWavesRequest['waves'], lists: Parameters<typeof probeCommand>[2] = {}, extra: Partial<SubmitWavesRequest> = {}) {
  const dir = tempDir();
  // One task per element unless a test says otherwise: most tests are about elements, not packing.
  const req: SubmitWavesRequest = {
    waves, command: probeCommand(dir, join(dir, 'logs'), lists), scriptDir: join(dir, 'slurm'), logDir: join(dir, 'logs'), env, ...extra,
    slurm: { tasksPerArrayElement: 1, ...extra.slurm },
  };
  return { dir, req };
}

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-slurm-'));
  dirs.push(dir);
  return dir;
};
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const jobIdsOf = (s: Submission) => s.waves.flatMap((w) => w.jobs.map((j) => j.jobId));
const submitted: string[] = [];

/** submitWaves, remembering the job ids for the clean-up. */
async function submit(req: SubmitWavesRequest): Promise<Submission> {
  const s = await submitWaves(req);
  submitted.push(...jobIdsOf(s));
  return s;
}
const startsOf = (events: ProbeEvent[]) => events.filter((e) => e.kind === 'start').map((e) => e.id).sort();
const at = (events: ProbeEvent[], kind: ProbeEvent['kind'], id: string) => events.findIndex((e) => e.kind === kind && e.id === id);

// The tests share the node's 2 CPUs and run at once; pollJobs' cap (~2 min) is the hang guard.
describe.skipIf(slurm.skip !== undefined).concurrent(`submitWaves on a real Slurm${slurm.skip ? ` (skipped: ${slurm.skip})` : ''}`, { timeout: 180_000 }, () => {
  afterAll(async () => {
    // A failed assertion may leave sleeping tasks behind: cancel whatever this file submitted.
    if (submitted.length > 0) await cancel(submitted, { env }).catch(() => undefined);
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('chains waves with afterok: a wave starts only after every task it waits for ended; empty waves pass their dependencies on', async () => {
    const { dir, req } = request([
      { name: 'extract', taskIds: ids('e', 4), after: [] },
      { name: 'bucket', taskIds: ids('b', 2), after: [0] },
      { name: 'merge', taskIds: [], after: [1] },
      { name: 'finalize', taskIds: ['fin'], after: [2] },
    ]);
    const submission = await submit(req);
    const states = await pollJobs(jobIdsOf(submission), env);
    expect(states.elements.map((e) => e.state)).toEqual(Array(7).fill('COMPLETED'));

    const events = probeEvents(dir);
    expect(startsOf(events)).toEqual(['b0', 'b1', 'e0', 'e1', 'e2', 'e3', 'fin']);
    for (const b of ['b0', 'b1']) for (const e of ids('e', 4)) expect(at(events, 'start', b)).toBeGreaterThan(at(events, 'end', e));
    for (const b of ['b0', 'b1']) expect(at(events, 'start', 'fin')).toBeGreaterThan(at(events, 'end', b));

    const [extract, bucket, merge, finalize] = submission.waves;
    expect(merge!.jobs).toEqual([]);
    expect(bucket!.jobs[0]!.dependsOn).toEqual([extract!.jobs[0]!.jobId]);
    expect(finalize!.jobs[0]!.dependsOn).toEqual([bucket!.jobs[0]!.jobId]);
    expect(await readSubmissions(req.scriptDir)).toEqual([submission]);

    // The record maps each task to the element that ran it, and the task's log says so too.
    const where = locateTasks([submission]);
    for (const e of events.filter((x) => x.kind === 'start')) {
      const loc = where.get(e.id)!;
      expect(e.rest).toContain(`element=${loc.jobId}_${loc.arrayIndex}`);
      const log = readFileSync(join(req.logDir, `${e.id}.log`), 'utf8');
      expect(log).toMatch(new RegExp(`^=== sluice task ${e.id} \\| \\S+ \\| host \\S+ \\| array element ${loc.jobId}_${loc.arrayIndex} \\(job \\d+\\) \\| attempt 1\\ntask ${e.id} says hello\\n=== sluice task ${e.id} \\| exit 0 \\|`));
    }
  });

  it(`splits a wave above maxArraySize into arrays of at most that many elements, with no extra array (datatrove #238)`, async () => {
    const { dir, req } = request([
      { name: 'seven', taskIds: ids('s', 7), after: [] }, // k·max + 1
      { name: 'six', taskIds: ids('x', 6), after: [0] }, // k·max
      { name: 'two', taskIds: ids('t', 2), after: [1] }, // < max
    ], {}, { slurm: { maxArraySize: 3 } });
    const submission = await submit(req);
    expect(submission.waves.map((w) => w.jobs.map((j) => j.taskIds.length))).toEqual([[3, 3, 1], [3, 3], [2]]);
    expect(submission.waves[1]!.jobs[0]!.dependsOn).toEqual(submission.waves[0]!.jobs.map((j) => j.jobId));
    const states = await pollJobs(jobIdsOf(submission), env);
    expect(states.elements.map(elementName)).toEqual(submission.waves.flatMap((w) => w.jobs.flatMap((j) => j.taskIds.map((_, i) => `${j.jobId}_${i}`))));
    expect(states.elements.every((e) => e.state === 'COMPLETED')).toBe(true);
    expect(startsOf(probeEvents(dir))).toEqual([...ids('s', 7), ...ids('t', 2), ...ids('x', 6)].sort());
    const events = probeEvents(dir);
    for (const x of ids('x', 6)) for (const s of ids('s', 7)) expect(at(events, 'start', x)).toBeGreaterThan(at(events, 'end', s));
  });

  it('runs tasksPerArrayElement tasks per element, the last element short', async () => {
    const { dir, req } = request([{ name: 'pairs', taskIds: ids('p', 7), after: [] }], {}, { slurm: { maxArraySize: 3, tasksPerArrayElement: 2 } });
    const submission = await submit(req);
    const jobs = submission.waves[0]!.jobs;
    expect(jobs.map((j) => j.taskIds)).toEqual([ids('p', 6), ['p6']]);
    const states = await pollJobs(jobIdsOf(submission), env);
    expect(states.elements.map(elementName)).toEqual([`${jobs[0]!.jobId}_0`, `${jobs[0]!.jobId}_1`, `${jobs[0]!.jobId}_2`, `${jobs[1]!.jobId}_0`]);
    expect(states.elements.every((e) => e.state === 'COMPLETED')).toBe(true);
    const starts = probeEvents(dir).filter((e) => e.kind === 'start');
    expect(starts.map((e) => e.id).sort()).toEqual(ids('p', 7));
    const element = (id: string) => /element=(\S+)/.exec(starts.find((e) => e.id === id)!.rest)![1];
    expect(element('p4')).toBe(`${jobs[0]!.jobId}_2`);
    expect(element('p5')).toBe(`${jobs[0]!.jobId}_2`);
    expect(element('p6')).toBe(`${jobs[1]!.jobId}_0`);
    expect(locateTasks([submission]).get('p5')).toMatchObject({ jobId: jobs[0]!.jobId, arrayIndex: 2 });
  });

  it('by default spreads a wave over one element per CPU of the partition, each element one process', async () => {
    const cpus = Number(/TotalCPUs=(\d+)/.exec(await runSlurmCommand(['scontrol', '-o', 'show', 'partition', 'debug'], { env }))![1]);
    expect(await partitionCpus(undefined, { env })).toBe(cpus);
    expect(await partitionCpus('debug', { env })).toBe(cpus);
    await expect(partitionCpus('no-such-partition', { env })).rejects.toThrow(/no CPUs found for partition no-such-partition/);
    const { dir, req } = request([{ name: 'spread', taskIds: ids('w', 7), after: [] }]);
    const submission = await submit({ ...req, slurm: {} });
    const perElement = Math.ceil(7 / cpus);
    expect(submission.waves[0]!.jobs.map((j) => j.tasksPerElement)).toEqual([perElement]);
    await pollJobs(jobIdsOf(submission), env);
    const expected = Array.from({ length: Math.ceil(7 / perElement) }, (_, i) => ids('w', 7).slice(i * perElement, (i + 1) * perElement));
    expect(probeInvocations(dir).sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual(expected);
  });

  it('arrayParallelism runs at most that many elements of an array at once', async () => {
    const { dir, req } = request([{ name: 'serial', taskIds: ids('q', 3), after: [] }], { waitGo: ['q0'] }, { slurm: { arrayParallelism: 1 } });
    const submission = await submit(req);
    const job = submission.waves[0]!.jobs[0]!.jobId;
    expect(readFileSync(submission.waves[0]!.jobs[0]!.script, 'utf8')).toContain('#SBATCH --array=0-2%1\n');
    // While q0 is held, the node has a free CPU, but the other elements must wait for the limit.
    const held = await pollJobs([job], env, (els) => els.some((e) => e.arrayIndex !== 0 && e.state !== 'PENDING')
      || (probeEvents(dir).length > 0 && els.filter((e) => e.arrayIndex !== 0).every((e) => e.reason === 'JobArrayTaskLimit')));
    expect(held.elements.map((e) => [e.arrayIndex, e.state, e.reason])).toEqual([[0, 'RUNNING', 'None'], [1, 'PENDING', 'JobArrayTaskLimit'], [2, 'PENDING', 'JobArrayTaskLimit']]);
    writeFileSync(join(dir, 'go'), '');
    await pollJobs([job], env);
    expect(probeEvents(dir).map((e) => `${e.kind} ${e.id}`)).toEqual(['start q0', 'end q0', 'start q1', 'end q1', 'start q2', 'end q2']);
  });

  it('runs a Node command as the task (as `sluice task` will be), with the job environment', async () => {
    const dir = tempDir();
    const code = "const [dir, id] = process.argv.slice(1); require('node:fs').appendFileSync(dir + '/node-tasks', `${id} ${process.env.SLURM_ARRAY_JOB_ID}_${process.env.SLURM_ARRAY_TASK_ID}\\n`);";
    const submission = await submit({ waves: [{ name: 'node', taskIds: ['n1', 'n2'], after: [] }], command: [process.execPath, '-e', code, dir], scriptDir: join(dir, 'slurm'), logDir: join(dir, 'logs'), env });
    const job = submission.waves[0]!.jobs[0]!.jobId;
    expect((await pollJobs([job], env)).elements.map((e) => e.state)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(readFileSync(join(dir, 'node-tasks'), 'utf8').split('\n').filter(Boolean).sort()).toEqual([`n1 ${job}_0`, `n2 ${job}_1`]);
  });

  it('a failing task fails its element; dependents are cancelled (DependencyNeverSatisfied), not left pending', async () => {
    const { dir, req } = request([
      { name: 'work', taskIds: ids('f', 3), after: [] },
      { name: 'next', taskIds: ['g0'], after: [0] },
      { name: 'last', taskIds: ['h0'], after: [1] },
    ], { fail: ['f1'] });
    const submission = await submit(req);
    const [work, next, last] = submission.waves.map((w) => w.jobs[0]!.jobId);
    const states = await pollJobs([work!, next!, last!], env);
    expect(states.elements.map((e) => [elementName(e), e.state, e.exitCode])).toEqual([
      [`${work}_0`, 'COMPLETED', 0], [`${work}_1`, 'FAILED', 1], [`${work}_2`, 'COMPLETED', 0],
      [`${next}_0`, 'CANCELLED', 0], [`${last}_0`, 'CANCELLED', 0],
    ]);
    expect(states.elements.find((e) => e.jobId === next)!.reason).toBe('DependencyNeverSatisfied');
    const perTask = await taskStates(req.scriptDir, { env });
    expect([...perTask.entries()].map(([id, t]) => [id, t.element, t.state, t.reason])).toEqual([
      ['f0', `${work}_0`, 'COMPLETED', 'None'], ['f1', `${work}_1`, 'FAILED', 'NonZeroExitCode'], ['f2', `${work}_2`, 'COMPLETED', 'None'],
      ['g0', `${next}_0`, 'CANCELLED', 'DependencyNeverSatisfied'], ['h0', `${last}_0`, 'CANCELLED', 'DependencyNeverSatisfied'],
    ]);
    expect(startsOf(probeEvents(dir))).toEqual(['f0', 'f1', 'f2']);
    expect(readFileSync(join(req.logDir, 'f1.log'), 'utf8')).toMatch(/task f1 fails on purpose\n=== sluice task f1 \| exit 3 \|/);
  });

  it('scancel of one element shows it CANCELLED, stops its task with SIGTERM, and cancels the dependents', async () => {
    const { dir, req } = request([
      { name: 'work', taskIds: ids('c', 3), after: [] },
      { name: 'next', taskIds: ['d0'], after: [0] },
    ], { sleep: ['c1'] });
    const submission = await submit(req);
    const [work, next] = submission.waves.map((w) => w.jobs[0]!.jobId);
    await pollJobs([work!], env, (els) => els.some((e) => e.arrayIndex === 1 && e.state === 'RUNNING'));
    await pollJobs([work!], env, () => probeEvents(dir).some((e) => e.kind === 'start' && e.id === 'c1'));
    await cancel([`${work}_1`], { env });
    const states = await pollJobs([work!, next!], env);
    expect(states.elements.map((e) => [elementName(e), e.state])).toEqual([
      [`${work}_0`, 'COMPLETED'], [`${work}_1`, 'CANCELLED'], [`${work}_2`, 'COMPLETED'], [`${next}_0`, 'CANCELLED'],
    ]);
    expect(probeEvents(dir).filter((e) => e.id === 'c1').map((e) => e.kind)).toEqual(['start', 'term']);
  });

  it('SIGUSR1 (sent before the time limit) stops the task and requeues the element, which runs it again', async () => {
    const { dir, req } = request([{ name: 'long', taskIds: ['u0'], after: [] }], { sleepOnce: ['u0'] });
    const submission = await submit(req);
    const job = submission.waves[0]!.jobs[0]!.jobId;
    await pollJobs([job], env, () => probeEvents(dir).some((e) => e.kind === 'start'));
    await runSlurmCommand(['scancel', '--batch', '--signal=USR1', `${job}_0`], { env });
    const states = await pollJobs([job], env);
    expect(states.elements.map((e) => [e.state, e.restarts])).toEqual([['COMPLETED', 1]]);
    expect(probeEvents(dir).map((e) => `${e.kind} ${e.id} ${e.rest}`)).toEqual([
      `start u0 job=${job} element=${job}_0 restart=0`, 'term u0 ', `start u0 job=${job} element=${job}_0 restart=1`, 'end u0 ',
    ]);
    const headers = readFileSync(join(req.logDir, 'u0.log'), 'utf8').split('\n').filter((l) => l.startsWith('=== sluice task u0 | 2'));
    expect(headers.map((h) => h.replace(/.*\| /, ''))).toEqual(['attempt 1', 'attempt 2']);
  });

  it('submits from inside an allocation: inherited SLURM_*/SBATCH_* variables do not reach sbatch or the job (datatrove #248)', async () => {
    const inside = { ...env, SLURM_JOB_ID: '999999', SLURM_ARRAY_JOB_ID: '999998', SLURM_ARRAY_TASK_ID: '77', SLURM_RESTART_COUNT: '5', SBATCH_PARTITION: 'no-such-partition' };
    const { dir, req } = request([{ name: 'inner', taskIds: ['i0'], after: [] }], {}, { env: inside });
    const submission = await submit(req);
    const job = submission.waves[0]!.jobs[0]!.jobId;
    await pollJobs([job], env);
    expect(probeEvents(dir)[0]).toEqual({ kind: 'start', id: 'i0', rest: `job=${job} element=${job}_0 restart=0` });
  });

  it('a refused sbatch is an error with its stderr, and the arrays already submitted are cancelled', async () => {
    // maxArraySize above the cluster's (1001): the second wave's 1500-element array is refused.
    const { req } = request([
      { name: 'first', taskIds: ['a0'], after: [] },
      { name: 'second', taskIds: ids('z', 1500), after: [0] },
    ], { sleep: ['a0'] }, { slurm: { maxArraySize: 2000 } });
    await expect(submitWaves(req)).rejects.toThrow(/sbatch .*failed \(exit 1\): .*array/i);
    expect(await readSubmissions(req.scriptDir)).toEqual([]);
    const first = join(req.scriptDir, 'submission-0', '00-first.sh');
    const out = await runSlurmCommand(['squeue', '-h', '-t', 'all', '-o', '%A %o'], { env });
    const jobs = out.split('\n').filter((l) => l.endsWith(` ${first}`)).map((l) => l.split(' ')[0]!);
    expect(jobs.length).toBe(1);
    const states = await pollJobs(jobs, env);
    expect(states.elements.map((e) => e.state)).toEqual(['CANCELLED']);
  });

  it('a second submission waits for a running job of the first (afterJobs); the record maps tasks to their latest job', async () => {
    const { dir, req } = request([{ name: 'slow', taskIds: ['k0', 'k1'], after: [] }], { waitGo: ['k0'] });
    const first = await submit(req);
    const slow = first.waves[0]!.jobs[0]!.jobId;
    await pollJobs([slow], env, () => probeEvents(dir).some((e) => e.kind === 'start' && e.id === 'k0'));
    // Resubmit k1 (as if it had failed) and a task that needs k0's output.
    const second = await submit({ ...req, waves: [{ name: 'slow', taskIds: ['k1'], after: [] }, { name: 'next', taskIds: ['n0'], after: [0], afterJobs: [slow] }] });
    const [retry, next] = second.waves.map((w) => w.jobs[0]!);
    expect(next!.dependsOn).toEqual([retry!.jobId, slow]);
    expect(existsSync(join(req.scriptDir, 'submission-1', '01-next.sh'))).toBe(true);
    expect((await readSubmissions(req.scriptDir)).length).toBe(2);
    const where = locateTasks(await readSubmissions(req.scriptDir));
    expect(where.get('k0')).toMatchObject({ jobId: slow, arrayIndex: 0, submission: 0 });
    expect(where.get('k1')).toMatchObject({ jobId: retry!.jobId, arrayIndex: 0, submission: 1 });
    await pollJobs([retry!.jobId], env);
    expect((await jobStates([next!.jobId], { env })).elements.map((e) => [e.state, e.reason])).toEqual([['PENDING', 'Dependency']]);
    writeFileSync(join(dir, 'go'), '');
    const states = await pollJobs([slow, next!.jobId], env);
    expect(states.elements.every((e) => e.state === 'COMPLETED')).toBe(true);
    const events = probeEvents(dir);
    expect(at(events, 'start', 'n0')).toBeGreaterThan(at(events, 'end', 'k0'));
  });

  it('refuses afterJobs that Slurm does not know, since it would take the dependency as satisfied', async () => {
    const { dir, req } = request([{ name: 'late', taskIds: ['l0'], after: [], afterJobs: ['99999999'] }]);
    await expect(submitWaves(req)).rejects.toThrow(/afterJobs 99999999 not known to Slurm/);
    expect(existsSync(join(req.scriptDir, 'submission-0'))).toBe(false);
    expect(probeEvents(dir)).toEqual([]);
  });

  it('asks the cluster for MaxArraySize', async () => {
    expect(await maxArraySize({ env })).toBe(1001);
  });
});
