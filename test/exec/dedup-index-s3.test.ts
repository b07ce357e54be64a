import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan } from '../../src/planner/analyze.ts';
import { readJsonl } from '../../src/dataframe/read.ts';
import type { DataFrame } from '../../src/dataframe/dataframe.ts';
import { executePlan } from '../../src/exec/driver/collect.ts';
import { minhash } from '../../src/ops/dedup/specs.ts';
import { NO_S3, findS3Server, useTestBucket } from '../helpers/s3.ts';
import { localTree, s3Tree, sameTrees, useS3Environment } from '../sinks/s3-sink-helpers.ts';
import { realDocs } from './dedup-corpus.ts';

const server = await findS3Server();
const bucket = useTestBucket(server);
if (server) useS3Environment(server);
else it.skip(`dedup index on S3: ${NO_S3}`, () => undefined);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-dedup-index-s3-'));
  const docs = realDocs();
  for (const [name, list] of [['run1', docs.slice(0, 50)], ['run2', docs.slice(30, 80)]] as const) {
    await mkdir(join(tmp, name));
    await writeFile(join(tmp, name, 'docs.jsonl'), list.map((d) => JSON.stringify(d)).join('\n') + '\n');
  }
});

const run = async (df: DataFrame) => executePlan(await analyzePlan(df.plan));
const ids = (t: { getChild(n: string): { toArray(): ArrayLike<unknown> } | null }) => Array.from(t.getChild('id')!.toArray()) as string[];

describe.runIf(server)('a dedup index on S3', () => {
  it('holds the bytes of a local index, and a later run against it drops what it drops against the local one', async () => {
    const local = join(tmp, 'idx');
    const remote = `s3://${bucket.name}/indexes/run1`;
    await run(readJsonl(join(tmp, 'run1', '*.jsonl')).dedup(minhash({ writeIndex: local })));
    await run(readJsonl(join(tmp, 'run1', '*.jsonl')).dedup(minhash({ writeIndex: remote })));
    const want = await localTree(local);
    expect([...want.keys()]).toContain('index.json');
    expect(sameTrees(await s3Tree(bucket.connection, bucket.name, 'indexes/run1'), want)).toBe(true);
    const againstLocal = await run(readJsonl(join(tmp, 'run2', '*.jsonl')).dedup(minhash({ againstIndexes: [local] })));
    const againstS3 = await run(readJsonl(join(tmp, 'run2', '*.jsonl')).dedup(minhash({ againstIndexes: [remote] })));
    expect(ids(againstS3.table)).toEqual(ids(againstLocal.table));
    expect(againstS3.stats.find((s) => s.name === 'dedup')!.dropped['dedup:index_duplicate']).toBeGreaterThanOrEqual(20);
    await expect(run(readJsonl(join(tmp, 'run2', '*.jsonl')).dedup(minhash({ againstIndexes: [`s3://${bucket.name}/indexes/none`] }))))
      .rejects.toThrow(/dedup index s3:\/\/.*\/indexes\/none\/ is incomplete or missing/);
  });
});
