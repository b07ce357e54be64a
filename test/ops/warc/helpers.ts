import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RecordBatch } from 'apache-arrow';
import { warcReader } from '../../../src/io/warc/read.ts';
import type { BadRecord } from '../../../src/io/source.ts';
import type { PartitionSpec } from '../../../src/plan/physical-plan.ts';

export const FIXTURES = new URL('../../../fixtures/warc/', import.meta.url).pathname;

/** A response record around an HTTP message built from `headers` and `body`. */
export function responseRecord(opts: { uri: string; headers: string[]; body: Buffer | string; status?: string; id?: string; version?: string }): Buffer {
  const http = Buffer.concat([
    Buffer.from([`HTTP/1.1 ${opts.status ?? '200 OK'}`, ...opts.headers, '', ''].join('\r\n'), 'latin1'),
    typeof opts.body === 'string' ? Buffer.from(opts.body, 'utf8') : opts.body,
  ]);
  return warcRecord({ type: 'response', uri: opts.uri, contentType: 'application/http; msgtype=response', block: http, id: opts.id, version: opts.version });
}

export function warcRecord(opts: { type: string; uri: string; contentType: string; block: Buffer; id?: string; version?: string }): Buffer {
  const header = [
    `WARC/${opts.version ?? '1.0'}`,
    `WARC-Type: ${opts.type}`,
    `WARC-Target-URI: ${opts.uri}`,
    'WARC-Date: 2024-01-01T00:00:00Z',
    `WARC-Record-ID: ${opts.id ?? `<urn:uuid:${opts.uri.length}-${opts.block.length}>`}`,
    `Content-Type: ${opts.contentType}`,
    `Content-Length: ${opts.block.length}`,
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(header, 'utf8'), opts.block, Buffer.from('\r\n\r\n')]);
}

/** One gzip member per record, as WARC writers do. */
export function gzipMembers(records: Buffer[]): Buffer {
  return Buffer.concat(records.map((r) => gzipSync(r)));
}

export function tempFile(name: string, data: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-warc-'));
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

export interface ReadResult {
  rows: Record<string, unknown>[];
  bad: BadRecord[];
  skipped: Record<string, number>;
  batches: RecordBatch[];
}

/** Reads the given partitions (all of the files when absent) and collects rows, bad and skipped. */
export async function readAll(paths: string[], options?: Record<string, unknown>, opts: { partitions?: PartitionSpec[]; columns?: string[]; targetBytes?: number } = {}): Promise<ReadResult> {
  const spec = { format: 'warc' as const, paths, ...(options ? { options } : {}) };
  const parts = opts.partitions ?? (await warcReader.partitions(spec, opts.targetBytes ?? 1 << 30));
  const out: ReadResult = { rows: [], bad: [], skipped: {}, batches: [] };
  for (const p of parts) {
    for await (const item of warcReader.read(spec, p, { batchSize: 7, ...(opts.columns ? { columns: opts.columns } : {}) })) {
      if ('batch' in item) {
        out.batches.push(item.batch);
        for (const row of item.batch) out.rows.push(row!.toJSON() as Record<string, unknown>);
      } else if ('bad' in item) {
        out.bad.push(item.bad);
      } else {
        out.skipped[item.skipped.reason] = (out.skipped[item.skipped.reason] ?? 0) + item.skipped.count;
      }
    }
  }
  return out;
}
