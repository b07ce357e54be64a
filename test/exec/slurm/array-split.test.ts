import { describe, expect, it } from 'vitest';
import { splitArrays, tasksPerElementFor } from '../../../src/exec/slurm/array-split.ts';

/** Every task covered once, in order, and no part empty or over the limit. */
function checkCover(n: number, per: number, max: number): void {
  const parts = splitArrays(n, per, max);
  let next = 0;
  for (const p of parts) {
    expect(p.firstTask).toBe(next);
    expect(p.taskCount).toBeGreaterThan(0);
    expect(p.elements).toBe(Math.ceil(p.taskCount / per));
    expect(p.elements).toBeLessThanOrEqual(max);
    next += p.taskCount;
  }
  expect(next).toBe(n);
  expect(parts.length).toBe(Math.ceil(Math.ceil(n / per) / max));
}

describe('splitArrays', () => {
  it('n = k·max gives exactly k full arrays, no extra empty one (datatrove #238)', () => {
    expect(splitArrays(3003, 1, 1001)).toEqual([
      { firstTask: 0, taskCount: 1001, elements: 1001 },
      { firstTask: 1001, taskCount: 1001, elements: 1001 },
      { firstTask: 2002, taskCount: 1001, elements: 1001 },
    ]);
  });

  it('n = k·max + 1 gives a last array of one element', () => {
    expect(splitArrays(7, 1, 3)).toEqual([
      { firstTask: 0, taskCount: 3, elements: 3 },
      { firstTask: 3, taskCount: 3, elements: 3 },
      { firstTask: 6, taskCount: 1, elements: 1 },
    ]);
  });

  it('n < max is one array; no tasks, no arrays', () => {
    expect(splitArrays(2, 1, 3)).toEqual([{ firstTask: 0, taskCount: 2, elements: 2 }]);
    expect(splitArrays(0, 1, 3)).toEqual([]);
  });

  it('with several tasks per element, the limit counts elements, and the last element may be short', () => {
    expect(splitArrays(7, 2, 3)).toEqual([
      { firstTask: 0, taskCount: 6, elements: 3 },
      { firstTask: 6, taskCount: 1, elements: 1 },
    ]);
    expect(splitArrays(12, 2, 3)).toEqual([
      { firstTask: 0, taskCount: 6, elements: 3 },
      { firstTask: 6, taskCount: 6, elements: 3 },
    ]);
  });

  it('covers every task exactly once for all small shapes', () => {
    for (let n = 0; n <= 40; n++) for (let per = 1; per <= 5; per++) for (let max = 1; max <= 6; max++) checkCover(n, per, max);
  });

  it('rejects sizes that are not positive integers', () => {
    expect(() => splitArrays(5, 0, 3)).toThrow(/tasksPerElement/);
    expect(() => splitArrays(5, 1, 0)).toThrow(/maxArraySize/);
    expect(() => splitArrays(-1, 1, 3)).toThrow(/taskCount/);
  });
});

describe('tasksPerElementFor', () => {
  it('spreads a wave over at most one element per slot, never fewer than one task each', () => {
    expect([1, 2, 3, 10, 11].map((n) => tasksPerElementFor(n, 2))).toEqual([1, 1, 2, 5, 6]);
    expect(tasksPerElementFor(6250, 1000)).toBe(7);
    expect(tasksPerElementFor(0, 4)).toBe(1);
    for (let n = 1; n <= 50; n++) for (const slots of [1, 2, 3, 7]) expect(Math.ceil(n / tasksPerElementFor(n, slots))).toBeLessThanOrEqual(slots);
    expect(() => tasksPerElementFor(5, 0)).toThrow(/slots must be an integer >= 1/);
  });
});
