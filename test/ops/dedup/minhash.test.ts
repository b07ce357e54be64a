import { describe, expect, it } from 'vitest';
import {
  LaneBuffer, MinHasher, MinhashSigner, bandHashes, bandRecords, collisionProbability, makePermutations, resolveMinhash,
  wordShingles, charShingles,
} from '../../../src/ops/dedup/index.ts';
import { fixtureDocs, rng } from './helpers.ts';

const P = (1n << 61n) - 1n;

/** BigInt reference of the signature: min over shingles of (a·x + b) mod p, x = low 61 bits. */
function referenceMinima(perms: ReturnType<typeof makePermutations>, hi: Uint32Array, lo: Uint32Array, n: number): bigint[] {
  const limbs = (l0: number, l1: number, l2: number) => BigInt(l0) + (BigInt(l1) << 21n) + (BigInt(l2) << 42n);
  const out: bigint[] = [];
  for (let k = 0; k < perms.count; k++) {
    const a = limbs(perms.a0[k]!, perms.a1[k]!, perms.a2[k]!);
    const b = limbs(perms.b0[k]!, perms.b1[k]!, perms.b2[k]!);
    let m = P;
    for (let i = 0; i < n; i++) {
      const x = ((BigInt(hi[i]!) << 32n) | BigInt(lo[i]!)) & P;
      const v = (a * x + b) % P;
      if (v < m) m = v;
    }
    out.push(m);
  }
  return out;
}

describe('61-bit MinHash without BigInt', () => {
  it('equals the BigInt computation, including extreme inputs', () => {
    const perms = makePermutations(112, 7);
    const r = rng(3);
    const n = 300;
    const hi = new Uint32Array(n);
    const lo = new Uint32Array(n);
    for (let i = 0; i < n; i++) { hi[i] = r(); lo[i] = r(); }
    hi[0] = 0xffffffff; lo[0] = 0xffffffff; // x = p after masking: ≡ 0
    hi[1] = 0; lo[1] = 0;
    hi[2] = 0x1fffffff; lo[2] = 0xfffffffe;
    for (const count of [1, 2, 3, n]) {
      const h = new MinHasher(perms);
      h.update(hi, lo, count);
      const out = new Uint32Array(2 * perms.count);
      h.write(out, 0);
      const got = Array.from({ length: perms.count }, (_, k) => (BigInt(out[2 * k]!) << 32n) | BigInt(out[2 * k + 1]!));
      expect(got).toEqual(referenceMinima(perms, hi, lo, count));
    }
  });

  it('screening never skips a true minimum (many shingles, many seeds)', () => {
    const r = rng(17);
    for (let seed = 1; seed <= 6; seed++) {
      const perms = makePermutations(16, seed);
      const n = 4000;
      const hi = new Uint32Array(n);
      const lo = new Uint32Array(n);
      for (let i = 0; i < n; i++) { hi[i] = r(); lo[i] = r(); }
      const h = new MinHasher(perms);
      h.update(hi, lo, n);
      const out = new Uint32Array(32);
      h.write(out, 0);
      const got = Array.from({ length: 16 }, (_, k) => (BigInt(out[2 * k]!) << 32n) | BigInt(out[2 * k + 1]!));
      expect(got).toEqual(referenceMinima(perms, hi, lo, n));
    }
  });

  it('is seeded: same seed same permutations, other seed others', () => {
    expect(makePermutations(8, 1)).toEqual(makePermutations(8, 1));
    expect(makePermutations(8, 1).a0).not.toEqual(makePermutations(8, 2).a0);
  });
});

