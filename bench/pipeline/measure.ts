import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RunStats } from '../../src/exec/accounting/counters.ts';
import { readParquetFooter } from '../../src/io/parquet/footer.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** One `sluice run` as its own process, measured from outside (GNU time) and by its stats.json. */
export interface RunMeasure {
  wallS: number;
  /** user + system CPU of the whole process (planning, run, report), from GNU time. */
  processCpuS: number;
  peakRssMb: number;
  stats: RunStats;
}

/** Runs the built CLI of the checkout at `root` (`npm run build` first) under /usr/bin/time. */
export async function sluiceRun(args: string[], root = ROOT): Promise<RunMeasure> {
  const out = args[args.indexOf('--output') + 1]!;
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
    const child = spawn('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, join(root, 'bin/sluice.js'), 'run', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('close', (c) => done({ code: c, stderr: err }));
  });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  if (code !== 0 || !m) throw new Error(`sluice run ${args.join(' ')} failed (${code}):\n${stderr.slice(-2000)}`);
  return {
    wallS: Number(m[1]), processCpuS: Number(m[2]) + Number(m[3]), peakRssMb: Math.round(Number(m[4]) / 1024),
    stats: JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')) as RunStats,
  };
}

/** HTML pages the scan produced (WARC `response` records with an HTML payload). */
export const htmlPages = (s: RunStats): number => s.steps.find((x) => x.stage === 's0' && x.step === 0)!.documentsOut;

/** Parquet parts of `<out>/documents` and how many hold no rows; files under `<out>/_store`. */
export async function outputFiles(out: string): Promise<{ parts: number; emptyParts: number; storeFiles: number }> {
  const dir = join(out, 'documents');
  const parts = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.parquet'));
  const emptyParts = parts.filter((n) => readParquetFooter(join(dir, n)).rowGroups.reduce((r, g) => r + g.numRows, 0) === 0).length;
  const storeFiles = (await readdir(join(out, '_store'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
  return { parts: parts.length, emptyParts, storeFiles };
}

/**
 * The machine's own parallel efficiency, measured next to the pipeline: the same fixed CPU work
 * (inflating the WARC corpus six times, several seconds, so that a passing neighbour weighs less)
 * in 1 thread, then in each of 2 threads at once. On a machine shared
 * with others 2 threads rarely get 2 cores; sluice's efficiency is judged against this.
 */
export async function bareThreadEfficiency(corpus: string): Promise<{ oneThreadS: number; twoThreadsS: number; efficiency: number }> {
  const code = `const { parentPort, workerData } = require('node:worker_threads');
    const { gunzipSync } = require('node:zlib');
    const bytes = require('node:fs').readFileSync(workerData.corpus);
    parentPort.postMessage('ready');
    parentPort.once('message', () => {
      let n = 0;
      for (let i = 0; i < workerData.rounds; i++) n += gunzipSync(bytes).length;
      parentPort.postMessage(n);
    });`;
  const timed = async (threads: number): Promise<number> => {
    const workers = Array.from({ length: threads }, () => new Worker(code, { eval: true, workerData: { corpus, rounds: 6 } }));
    const next = (w: Worker) => new Promise<unknown>((ok, fail) => { w.once('message', ok); w.once('error', fail); });
    try {
      await Promise.all(workers.map(next));
      const t0 = performance.now();
      const done = workers.map(next);
      for (const w of workers) w.postMessage('go');
      await Promise.all(done);
      return (performance.now() - t0) / 1000;
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  };
  const oneThreadS = await timed(1);
  const twoThreadsS = await timed(2);
  return { oneThreadS, twoThreadsS, efficiency: oneThreadS / twoThreadsS };
}
