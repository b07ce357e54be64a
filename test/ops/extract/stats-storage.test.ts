import { describe, expect, it } from 'vitest';
import { MAX_KEPT, StatsStorage } from '../../../src/ops/extract/stats-storage.ts';

describe('StatsStorage', () => {
  it('lends the same arrays again, zeroed and cut to the new length', () => {
    const s = new StatsStorage();
    const a = s.take(300);
    expect(a.f64).toHaveLength(6);
    expect(a.u32).toHaveLength(9);
    for (const x of [...a.f64, ...a.u32, a.u8]) { expect(x.length).toBe(300); x.fill(7); }
    const b = s.take(200);
    for (const [i, x] of [...b.f64, ...b.u32, b.u8].entries()) {
      expect(x.length).toBe(200);
      expect(x.every((v) => v === 0)).toBe(true);
      expect(x.buffer).toBe([...a.f64, ...a.u32, a.u8][i]!.buffer);
    }
  });

  it('grows for a larger page and zeroes what an earlier, smaller one left', () => {
    const s = new StatsStorage();
    s.take(10).f64[0]!.fill(1);
    const big = s.take(5000);
    expect(big.f64[0]!.length).toBe(5000);
    expect(big.f64[0]!.every((v) => v === 0)).toBe(true);
  });

  it('gives a page over MAX_KEPT elements arrays of its own and keeps lending the smaller ones', () => {
    const s = new StatsStorage();
    const small = s.take(100);
    const huge1 = s.take(MAX_KEPT + 1);
    const huge2 = s.take(MAX_KEPT + 1);
    expect(huge1.u8.length).toBe(MAX_KEPT + 1);
    expect(huge1.u8.buffer).not.toBe(huge2.u8.buffer);
    expect(s.take(100).u8.buffer).toBe(small.u8.buffer);
  });
});
