import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { hookFor } from '../../../src/exec/shuffle.ts';
import '../../../src/ops/dedup/shuffle-hooks.ts';
import type { WideStep } from '../../../src/planner/physical-plan.ts';
import { fixtureDocs } from './helpers.ts';

describe('dedup shuffle hooks', () => {
  it('send equal normalized texts / URLs to the same partition', () => {
    const docs = fixtureDocs();
    const text = [...docs.map((d) => d.text), ...docs.map((d) => d.text.toUpperCase())];
    const url = [...docs.map((d) => d.url), ...docs.map((d) => `${d.url}#top`)];
    const batch = tableFromArrays({ text, url }).batches[0]!;
    for (const strategy of ['exact', 'url'] as const) {
      const wide: WideStep = { kind: 'dedup', dedup: { strategy, options: {} } };
      const parts = hookFor(wide).bucketOf(batch, wide, 7);
      const n = docs.length;
      for (let i = 0; i < n; i++) expect(parts[i + n]).toBe(parts[i]);
      expect(new Set(parts).size).toBeGreaterThan(2);
      expect(Math.max(...parts)).toBeLessThan(7);
    }
  });

  it('names the missing column', () => {
    const batch = tableFromArrays({ body: ['x'] }).batches[0]!;
    const wide: WideStep = { kind: 'dedup', dedup: { strategy: 'exact', options: {} } };
    expect(() => hookFor(wide).bucketOf(batch, wide, 2)).toThrow(/column "text"/);
  });
});
