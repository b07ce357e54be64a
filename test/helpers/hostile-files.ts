import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { tableToIPC, tableFromArrays } from 'apache-arrow';
import { parquetWasm } from '../../src/io/parquet/wasm.ts';

/**
 * Hostile input files for the reader-limit test (test/io/hostile-inputs.test.ts) and its full-size
 * bench (bench/hostile.ts), generated on the spot so no gigabyte file is ever committed. Large
 * bodies are one segment repeated: a segment deflated with a full flush references nothing before
 * it, so its compressed bytes can be repeated and a 10 GB gzip member costs one 64 MiB compression
 * plus the CRC of what it stands for.
 */

/** Content `head + segment × times + tail`, never held whole in memory. */
export interface RepeatedContent {
  head: Buffer;
  segment: Buffer;
  times: number;
  tail: Buffer;
}

export function contentBytes(c: RepeatedContent): number {
  return c.head.length + c.segment.length * c.times + c.tail.length;
}

async function writeParts(path: string, parts: Iterable<Buffer>): Promise<void> {
  const out = createWriteStream(path);
  for (const p of parts) if (!out.write(p)) await once(out, 'drain');
  out.end();
  await once(out, 'close');
}

function* repeated(c: RepeatedContent, map: (b: Buffer) => Buffer = (b) => b): Generator<Buffer> {
  yield map(c.head);
  const seg = map(c.segment);
  for (let i = 0; i < c.times; i++) yield seg;
  yield map(c.tail);
}

/** One gzip member holding `content`, built without compressing the repeats one by one. */
function* gzipMember(c: RepeatedContent, level: number): Generator<Buffer> {
  yield Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  yield* repeated(c, (b) => deflateRawSync(b, { level, finishFlush: constants.Z_FULL_FLUSH }));
  yield deflateRawSync(Buffer.alloc(0));
  let crc = 0;
  for (const b of repeated(c)) crc = crc32(b, crc);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(contentBytes(c) % 2 ** 32, 4);
  yield trailer;
}

/**
 * Writes `before`, then `content` (plain, or as one gzip member at `level`, default 9: a bomb is
 * compressed as hard as deflate can), then `after`.
 */
export async function writeHostile(path: string, content: RepeatedContent, opts: { gzip: boolean; level?: number; before?: Buffer; after?: Buffer }): Promise<void> {
  await writeParts(path, (function* () {
    if (opts.before) yield opts.before;
    yield* opts.gzip ? gzipMember(content, opts.level ?? 9) : repeated(content);
    if (opts.after) yield opts.after;
  })());
}

/** A gzip bomb: `head` then `zeros` zero bytes, compressed ~1000×. */
export function bomb(zeros: number, head: Buffer = Buffer.alloc(0)): RepeatedContent {
  const seg = Math.min(zeros, 64 << 20);
  return { head, segment: Buffer.alloc(seg), times: Math.floor(zeros / seg), tail: Buffer.alloc(zeros % seg) };
}

/** Text that gzip compresses only ~3× (random words), so a long line in a `.gz` is not also a bomb. */
export function wordSoup(bytes: number, seed = 1): Buffer {
  const words = ['river', 'stone', 'market', 'winter', 'quiet', 'lantern', 'orbit', 'harvest', 'copper', 'signal', 'meadow', 'thunder'];
  const out = Buffer.alloc(bytes, 0x20);
  let s = seed >>> 0, p = 0;
  while (p < bytes) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const w = words[s % words.length]!;
    out.write(w, p, 'latin1');
    p += w.length + 1 + ((s >>> 8) % 3);
  }
  return out;
}

/** One JSON line `{"id": …, "text": "<segment × times>"}` of about `bytes` bytes. */
export function longLine(bytes: number, id: string): RepeatedContent {
  const seg = Math.min(bytes, 16 << 20);
  return {
    head: Buffer.from(`{"id":${JSON.stringify(id)},"text":"`),
    segment: wordSoup(seg),
    times: Math.ceil(bytes / seg),
    tail: Buffer.from('"}\n'),
  };
}

/** Ordinary JSON lines from fixtures/jsonl/dolma-40.jsonl (id and text kept). */
export function goodJsonl(fixtures: string, n = 10): Buffer {
  const lines = readFileSync(`${fixtures}/jsonl/dolma-40.jsonl`, 'utf8').trim().split('\n').slice(0, n);
  return Buffer.from(lines.map((l) => {
    const d = JSON.parse(l) as { id: string; text: string };
    return JSON.stringify({ id: d.id, text: d.text });
  }).join('\n') + '\n');
}

/** A WARC response record header (no block) for an HTML page whose body is `bodyBytes` long. */
export function warcResponseHead(uri: string, bodyBytes: number, claimedLength?: number): Buffer {
  const http = `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${bodyBytes}\r\n\r\n`;
  const length = claimedLength ?? Buffer.byteLength(http) + bodyBytes;
  return Buffer.from([
    'WARC/1.0', 'WARC-Type: response', `WARC-Target-URI: ${uri}`, 'WARC-Date: 2024-05-01T00:00:00Z',
    `WARC-Record-ID: <urn:uuid:${uri.length}-${bodyBytes}>`, 'Content-Type: application/http; msgtype=response',
    `Content-Length: ${length}`, '', '',
  ].join('\r\n') + http, 'latin1');
}

/** A complete response record for a small HTML page, as its own bytes. */
export function warcPage(uri: string, paragraph: string): Buffer {
  const body = Buffer.from(`<!doctype html><html><head><title>${uri}</title></head><body><article>${`<p>${paragraph}</p>`.repeat(8)}</article></body></html>`);
  return Buffer.concat([warcResponseHead(uri, body.length), body, Buffer.from('\r\n\r\n')]);
}

/** Writes a Parquet file with an `id` and a `text` column of the given values. */
export async function writeParquetColumns(path: string, id: string[], text: string[] | bigint[]): Promise<void> {
  const pw = await parquetWasm();
  const table = tableFromArrays({ id, text: typeof text[0] === 'bigint' ? BigInt64Array.from(text as bigint[]) : (text as string[]) });
  const wasmTable = pw.Table.fromIPCStream(tableToIPC(table, 'stream'));
  writeFileSync(path, pw.writeParquet(wasmTable));
}

/** Writes `bytes` with the Thrift metadata of its footer overwritten (magic and length intact). */
export function writeCorruptFooter(path: string, parquet: Buffer): void {
  const bad = Buffer.from(parquet);
  const metaLength = bad.readUInt32LE(bad.length - 8);
  bad.fill(0xff, bad.length - 8 - metaLength, bad.length - 8 - Math.floor(metaLength / 2));
  writeFileSync(path, bad);
}

/** Bytes that are not gzip, for a file named `.gz`: an HTML error page, as failed downloads leave. */
export const NOT_GZIP = Buffer.from('<html><head><title>503 Service Unavailable</title></head><body>\n<h1>Service Unavailable</h1>\n<p>Please retry later.</p>\n</body></html>\n');
