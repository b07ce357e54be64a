import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { finalizeSink, writeSinkPart } from '../../src/io/sinks.ts';
import { writeJsonl } from '../../src/io/jsonl/write.ts';
import '../../src/io/token-shards/sink.ts';
import { getObjectBytes, listObjects, S3RequestError } from '../../src/storage/s3/index.ts';
import { faultsByKind, startFaultProxy, type FaultPlan, type FaultProxy } from '../helpers/fault-proxy.ts';
import { NO_S3, findS3Server, useTestBucket } from '../helpers/s3.ts';
import { documentBatches, localTree, s3Tree, sameTrees, tokensSinkSpec, useS3Environment } from './s3-sink-helpers.ts';
import { tokenizedBatches } from './token-shards-helpers.ts';

const server = await findS3Server();
const bucket = useTestBucket(server);
if (!server) it.skip(`sinks on S3 under injected faults: ${NO_S3}`, () => undefined);

// Sinks open s3:// through the process-wide connection, configured from the environment as in
// `sluice run`; here the environment points it at a proxy whose faults each test chooses.
let plan: FaultPlan = () => undefined;
let proxy: FaultProxy | undefined;
beforeAll(async () => {
  if (!server) return;
  proxy = await startFaultProxy(server.endpoint, (n, req) => plan(n, req));
  useS3Environment(server, proxy.endpoint);
});
afterAll(async () => { await proxy?.close(); });

const local = await mkdtemp(join(tmpdir(), 'sluice-s3-sink-faults-'));
const s3 = (prefix: string): string => `s3://${bucket.name}/${prefix}`;

/** Uses `next` from now on; returns the faults it injected so far, as `METHOD fault`. */
function inject(next: FaultPlan): () => string[] {
  const from = proxy!.log.length;
  plan = next;
  return () => proxy!.log.slice(from).filter((r) => r.fault).map((r) => `${r.method} ${r.fault}`);
}

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of listObjects(bucket.connection, bucket.name, prefix)) keys.push(o.key);
  return keys;
}

describe.runIf(server)('sinks on S3 under injected faults', () => {
  it('a part upload hit by 503 SlowDown, 500 and dropped connections is retried to the local bytes', async () => {
    const injected = inject(faultsByKind([
      { method: 'PUT', match: /part-s1-00000\.parquet/, nth: [1], fault: 'slowdown' },
      { method: 'PUT', match: /part-s1-00000\.parquet/, nth: [2], fault: 'drop' },
      { method: 'POST', match: /uploads/, nth: [1], fault: 'internal-error' },
      { method: 'PUT', match: /partNumber=/, nth: [1], fault: 'drop' },
      { method: 'PUT', match: /partNumber=/, nth: [3], fault: 'slowdown' },
      { method: 'POST', match: /uploadId=/, nth: [1], fault: 'drop' },
    ]));
    for (const [format, copies] of [['parquet', 1], ['jsonl', 90]] as const) {
      const batches = documentBatches(copies);
      const [part] = await writeSinkPart({ format, path: join(local, format) }, 's1', 0, batches);
      await writeSinkPart({ format, path: s3(`retried/${format}`) }, 's1', 0, batches);
      const got = await getObjectBytes(bucket.connection, bucket.name, `retried/${format}/part-s1-00000.${format}`);
      expect(Buffer.from(got!).equals(await readFile(part!.path))).toBe(true);
    }
    expect(injected()).toEqual(['PUT slowdown', 'PUT drop', 'POST internal-error', 'PUT drop', 'PUT slowdown', 'POST drop']);
    expect(await keysUnder('retried/')).toEqual(['retried/jsonl/part-s1-00000.jsonl', 'retried/parquet/part-s1-00000.parquet']);
  });

  it('the token-shard finalizer survives faults on part reads, shard and manifest uploads and part removal', async () => {
    const { batches } = await tokenizedBatches();
    const parts = batches.map((b) => [b]);
    const localSink = tokensSinkSpec(join(local, 'tokens'), { maxTokensPerShard: 6000 });
    const s3Sink = tokensSinkSpec(s3('faulty/tokens'), { maxTokensPerShard: 6000 });
    for (const [p, b] of parts.entries()) {
      await writeSinkPart(localSink, 's2', p, b);
      await writeSinkPart(s3Sink, 's2', p, b);
    }
    await finalizeSink(localSink, { fingerprint: 'fp-faults', outDir: local });
    const injected = inject(faultsByKind([
      { method: 'GET', match: /list-type=2/, nth: [1], fault: 'slowdown' },
      { method: 'GET', match: /_parts\/part-s2-00001/, nth: [1], fault: 'drop-mid-response' },
      { method: 'PUT', match: /tokens-00001\.ds(\?|$)/, nth: [1], fault: 'drop' },
      { method: 'PUT', match: /manifest\.json/, nth: [1], fault: 'slowdown' },
      { method: 'POST', match: /delete/, nth: [1], fault: 'internal-error' },
    ]));
    await finalizeSink(s3Sink, { fingerprint: 'fp-faults', outDir: s3('') });
    expect(injected().sort()).toEqual(['GET drop-mid-response', 'GET slowdown', 'POST internal-error', 'PUT drop', 'PUT slowdown']);
    const want = await localTree(join(local, 'tokens'));
    expect(want.size).toBeGreaterThan(3);
    expect(sameTrees(await s3Tree(bucket.connection, bucket.name, 'faulty/tokens'), want)).toBe(true);
  });

  it('an upload that fails for good leaves no visible part and no pending multipart upload', async () => {
    inject((_n, req) => (req.method === 'PUT' && /doomed\//.test(req.url ?? '') ? 'internal-error' : undefined));
    const error = await writeSinkPart({ format: 'parquet', path: s3('doomed/docs') }, 's1', 3, documentBatches()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3RequestError);
    expect((error as S3RequestError).message).toMatch(/PutObject s3:\/\/.*\/doomed\/docs\/part-s1-00003\.parquet failed after 8 attempts/);
    expect(await keysUnder('doomed/')).toEqual([]);

    // A multipart write whose input fails after 10 MiB is aborted: nothing visible, no parts kept.
    inject(() => undefined);
    const batches = documentBatches(90);
    const failing = (async function* () { yield* batches; throw new Error('upstream failed'); })();
    await expect(writeJsonl(s3('doomed/big/part-s1-00004.jsonl'), failing)).rejects.toThrow('upstream failed');
    expect(await keysUnder('doomed/')).toEqual([]);
    const pending = await bucket.connection.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name, Prefix: 'doomed/' }));
    expect(pending.Uploads ?? []).toEqual([]);
  });
});
