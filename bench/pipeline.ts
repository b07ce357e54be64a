import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { planPipeline } from '../src/cli/plan-pipeline.ts';
import { writeReport } from '../src/report/index.ts';
import { runStages } from '../src/exec/driver/run-stages.ts';
import type { RunStats } from '../src/exec/accounting/counters.ts';

/**
 * `npm run bench -- pipeline`: end-to-end `sluice run pipelines/refinedweb.ts` (WARC → … → MinHash
 * dedup → tokenize → token shards + Parquet documents + report) on fixtures/warc with each file
 * repeated REPEAT times (the truncated one once), with 1 and 2 workers, as `sluice run` does it (plan, run every
 * stage on the worker pool, assemble shards, stats, report). Reports input documents (WARC
 * records) per wall second, per wall second per worker, and per CPU-second of the whole process
 * (all threads: the per-core figure that load from other processes disturbs least), kept
 * documents, tokens, and the 2-worker speedup over 1 worker (the baseline measured in the same run). Copies are duplicates, so dedup removes all but one copy of
 * each kept page. The default dedup is the paper's (9,000 hashes per document); `dedup=fineweb`
 * (112 hashes) and `dedup=off` (which then tokenizes every kept copy) show what it costs.
 * The machine is shared and noisy: cases interleave and each reports its best of ROUNDS.
 */
const ROOT = resolve(import.meta.dirname, '..');
const REPEAT = Number(process.env.BENCH_PIPELINE_REPEAT ?? 8);
const ROUNDS = Number(process.env.BENCH_PIPELINE_ROUNDS ?? 2);

interface Result { ms: number; cpuMs: number; stats: RunStats; tokens: number }

export default async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-pipeline-'));
  try {
    const input = join(dir, 'input');
    await mkdir(input);
    const names = (await readdir(join(ROOT, 'fixtures/warc'))).filter((n) => /\.warc(\.gz)?$/.test(n)).sort();
    let bytes = 0;
    for (const n of names) {
      const src = join(ROOT, 'fixtures/warc', n);
      if (n.startsWith('clipped.')) {
        // Truncated mid-member: anything appended would be read as part of the broken record.
        await copyFile(src, join(input, n));
        bytes += (await stat(src)).size;
        continue;
      }
      // Concatenated gzip members are a valid multi-member .warc.gz: REPEAT copies in one file
      // give tasks of realistic size instead of many tiny ones.
      const one = await readFile(src);
      await writeFile(join(input, n), Buffer.concat(Array.from({ length: REPEAT }, () => one)));
      bytes += one.length * REPEAT;
    }
    const cases = [
      { name: 'refinedweb', workers: 1, options: [] as string[] },
      { name: 'refinedweb', workers: 2, options: [] as string[] },
      { name: 'refinedweb dedup=fineweb', workers: 1, options: ['--option', 'dedup=fineweb'] },
      { name: 'refinedweb dedup=fineweb', workers: 2, options: ['--option', 'dedup=fineweb'] },
      { name: 'refinedweb dedup=off', workers: 1, options: ['--option', 'dedup=off'] },
      { name: 'refinedweb dedup=off', workers: 2, options: ['--option', 'dedup=off'] },
    ];
    const best = new Map<number, Result>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, c] of cases.entries()) {
        const out = join(dir, `out-${i}-${round}`);
        const r = await runOnce(input, out, c.workers, c.options);
        const stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')) as RunStats;
        const manifest = JSON.parse(await readFile(join(out, 'tokens/manifest.json'), 'utf8')) as { totalTokens: number };
        const prev = best.get(i);
        if (!prev || r.ms < prev.ms) best.set(i, { ...r, stats, tokens: manifest.totalTokens });
        await rm(out, { recursive: true, force: true });
      }
    }
    for (const [i, c] of cases.entries()) {
      const b = best.get(i)!;
      const docs = b.stats.totals.documentsIn;
      const docsPerSec = docs / (b.ms / 1000);
      const base = best.get(cases.findIndex((x) => x.name === c.name && x.workers === 1))!;
      const line = {
        bench: 'pipeline', case: `${c.name} workers=${c.workers}`, workers: c.workers, repeat: REPEAT,
        documentsIn: docs, documentsOut: b.stats.totals.documentsOut, tokens: b.tokens, inputMb: +(bytes / 1e6).toFixed(2),
        wallMs: Math.round(b.ms), docsPerSec: Math.round(docsPerSec), docsPerSecPerCore: Math.round(docsPerSec / c.workers),
        compressedMbPerSec: +((bytes / 1e6) / (b.ms / 1000)).toFixed(2),
        cpuMs: Math.round(b.cpuMs),
        docsPerCpuSec: Math.round(docs / (b.cpuMs / 1000)),
        speedupVsWorkers1: +(base.ms / b.ms).toFixed(2),
      };
      console.log(JSON.stringify(line));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runOnce(input: string, out: string, workers: number, options: string[]): Promise<{ ms: number; cpuMs: number }> {
  const opts: Record<string, string> = {};
  for (let k = 1; k < options.length; k += 2) {
    const [key, value] = options[k]!.split('=') as [string, string];
    opts[key] = value;
  }
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { physical } = await planPipeline({ pipeline: join(ROOT, 'pipelines/refinedweb.ts'), input, output: out, options: opts });
  await runStages(physical, { outDir: out, workers });
  await writeReport(out);
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}
