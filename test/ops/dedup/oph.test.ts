import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MinhashSigner, OnePermutationHasher, bandHashes, collisionProbability, jaccard, minhash, resolveMinhash, shingleSet,
} from '../../../src/ops/dedup/index.ts';
import { fixtureDocs, realShingles, rng } from './helpers.ts';

/** Densification by its definition: each empty bin walks π_1⁻¹(w), π_2⁻¹(w), … to a non-empty bin. */
function referenceSignature(h: OnePermutationHasher, hi: Uint32Array, lo: Uint32Array, n: number): Uint32Array {
  const K = h.count;
  const rank = new Float64Array(K).fill(Infinity);
  const tag = new Uint32Array(K);
  for (let i = 0; i < n; i++) {
    const { bin, rank: r } = h.place(hi[i]!, lo[i]!);
    if (r < rank[bin]! || (r === rank[bin]! && lo[i]! < tag[bin]!)) { rank[bin] = r; tag[bin] = lo[i]!; }
  }
  const out = new Uint32Array(2 * K);
  for (let w = 0; w < K; w++) {
    let src = w;
    for (let t = 1; rank[src] === Infinity; t++) {
      const j = h.rounds.inverse(t, w);
      if (j < K && rank[j] !== Infinity) src = j;
    }
    out[2 * w] = rank[src]!;
    out[2 * w + 1] = tag[src]!;
  }
  return out;
}

function signWith(h: OnePermutationHasher, hi: Uint32Array, lo: Uint32Array, n: number): Uint32Array {
  const out = new Uint32Array(2 * h.count);
  h.reset();
  h.update(hi, lo, n);
  h.write(out, 0);
  return out;
}

const digest = (a: Uint32Array) => createHash('sha256').update(a).digest('hex').slice(0, 16);

describe('one-permutation hashing', () => {
  it('gives every empty bin the first non-empty bin of its sequence, for any document size', () => {
    const { hi, lo } = realShingles();
    for (const [K, sizes] of [[450, [1, 2, 7, 60, 449, 3000]], [9000, [3, 150, 2500]]] as const) {
      const h = new OnePermutationHasher(K, 5);
      for (const n of sizes) {
        expect(signWith(h, hi, lo, n), `K=${K} n=${n}`).toEqual(referenceSignature(h, hi, lo, n));
      }
    }
  });

  it('depends on the shingle set only: order and repeats do not matter', () => {
    const { hi, lo } = realShingles();
    const n = 500;
    const order = Array.from({ length: n }, (_, i) => i);
    const r = rng(4);
    for (let i = n - 1; i > 0; i--) { const j = r() % (i + 1); [order[i], order[j]] = [order[j]!, order[i]!]; }
    const idx = [...order, ...order.slice(0, 100)];
    const h = new OnePermutationHasher(9000, 1);
    expect(signWith(h, Uint32Array.from(idx, (i) => hi[i]!), Uint32Array.from(idx, (i) => lo[i]!), idx.length))
      .toEqual(signWith(h, hi, lo, n));
  });

  it('signs the fixture documents to pinned values (same on every machine and worker)', () => {
    const docs = fixtureDocs().map((d) => d.text);
    const sign = (options: object) => digest(new MinhashSigner(resolveMinhash(options)).sign(docs).bands);
    expect(sign({ preset: 'fineweb' })).toBe(sign({ preset: 'fineweb', family: 'oph' }));
    expect({
      fineweb: sign({ preset: 'fineweb' }),
      refinedweb: sign({ preset: 'refinedweb' }),
      nemo: sign({ preset: 'nemo' }),
      // The exact family: the values of sluice before `family` existed (bit-compatible).
      permutationsFineweb: sign({ preset: 'fineweb', family: 'permutations' }),
      permutationsNemo: sign({ preset: 'nemo', family: 'permutations' }),
    }).toEqual({
      fineweb: '094a406220c05d79',
      refinedweb: '8793a17b09a79404',
      nemo: '173e9a82d7f2d66a',
      permutationsFineweb: 'b4d360d1f042c39d',
      permutationsNemo: '93f9e54a0dfe9855',
    });
  });

  it('puts the family in the dedup spec, so it enters the plan fingerprint', () => {
    expect(minhash({}).options.family).toBe('oph');
    expect(minhash({ family: 'permutations' }).options.family).toBe('permutations');
    expect(() => minhash({ family: 'circulant' as 'oph' })).toThrow(/family/);
  });
});

/**
 * Pairs of real-text windows with a controlled overlap: A = shingles [o, o + L), B = [o + d, o + d + L)
 * of the fixture stream, d chosen for Jaccard ≈ `s`; the exact Jaccard of each pair gives its
 * expected collision probability. Each pair gets its own seed, so pairs are independent trials.
 */
function realTextCollisions(s: number, pairs: number, bands: number, rows: number, seed: number) {
  const { hi, lo, count } = realShingles();
  const r = rng(seed);
  const sig = new Uint32Array(2 * bands * rows);
  const bA = new Uint32Array(2 * bands);
  const bB = new Uint32Array(2 * bands);
  let hits = 0;
  let expected = 0;
  let minSize = Infinity;
  for (let p = 0; p < pairs; p++) {
    const L = 100 + (r() % 300);
    const d = Math.round((L * (1 - s)) / (1 + s));
    const o = r() % (count - L - d);
    const a = [o, o + L] as const;
    const b = [o + d, o + d + L] as const;
    const setA = shingleSet(hi.subarray(...a), lo.subarray(...a), L);
    const setB = shingleSet(hi.subarray(...b), lo.subarray(...b), L);
    minSize = Math.min(minSize, setA.length, setB.length);
    expected += collisionProbability(jaccard(setA, setB), bands, rows);
    const h = new OnePermutationHasher(bands * rows, seed * 100_000 + p);
    for (const [range, out] of [[a, bA], [b, bB]] as const) {
      h.reset();
      h.update(hi.subarray(...range), lo.subarray(...range), L);
      h.write(sig, 0);
      bandHashes(sig, bands, rows, out, 0);
    }
    let hit = false;
    for (let k = 0; k < bands && !hit; k++) hit = bA[2 * k] === bB[2 * k] && bA[2 * k + 1] === bB[2 * k + 1];
    if (hit) hits++;
  }
  return { measured: hits / pairs, expected: expected / pairs, minSize };
}

describe('OPH collision rates on real text (documents of ≥ 100 distinct shingles)', () => {
  it('fineweb 14 × 8 follows 1 − (1 − s^8)^14 within 3 points', () => {
    for (const [s, seed] of [[0.5, 1], [0.6, 2], [0.7, 3], [0.75, 4], [0.8, 5], [0.9, 6]] as const) {
      const c = realTextCollisions(s, 1500, 14, 8, seed);
      expect(c.minSize).toBeGreaterThanOrEqual(100);
      expect(Math.abs(c.measured - c.expected), `s=${s} ${JSON.stringify(c)}`).toBeLessThan(0.03);
    }
  });

  it('refinedweb 450 × 20 (9,000 bins, mostly densified) follows 1 − (1 − s^20)^450 within 3 points', () => {
    for (const [s, seed] of [[0.7, 7], [0.74, 8], [0.78, 9]] as const) {
      const c = realTextCollisions(s, 1200, 450, 20, seed);
      expect(c.minSize).toBeGreaterThanOrEqual(100);
      expect(Math.abs(c.measured - c.expected), `s=${s} ${JSON.stringify(c)}`).toBeLessThan(0.03);
    }
  });
});
