import { mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { loadCorpus } from './dedup/corpus.ts';

type Dedup = typeof import('../src/ops/dedup/index.ts');
type Emit = (row: Record<string, unknown>) => void;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The dedup module compiled as `npm run build` compiles it (one esbuild bundle, packages
 * external), from the current sources: hot loops run 2–3× slower through tsx's on-the-fly
 * transform than compiled, and `dist/` is a bundle whose modules cannot be imported one by one.
 */
async function compiledDedup(): Promise<Dedup> {
  // Under node_modules, so that the bundle's imports of packages resolve from the checkout.
  const dir = mkdtempSync(join(root, 'node_modules/.cache-sluice-bench-'));
  try {
    const outfile = join(dir, 'dedup.mjs');
    await build({
      entryPoints: [join(root, 'src/ops/dedup/index.ts')], outfile, bundle: true, format: 'esm',
      platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning',
    });
    return (await import(pathToFileURL(outfile).href)) as Dedup;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Best of `reps` CPU times (user + system) of `fn`, in seconds: the machine is shared. */
function bestCpu(reps: number, fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1e6);
  }
  return best;
}

/** Documents signed per CPU-second, OPH vs the exact permutations, per preset, in one run. */
function throughput(d: Dedup, texts: readonly string[], emit: Emit): void {
  for (const preset of ['refinedweb', 'fineweb', 'nemo'] as const) {
    const rates: Record<string, number> = {};
    for (const family of ['oph', 'permutations'] as const) {
      const signer = new d.MinhashSigner(d.resolveMinhash({ preset, family }));
      // The exact family at 9,000 hashes takes ~30 ms a document: a slice of the corpus suffices.
      const docs = family === 'permutations' && preset === 'refinedweb' ? texts.slice(0, 150) : texts;
      signer.sign(docs.slice(0, 50));
      const secs = bestCpu(family === 'permutations' && preset === 'refinedweb' ? 1 : 3, () => signer.sign(docs));
      rates[family] = docs.length / secs;
      const { bands, rows } = signer.config;
      emit({ bench: 'minhash', case: `signatures:${preset}:${family}`, hashes: bands * rows, bands, rows, docs: docs.length, docsPerCpuSecond: Math.round(docs.length / secs) });
    }
    emit({ bench: 'minhash', case: `signatures:${preset}:oph-vs-permutations`, speedup: +(rates.oph! / rates.permutations!).toFixed(1) });
  }
}

/**
 * Short documents at 9,000 bins: pairs of windows of `m` consecutive distinct real shingles with a
 * controlled overlap. Reports the band collision rate against 1 − (1 − J^20)^450 averaged over the
 * pairs' exact Jaccard, the share of bins filled by densification, and how many distinct shingles
 * the 20 rows of a band hold on average (20 for independent permutations of a long document).
 */
function shortDocuments(d: Dedup, texts: readonly string[], emit: Emit): void {
  const signer = new d.MinhashSigner(d.resolveMinhash({ preset: 'fineweb' }));
  const seen = new Set<string>();
  const hi: number[] = [];
  const lo: number[] = [];
  for (const t of texts) {
    const s = signer.shingle(t);
    for (let i = 0; i < s.count; i++) {
      const key = `${s.hi[i]}:${s.lo[i]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hi.push(s.hi[i]!);
      lo.push(s.lo[i]!);
    }
  }
  const H = Uint32Array.from(hi);
  const L = Uint32Array.from(lo);
  const B = 450;
  const R = 20;
  const sig = new Uint32Array(2 * B * R);
  const bands = [new Uint32Array(2 * B), new Uint32Array(2 * B)] as const;
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  for (const m of [5, 10, 20, 50, 100, 300, 1000]) {
    // Overlaps for Jaccard near 0.6, 0.7, 0.74, 0.8 (where the 450 × 20 S-curve rises); a short
    // document has few distinct ones.
    const shifts = new Set([0.6, 0.7, 0.74, 0.8].map((s) => Math.max(1, Math.round((m * (1 - s)) / (1 + s)))));
    for (const shift of shifts) {
      const pairs = 600;
      const jac = (m - shift) / (m + shift);
      let hits = 0;
      let expected = 0;
      let densified = 0;
      let distinctPerBand = 0;
      for (let p = 0; p < pairs; p++) {
        const o = next() % (H.length - m - shift);
        expected += d.collisionProbability(jac, B, R);
        const h = new d.OnePermutationHasher(B * R, 1_000_000 * m + 1000 * shift + p);
        for (const [k, at] of [[0, o], [1, o + shift]] as const) {
          h.reset();
          h.update(H.subarray(at, at + m), L.subarray(at, at + m), m);
          h.write(sig, 0);
          d.bandHashes(sig, B, R, bands[k], 0);
          if (k === 1) continue;
          const bins = new Set<number>();
          for (let i = 0; i < m; i++) bins.add(h.place(H[at + i]!, L[at + i]!).bin);
          densified += 1 - bins.size / (B * R);
          for (let b = 0; b < B; b++) {
            const vals = new Set<number>();
            for (let r = 0; r < R; r++) vals.add(sig[2 * (b * R + r) + 1]!);
            distinctPerBand += vals.size / B;
          }
        }
        let hit = false;
        for (let b = 0; b < B && !hit; b++) hit = bands[0][2 * b] === bands[1][2 * b] && bands[0][2 * b + 1] === bands[1][2 * b + 1];
        if (hit) hits++;
      }
      emit({
        bench: 'minhash', case: 'short-documents:refinedweb:oph', shingles: m, jaccard: +jac.toFixed(3),
        pairs, collisionRate: +(hits / pairs).toFixed(3), sCurve: +(expected / pairs).toFixed(3),
        densifiedBins: +(densified / pairs).toFixed(4), distinctShinglesPerBand: +(distinctPerBand / pairs).toFixed(2),
      });
    }
  }
}

/**
 * MinHash signing (JSON lines): documents per CPU-second on the shared corpus for each preset,
 * one-permutation hashing vs the exact permutation family in the same run (target ≥ 1,000
 * documents/s per core at 9,000 hashes), then how documents of 5 to 1,000 shingles behave at
 * 9,000 bins. Runs the dedup module compiled as the build compiles it.
 */
export default async function run(): Promise<void> {
  const emit = (row: Record<string, unknown>) => console.log(JSON.stringify(row));
  const d = await compiledDedup();
  const texts = loadCorpus();
  throughput(d, texts, emit);
  shortDocuments(d, texts, emit);
}
