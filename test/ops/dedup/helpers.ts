import { readFileSync } from 'node:fs';

/** Real web documents (C4 sample, with URLs) from the shared fixtures. */
export function fixtureDocs(): { text: string; url: string }[] {
  const path = new URL('../../../fixtures/corpus/c4-sample.01.jsonl', import.meta.url);
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { text: string; url: string });
}

/** Seeded uint32 generator (mulberry32) so generated cases are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
