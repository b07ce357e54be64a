import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStatus } from '../../../src/exec/driver/run-status.ts';
import { cancel } from '../../../src/exec/slurm/queue.ts';
import { readSubmissions } from '../../../src/exec/slurm/submissions.ts';
import { taskStates } from '../../../src/exec/slurm/task-states.ts';
import { slurmEnv } from '../../helpers/slurm.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const REFINEDWEB = join(ROOT, 'pipelines/refinedweb.ts');
const TWO_STAGES = join(ROOT, 'test/exec/pipelines/two-stages.ts');
const FAIL_ON_WORD = join(ROOT, 'test/exec/pipelines/fail-on-word.ts');
const CORPUS = join(ROOT, 'fixtures/corpus');
/** Task size below any two corpus files together (15-58 KB each): one task per file. */
const PER_FILE = '65536';
const { env, skip } = slurmEnv();
let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'sluice-slurm-run-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function sluice(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, encoding: 'utf8', env });
}

/** `sluice status --wait --json`; the timeout is a hang guard, not a speed check. */
function waitFor(out: string): { code: number | null; status: RunStatus } {
  const r = sluice(['status', out, '--wait', '--timeout', '400', '--json']);
  return { code: r.status, status: JSON.parse(r.stdout) as RunStatus };
}

/** sha256 of every file under the given subdirectories (documents, token shards, sink parts). */
async function digest(out: string, subs: string[]): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const sub of subs) {
    const dir = join(out, sub);
    for (const n of (await readdir(dir, { recursive: true }).catch(() => [] as string[])).sort()) {
      let bytes = await readFile(join(dir, n)).catch(() => undefined);
      if (!bytes) continue;
      // The token manifest names the run's fingerprint, which hashes the output path too.
      if (n === 'manifest.json') bytes = Buffer.from(JSON.stringify({ ...JSON.parse(bytes.toString()), fingerprint: undefined }));
      result[relative(out, join(dir, n))] = createHash('sha256').update(bytes).digest('hex');
    }
  }
  return result;
}

/** What stats.json counts (not the timings) per step and in total. */
const counts = async (out: string) => {
  type Counts = { documentsIn: number; documentsOut: number; dropped: unknown; quarantined: number };
  const s = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')) as { totals: Counts; steps: Counts[] };
  const pick = (c: Counts) => [c.documentsIn, c.documentsOut, c.dropped, c.quarantined];
  return { totals: pick(s.totals), steps: s.steps.map(pick) };
};

