import { readFileSync } from 'node:fs';
import { MinhashSigner, resolveMinhash } from '../../../src/ops/dedup/index.ts';

/** Real web documents (C4 sample, with URLs) from the shared fixtures. */
export function fixtureDocs(): { text: string; url: string }[] {
  const path = new URL('../../../fixtures/corpus/c4-sample.01.jsonl', import.meta.url);
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { text: string; url: string });
}

/** Seeded uint32 generator (mulberry32) so generated cases are reproducible. */
export { seededUint32 as rng } from '../../../bench/seeded-random.ts';

let stream: { hi: Uint32Array; lo: Uint32Array; count: number } | undefined;

/**
 * One stream of real shingle hashes: the word 5-grams (normalized as for the fineweb preset) of
 * every text in the fixtures' corpus JSONL files, document after document, each shingle at its
 * first occurrence only (so any L consecutive ones are L distinct shingles).
 */
export function realShingles(): { hi: Uint32Array; lo: Uint32Array; count: number } {
  if (stream) return stream;
  const signer = new MinhashSigner(resolveMinhash({ preset: 'fineweb' }));
  const hi: number[] = [];
  const lo: number[] = [];
  const seen = new Set<string>();
  for (const file of ['dolma-cc2019-30.sample.jsonl', 'dclm-quality-labels.sample.jsonl', 'c4-sample.01.jsonl']) {
    const path = new URL(`../../../fixtures/corpus/${file}`, import.meta.url);
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const s = signer.shingle((JSON.parse(line) as { text: string }).text);
      for (let i = 0; i < s.count; i++) {
        const key = `${s.hi[i]}:${s.lo[i]}`;
        if (seen.has(key)) continue;
        seen.add(key);
        hi.push(s.hi[i]!);
        lo.push(s.lo[i]!);
      }
    }
  }
  stream = { hi: Uint32Array.from(hi), lo: Uint32Array.from(lo), count: hi.length };
  return stream;
}
