import { createHash } from 'node:crypto';
import { decodeRecords, encodeRecords } from '../../ops/dedup/codec.ts';
import { allocRecords, bandPartition, type BandRecords } from '../../ops/dedup/lsh.ts';
import type { DedupSpec } from '../../plan/logical-plan.ts';
import { openLocation } from '../../io/location/index.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { dedupKeys } from './layout.ts';
import { dedupRuntime } from './strategy.ts';
import { Field, Utf8, type RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../arrow/batch.ts';
import { utf8Vector } from '../../arrow/utf8.ts';

/**
 * Dedup indexes: what a run's dedup read, kept so later runs (the next crawl dump) can drop what
 * an earlier run already has. An index directory (a local path or an `s3://` prefix) holds, per
 * band partition of the writing run, `part-<k>-of-<K>.rec` — the distinct (band, hash) records of every document (doc fields zero),
 * the band-record codec — and last `index.json` (written by the merge, so an index without it is
 * incomplete and refused). `index.json` names the strategy, the parameters that shape the hashes
 * (column names, cluster columns, index options and which copy is kept excluded) and `probe`: a digest of the records
 * of fixed probe texts, so a change of hash family or normalization is caught even when the
 * parameters read the same. A run refuses an index whose identity differs from its own.
 */
export interface IndexIdentity {
  format: 'sluice-dedup-index/1';
  strategy: DedupSpec['strategy'];
  params: Record<string, unknown>;
  probe: string;
}

const PROBES = [
  'The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs, then ship it.',
  'https://www.example.org/a/b?utm_source=x&id=7',
  'Ünïcödé text — with punctuation, digits 12345 and CAPITALS; repeated words words words.',
];

/** The identity a run's dedup spec gives an index. */
export function indexIdentity(spec: DedupSpec): IndexIdentity {
  const { column: _c, clusterColumns: _cc, writeIndex: _w, againstIndexes: _a, keep: _k, dateColumn: _d, ...params } = spec.options;
  const runtime = dedupRuntime(spec);
  const probe = createHash('sha256');
  const batch = makeBatch([{ field: new Field(runtime.column, new Utf8(), true), data: utf8Vector(PROBES) }], PROBES.length);
  probe.update(encodeRecords(runtime.records(batch as RecordBatch, 0)));
  return { format: 'sluice-dedup-index/1', strategy: spec.strategy, params, probe: probe.digest('hex') };
}

/** Writes band partition `k` (of `parts`) of this run's records into the index directory. */
export async function writeIndexPart(dir: string, k: number, parts: number, records: readonly BandRecords[]): Promise<void> {
  await (await openLocation(dir)).writeFile(`part-${k}-of-${parts}.rec`, encodeRecords(distinctKeys(records)));
}

/** Commits an index: `index.json`, after every part. */
export async function writeIndexManifest(dir: string, identity: IndexIdentity, documents: number): Promise<void> {
  await (await openLocation(dir)).writeFile('index.json', JSON.stringify({ ...identity, documents }, null, 2) + '\n');
}

/**
 * The records of the given indexes that fall in band partition `k` of `parts` (this run's
 * partitioning, whatever the writer's), as a set of `band:hi:lo` strings; refuses an index that
 * is incomplete or of another identity, naming what differs.
 */
export async function loadIndexKeys(dirs: readonly string[], identity: IndexIdentity, k: number, parts: number): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const dir of dirs) {
    const location = await openLocation(dir);
    const text = await location.readBytes('index.json').then((b) => new TextDecoder().decode(b), () => {
      throw new Error(`dedup index ${location.uri} is incomplete or missing (no index.json): the run writing it did not finish`);
    });
    const theirs = JSON.parse(text) as IndexIdentity & { documents: number };
    for (const field of ['format', 'strategy', 'params', 'probe'] as const) {
      if (JSON.stringify(theirs[field]) !== JSON.stringify(identity[field])) {
        throw new Error(`dedup index ${location.uri} is incompatible: its ${field} is ${JSON.stringify(theirs[field])}, this run's is ${JSON.stringify(identity[field])}`);
      }
    }
    for (const name of (await location.list()).map((e) => e.path).filter((n) => /^part-\d+-of-\d+\.rec$/.test(n)).sort()) {
      const r = decodeRecords(await location.readBytes(name));
      for (let i = 0; i < r.length; i++) if (bandPartition(r.hi[i]!, parts) === k) keys.add(`${r.band[i]}:${r.hi[i]}:${r.lo[i]}`);
    }
  }
  return keys;
}

