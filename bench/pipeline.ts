import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cpuBreakdown } from '../src/report/cpu.ts';
import { builtBaseline } from './pipeline/baseline.ts';
import { bareThreadEfficiency, htmlPages, outputFiles, sluiceRun, type RunMeasure } from './pipeline/measure.ts';
import { splitCorpus, writeCorpus } from './pipeline/warc-input.ts';

/**
 * `npm run bench -- pipeline` (after `npm run build`: runs are `sluice run` processes, measured
 * from outside by GNU time): `pipelines/refinedweb.ts` end to end (WARC → … → MinHash dedup →
 * tokenize → token shards + Parquet documents + report) on BENCH_PIPELINE_MB (default 150) MB of
 * real WARC, the shared crawl excerpts concatenated and cut into 2 files. Each line is one case:
 *
 * - presets `refinedweb` (the default, 9,000 hashes) and `fineweb`, with 1 and 2 workers: HTML
 *   pages per second per core, and the 2-worker parallel efficiency next to the efficiency two bare
 *   threads reach on the same machine in the same run (the control, measured before and after
 *   each pair and averaged; the shared 2-core machine rarely gives 2 free cores), over
 *   BENCH_PIPELINE_ROUNDS (default 3) rounds, then a line of medians (with the best round's pages
 *   per CPU-second): one pair is at the mercy of the host (the control alone has read 0.68 and 1.16
 *   within one run);
 * - reported CPU (`stats.json`: steps + named overheads) against the process's CPU (GNU time, and
 *   the run's own figure) — they must agree within 10% (`cpuWithin10pct`);
 * - peak RSS of the process and per worker;
 * - the same bytes as 240 small files against 6 files (fineweb, 2 workers): wall-time ratio,
 *   Parquet parts, empty parts (must be 0) and store files;
 * - with BENCH_PIPELINE_BASELINE=<git rev>: that tree, built (see pipeline/baseline.ts), runs its
 *   own `pipelines/refinedweb.ts` with 1 worker at the end of every round, and the current tree's
 *   pages per CPU-second and wall time are given as ratios to it: on this shared host absolute
 *   figures drift by ±20% within the hour, a ratio in the same run much less. (`3bb76e2` is the
 *   tree issue 14 was filed against; its recipe had no substring or URL dedup, so it does less.)
 *
 * BENCH_PIPELINE_PRESETS (default `refinedweb,fineweb`) picks presets, BENCH_PIPELINE_SMALL_FILES=0
 * skips the file-count cases, which run once. On a machine busier than its cores wall time mostly
 * measures the neighbours: `htmlPagesPerCpuSec` (per CPU-second of the process) is the per-core
 * figure they disturb least.
 */
