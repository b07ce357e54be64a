import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_INPUTS } from '../../bench/chaos/cases.ts';
import { readCommitLog } from '../../bench/chaos/commit-log.ts';
import { gracefulStop, threadDeath, workerCommitPoints, anyCommitPoints } from '../../bench/chaos/interruptions.ts';
import { strayTempFiles } from '../../bench/chaos/outputs.ts';
import { compareToReference, referenceRun, type Reference } from '../../bench/chaos/reference.ts';
import { runArgs, runSluice, type PipelineCase } from '../../bench/chaos/sluice-process.ts';
import { seededRandom } from '../../bench/seeded-random.ts';

/**
 * A worker thread dying mid-task (it exits at a counted commit point, as a worker over
 * `--max-worker-memory` does) is retried from the task's last commit; SIGTERM and SIGINT stop the
 * run gracefully (no new task, exit 143 / 130, the resume command printed) and the resume finishes
 * it, even when the signal arrives after the last task (the run is complete but still says it
 * stopped). Every finished output equals the uninterrupted run's, byte for byte.
 */
const seed = process.env.SLUICE_CHAOS_SEED ? Number(process.env.SLUICE_CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
const rand = seededRandom(seed);
let work: string;
let ref: Reference;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sluice-chaos-stop-'));
  console.log(`chaos seed ${seed} (replay: SLUICE_CHAOS_SEED=${seed} npx vitest run test/chaos/interruptions.test.ts)`);
  const c: PipelineCase = {
    name: 'dedup-tokens', pipeline: 'test/chaos/pipelines/dedup-tokens.ts', input: FIXTURE_INPUTS.jsonl,
    flags: ['--workers', '1', '--batch-size', '16', '--task-bytes', '40000'],
  };
  ref = await referenceRun(c, join(work, 'out'), join(work, 'reference.log'));
}, 120_000);
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

describe(`interruptions (seed ${seed})`, () => {
  for (const phase of ['task', 'dedup-bucket'] as const) {
    it(`retries a ${phase === 'task' ? 'stage' : 'dedup bucket'} task whose worker thread died and ends with the uninterrupted output`, async () => {
      const [index] = workerCommitPoints(ref, 1, rand, phase);
      const rec = await threadDeath(ref, index!, join(work, `thread-${phase}.log`));
      console.log(`worker died at commit ${rec.n} (${rec.phase}: ${rec.path})`);
      expect(rec.problems).toEqual([]);
    }, 120_000);
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops on ${signal} without starting tasks, says how to resume, and resumes to the same output`, async () => {
      const [index] = anyCommitPoints(ref, 1, rand);
      const rec = await gracefulStop(ref, index!, signal, join(work, `${signal}.log`));
      console.log(`${signal} at commit ${rec.n} (${rec.phase}: ${rec.path})`);
      expect(rec.problems).toEqual([]);
    }, 120_000);
  }

  it('exits 143 with the resume command when SIGTERM arrives after the last task committed (finalize, report)', async () => {
    const report = ref.events.findIndex((e) => e.rel === 'report.html');
    for (const index of [report - 1, report]) {
      const rec = await gracefulStop(ref, index, 'SIGTERM', join(work, `late-${index}.log`));
      console.log(`SIGTERM at commit ${rec.n} (${rec.phase}: ${rec.path})`);
      expect(rec.problems).toEqual([]);
    }
  }, 120_000);

  it('writes the report a run killed just before it lacks, and leaves no temp file, when resumed', async () => {
    const last = ref.events.findIndex((e) => e.rel === 'report.html');
    const log = join(work, 'report.log');
    // A run's commit count may differ by one from the reference's (attempt records started in the
    // same millisecond share a chunk): aim at the report's rename among the last few commits.
    let killed = false;
    for (let n = last + 1; n >= last - 1 && !killed; n--) {
      await rm(ref.out, { recursive: true, force: true });
      await rm(log, { force: true });
      const r = await runSluice(runArgs(ref.case, ref.out), { SLUICE_CHAOS_LOG: log, SLUICE_CHAOS_KILL_AT: `${n}:before` });
      const events = await readCommitLog(log, ref.out);
      killed = r.signal === 'SIGKILL' && events.at(-1)?.mark === 'before' && events.at(-1)?.rel === 'report.html';
    }
    expect(killed).toBe(true);
    expect(existsSync(join(ref.out, 'report.html'))).toBe(false);
    const resumed = await runSluice(runArgs(ref.case, ref.out));
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('already complete');
    expect(existsSync(join(ref.out, 'report.html'))).toBe(true);
    expect(await strayTempFiles(ref.out)).toEqual([]);
    expect(await compareToReference(ref)).toEqual([]);
  }, 180_000);
});