describe('presets and signatures', () => {
  it('resolves presets, one-permutation hashing by default', () => {
    expect(resolveMinhash({ preset: 'fineweb' })).toMatchObject({ bands: 14, rows: 8, n: 5, shingle: 'word', family: 'oph' });
    expect(resolveMinhash({ preset: 'refinedweb', family: 'permutations' }).family).toBe('permutations');
    expect(resolveMinhash({ preset: 'refinedweb' })).toMatchObject({ bands: 450, rows: 20, n: 5 });
    const nemo = resolveMinhash({ preset: 'nemo' });
    expect(nemo).toMatchObject({ bands: 20, rows: 13, n: 24, shingle: 'char' });
    expect(nemo.norm.lowercase).toBe(false);
  });

  it('identical documents (up to normalization) always collide in every band, in both families', () => {
    const docs = fixtureDocs().map((d) => d.text);
    for (const [preset, family] of [['fineweb', 'oph'], ['nemo', 'oph'], ['fineweb', 'permutations']] as const) {
      const signer = new MinhashSigner(resolveMinhash({ preset, family }));
      const variant = preset === 'nemo' ? docs : docs.map((t) => t.toUpperCase().replace(/ /g, '  \n'));
      const a = signer.sign(docs);
      const b = signer.sign(variant);
      expect(b.bands).toEqual(a.bands);
      expect([...a.valid]).toEqual(docs.map(() => 1));
    }
  });

  it('different documents share no band, empty documents are invalid', () => {
    const docs = fixtureDocs().map((d) => d.text);
    const s = new MinhashSigner(resolveMinhash({}));
    const sig = s.sign([...docs, '', null, ' ,,, ']);
    expect([...sig.valid.slice(docs.length)]).toEqual([0, 0, 0]);
    const seen = new Set<string>();
    for (let i = 0; i < docs.length; i++) {
      for (let b = 0; b < 14; b++) {
        const key = `${b}:${sig.bands[(i * 14 + b) * 2]}:${sig.bands[(i * 14 + b) * 2 + 1]}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
      }
    }
  });

  it('reports the milliseconds spent signing a batch, carried into its band records', () => {
    const docs = fixtureDocs().map((d) => d.text);
    const cfg = resolveMinhash({ preset: 'refinedweb' });
    const sig = new MinhashSigner(cfg).sign(docs);
    expect(sig.signMs).toBeGreaterThan(0);
    expect(sig.signMs).toBeLessThan(60_000);
    expect(bandRecords(sig, cfg.bands, docs.map((_, i) => i)).signMs).toBe(sig.signMs);
  });

  it('short documents yield one shingle; char n-grams slide by one', () => {
    const words = new LaneBuffer();
    words.hi.set([1, 2, 3]); words.lo.set([4, 5, 6]);
    const out = new LaneBuffer();
    expect(wordShingles(words, 3, 5, out)).toBe(1);
    expect(wordShingles(words, 3, 2, out)).toBe(2);
    expect(charShingles('abcdef', 4, out)).toBe(3);
    expect(charShingles('abc', 24, out)).toBe(1);
  });
});

/**
 * Pairs of shingle sets with exact Jaccard `common / union`: a shared part plus disjoint private
 * parts of equal size. The minima of the shared part are computed once per pair and reused.
 */
function collisionRate(s: number, pairs: number, union: number, seed: number, bands: number, rows: number): number {
  const common = Math.round(s * union);
  const own = (union - common) / 2;
  if (!Number.isInteger(own)) throw new Error('union − common must be even');
  const perms = makePermutations(bands * rows, 1);
  const h = new MinHasher(perms);
  const r = rng(seed);
  const hi = new Uint32Array(union);
  const lo = new Uint32Array(union);
  const sigA = new Uint32Array(2 * perms.count);
  const sigB = new Uint32Array(2 * perms.count);
  const bA = new Uint32Array(2 * bands);
  const bB = new Uint32Array(2 * bands);
  const saveH = new Float64Array(perms.count);
  const saveL = new Float64Array(perms.count);
  let hits = 0;
  for (let p = 0; p < pairs; p++) {
    for (let i = 0; i < union; i++) { hi[i] = r(); lo[i] = r(); }
    h.reset();
    h.update(hi, lo, common);
    saveH.set(h.minH); saveL.set(h.minL);
    h.update(hi.subarray(common), lo.subarray(common), own);
    h.write(sigA, 0);
    h.minH.set(saveH); h.minL.set(saveL);
    h.update(hi.subarray(common + own), lo.subarray(common + own), own);
    h.write(sigB, 0);
    bandHashes(sigA, bands, rows, bA, 0);
    bandHashes(sigB, bands, rows, bB, 0);
    let hit = false;
    for (let b = 0; b < bands && !hit; b++) hit = bA[2 * b] === bB[2 * b] && bA[2 * b + 1] === bB[2 * b + 1];
    if (hit) hits++;
  }
  return hits / pairs;
}

describe('LSH collision rates, exact permutations (fineweb 14 × 8)', () => {
  it('pairs with Jaccard 0.95 collide in ≥ 99% of 1,000 pairs', () => {
    expect(collisionRate(0.95, 1000, 200, 11, 14, 8)).toBeGreaterThanOrEqual(0.99);
  });

  it('follows the S-curve 1 − (1 − s^8)^14 within 3 points', () => {
    for (const [s, seed] of [[0.5, 1], [0.6, 2], [0.66, 3], [0.7, 4], [0.74, 5], [0.8, 6], [0.9, 7]] as const) {
      const measured = collisionRate(s, 1500, 100, seed, 14, 8);
      const expected = collisionProbability(s, 14, 8);
      expect(Math.abs(measured - expected), `s=${s} measured ${measured} expected ${expected}`).toBeLessThan(0.03);
    }
  });
});
