import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { Field, Utf8 } from 'apache-arrow';
import { makeBatch } from '../src/arrow/batch.ts';
import { utf8Vector } from '../src/arrow/utf8.ts';
import { analyzePlan } from '../src/planner/analyze.ts';
import { readJsonl } from '../src/dataframe/read.ts';
import { partitionSource } from '../src/io/sources.ts';
import { runStages } from '../src/exec/driver/run-stages.ts';
import { writeSinkPart } from '../src/io/sinks.ts';
import { gopherRepetition } from '../src/ops/filters/gopher-repetition.ts';
import { parseOptions } from '../src/ops/operator.ts';
import { optimize } from '../src/planner/optimize.ts';
import { planPhysical } from '../src/planner/physical-planner.ts';

/**
 * `npm run bench -- exec`: the Gopher repetition filter (a real CPU-bound operator) over real web
 * text replicated to ~TARGET_MB, run (a) as a hand loop in this thread (read JSONL, build Arrow
 * batches, apply, write the kept rows as Parquet), (b) by sluice with 1 worker and (c) with 2.
 * Overhead = b/a - 1 in wall time (and in CPU time, which other load on the machine disturbs
 * less); parallel efficiency = b / (2 c). The machine is shared and noisy: the cases run
 * interleaved for ROUNDS rounds and each reports its best round. `startupMs` is a sluice run over
 * a 10-document input (worker threads booting, output claim, stats): the fixed cost of a run,
 * which `overheadSteadyState` and `parallelEfficiencySteadyState` leave out. Control: the hand loop in two threads at once (half the
 * files each, timed from when both are loaded) shows how parallel the shared machine is right now;
 * `efficiencyVsMachine` divides sluice's efficiency by it. Peak RSS: each case once more, alone in
 * a fresh process.
 */
const TARGET_MB = Number(process.env.BENCH_EXEC_MB ?? 120);
const ROUNDS = Number(process.env.BENCH_EXEC_ROUNDS ?? 3);
const FILES = 8;
const BATCH = 8192;
const CORPUS = '/work/shared/data/corpus';

interface Measure { ms: number; cpuMs: number }

type CaseName = 'hand' | 'sluice-1' | 'sluice-2';

