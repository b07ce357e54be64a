import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChaos, type CaseSummary } from '../../bench/chaos/campaign.ts';
import { chaosCases, FIXTURE_INPUTS } from '../../bench/chaos/cases.ts';

/**
 * The CI variant of the chaos runner (`npm run chaos` is the full one): the RefinedWeb recipe on
 * the bundled crawls (MinHash, exact-substring and URL dedup, token shards), one worker, SIGKILLed
 * at 6 random commit points, one per phase, and resumed each time (worker deaths and signals:
 * interruptions.test.ts); every finished output must equal the uninterrupted run byte for byte,
 * with the same counts and the stats invariant. The seed is printed; `SLUICE_CHAOS_SEED` replays it.
 */
const seed = process.env.SLUICE_CHAOS_SEED ? Number(process.env.SLUICE_CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
let work: string;
let summary: CaseSummary;
const events: object[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sluice-chaos-ci-'));
  console.log(`chaos seed ${seed} (replay: SLUICE_CHAOS_SEED=${seed} npx vitest run test/chaos/chaos-kills.test.ts)`);
  const [refinedweb] = chaosCases(FIXTURE_INPUTS.warc, FIXTURE_INPUTS.jsonl, { batchSize: 32, taskBytes: 400_000 });
  [summary] = await runChaos([refinedweb!], { seed, kills: 6, threadDeaths: 0, signals: 0, diskFaults: false, tmpfs: false, work }, (e) => events.push(e));
  console.log(JSON.stringify({ seed, kills: summary.kills, killsByPhase: summary.killsByPhase, resumes: summary.resumes, ms: summary.ms }));
  if (summary.problems.length) console.log(`chaos problems (seed ${seed}):\n${summary.problems.join('\n')}\nevents:\n${events.map((e) => JSON.stringify(e)).join('\n')}`);
}, 240_000);
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

describe(`chaos (seed ${seed})`, () => {
  it('resumes after every SIGKILL to the uninterrupted output', () => {
    expect(summary.problems).toEqual([]);
    expect(summary.kills).toBeGreaterThanOrEqual(5);
  });

  it('kills in every phase of the run: tasks, dedup buckets and merge, sink parts, finalize, shard assembly', () => {
    expect(Object.keys(summary.commitPoints).sort()).toEqual(['dedup-bucket', 'dedup-merge', 'finalize', 'plan', 'shard-assembly', 'sink-part', 'task']);
    // A kill aimed at one phase may land in planning (a resume redoes a few commits): extra phases are fine.
    expect(Object.keys(summary.killsByPhase)).toEqual(expect.arrayContaining(['dedup-bucket', 'dedup-merge', 'finalize', 'shard-assembly', 'sink-part', 'task']));
  });
});
