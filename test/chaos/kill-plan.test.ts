import { describe, expect, it } from 'vitest';
import { phasesOf, type CommitEvent } from '../../bench/chaos/commit-log.ts';
import { planKills } from '../../bench/chaos/kill-campaign.ts';
import type { Reference } from '../../bench/chaos/reference.ts';
import { seededRandom } from '../../bench/seeded-random.ts';

/** A run's commit sequence shaped like a small RefinedWeb run: many task commits, few of the rest. */
function reference(): Reference {
  const rels = ['plan.json'];
  for (let t = 0; t < 6; t++) for (let p = 0; p < 20; p++) rels.push(`_store/chunks/${t}${p}/x-1`, `_store/manifests/stages/s0/tasks/0000${t}/out/000${p}.arrow.json`);
  for (let k = 0; k < 6; k++) rels.push(`_store/manifests/stages/s1/dedup/stars/0000${k}.edges.json`);
  for (let p = 0; p < 6; p++) rels.push(`_store/manifests/stages/s1/dedup/assign/0000${p}.u32.json`);
  for (let t = 0; t < 6; t++) rels.push(`tokens/_parts/part-s1-0000${t}.arrow`);
  rels.push('_store/chunks/ff/y-1', '_store/manifests/graph/finalize/attempt.json', 'tokens/tokens-00000.ds', 'tokens/tokens-00000.ds.index', 'tokens/manifest.json', 'stats.json', '_store/manifests/run/finalized.json', 'report.html');
  const events: CommitEvent[] = rels.map((rel, i) => ({ n: i + 1, rel, mark: 'commit' }));
  return { case: { name: 't', pipeline: '', input: '', flags: [] }, out: '', events, phases: phasesOf(events), digest: new Map(), counts: {}, bytes: 0, ms: 0 };
}

describe('planKills', () => {
  it('gives every phase but plan its turn, keeps moments apart, and replays by seed', () => {
    const ref = reference();
    const kills = planKills(ref, 20, seededRandom(7));
    expect(new Set(kills.map((k) => k.phase))).toEqual(new Set(['task', 'dedup-bucket', 'dedup-merge', 'sink-part', 'shard-assembly', 'finalize']));
    for (const k of kills) expect(ref.phases[k.refIndex]).toBe(k.phase);
    for (let i = 1; i < kills.length; i++) expect(kills[i]!.refIndex - kills[i - 1]!.refIndex).toBeGreaterThanOrEqual(4);
    expect(kills.length).toBeGreaterThanOrEqual(15);
    expect(planKills(ref, 20, seededRandom(7))).toEqual(kills);
    expect(planKills(ref, 20, seededRandom(8))).not.toEqual(kills);
  });

  it('aims only at the phases asked for', () => {
    const kills = planKills(reference(), 2, seededRandom(1), new Set(['shard-assembly', 'dedup-merge'] as const));
    expect(kills.map((k) => k.phase).sort()).toEqual(['dedup-merge', 'shard-assembly']);
  });
});
