import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warcReader } from '../../src/io/warc/read.ts';
import type { PartitionSpec } from '../../src/plan/physical-plan.ts';
import { coalesceSplits } from '../../src/planner/size-tasks.ts';

const WARC = resolve(import.meta.dirname, '../../fixtures/warc');
const files = ['cc-main-2020-34.resiliparse-warcfile.warc.gz', 'cc-main-2024-22.whirlwind.warc.gz', 'wget-2024.dolma-sample-0000.warc.gz', 'wget-2024.dolma-sample-0001.warc.gz'].map((f) => join(WARC, f));

describe('coalesceSplits', () => {
  it('joins consecutive splits up to the target, in order, each split once', async () => {
    const splits = await warcReader.partitions({ format: 'warc', paths: files }, 64 << 10);
    expect(splits.length).toBeGreaterThan(files.length);
    const tasks = coalesceSplits(splits, 200 << 10);
    expect(tasks.length).toBeLessThan(splits.length);
    expect(tasks.map((t) => t.index)).toEqual(tasks.map((_, i) => i));
    const flat = tasks.flatMap((t) => t.inputs ?? [t]).map(({ file, start, end }) => ({ file, start, end }));
    expect(flat).toEqual(splits.map(({ file, start, end }) => ({ file, start, end })));
    for (const t of tasks) {
      if (t.inputs) {
        expect(t.bytes).toBe(t.inputs.reduce((n, s) => n + s.bytes!, 0));
        expect(t.bytes).toBeLessThanOrEqual(200 << 10);
        expect(t.inputs.length).toBeGreaterThan(1);
      }
    }
    // Greedy: no task could have taken the next split without going over the target.
    for (let i = 0; i + 1 < tasks.length; i++) {
      const next = (tasks[i + 1]!.inputs ?? [tasks[i + 1]!])[0]!;
      expect(tasks[i]!.bytes! + next.bytes!).toBeGreaterThan(200 << 10);
    }
  });

  it('keeps a split of unknown size (in-memory rows) as a task of its own', () => {
    const splits: PartitionSpec[] = [
      { index: 0, file: 'a', fileIndex: 0, bytes: 10 },
      { index: 1, rows: [0, 5] },
      { index: 2, file: 'b', fileIndex: 1, bytes: 10 },
      { index: 3, file: 'c', fileIndex: 2, bytes: 10 },
    ];
    expect(coalesceSplits(splits, 100)).toEqual([
      { index: 0, file: 'a', fileIndex: 0, bytes: 10 },
      { index: 1, rows: [0, 5] },
      { index: 2, inputs: [{ file: 'b', fileIndex: 1, bytes: 10 }, { file: 'c', fileIndex: 2, bytes: 10 }], bytes: 20 },
    ]);
    expect(() => coalesceSplits(splits, 0)).toThrow(/positive/);
  });
});