describe.skipIf(skip)('sluice run --executor slurm', () => {
  it('runs the refinedweb recipe through job arrays with the same documents, token shards and counts as a local run', async () => {
    const local = join(tmp, 'rw-local'), cluster = join(tmp, 'rw-slurm');
    const args = ['run', REFINEDWEB, '--input', join(ROOT, 'fixtures/warc')];
    expect(sluice([...args, '--output', local, '--workers', '2']).status).toBe(0);
    const submitted = sluice([...args, '--output', cluster, '--executor', 'slurm']);
    expect(submitted.status, submitted.stderr).toBe(0);
    expect(submitted.stdout).toMatch(/s0\s+job \d+\s+\(\d+ tasks?\)/);
    expect(submitted.stdout).toMatch(/finalize\s+job \d+\s+\(1 task\)/);
    const done = waitFor(cluster);
    expect(done.code, JSON.stringify(done.status)).toBe(0);
    expect(done.status.groups.filter((g) => g.committed !== g.tasks)).toEqual([]);
    const local_ = await digest(local, ['documents', 'tokens']);
    expect(Object.keys(local_).some((f) => f.startsWith('tokens/'))).toBe(true);
    expect(await digest(cluster, ['documents', 'tokens'])).toEqual(local_);
    expect(await counts(cluster)).toEqual(await counts(local));
    // Every task ran in an array element and logged there.
    expect((await readdir(join(cluster, 'logs'))).length).toBe(done.status.groups.reduce((n, g) => n + g.tasks, 0));
  }, 600_000);

  it('splits arrays above the max size; scancel of a running task fails the run until a rerun resubmits only what is not committed', async () => {
    const local = join(tmp, 'hang-local'), cluster = join(tmp, 'hang-slurm');
    // The task reading c4-sample.01.jsonl hangs on one document until its doc timeout: long enough
    // to cancel it mid-task; the rerun's 1 s timeout quarantines that document, as the local run does.
    const args = ['run', FAIL_ON_WORD, '--input', CORPUS, '--batch-size', '4', '--task-bytes', PER_FILE, '--option', 'hangOn=Sevenoaks'];
    expect(sluice([...args, '--output', local, '--doc-timeout', '1']).status).toBe(0);
    // One task per element, so that cancelling the hung task's element cancels that task alone.
    const slurmArgs = [...args, '--output', cluster, '--executor', 'slurm', '--slurm-max-array-size', '2', '--slurm-tasks-per-element', '1'];
    expect(sluice([...slurmArgs, '--doc-timeout', '600']).status).toBe(0);
    const [first] = await readSubmissions(join(cluster, 'slurm'));
    const s0 = first!.waves.find((w) => w.name === 's0')!;
    expect(s0.jobs.map((j) => j.taskIds)).toEqual([['s0.0', 's0.1'], ['s0.2']]);
    const plan = JSON.parse(await readFile(join(cluster, 'plan.json'), 'utf8')) as { tasks: { id: string; input?: string }[] };
    const hung = plan.tasks.find((t) => t.input?.includes('c4-sample.01.jsonl'))!.id;
    let element = '';
    // Hang guard: the element starts within the first few polls on an idle cluster.
    for (let i = 0; i < 1200 && !element; i++) {
      const s = (await taskStates(join(cluster, 'slurm'), { env })).get(hung);
      if (s?.state === 'RUNNING') element = s.element;
      else await sleep(100);
    }
    expect(element).not.toBe('');
    await cancel([element], { env });
    const failed = waitFor(cluster);
    expect(failed.code).toBe(1);
    // --wait returns at the first failure; let the other tasks of s0 finish before resubmitting.
    for (let i = 0; i < 1200 && JSON.parse(sluice(['status', cluster, '--json']).stdout).groups[0].committed < 2; i++) await sleep(100);
    expect(failed.status.failed.map((f) => f.task)).toEqual([hung]);
    expect(failed.status.failed[0]!.error).toMatch(/CANCELLED/);
    expect(failed.status.blocked.map((b) => b.task)).toEqual(['finalize']);
    const rerun = sluice([...slurmArgs, '--doc-timeout', '1']);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/4 tasks, 2 already committed/);
    expect(rerun.stdout).toMatch(/s0\s+job \d+\s+\(1 task\)/);
    expect(waitFor(cluster).code).toBe(0);
    expect(await digest(cluster, ['documents'])).toEqual(await digest(local, ['documents']));
    expect(await counts(cluster)).toEqual(await counts(local));
    expect(await readSubmissions(join(cluster, 'slurm'))).toHaveLength(2);
  }, 600_000);

  it('a task that always fails ends the run with a report naming it and its log', async () => {
    const out = join(tmp, 'always-fails');
    const r = sluice(['run', FAIL_ON_WORD, '--input', CORPUS, '--output', out, '--batch-size', '8', '--task-bytes', PER_FILE, '--retries', '0', '--option', 'crashOn=Sevenoaks', '--executor', 'slurm']);
    expect(r.status, r.stderr).toBe(0);
    const { code, status } = waitFor(out);
    expect(code).toBe(1);
    expect(status.failed).toHaveLength(1);
    const f = status.failed[0]!;
    expect(f.log).toBe(join(out, 'logs', `${f.task}.log`));
    expect(f.job).toMatch(/^\d+_\d+$/);
    expect(f.logTail!.join('\n')).toMatch(/failed after 1 attempts/);
    // The finalize job was cancelled by Slurm (kill-on-invalid-dep), not left pending for ever.
    for (let i = 0; i < 100 && (await taskStates(join(out, 'slurm'), { env })).get('finalize')?.state === 'PENDING'; i++) await sleep(100);
    expect((await taskStates(join(out, 'slurm'), { env })).get('finalize')).toMatchObject({ state: 'CANCELLED', reason: 'DependencyNeverSatisfied' });
    const text = sluice(['status', out]).stdout;
    expect(text).toMatch(new RegExp(`failed: ${f.task.replace('.', '\\.')} \\(job ${f.job}\\)`));
    expect(text).toContain(`log: ${f.log}`);
  }, 600_000);

  it('rejects bad Slurm options before anything is claimed or submitted', () => {
    const out = join(tmp, 'bad-options');
    const r = sluice(['run', TWO_STAGES, '--input', CORPUS, '--output', out, '--executor', 'slurm', '--slurm-time', 'soon']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--slurm-time: /);
    const misuse = sluice(['run', TWO_STAGES, '--input', CORPUS, '--output', out, '--slurm-partition', 'gpu']);
    expect(misuse.stderr).toMatch(/--slurm-\* options need --executor slurm/);
  });
});
