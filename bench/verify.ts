import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readJsonl } from '../src/dataframe/read.ts';
import { analyzePlan } from '../src/planner/analyze.ts';
import { optimize } from '../src/planner/optimize.ts';
import { planPhysical } from '../src/planner/physical-planner.ts';
import { partitionSource } from '../src/io/sources.ts';
import { runStages } from '../src/exec/driver/run-stages.ts';
import { verifyRun } from '../src/exec/driver/verify-run.ts';
import { writeParquet } from '../src/io/parquet/write.ts';
import { getReader } from '../src/io/sources.ts';
import type { RecordBatch } from 'apache-arrow';
import { digestOf } from '../src/storage/file-digest.ts';

/**
 * `npm run bench -- verify`: what integrity costs, on real web text (the shared corpus replicated
 * to ~BENCH_VERIFY_MB).
 * - `verify`: `sluice verify` over a run's output (its store and its Parquet parts) vs the control
 *   of reading the same files with no hashing (`readOnly`), both in MB/s; ratio = verify / control.
 * - `writeHash`: hashing a Parquet part's bytes (what the writer now does as it streams them) as a
 *   share of writing that part.
 * Best of ROUNDS interleaved rounds (the machine is shared).
 */
const TARGET_MB = Number(process.env.BENCH_VERIFY_MB ?? 100);
const ROUNDS = Number(process.env.BENCH_VERIFY_ROUNDS ?? 3);
const CORPUS = '/work/shared/data/corpus';

export default async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-verify-'));
  try {
    const input = join(dir, 'input');
    const mb = await prepare(input);
    const out = join(dir, 'out');
    const frame = readJsonl((await readdir(input)).sort().map((f) => join(input, f)));
    const logical = await analyzePlan({ kind: 'sink', input: frame.plan, sink: { format: 'parquet', path: join(out, 'documents') } });
    const physical = await planPhysical(optimize(logical).plan, { partition: partitionSource, modules: [] });
    await runStages(physical, { outDir: out, workers: 2, warn: () => undefined });
    const files = await allFiles(out);
    const bytes = (await Promise.all(files.map((f) => readFile(f)))).reduce((n, b) => n + b.length, 0);
    const verifyMs: number[] = [], readMs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      verifyMs.push(await time(async () => { if (!(await verifyRun(out)).ok) throw new Error('verify found damage in a fresh run'); }));
      readMs.push(await time(async () => { for (const f of files) await readFile(f); }));
    }
    const v = Math.min(...verifyMs), c = Math.min(...readMs);
    console.log(JSON.stringify({
      bench: 'verify', inputMb: mb, files: files.length, mb: round(bytes / 1e6),
      verifyMs: v, verifyMbPerS: round(bytes / 1e3 / v), readOnlyMs: c, readOnlyMbPerS: round(bytes / 1e3 / c), ratio: round(v / c),
    }));

    const part = (await readdir(join(out, 'documents'))).sort()[0]!;
    const batches: RecordBatch[] = [];
    const spec = { format: 'parquet' as const, paths: [join(out, 'documents', part)] };
    const reader = getReader('parquet');
    for (const p of await reader.partitions(spec, 1 << 30)) {
      for await (const it of reader.read(spec, p, { batchSize: 8192 })) if ('batch' in it) batches.push(it.batch);
    }
    const writeMs: number[] = [], hashMs: number[] = [];
    let partBytes = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const path = join(dir, `rewrite-${r}.parquet`);
      writeMs.push(await time(async () => { await writeParquet(path, batches); }));
      const written = new Uint8Array(await readFile(path));
      partBytes = written.length;
      // Hashing a part takes about a millisecond: time 20 to resolve it.
      hashMs.push((await time(async () => { for (let i = 0; i < 20; i++) await digestOf(written); })) / 20);
    }
    const w = Math.min(...writeMs), h = Math.min(...hashMs);
    console.log(JSON.stringify({ bench: 'verify-write-hash', partMb: round(partBytes / 1e6), writeMs: w, hashMs: h, hashMbPerS: Math.round(partBytes / 1e3 / h), hashShareOfWrite: round(h / w, 4) }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function prepare(input: string): Promise<number> {
  await mkdir(input, { recursive: true });
  const lines: string[] = [];
  for (const f of (await readdir(CORPUS)).filter((n) => n.endsWith('.gz')).sort()) {
    for (const line of gunzipSync(await readFile(join(CORPUS, f))).toString('utf8').split('\n')) {
      if (line.trim()) lines.push(JSON.stringify({ text: (JSON.parse(line) as { text: string }).text }));
    }
  }
  const body = lines.join('\n') + '\n';
  const copies = Math.max(1, Math.round((TARGET_MB * 1e6) / Buffer.byteLength(body) / 4));
  for (let i = 0; i < 4; i++) await writeFile(join(input, `part-${i}.jsonl`), body.repeat(copies));
  return Math.round((Buffer.byteLength(body) * copies * 4) / 1e6);
}

async function allFiles(out: string): Promise<string[]> {
  const entries = await readdir(out, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && !e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name)).sort();
}

async function time(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return Math.round(performance.now() - t0);
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));
