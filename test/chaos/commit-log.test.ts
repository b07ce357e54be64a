import { describe, expect, it } from 'vitest';
import { alignToReference, phaseOfPath, phasesOf, type CommitEvent } from '../../bench/chaos/commit-log.ts';

/** Commit paths as a RefinedWeb run into `out/` logs them (relative to the output). */
const REFERENCE = [
  'plan.json',
  '_store/chunks/fc/fc093be4e176e8ab-64',
  '_store/manifests/graph/s1.5/attempt.json',
  '_store/manifests/stages/s1/tasks/00005/out/00000.arrow.json',
  '_store/chunks/b9/b9db96c59625c375-10920',
  '_store/manifests/stages/s1/tasks/00005/dedup/00000-k00000.rec.json',
  '_store/chunks/1b/1b0b68ea8e998ecc-466',
  '_store/manifests/stages/s1/tasks/00005/checkpoint.json',
  '_store/chunks/88/88e81292f4d0f2c0-64',
  '_store/manifests/graph/s2.bucket.0/attempt.json',
  '_store/manifests/stages/s2/dedup/stars/00000.edges.json',
  '_store/manifests/stages/s3/dedup/assign/00005.u32.json',
  'tokens/_parts/part-s3-00004.arrow',
  'documents/part-s3-00004.parquet',
  'tokens/tokens-00000.ds',
  'tokens/tokens-00000.ds.index',
  'tokens/manifest.json',
  'stats.json',
  '_store/chunks/9d/9dfcc6c3c6618aa1-66',
  '_store/manifests/run/finalized.json',
];
const events: CommitEvent[] = REFERENCE.map((rel, i) => ({ n: i + 1, rel, mark: 'commit' }));

describe('commit log phases', () => {
  it('names the phase of each commit; a chunk takes the phase of the blob after it', () => {
    expect(phasesOf(events)).toEqual([
      'plan', 'task', 'task', 'task', 'task', 'task', 'task', 'task', 'dedup-bucket', 'dedup-bucket', 'dedup-bucket',
      'dedup-merge', 'sink-part', 'sink-part', 'shard-assembly', 'shard-assembly', 'shard-assembly', 'finalize', 'finalize', 'finalize',
    ]);
    expect(phaseOfPath('_store/chunks/9d/9dfcc6c3c6618aa1-66')).toBeUndefined();
    expect(phaseOfPath('_store/manifests/graph/finalize/attempt.json')).toBe('finalize');
    expect(phaseOfPath('_store/manifests/graph/s3.merge/attempt.json')).toBe('dedup-merge');
    expect(phaseOfPath('quarantine/s0-00000.jsonl')).toBe('task');
  });
});

describe('aligning a resumed attempt with the reference', () => {
  it('skips what the resume redoes and finds where it got', () => {
    // Killed after the piece at index 3: the resume rewrites plan.json, a new attempt record (new
    // chunk: it holds a date), the piece whose checkpoint was lost, then goes on as the reference.
    const attempt = [
      'plan.json', '_store/chunks/14/14cea1c10092c245-64', '_store/manifests/graph/s1.5/attempt.json',
      '_store/manifests/stages/s1/tasks/00005/out/00000.arrow.json',
      '_store/chunks/b9/b9db96c59625c375-10920', '_store/manifests/stages/s1/tasks/00005/dedup/00000-k00000.rec.json',
      '_store/chunks/cb/cba8e389cb9221df-467', '_store/manifests/stages/s1/tasks/00005/checkpoint.json',
    ];
    expect(alignToReference(REFERENCE, 4, attempt)).toEqual({ cursor: 8, prefix: 4 });
  });

  it('does not jump ahead to a later commit of the same path beyond its window', () => {
    const ref = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'a'];
    expect(alignToReference(ref, 1, ['a'], 8)).toEqual({ cursor: 1, prefix: 1 });
    expect(alignToReference(ref, 3, ['a'], 8)).toEqual({ cursor: 11, prefix: 0 });
  });
});
