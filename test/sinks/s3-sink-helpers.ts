import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Field, Utf8, type RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../src/arrow/batch.ts';
import { utf8Vector } from '../../src/arrow/utf8.ts';
import { addSystemColumns, rowPositions } from '../../src/io/system-columns.ts';
import type { SinkSpec } from '../../src/plan/logical-plan.ts';
import { getObjectBytes, listObjects, type S3Connection } from '../../src/storage/s3/index.ts';
import type { S3TestServer } from '../helpers/s3.ts';
import { realDocs } from '../ops/tokenize/helpers.ts';

/**
 * Points the process-wide S3 connection (what sinks opened by URI use, configured from the
 * standard AWS variables only, as `sluice run` is) at `endpoint`: the server, or a fault proxy in
 * front of it. Call before the first `s3://` write of the test file.
 */
export function useS3Environment(server: S3TestServer, endpoint = server.endpoint): void {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
    AWS_REGION: server.region, SLUICE_S3_PATH_STYLE: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
}

/**
 * The 38 real fixture documents (`id`, `text`, `__file`, `__pos`) as batches of 13 rows, the
 * whole set `copies` times with distinct ids (copies make parts above S3's 8 MiB single-PUT size).
 */
export function documentBatches(copies = 1): RecordBatch[] {
  const docs = realDocs();
  const out: RecordBatch[] = [];
  for (let c = 0; c < copies; c++) {
    for (let i = 0; i < docs.length; i += 13) {
      const slice = docs.slice(i, i + 13);
      const batch = makeBatch([
        { field: new Field('id', new Utf8(), true), data: utf8Vector(slice.map((d) => `${d.id}#${c}`)) },
        { field: new Field('text', new Utf8(), true), data: utf8Vector(slice.map((d) => d.text)) },
      ], slice.length);
      out.push(addSystemColumns(batch, 0, rowPositions(c * docs.length + i, slice.length)));
    }
  }
  return out;
}

/** A planned tokens sink (the options the analyzer completes from a gpt2 tokenize step). */
export function tokensSinkSpec(path: string, options: Record<string, unknown> = {}): SinkSpec {
  return { format: 'tokens', path, options: { tokenizer: 'gpt2', eos: '<|endoftext|>', tokensColumn: 'tokens', ...options } };
}

/** Every file under a local directory, by `/`-separated relative path. */
export async function localTree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    out.set(relative(dir, path).split('\\').join('/'), await readFile(path));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every object under `prefix/`, downloaded, by key relative to the prefix. */
export async function s3Tree(conn: S3Connection, bucket: string, prefix: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for await (const o of listObjects(conn, bucket, `${prefix}/`)) {
    const bytes = await getObjectBytes(conn, bucket, o.key);
    out.set(o.key.slice(prefix.length + 1), Buffer.from(bytes!));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Whether two trees hold the same paths with the same bytes (without vitest's slow element-wise diff). */
export function sameTrees(a: Map<string, Buffer>, b: Map<string, Buffer>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k)?.equals(v) === true);
}
