import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Field, Utf8 } from 'apache-arrow';
import { makeBatch } from '../src/dataframe/arrow/batch.ts';
import { utf8Vector } from '../src/dataframe/arrow/utf8.ts';
import { analyzePlan } from '../src/dataframe/analyze.ts';
import { readJsonl } from '../src/dataframe/read.ts';
import { partitionSource } from '../src/dataframe/sources/index.ts';
import { runStages } from '../src/exec/stage-runner.ts';
import { writeSinkPart } from '../src/exec/sink-parts.ts';
import { gopherRepetition } from '../src/ops/gopher-repetition.ts';
import { parseOptions } from '../src/ops/operator.ts';
import { optimize } from '../src/planner/optimize.ts';
import { planPhysical } from '../src/planner/physical-planner.ts';

/**
 * `npm run bench -- exec`: the Gopher repetition filter (a real CPU-bound operator) over real web
 * text replicated to ~TARGET_MB, run (a) as a hand loop in this thread (read JSONL, build Arrow
 * batches, apply, write the kept rows as Parquet), (b) by sluice with 1 worker and (c) with 2.
 * Overhead = 1 - b/a docs/s; parallel efficiency = c / (2 b).
 */
const TARGET_MB = Number(process.env.BENCH_EXEC_MB ?? 60);
const FILES = 8;
const BATCH = 8192;
const CORPUS = '/work/shared/data/corpus';

export default async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-exec-'));
  try {
    const input = join(dir, 'input');
    const docs = await prepare(input);
    const files = (await readdir(input)).sort().map((f) => join(input, f));
    const a = await measure(() => handLoop(files, join(dir, 'hand')));
    const b = await measure(() => sluice(files, join(dir, 'w1'), 1));
    const c = await measure(() => sluice(files, join(dir, 'w2'), 2));
    const rate = (ms: number) => docs / (ms / 1000);
    const lines = [
      { bench: 'exec', case: 'hand-loop-1-thread', docs, docsPerSec: Math.round(rate(a.ms)), peakRssMb: a.rssMb },
      { bench: 'exec', case: 'sluice-1-worker', docs, docsPerSec: Math.round(rate(b.ms)), peakRssMb: b.rssMb, overheadVsHand: round(1 - a.ms / b.ms) },
      { bench: 'exec', case: 'sluice-2-workers', docs, docsPerSec: Math.round(rate(c.ms)), peakRssMb: c.rssMb, parallelEfficiency: round(b.ms / (2 * c.ms)) },
    ];
    for (const l of lines) process.stdout.write(JSON.stringify(l) + '\n');
    process.stderr.write(`exec: ${docs} docs, ${TARGET_MB} MB; hand ${a.ms} ms, 1 worker ${b.ms} ms, 2 workers ${c.ms} ms\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Real documents from the shared corpus, replicated into FILES JSONL files of ~TARGET_MB in all. */
async function prepare(input: string): Promise<number> {
  await mkdir(input, { recursive: true });
  const texts: string[] = [];
  for (const f of (await readdir(CORPUS)).filter((n) => n.endsWith('.gz')).sort()) {
    for (const line of gunzipSync(await readFile(join(CORPUS, f))).toString('utf8').split('\n')) {
      if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
    }
  }
  const lines = texts.map((t) => JSON.stringify({ text: t }));
  const bytes = lines.reduce((n, l) => n + l.length + 1, 0);
  const copies = Math.max(1, Math.round((TARGET_MB * 1e6) / bytes / FILES));
  const body = Array.from({ length: copies }, () => lines.join('\n')).join('\n') + '\n';
  for (let i = 0; i < FILES; i++) await writeFile(join(input, `part-${i}.jsonl`), body);
  return lines.length * copies * FILES;
}

async function handLoop(files: string[], out: string): Promise<void> {
  const options = parseOptions(gopherRepetition, {});
  const state = await gopherRepetition.init(options);
  const field = new Field('text', new Utf8(), true);
  const ctx = { heartbeat() {} };
  for (const [i, f] of files.entries()) {
    const kept = [];
    const lines = (await readFile(f, 'utf8')).split('\n').filter((l) => l);
    for (let off = 0; off < lines.length; off += BATCH) {
      const texts = lines.slice(off, off + BATCH).map((l) => (JSON.parse(l) as { text: string }).text);
      const batch = makeBatch([{ field, data: utf8Vector(texts) }], texts.length);
      const r = await gopherRepetition.apply(state, batch, ctx);
      const keep = texts.filter((_, j) => !r.drop?.[j]);
      kept.push(makeBatch([{ field, data: utf8Vector(keep) }], keep.length));
    }
    await writeSinkPart({ format: 'parquet', path: out }, 'hand', i, kept);
  }
}

async function sluice(files: string[], out: string, workers: number): Promise<void> {
  const frame = readJsonl(files).apply(gopherRepetition, {});
  const logical = await analyzePlan({ kind: 'sink', input: frame.plan, sink: { format: 'parquet', path: join(out, 'documents') } });
  const physical = await planPhysical(optimize(logical).plan, { partition: partitionSource });
  await runStages(physical, { outDir: out, workers, batchSize: BATCH });
}

async function measure(fn: () => Promise<void>): Promise<{ ms: number; rssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 50);
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return { ms: Math.round(performance.now() - t0), rssMb: Math.round(Math.max(peak, process.memoryUsage.rss()) / 1e6) };
}