const ROOT = resolve(import.meta.dirname, '..');
const MB = Number(process.env.BENCH_PIPELINE_MB ?? 150);
const PRESETS = (process.env.BENCH_PIPELINE_PRESETS ?? 'refinedweb,fineweb').split(',').filter(Boolean);
const PIPELINE = 'pipelines/refinedweb.ts';
const SMALL_FILES = process.env.BENCH_PIPELINE_SMALL_FILES !== '0';
const ROUNDS = Math.max(1, Number(process.env.BENCH_PIPELINE_ROUNDS ?? 3));
const BASELINE_REV = process.env.BENCH_PIPELINE_BASELINE;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export default async function run(): Promise<void> {
  const baseline = BASELINE_REV ? builtBaseline(BASELINE_REV) : null;
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-pipeline-'));
  try {
    const corpus = await writeCorpus(join(dir, 'corpus'), MB);
    const inputMb = +(corpus.bytes / 1e6).toFixed(1);
    console.log(JSON.stringify({ bench: 'pipeline', case: 'input', inputMb, from: corpus.from }));
    const two = join(dir, 'two-files');
    await splitCorpus(corpus.path, two, 2);
    const go = (input: string, out: string, workers: number, preset: string, root = ROOT) =>
      sluiceRun([join(root, PIPELINE), '--input', input, '--output', join(dir, out), '--workers', String(workers), '--option', `dedup=${preset}`], root);

    for (const preset of PRESETS) {
      // The host's share of the second core drifts within minutes: each round's pair is bracketed
      // by control measurements, and the verdict is the median over rounds.
      const controls = [await bareThreadEfficiency(corpus.path)];
      const ratios: number[] = [], efficiencies: number[] = [], perCpu: Record<1 | 2, number[]> = { 1: [], 2: [] };
      const vsBaseline: { cpu: number[]; wall: number[] } = { cpu: [], wall: [] };
      for (let round = 1; round <= ROUNDS; round++) {
        const w1 = await go(two, `${preset}-w1`, 1, preset);
        const w2 = await go(two, `${preset}-w2`, 2, preset);
        controls.push(await bareThreadEfficiency(corpus.path));
        const before = controls[round - 1]!, after = controls[round]!;
        const control = (before.efficiency + after.efficiency) / 2;
        const efficiency = w1.wallS / w2.wallS / 2;
        efficiencies.push(efficiency);
        ratios.push(efficiency / control);
        for (const [workers, m] of [[1, w1], [2, w2]] as const) {
          const f = figures(m, workers);
          perCpu[workers].push(f.htmlPagesPerCpuSec);
          console.log(JSON.stringify({
            bench: 'pipeline', case: `${preset} workers=${workers}`, round, inputMb, ...f,
            ...(workers === 2 ? {
              speedup: +(w1.wallS / w2.wallS).toFixed(2), parallelEfficiency: +efficiency.toFixed(2),
              controlEfficiency: +control.toFixed(2), controlBeforeAfter: [+before.efficiency.toFixed(2), +after.efficiency.toFixed(2)],
              efficiencyVsControl: +(efficiency / control).toFixed(2),
              // Why wall-time efficiency under-counts: the 1-worker run already keeps more than one
              // core busy (V8's GC and compiler threads), and 2 workers cost more CPU than 1.
              coresBusyWith1Worker: +(w1.processCpuS / w1.wallS).toFixed(2), cpuVs1Worker: +(w2.processCpuS / w1.processCpuS).toFixed(2),
            } : {}),
          }));
        }
        if (baseline !== null) {
          const b1 = await go(two, `${preset}-baseline`, 1, preset, baseline);
          const pages = htmlPages(b1.stats);
          vsBaseline.cpu.push((htmlPages(w1.stats) / w1.processCpuS) / (pages / b1.processCpuS));
          vsBaseline.wall.push(b1.wallS / w1.wallS);
          console.log(JSON.stringify({
            bench: 'pipeline', case: `${preset} baseline ${BASELINE_REV} workers=1`, round, inputMb,
            htmlPages: pages, kept: b1.stats.totals.documentsOut, wallS: b1.wallS, processCpuS: +b1.processCpuS.toFixed(1),
            htmlPagesPerSecPerCore: Math.round(pages / b1.wallS), htmlPagesPerCpuSec: Math.round(pages / b1.processCpuS), peakRssMb: b1.peakRssMb,
            currentVsBaselinePerCpuSec: +vsBaseline.cpu.at(-1)!.toFixed(2), currentVsBaselineWall: +vsBaseline.wall.at(-1)!.toFixed(2),
          }));
        }
        for (const out of ['w1', 'w2', 'baseline']) await rm(join(dir, `${preset}-${out}`), { recursive: true, force: true });
      }
      console.log(JSON.stringify({
        bench: 'pipeline', case: `${preset} medians over ${ROUNDS} rounds`, inputMb,
        htmlPagesPerCpuSec1Worker: median(perCpu[1]), htmlPagesPerCpuSec2Workers: median(perCpu[2]),
        // A neighbour only ever adds CPU-seconds (the same run has read 15.3 and 21.9 within the
        // hour): the best round estimates the cost on a quiet machine.
        htmlPagesPerCpuSec1WorkerBest: Math.max(...perCpu[1]), htmlPagesPerCpuSec2WorkersBest: Math.max(...perCpu[2]),
        parallelEfficiency: +median(efficiencies).toFixed(2), controlEfficiency: +median(controls.map((c) => c.efficiency)).toFixed(2),
        efficiencyVsControl: +median(ratios).toFixed(2), efficiencyVsControlRange: [+Math.min(...ratios).toFixed(2), +Math.max(...ratios).toFixed(2)],
        ...(baseline !== null ? {
          baseline: BASELINE_REV, currentVsBaselinePerCpuSec: +median(vsBaseline.cpu).toFixed(2), currentVsBaselineWall: +median(vsBaseline.wall).toFixed(2),
        } : {}),
      }));
    }

    if (!SMALL_FILES) return;
    const six = join(dir, 'six-files'), many = join(dir, 'many-files');
    await splitCorpus(corpus.path, six, 6);
    const files = (await splitCorpus(corpus.path, many, 240)).length;
    const a = await go(six, 'six', 2, 'fineweb');
    const b = await go(many, 'many', 2, 'fineweb');
    const fa = await outputFiles(join(dir, 'six')), fb = await outputFiles(join(dir, 'many'));
    console.log(JSON.stringify({ bench: 'pipeline', case: 'fineweb workers=2, 6 files', inputMb, files: 6, ...figures(a, 2), ...fa }));
    console.log(JSON.stringify({
      bench: 'pipeline', case: `fineweb workers=2, ${files} files`, inputMb, files, ...figures(b, 2), ...fb,
      wallVs6Files: +(b.wallS / a.wallS).toFixed(2),
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function figures(m: RunMeasure, workers: number) {
  const pages = htmlPages(m.stats);
  const t = m.stats.totals;
  const reported = t.cpuMs / 1000;
  return {
    htmlPages: pages, kept: t.documentsOut, wallS: m.wallS,
    htmlPagesPerSecPerCore: Math.round(pages / m.wallS / workers),
    htmlPagesPerCpuSec: Math.round(pages / m.processCpuS),
    tasks: m.stats.stages[0]!.tasks,
    reportedCpuS: +reported.toFixed(1), stepsCpuS: +((t.stepsCpuMs ?? t.cpuMs) / 1000).toFixed(1),
    runProcessCpuS: t.processCpuMs !== undefined ? +(t.processCpuMs / 1000).toFixed(1) : null,
    processCpuS: +m.processCpuS.toFixed(1),
    reportedVsProcess: +(reported / m.processCpuS).toFixed(2),
    cpuWithin10pct: Math.abs(reported / m.processCpuS - 1) <= 0.1,
    peakRssMb: m.peakRssMb, peakRssMbPerWorker: Math.round(m.peakRssMb / workers),
    outsideStepsCpuS: Object.fromEntries(cpuBreakdown(m.stats).overheads.filter(([, ms]) => ms >= 50).map(([n, ms]) => [n, +(ms / 1000).toFixed(1)])),
  };
}
