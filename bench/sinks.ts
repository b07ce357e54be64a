import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { Field, Table, Utf8, tableToIPC, type RecordBatch } from 'apache-arrow';
import { makeBatch } from '../src/arrow/batch.ts';
import { utf8Vector } from '../src/arrow/utf8.ts';
import { addSystemColumns, rowPositions } from '../src/io/system-columns.ts';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { finalizeSink, writeSinkPart } from '../src/io/sinks.ts';
import '../src/io/token-shards/sink.ts';
import { parquetWasm } from '../src/io/parquet/wasm.ts';
import { userColumns } from '../src/io/user-columns.ts';
import { writeAtomically } from '../src/storage/atomic-write.ts';
import { defaultS3Connection, deleteObjects, listObjects } from '../src/storage/s3/index.ts';
import { findS3Server, testConnection } from '../test/helpers/s3-server.ts';
import { tokensSinkSpec, useS3Environment } from '../test/sinks/s3-sink-helpers.ts';
import { tokenizedBatches } from '../test/sinks/token-shards-helpers.ts';

/**
 * `npm run bench -- sinks`: sink writes through a `Location`, local against S3 (the local server
 * of .ci/s3/start.sh), with the pre-Location local writer as the baseline in the same run:
 * a Parquet and a JSONL part of the real web documents of ../shared/data/corpus (dolma + DCLM,
 * ~3,000 distinct documents, a 5 MB JSONL part), and the token-shard finalizer assembling 5 parts
 * into one 14 MB shard (a multipart upload). One warm-up run of each writer, then the median of 5; prints one JSON line per case, with S3 requests per
 * operation. Needs the S3 server and ../shared.
 */
const RUNS = 5;
const CORPUS = join(import.meta.dirname, '../../shared/data/corpus');
const FILES = ['dolma.CC-MAIN-20190717121559-20190717143559-00140.cc-licensed-697docs.jsonl.gz', 'dclm.quality-labels.majority_data.jsonl.gz', 'dclm.quality-labels.agreement_data.jsonl.gz'];

/** The corpus documents (`id`, `text` + system columns) in batches of 1,000 rows. */
function corpusBatches(): RecordBatch[] {
  const texts = FILES.flatMap((f) => gunzipSync(readFileSync(join(CORPUS, f))).toString('utf8').split('\n').filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text?: unknown }).text).filter((t): t is string => typeof t === 'string'));
  const out: RecordBatch[] = [];
  for (let i = 0; i < texts.length; i += 1000) {
    const slice = texts.slice(i, i + 1000);
    const batch = makeBatch([
      { field: new Field('id', new Utf8(), true), data: utf8Vector(slice.map((_, j) => `doc-${i + j}`)) },
      { field: new Field('text', new Utf8(), true), data: utf8Vector(slice) },
    ], slice.length);
    out.push(addSystemColumns(batch, 0, rowPositions(i, slice.length)));
  }
  return out;
}

