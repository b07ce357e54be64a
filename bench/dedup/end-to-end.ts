import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fmix32 } from '../../src/ops/dedup/hash32.ts';

type Emit = (row: Record<string, unknown>) => void;

const ROOT = resolve(import.meta.dirname, '../..');
const WORDS = 40;

/** A 5000-word vocabulary of pronounceable tokens, fixed by construction. */
const VOCAB = Array.from({ length: 5000 }, (_, i) => {
  const s = 'bcdfghjklmnprstvwz', v = 'aeiou';
  let w = '', h = fmix32(i + 17);
  for (let k = 0; k < 2 + (h % 3); k++, h = fmix32(h)) w += s[h % s.length]! + v[(h >>> 8) % v.length]!;
  return w;
});

function words(seed: number): string[] {
  const out: string[] = [];
  for (let k = 0, h = fmix32(seed * 2654435761 + 1); k < WORDS; k++, h = fmix32(h + k)) out.push(VOCAB[h % VOCAB.length]!);
  return out;
}

/** 0: exact copy, 1: near copy, else unique. */
function kindOf(d: number): number {
  return d === 0 ? 9 : fmix32(d ^ 0x9e3779b9) % 10;
}

function originOf(d: number): number {
  return d - 1 - (fmix32(fmix32(d ^ 0x9e3779b9)) % Math.min(d, 5000));
}

/**
 * Synthetic corpus: doc d is, with probability 0.1, an exact copy and with 0.1 a near copy (last
 * word replaced: Jaccard of word 5-grams 35/37 ≈ 0.95) of a unique document up to
 * 5000 positions earlier (copies of copies resolve to the original);
 * otherwise unique. Returns the number of documents generated as copies.
 */
async function writeCorpus(dir: string, docs: number, files: number): Promise<number> {
  let copies = 0;
  const per = Math.ceil(docs / files);
  for (let f = 0; f < files; f++) {
    const out = createWriteStream(join(dir, `part-${String(f).padStart(3, '0')}.jsonl`));
    let buf = '';
    for (let d = f * per; d < Math.min(docs, (f + 1) * per); d++) {
      let w: string[];
      if (kindOf(d) < 2) {
        let origin = originOf(d);
        while (kindOf(origin) < 2) origin = originOf(origin);
        w = words(origin);
        if (kindOf(d) === 1) w[WORDS - 1] = VOCAB[fmix32(d) % VOCAB.length]!;
        copies++;
      } else {
        w = words(d);
      }
      buf += JSON.stringify({ id: d, text: w.join(' ') }) + '\n';
      if (buf.length > 1 << 20) { if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r())); buf = ''; }
    }
    out.write(buf);
    await new Promise<void>((r) => out.end(r));
  }
  return copies;
}

/** MinHash (fineweb preset) dedup, JSONL output: the test pipeline, so the bench runs what tests check. */
const PIPELINE = join(ROOT, 'test/exec/pipelines/dedup.ts');

/**
 * (d) End to end through the real wide stages: `sluice run` (worker pool, blob store) of a MinHash
 * dedup over `docs` synthetic small documents; wall time, docs/s and the run's peak RSS (GNU time),
 * against the same pipeline without the dedup (read JSONL, write JSONL) run in the same bench.
 */
export async function endToEnd(docs: number, emit: Emit, workers = 2): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-dedup-e2e-'));
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    const copies = await writeCorpus(input, docs, 16);
    const sluice = (name: string, strategy: string) => {
      const t0 = performance.now();
      const r = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, join(ROOT, 'bin/sluice.js'), 'run', PIPELINE,
        '--input', input, '--output', join(dir, name), '--workers', String(workers), '--option', `strategy=${strategy}`],
      { encoding: 'utf8', maxBuffer: 1 << 26 });
      const wallS = (performance.now() - t0) / 1000;
      if (r.status !== 0) throw new Error(`sluice run failed: ${r.stderr.slice(-2000)}`);
      const stats = JSON.parse(readFileSync(join(dir, name, 'stats.json'), 'utf8')) as { totals: { dropped: Record<string, number> } };
      const rssMB = Math.round(Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024);
      rmSync(join(dir, name), { recursive: true, force: true });
      return { wallS, rssMB, removed: stats.totals.dropped['dedup:minhash_duplicate'] ?? 0 };
    };
    const base = sluice('base', 'none');
    const dd = sluice('dedup', 'minhash');
    emit({
      bench: 'dedup', case: 'end-to-end sluice run (minhash fineweb)', docs, workers, wallS: +dd.wallS.toFixed(1),
      docsPerSec: Math.round(docs / dd.wallS), peakRssMB: dd.rssMB, generatedCopies: copies, removed: dd.removed,
      removedOverCopies: +(dd.removed / copies).toFixed(4),
      baselineNoDedupWallS: +base.wallS.toFixed(1), baselinePeakRssMB: base.rssMB, ratioVsNoDedup: +(dd.wallS / base.wallS).toFixed(2),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