export default async function run(): Promise<void> {
  const only = process.env.BENCH_EXEC_ONLY as CaseName | undefined;
  if (only) return runCase(only, JSON.parse(process.env.BENCH_EXEC_FILES!) as string[], process.env.BENCH_EXEC_OUT!);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-exec-'));
  try {
    const input = join(dir, 'input');
    const { docs, mb } = await prepare(input);
    const files = (await readdir(input)).sort().map((f) => join(input, f));
    const tiny = join(dir, 'tiny');
    await mkdir(tiny);
    await writeFile(join(tiny, 'part-0.jsonl'), (await readFile(files[0]!, 'utf8')).split('\n').slice(0, 10).join('\n') + '\n');
    const cases: Record<'a' | 'b' | 'c' | 's' | 't' | 'm', Measure[]> = { a: [], b: [], c: [], s: [], t: [], m: [] };
    for (let r = 0; r < ROUNDS; r++) {
      cases.a.push(await measure(() => handLoop(files, join(dir, `hand-${r}`))));
      cases.b.push(await measure(() => sluice(files, join(dir, `w1-${r}`), 1)));
      cases.c.push(await measure(() => sluice(files, join(dir, `w2-${r}`), 2)));
      cases.s.push(await measure(() => sluice([join(tiny, 'part-0.jsonl')], join(dir, `tiny-${r}`), 1)));
      cases.t.push(await measure(() => sluice([join(tiny, 'part-0.jsonl')], join(dir, `tiny2-${r}`), 2)));
      cases.m.push(await handLoopThreads(files, join(dir, `hand2-${r}`)));
      await Promise.all(['hand', 'w1', 'w2', 'tiny', 'tiny2', 'hand2'].map((n) => rm(join(dir, `${n}-${r}`), { recursive: true, force: true })));
    }
    const [a, b, c, s, t, m] = (['a', 'b', 'c', 's', 't', 'm'] as const).map((k) => best(cases[k]));
    const [rssA, rssB, rssC] = (['hand', 'sluice-1', 'sluice-2'] as const).map((k) => peakRssMb(k, files, join(dir, `rss-${k}`)));
    const machine = a.ms / (2 * m.ms);
    const rate = (ms: number) => Math.round(docs / (ms / 1000));
    const lines = [
      { bench: 'exec', case: 'hand-loop-1-thread', docs, mb, docsPerSec: rate(a.ms), ms: a.ms, cpuMs: a.cpuMs, peakRssMb: rssA },
      { bench: 'exec', case: 'sluice-1-worker', docs, docsPerSec: rate(b.ms), ms: b.ms, cpuMs: b.cpuMs, peakRssMb: rssB,
        overheadVsHand: round(b.ms / a.ms - 1), cpuOverheadVsHand: round(b.cpuMs / a.cpuMs - 1),
        startupMs: s.ms, overheadSteadyState: round((b.ms - s.ms) / a.ms - 1) },
      { bench: 'exec', case: 'sluice-2-workers', docs, docsPerSec: rate(c.ms), ms: c.ms, cpuMs: c.cpuMs, peakRssMb: rssC,
        parallelEfficiency: round(b.ms / (2 * c.ms)), efficiencyVsMachine: round(b.ms / (2 * c.ms) / machine),
        startupMs: t.ms, parallelEfficiencySteadyState: round((b.ms - s.ms) / (2 * (c.ms - t.ms))) },
      { bench: 'exec', case: 'control-hand-loop-2-threads', docs, docsPerSec: rate(m.ms), ms: m.ms, cpuMs: m.cpuMs, machineParallelEfficiency: round(machine) },
    ];
    for (const l of lines) process.stdout.write(JSON.stringify(l) + '\n');
    const fmt = (k: keyof typeof cases) => cases[k].map((m) => m.ms).join('/');
    process.stderr.write(`exec: ${docs} docs, ${mb} MB, ${ROUNDS} rounds (ms): hand ${fmt('a')}, 1 worker ${fmt('b')}, ` +
      `2 workers ${fmt('c')}, startup ${fmt('s')} / ${fmt('t')}, control 2 threads ${fmt('m')}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runCase(name: CaseName, files: string[], out: string): Promise<void> {
  return name === 'hand' ? handLoop(files, out) : sluice(files, out, name === 'sluice-1' ? 1 : 2);
}

/**
 * Peak RSS of one case run alone in a fresh process (this bench again, under the same loader
 * flags), as `/usr/bin/time` reports it: in this process earlier cases' memory would linger.
 */
function peakRssMb(name: CaseName, files: string[], out: string): number | undefined {
  const r = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    encoding: 'utf8',
    env: { ...process.env, BENCH_EXEC_ONLY: name, BENCH_EXEC_FILES: JSON.stringify(files), BENCH_EXEC_OUT: out },
  });
  const kb = /maxrss=(\d+)/.exec(r.stderr ?? '')?.[1];
  if (r.status !== 0 || !kb) {
    process.stderr.write(`exec: peak RSS of ${name} not measured (${r.error?.message ?? r.stderr.trim().split('\n').pop()})\n`);
    return undefined;
  }
  return Math.round(Number(kb) / 1024);
}

/** The round with the least wall time: interference from other load only ever adds time. */
function best(ms: Measure[]): Measure {
  return ms.reduce((x, y) => (y.ms < x.ms ? y : x));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Real documents from the shared corpus, replicated into FILES JSONL files of ~TARGET_MB in all. */
async function prepare(input: string): Promise<{ docs: number; mb: number }> {
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
  return { docs: lines.length * copies * FILES, mb: Math.round((bytes * copies * FILES) / 1e6) };
}

/**
 * The hand loop on half the files in each of two threads, timed from when both threads have loaded
 * their code (thread start-up is sluice's cost to bear, not the machine's).
 */
async function handLoopThreads(files: string[], out: string): Promise<Measure> {
  const code = `const { parentPort, workerData } = require('node:worker_threads');
    import('tsx/esm/api').then(({ register }) => { register(); return import(workerData.bench); }).then((m) => {
      parentPort.postMessage('ready');
      parentPort.once('message', () => m.handLoop(workerData.files, workerData.out).then(() => parentPort.postMessage('done')));
    });`;
  const bench = new URL(import.meta.url).href;
  const workers = [0, 1].map((k) => new Worker(code, {
    eval: true, workerData: { bench, files: files.filter((_, i) => i % 2 === k), out: join(out, String(k)) },
  }));
  const next = (w: Worker) => new Promise<void>((resolve, reject) => { w.once('message', () => resolve()); w.once('error', reject); });
  try {
    await Promise.all(workers.map(next));
    return await measure(async () => {
      const done = workers.map(next);
      for (const w of workers) w.postMessage('go');
      await Promise.all(done);
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export async function handLoop(files: string[], out: string): Promise<void> {
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
  // Workers import the operator's module (the built-in registry does not list it).
  const modules = [fileURLToPath(new URL('../src/ops/filters/gopher-repetition.ts', import.meta.url))];
  const physical = await planPhysical(optimize(logical).plan, { partition: partitionSource, modules });
  await runStages(physical, { outDir: out, workers, batchSize: BATCH });
}

async function measure(fn: () => Promise<void>): Promise<Measure> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const cpu = process.cpuUsage(cpu0);
  // Worker threads are in this process: their CPU time is included.
  return { ms: Math.round(performance.now() - t0), cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}
