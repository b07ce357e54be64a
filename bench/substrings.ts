import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dedupKeys } from '../src/exec/dedup/layout.ts';
import { fmix32 } from '../src/ops/dedup/hash32.ts';
import { LocalBlobStore } from '../src/storage/local-blob-store.ts';
import { loadTokenizer } from '../src/ops/tokenize/backend.ts';
import { loadCorpus } from './dedup/corpus.ts';

/**
 * Exact-substring dedup at scale (JSON lines): `sluice run` of `substrings({ minTokens: 50 })` over
 * ≥ 100M GPT-2 tokens of real text — the shared corpus repeated with realistic edits — with
 * 1 and 2 workers: wall time, window tokens per second per core, peak RSS of the whole process
 * (GNU time: driver and worker threads) and the run's bucket passes; against the same pipeline
 * without the dedup (read and write JSONL) in the same run. Batches of 1,024 rows bound the map's
 * per-piece window records. `SUBSTR_BENCH_TOKENS` sets the target
 * (default 100M). Needs ../shared and /usr/bin/time.
 */
const ROOT = resolve(import.meta.dirname, '..');
const PIPELINE = join(ROOT, 'test/exec/pipelines/substrings.ts');
const BASELINE = join(ROOT, 'test/exec/pipelines/dedup.ts');
/** Sizes the generated corpus only; the token count reported is measured on a sample (about 3.5 characters per token). */
const CHARS_PER_TOKEN = 3.5;

const FOOTERS = Array.from({ length: 40 }, (_, i) =>
  `\n\nCopyright ${2000 + (i % 24)} Example Media Group ${i}. All rights reserved. Terms of use and privacy policy apply to ` +
  `this site; by continuing to browse you agree to our use of cookies for analytics, personalised content and advertising. ` +
  `Subscribe to newsletter number ${i} for weekly updates, or follow us on social media for the latest stories.`);

/**
 * Documents: a run of paragraphs of a real document; 25% verbatim (copies across the crawl),
 * 75% edited (about one word in twelve replaced by a word of another document: near-copies whose
 * 50-token windows rarely survive); a quarter end with one of 40 site footers.
 */
async function writeCorpus(dir: string, targetTokens: number, files: number): Promise<{ docs: number; chars: number; tokens: number }> {
  const gpt2 = await loadTokenizer('gpt2');
  let sampleChars = 0, sampleTokens = 0;
  const real = loadCorpus().map((t) => t.split(/\n+/));
  const vocab = real.flat().join(' ').split(/\s+/).filter((w) => /^[a-z]{3,12}$/.test(w));
  let docs = 0, chars = 0;
  const target = targetTokens * CHARS_PER_TOKEN;
  const perFile = target / files;
  for (let f = 0; f < files; f++) {
    const out = createWriteStream(join(dir, `part-${String(f).padStart(3, '0')}.jsonl`));
    let written = 0, buf = '';
    while (written < perFile) {
      const h = fmix32(docs * 2654435761 + 7);
      const paras = real[h % real.length]!;
      const from = fmix32(h) % paras.length;
      let text = paras.slice(from, from + 1 + (fmix32(h + 1) % 12)).join('\n');
      if (fmix32(h + 2) % 100 >= 25) {
        const words = text.split(' ');
        for (let w = fmix32(h + 3) % 12; w < words.length; w += 8 + (fmix32(h + w) % 8)) words[w] = vocab[fmix32(h ^ w) % vocab.length]!;
        text = words.join(' ');
      }
      if (fmix32(h + 4) % 4 === 0) text += FOOTERS[fmix32(h + 5) % FOOTERS.length];
      buf += JSON.stringify({ id: docs, text }) + '\n';
      if (docs % 97 === 0) { sampleChars += text.length; sampleTokens += gpt2.encodeOrdinary(text).length; }
      written += text.length;
      docs++;
      if (buf.length > 1 << 20) { if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r())); buf = ''; }
    }
    out.write(buf);
    await new Promise<void>((r) => out.end(r));
    chars += written;
  }
  // GPT-2 tokens of every 97th document give the corpus' characters per token (±1%).
  return { docs, chars, tokens: Math.round(chars * sampleTokens / sampleChars) };
}

function storeBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
  return n;
}

export default async function run(): Promise<void> {
  const emit = (row: Record<string, unknown>) => console.log(JSON.stringify(row));
  const target = Number(process.env.SUBSTR_BENCH_TOKENS ?? 100_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-substr-bench-'));
  try {
    const input = join(dir, 'in');
    mkdirSync(input);
    const corpus = await writeCorpus(input, target, 16);
    const sluice = async (name: string, pipeline: string, workers: number, options: string[]) => {
      const out = join(dir, name);
      const t0 = performance.now();
      const r = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M cpu_s=%U+%S', process.execPath, join(ROOT, 'bin/sluice.js'), 'run', pipeline,
        '--input', input, '--output', out, '--workers', String(workers), '--batch-size', '1024', ...options.flatMap((o) => ['--option', o])],
      { encoding: 'utf8', maxBuffer: 1 << 26 });
      const wallS = (performance.now() - t0) / 1000;
      if (r.status !== 0) throw new Error(`sluice run failed: ${r.stderr.slice(-2000)}`);
      const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as { steps: { name: string; dropped: Record<string, number> }[] };
      const rssMB = Math.round(Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024);
      const cpu = /cpu_s=([\d.]+)\+([\d.]+)/.exec(r.stderr);
      const storeMB = Math.round(storeBytes(join(out, '_store')) / 2 ** 20);
      const merged = pipeline === PIPELINE ? await mergeSummary(out) : undefined;
      const digest = createHash('sha256');
      for (const n of readdirSync(join(out, 'documents')).sort()) digest.update(readFileSync(join(out, 'documents', n)));
      rmSync(out, { recursive: true, force: true });
      return { wallS, rssMB, cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN, stats, storeMB, merged, digest: digest.digest('hex') };
    };
    const base = await sluice('base', BASELINE, 2, ['strategy=none']);
    const digests: string[] = [];
    for (const workers of [1, 2]) {
      const r = await sluice(`substr-w${workers}`, PIPELINE, workers, []);
      const step = r.stats.steps.find((s) => s.name === 'substring_dedup');
      const tokens = corpus.tokens;
      emit({
        bench: 'substrings', case: `sluice run substrings(minTokens 50, keep none), ${workers} worker(s)`, workers,
        documents: corpus.docs, textMB: Math.round(corpus.chars / 2 ** 20), tokensFromSample: tokens, ...r.merged,
        wallS: +r.wallS.toFixed(1), cpuS: +r.cpuS.toFixed(1), tokensPerSecPerCore: Math.round(tokens / r.wallS / workers),
        // The machine is shared: CPU seconds (user + system, all threads) measure the work better than wall time.
        tokensPerCpuSec: Math.round(tokens / r.cpuS), baselineCpuS: +base.cpuS.toFixed(1),
        peakRssMB: r.rssMB, storeMB: r.storeMB, dropped: step?.dropped, sameDocumentsAs1Worker: (digests[0] ?? r.digest) === r.digest,
        baselineNoDedupWallS: +base.wallS.toFixed(1), baselinePeakRssMB: base.rssMB, ratioVsNoDedup: +(r.wallS / base.wallS).toFixed(2),
      });
      digests.push(r.digest);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The merge's summary (documents cut, windows, spans, tokens cut), read from the run's blob store. */
async function mergeSummary(out: string): Promise<Record<string, unknown>> {
  const store = new LocalBlobStore(join(out, '_store'));
  return JSON.parse(new TextDecoder().decode(await store.getBytes(dedupKeys.merged('s1')))) as Record<string, unknown>;
}
