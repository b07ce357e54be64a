import { describe, expect, it } from 'vitest';
import { blobOwner, brokenBlobKey } from '../../src/exec/graph/blob-owner.ts';
import { dedupKeys } from '../../src/exec/dedup/layout.ts';
import { dropLogKey } from '../../src/exec/task/drop-log-files.ts';
import { keys } from '../../src/exec/state/layout.ts';
import { BlobCorruptError, BlobNotFoundError } from '../../src/storage/blob-store.ts';

describe('blobOwner', () => {
  it('names the task whose redo rewrites each kind of blob, from the layouts that make the keys', () => {
    const cases: [string, string | undefined][] = [
      [keys.checkpoint('s0', 3), 's0.3'],
      [keys.committed('s2', 12), 's2.12'],
      [keys.piece('s0', 3, 7), 's0.3'],
      [keys.piece('s1', 100000, 0, 4), 's1.100000'],
      [keys.quarantine('s0', 1, 2), 's0.1'],
      [dropLogKey('s0', 5, 0), 's0.5'],
      [dedupKeys.records('s0', 4, 1, 9), 's0.4'],
      [dedupKeys.stars('s1', 9), 's1.bucket.9'],
      [dedupKeys.bucketCost('s1', 9), 's1.bucket.9'],
      [dedupKeys.hits('s2', 3, 1, 0), 's2.bucket.3'],
      [dedupKeys.indexed('s1', 2), 's1.bucket.2'],
      [dedupKeys.assign('s1', 6), 's1.merge'],
      [dedupKeys.inIndex('s1', 6), 's1.merge'],
      [dedupKeys.merged('s1'), 's1.merge'],
      [keys.finalized, 'finalize'],
      [keys.run, undefined],
      [keys.attempt('s0.3'), undefined],
    ];
    for (const [key, task] of cases) expect([key, blobOwner(key).task]).toEqual([key, task]);
    expect(blobOwner(keys.attempt('s0.3')).what).toContain('status only');
  });
});

describe('brokenBlobKey', () => {
  const ref = { hash: '0123456789abcdef', size: 10 };
  it('finds the key in store errors, in their text after a thread boundary, and through causes', () => {
    const corrupt = new BlobCorruptError('stages/s0/tasks/00001/out/00000.arrow', 0, ref, 'xxhash64 is 00');
    expect(brokenBlobKey(corrupt)).toBe('stages/s0/tasks/00001/out/00000.arrow');
    expect(brokenBlobKey(new BlobNotFoundError('run/finalized'))).toBe('run/finalized');
    // Worker threads send errors back as plain Errors carrying the message.
    expect(brokenBlobKey(new Error(corrupt.message))).toBe('stages/s0/tasks/00001/out/00000.arrow');
    expect(brokenBlobKey(new Error('blob "stages/s1/dedup/stars/00002.edges": manifest /x.json is not valid JSON (oops)'))).toBe('stages/s1/dedup/stars/00002.edges');
    expect(brokenBlobKey(new Error('task failed after 3 attempts', { cause: corrupt }))).toBe(corrupt.key);
  });

  it('ignores errors that are not about a damaged blob', () => {
    expect(brokenBlobKey(new Error('operator exploded on "blob" text'))).toBeUndefined();
    expect(brokenBlobKey('a string')).toBeUndefined();
  });
});
