/**
 * WARC reading throughput in MB/s of uncompressed WARC (the unit), on the real crawls in
 * /work/shared/data/warc concatenated `REPEAT` times into one temporary multi-member `.warc.gz`
 * (concatenated members are a valid WARC; the clipped file is left out since its truncated member
 * would swallow the next file's first member). Same run, same bytes:
 * - baseline `zlib-gunzip`: Node's streaming gunzip of the file, nothing else (the floor for any reader);
 * - `sluice` full rows (HTML decoded to UTF-8 into Arrow batches), `sluice-url-only` (no body decoding);
 * - `sluice-plain`: the uncompressed `.warc` copy;
 * - npm `warcio` iterating every record and reading its content, on the `.gz` and on the plain copy.
 * Single-threaded; reports wall-clock MB/s and MB per CPU-second (the machine is shared).
 */
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import { WARCParser } from 'warcio';
import { warcReader } from '../../src/io/warc/read.ts';

const DATA = '/work/shared/data/warc';
const REPEAT = Number(process.env.WARC_BENCH_REPEAT ?? 8);

interface Measure { seconds: number; cpuSeconds: number; records: number }

async function time(fn: () => Promise<number>): Promise<Measure> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const records = await fn();
  const cpu = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, records };
}

async function best(fn: () => Promise<number>, runs = 3): Promise<Measure> {
  let b: Measure | undefined;
  for (let i = 0; i < runs; i++) {
    const m = await time(fn);
    if (!b || m.seconds < b.seconds) b = m;
  }
  return b!;
}

async function gunzipStream(path: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }).pipe(createGunzip())) bytes += (chunk as Buffer).length;
  return bytes > 0 ? 0 : -1;
}

async function sluiceRead(path: string, columns?: string[]): Promise<number> {
  const spec = { format: 'warc' as const, paths: [path] };
  let rows = 0;
  for (const p of await warcReader.partitions(spec, 1 << 30)) {
    for await (const item of warcReader.read(spec, p, { batchSize: 1024, ...(columns ? { columns } : {}) })) {
      if ('batch' in item) rows += item.batch.numRows;
      else if ('bad' in item) throw new Error(`unexpected bad record: ${item.bad.reason}`);
    }
  }
  return rows;
}

/** warcio logs each record it mis-frames; counted here instead of printed among the JSON lines. */
let warcioWarnings = 0;

async function warcioRead(path: string): Promise<number> {
  let records = 0;
  const log = console.log;
  const warn = console.warn;
  console.log = console.warn = () => void warcioWarnings++;
  try {
    const parser = new WARCParser(createReadStream(path, { highWaterMark: 1 << 20 }));
    for await (const record of parser) {
      await record.readFully(false);
      records++;
    }
  } finally {
    console.log = log;
    console.warn = warn;
  }
  return records;
}

export default async function run(): Promise<void> {
  const files = readdirSync(DATA).filter((f) => /\.warc\.gz$/.test(f) && !f.startsWith('clipped')).sort();
  const one = Buffer.concat(files.map((f) => readFileSync(join(DATA, f))));
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-warc-'));
  try {
    const gz = join(dir, 'all.warc.gz');
    const plain = join(dir, 'all.warc');
    writeFileSync(gz, Buffer.concat(new Array<Buffer>(REPEAT).fill(one)));
    const raw = gunzipSync(readFileSync(gz));
    writeFileSync(plain, raw);
    const mb = raw.length / 1e6;
    const cases: [string, string, () => Promise<number>][] = [
      ['zlib-gunzip', 'gz', () => gunzipStream(gz)],
      ['sluice', 'gz', () => sluiceRead(gz)],
      ['sluice-url-only', 'gz', () => sluiceRead(gz, ['url'])],
      ['warcio', 'gz', () => warcioRead(gz)],
      ['sluice-plain', 'plain', () => sluiceRead(plain)],
      ['warcio-plain', 'plain', () => warcioRead(plain)],
    ];
    const results = new Map<string, Measure>();
    const warnings = new Map<string, number>();
    for (const [name, , fn] of cases) {
      warcioWarnings = 0;
      await fn(); // warm-up: JIT and page cache
      warnings.set(name, warcioWarnings);
      results.set(name, await best(fn));
    }
    const base = results.get('zlib-gunzip')!;
    const warcio = results.get('warcio')!;
    for (const [name, input] of cases) {
      const m = results.get(name)!;
      console.log(JSON.stringify({
        bench: 'ops/warc', case: name, input, uncompressedMB: Number(mb.toFixed(1)), files: files.length * REPEAT,
        rows: m.records, ...(name.startsWith('warcio') ? { misframedWarnings: warnings.get(name) } : {}), mbPerSec: Number((mb / m.seconds).toFixed(1)), mbPerCpuSec: Number((mb / m.cpuSeconds).toFixed(1)),
        ratioVsGunzip: Number((base.seconds / m.seconds).toFixed(3)), ratioVsWarcio: Number((warcio.seconds / m.seconds).toFixed(2)),
      }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