/** Input ordinals of the documents with a record in `keys`, ascending and distinct. */
export function indexedDocs(records: readonly BandRecords[], keys: ReadonlySet<string>): Uint32Array {
  const docs = new Set<number>();
  for (const r of records) for (let i = 0; i < r.length; i++) if (keys.has(`${r.band[i]}:${r.hi[i]}:${r.lo[i]}`)) docs.add(r.doc[i]!);
  return Uint32Array.from([...docs].sort((a, b) => a - b));
}

function distinctKeys(records: readonly BandRecords[]): BandRecords {
  const seen = new Set<string>();
  const out: [number, number, number][] = [];
  for (const r of records) {
    for (let i = 0; i < r.length; i++) {
      const key = `${r.band[i]}:${r.hi[i]}:${r.lo[i]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push([r.band[i]!, r.hi[i]!, r.lo[i]!]);
    }
  }
  out.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const rec = allocRecords(out.length);
  out.forEach(([b, h, l], i) => { rec.band[i] = b; rec.hi[i] = h; rec.lo[i] = l; rec.doc[i] = 0; });
  return rec;
}

function againstOf(spec: DedupSpec): string[] {
  const a = spec.options['againstIndexes'];
  return Array.isArray(a) ? (a as string[]) : [];
}

/**
 * The index work of bucket task `k` (before its commit): writes its records into `writeIndex`,
 * and commits the documents found in `againstIndexes`. Re-running it rewrites the same bytes.
 */
export async function indexPhase(spec: DedupSpec, stageId: string, k: number, parts: number, records: readonly BandRecords[], store: BlobStore): Promise<void> {
  const out = spec.options['writeIndex'];
  if (typeof out === 'string') await writeIndexPart(out, k, parts, records);
  const against = againstOf(spec);
  if (!against.length) return;
  const docs = indexedDocs(records, await loadIndexKeys(against, indexIdentity(spec), k, parts));
  await store.put(dedupKeys.indexed(stageId, k), new Uint8Array(docs.buffer));
}

/**
 * The merge's index work: per parent partition, which of its documents an earlier run's index
 * holds (u8 flags), from every bucket's list. Returns how many; 0 without `againstIndexes`.
 */
export async function mergeIndexed(spec: DedupSpec, stageId: string, parts: number, counts: readonly number[], offsets: readonly number[], store: BlobStore): Promise<number> {
  if (!againstOf(spec).length) return 0;
  const total = counts.reduce((a, b) => a + b, 0);
  const flags = new Uint8Array(total);
  for (let k = 0; k < parts; k++) {
    const bytes = await store.getBytes(dedupKeys.indexed(stageId, k));
    const docs = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    for (const d of docs) flags[d] = 1;
  }
  for (const [p, n] of counts.entries()) await store.put(dedupKeys.inIndex(stageId, p), flags.slice(offsets[p]!, offsets[p]! + n));
  return flags.reduce((a, b) => a + b, 0);
}

/** The in-index flags of parent partition `p`, or undefined when the dedup reads no index. */
export async function readInIndex(spec: DedupSpec, stageId: string, p: number, store: BlobStore): Promise<Uint8Array | undefined> {
  return againstOf(spec).length ? store.getBytes(dedupKeys.inIndex(stageId, p)) : undefined;
}
