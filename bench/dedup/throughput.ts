import xxhash from 'xxhash-wasm';
import {
  LaneBuffer, MinhashSigner, makePermutations, normalizeText, resolveMinhash, wordHashes, wordShingles, type MinhashOptions,
} from '../../src/ops/dedup/index.ts';

type Emit = (row: Record<string, unknown>) => void;

const P = (1n << 61n) - 1n;

function bytesOf(texts: readonly string[]): number {
  return texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
}

/** Best of `reps` wall times of `fn`, in seconds (the machine is shared and noisy). */
function best(reps: number, fn: () => void): number {
  let t = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return t;
}

/** The straightforward BigInt MinHash over the same shingles: the baseline the issue measured. */
function bigintSignatures(signer: MinhashSigner, texts: readonly string[]): bigint {
  const perms = makePermutations(signer.config.bands * signer.config.rows, signer.config.seed);
  const limb = (l0: number, l1: number, l2: number) => BigInt(l0) + (BigInt(l1) << 21n) + (BigInt(l2) << 42n);
  const a = Array.from({ length: perms.count }, (_, k) => limb(perms.a0[k]!, perms.a1[k]!, perms.a2[k]!));
  const b = Array.from({ length: perms.count }, (_, k) => limb(perms.b0[k]!, perms.b1[k]!, perms.b2[k]!));
  const mins = new Array<bigint>(perms.count);
  let check = 0n;
  for (const t of texts) {
    const s = signer.shingle(t);
    mins.fill(P);
    for (let i = 0; i < s.count; i++) {
      const x = ((BigInt(s.hi[i]!) << 32n) | BigInt(s.lo[i]!)) & P;
      for (let k = 0; k < perms.count; k++) {
        const v = (a[k]! * x + b[k]!) % P;
        if (v < mins[k]!) mins[k] = v;
      }
    }
    check ^= mins[0]!;
  }
  return check;
}

/** (a) Signature throughput per core on real text, vs BigInt; shingle-hash variants vs xxhash-wasm. */
export async function throughput(texts: readonly string[], emit: Emit): Promise<void> {
  const totalMB = bytesOf(texts) / 1e6;
  for (const preset of ['fineweb', 'nemo'] as const) {
    const opts: MinhashOptions = { preset };
    const signer = new MinhashSigner(resolveMinhash(opts));
    const secs = best(3, () => signer.sign(texts));
    const cfg = signer.config;
    emit({ bench: 'dedup', case: `signatures:${preset}:${cfg.family}`, hashes: cfg.bands * cfg.rows, mb: +totalMB.toFixed(2), mbPerSec: +(totalMB / secs).toFixed(2), docsPerSec: Math.round(texts.length / secs) });
  }
  // The BigInt baseline computes the exact permutations, so compare it with that family.
  const signer = new MinhashSigner(resolveMinhash({ preset: 'fineweb', family: 'permutations' }));
  const subset = texts.slice(0, Math.max(1, Math.floor(texts.length / 8)));
  const subMB = bytesOf(subset) / 1e6;
  const ours = subMB / best(3, () => signer.sign(subset));
  const big = subMB / best(1, () => { bigintSignatures(signer, subset); });
  emit({ bench: 'dedup', case: 'signatures:fineweb:permutations:vs-bigint', mb: +subMB.toFixed(2), mbPerSec: +ours.toFixed(2), baselineMbPerSec: +big.toFixed(2), ratio: +(ours / big).toFixed(1) });

  // Shingle hashing alone: our word-hash combination vs hashing each joined 5-gram with xxhash-wasm.
  const xx = await xxhash();
  const norm = signer.config.norm;
  const words = new LaneBuffer();
  const out = new LaneBuffer();
  let sink = 0;
  const oursSh = best(3, () => {
    for (const t of texts) sink += wordShingles(words, wordHashes(t, norm, words), 5, out);
  });
  const grams = (t: string, f: (g: string) => void) => {
    const w = normalizeText(t, norm).split(' ');
    for (let i = 0; i + 5 <= w.length; i++) f(w.slice(i, i + 5).join(' '));
  };
  const h64 = best(1, () => {
    for (const t of texts) grams(t, (g) => { const h = xx.h64(g); sink ^= Number(h >> 32n) ^ Number(h & 0xffffffffn); });
  });
  const h32x2 = best(1, () => {
    for (const t of texts) grams(t, (g) => { sink ^= xx.h32(g, 1) ^ xx.h32(g, 2); });
  });
  emit({ bench: 'dedup', case: 'shingle-hash64', oursMbPerSec: +(totalMB / oursSh).toFixed(1), xxhashH64BigIntMbPerSec: +(totalMB / h64).toFixed(1), xxhashH32x2MbPerSec: +(totalMB / h32x2).toFixed(1), ratioVsH64: +(h64 / oursSh).toFixed(1), sink: sink & 1 });
}