async function median(fn: () => Promise<void>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

/** The local Parquet writer before sinks went through a Location: the encoder's stream piped into a temp file, renamed. */
async function baselineParquet(path: string, batches: RecordBatch[]): Promise<void> {
  const pw = await parquetWasm();
  const props = new pw.WriterPropertiesBuilder().setMaxRowGroupSize(65_536).setCompression(pw.Compression.ZSTD).setCreatedBy('sluice').build();
  await writeAtomically(path, async (tmp) => {
    const it = userColumns(batches)[Symbol.asyncIterator]();
    const source = new ReadableStream({
      async pull(controller) {
        const next = (await it.next()).value;
        if (!next) { controller.close(); return; }
        const t = pw.Table.fromIPCStream(tableToIPC(new Table([next]), 'stream'));
        controller.enqueue(t.recordBatch(0)!);
        t.free();
      },
    });
    const bytes = await pw.transformParquetStream(source, props);
    await bytes.pipeTo(Writable.toWeb(createWriteStream(tmp)));
  });
}

export default async function run(): Promise<void> {
  const server = await findS3Server();
  if (!server) throw new Error('no S3 server: run .ci/s3/start.sh');
  useS3Environment(server);
  const admin = testConnection(server);
  const bucket = `sluice-bench-${randomBytes(4).toString('hex')}`;
  await admin.send({ op: 'CreateBucket', bucket }, (c) => c.send(new CreateBucketCommand({ Bucket: bucket })));
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-sinks-'));
  const conn = defaultS3Connection();
  const emit = (fields: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 'sinks', ...fields }));
  const requests = (): Record<string, number> => {
    const r = Object.fromEntries(Object.entries(conn.requestCounts()).map(([k, v]) => [k, v / RUNS]));
    conn.resetRequestCounts();
    return r;
  };
  try {
    const batches = corpusBatches();
    // Warm-up: the first write pays for JIT and the WebAssembly instance, whichever writer it is.
    await baselineParquet(join(dir, 'warm.parquet'), batches);
    await writeSinkPart({ format: 'parquet', path: join(dir, 'warm') }, 's0', 0, batches);
    const base = await median(() => baselineParquet(join(dir, 'baseline.parquet'), batches));
    const size = (await stat(join(dir, 'baseline.parquet'))).size;
    emit({ case: 'parquet part, local, pre-Location writer (baseline)', bytes: size, ms: Math.round(base) });
    const loc = await median(async () => { await writeSinkPart({ format: 'parquet', path: join(dir, 'pq') }, 's0', 0, batches); });
    emit({ case: 'parquet part, local, through LocalLocation', bytes: size, ms: Math.round(loc), baselineMs: Math.round(base), ratio: +(loc / base).toFixed(3) });
    conn.resetRequestCounts();
    const s3pq = await median(async () => { await writeSinkPart({ format: 'parquet', path: `s3://${bucket}/pq` }, 's0', 0, batches); });
    emit({ case: 'parquet part, s3://', bytes: size, ms: Math.round(s3pq), mbPerSec: +(size / 1e3 / s3pq).toFixed(1), requestsPerOp: requests() });

    const jl = await median(async () => { await writeSinkPart({ format: 'jsonl', path: join(dir, 'jl') }, 's0', 0, batches); });
    const jsize = (await stat(join(dir, 'jl', 'part-s0-00000.jsonl'))).size;
    emit({ case: 'jsonl part, local, through LocalLocation', bytes: jsize, ms: Math.round(jl), mbPerSec: +(jsize / 1e3 / jl).toFixed(1) });
    const s3jl = await median(async () => { await writeSinkPart({ format: 'jsonl', path: `s3://${bucket}/jl` }, 's0', 0, batches); });
    emit({ case: 'jsonl part, s3://', bytes: jsize, ms: Math.round(s3jl), mbPerSec: +(jsize / 1e3 / s3jl).toFixed(1), baselineMbPerSec: +(jsize / 1e3 / jl).toFixed(1), requestsPerOp: requests() });

    const { batches: tokens } = await tokenizedBatches();
    const parts = Array.from({ length: 5 }, () => Array.from({ length: 30 }, () => tokens).flat());
    const finalize = async (path: string): Promise<number> => {
      const sink = tokensSinkSpec(path);
      for (const [p, b] of parts.entries()) await writeSinkPart(sink, 's1', p, b);
      const t0 = performance.now();
      await finalizeSink(sink, { fingerprint: 'bench', outDir: dir });
      return performance.now() - t0;
    };
    const times = async (path: (i: number) => string): Promise<number> => {
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) ms.push(await finalize(path(i)));
      return ms.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    };
    const tl = await times((i) => join(dir, `tokens-${i}`));
    const shard = (await stat(join(dir, 'tokens-0', 'tokens-00000.ds'))).size;
    emit({ case: 'token finalize (5 parts → 1 shard), local', shardBytes: shard, ms: Math.round(tl) });
    conn.resetRequestCounts();
    const ts = await times((i) => `s3://${bucket}/tokens-${i}`);
    const finalizeRequests = requests();
    emit({ case: 'token finalize (5 parts → 1 shard), s3://', shardBytes: shard, ms: Math.round(ts), baselineMs: Math.round(tl), ratio: +(ts / tl).toFixed(2), requestsPerOp: finalizeRequests, note: 'requests include writing the 5 parts' });
  } finally {
    await rm(dir, { recursive: true, force: true });
    const keys: string[] = [];
    for await (const o of listObjects(admin, bucket, '')) keys.push(o.key);
    await deleteObjects(admin, bucket, keys);
    await admin.send({ op: 'DeleteBucket', bucket }, (c) => c.send(new DeleteBucketCommand({ Bucket: bucket })));
    admin.destroy();
    conn.destroy();
  }
}
