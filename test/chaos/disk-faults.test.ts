import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_INPUTS } from '../../bench/chaos/cases.ts';
import { diskFault, faultPlaces } from '../../bench/chaos/disk-faults.ts';
import { referenceRun, type Reference } from '../../bench/chaos/reference.ts';
import { runArgs, runSluice, type PipelineCase } from '../../bench/chaos/sluice-process.ts';
import { seededRandom } from '../../bench/seeded-random.ts';

/**
 * ENOSPC and EIO injected (`SLUICE_FAULT_FS`) at the four commit places: a blob-store chunk's
 * write, a store manifest's rename, a sink part's write and the token shards' assembly. Each run
 * must end at once (a full disk is not retried) with one line naming the error and the path, and
 * how to resume, no stack; leave no temp file beside a committed one; and, once "space is freed"
 * (the fault is not set again), resume to the uninterrupted output byte for byte.
 */
const seed = process.env.SLUICE_CHAOS_SEED ? Number(process.env.SLUICE_CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
const rand = seededRandom(seed);
let work: string;
let ref: Reference;
const c: PipelineCase = {
  name: 'dedup-tokens', pipeline: 'test/chaos/pipelines/dedup-tokens.ts', input: FIXTURE_INPUTS.jsonl,
  flags: ['--workers', '1', '--batch-size', '16', '--task-bytes', '40000'],
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sluice-chaos-disk-'));
  console.log(`chaos seed ${seed} (replay: SLUICE_CHAOS_SEED=${seed} npx vitest run test/chaos/disk-faults.test.ts)`);
  ref = await referenceRun(c, join(work, 'out'), join(work, 'reference.log'));
}, 120_000);
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

describe(`disk errors (seed ${seed})`, () => {
  it('has the four places in this pipeline', () => {
    expect(faultPlaces(ref).map((p) => p.name)).toEqual(['chunk write', 'manifest rename', 'sink part write', 'shard assembly write']);
  });

  for (const name of ['chunk write', 'manifest rename', 'sink part write', 'shard assembly write']) {
    it(`stops cleanly on a failing ${name} and resumes to the same output once space is freed`, async () => {
      const place = faultPlaces(ref).find((p) => p.name === name)!;
      const rec = await diskFault(ref, place, rand);
      console.log(`${rec.spec}:\n${rec.message}`);
      expect(rec.problems).toEqual([]);
      expect(rec.message.split('\n')).toHaveLength(2);
    }, 120_000);
  }

  it('refuses a malformed fault spec instead of running without it', async () => {
    const r = await runSluice(runArgs(c, join(work, 'bad-spec')), { SLUICE_FAULT_FS: 'write:first:ENOSPC' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('SLUICE_FAULT_FS=write:first:ENOSPC: expected <write|rename>:<n>:<ENOSPC|EIO|EDQUOT|EROFS>');
  });
});
