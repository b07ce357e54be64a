import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/exec/state/checkpoint.ts';
import { dedupKeys } from '../../src/exec/dedup/layout.ts';
import { keys } from '../../src/exec/state/layout.ts';
import type { RunStats } from '../../src/exec/accounting/counters.ts';
import { readJsonl } from '../../src/dataframe/read.ts';
import { exactDedupLocal, fuzzyDedupLocal, urlDedupLocal, type Assignments } from '../../src/ops/dedup/index.ts';
import { byUrl, exact, minhash } from '../../src/ops/dedup/specs.ts';
import { LocalBlobStore } from '../../src/storage/local-blob-store.ts';
import { writeDupCorpus, type Doc } from './dedup-corpus.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PIPELINE = join(ROOT, 'test/exec/pipelines/dedup.ts');
const FILES = 6;
let tmp: string;
let input: string;
let docs: Doc[];
/** A task size no two neighbouring input files fit in together: one task per file, so the run has several. */
let PER_FILE = '';

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-dedup-'));
  input = join(tmp, 'in');
  docs = await writeDupCorpus(input, FILES);
  const sizes = await Promise.all((await readdir(input)).sort().map(async (n) => (await stat(join(input, n))).size));
  const perFile = Math.min(...sizes.slice(1).map((s, i) => s + sizes[i]!)) - 1;
  if (perFile < Math.max(...sizes)) throw new Error(`input files too uneven for one task each: ${sizes.join(', ')}`);
  PER_FILE = String(perFile);
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function sluice(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
}

function run(out: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), 'run', PIPELINE, '--input', input, '--output', out, '--batch-size', '8', '--task-bytes', PER_FILE, ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env },
  });
}

async function digest(out: string): Promise<Record<string, string>> {
  const dir = join(out, 'documents');
  const result: Record<string, string> = {};
  for (const n of (await readdir(dir)).sort()) result[n] = createHash('sha256').update(await readFile(join(dir, n))).digest('hex');
  return result;
}

async function rows(out: string): Promise<Record<string, unknown>[]> {
  const dir = join(out, 'documents');
  const all: Record<string, unknown>[] = [];
  for (const n of (await readdir(dir)).sort()) {
    for (const line of (await readFile(join(dir, n), 'utf8')).split('\n')) if (line) all.push(JSON.parse(line) as Record<string, unknown>);
  }
  return all;
}

const stats = async (out: string) => JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')) as RunStats;
const keptIds = (a: Assignments) => docs.filter((_, i) => a.isKept(i)).map((d) => d.id);

describe('dedup through sluice run', () => {
  let baseline: Record<string, string>;

  it('minhash: workers=1 and workers=2 are byte-identical, keep the reference set, and account for every document', async () => {
    const a = join(tmp, 'mh-w1'), b = join(tmp, 'mh-w2');
    const ra = run(a, ['--workers', '1']);
    expect(ra.status, ra.stderr).toBe(0);
    const rb = run(b, ['--workers', '2']);
    expect(rb.status, rb.stderr).toBe(0);
    baseline = await digest(a);
    // One task per file; a task whose documents were all copies writes no part.
    expect((await stats(a)).stages.map((st) => st.tasks)).toEqual([FILES, FILES]);
    expect(Object.keys(baseline).length).toBeLessThanOrEqual(FILES);
    for (const n of Object.keys(baseline)) expect((await readFile(join(a, 'documents', n), 'utf8')).trim()).not.toBe('');
    expect(await digest(b)).toEqual(baseline);

    const expected = keptIds(fuzzyDedupLocal(docs.map((d) => d.text), { preset: 'fineweb' }));
    const kept = (await rows(a)).map((r) => r.id);
    expect(kept).toEqual(expected);
    // Every edited copy is a near-duplicate of an original that comes first.
    for (const suffix of ['-exact', '-near']) {
      const copies = docs.filter((d) => d.id.endsWith(suffix));
      expect(copies.length).toBeGreaterThan(3);
      for (const c of copies) {
        expect(kept).not.toContain(c.id);
        expect(kept).toContain(c.id.slice(0, -suffix.length));
      }
    }

    const s = await stats(a);
    const step = s.steps.find((x) => x.name === 'dedup')!;
    expect(step.documentsIn).toBe(docs.length);
    expect(step.documentsOut).toBe(kept.length);
    expect(step.dropped).toEqual({ 'dedup:minhash_duplicate': docs.length - kept.length });
    expect(s.totals.documentsIn).toBe(docs.length);
    expect(s.totals.documentsOut + s.totals.dropped['dedup:minhash_duplicate']!).toBe(docs.length);

    // CPU outside the steps is attributed by name: the dedup phases, commits, the whole run's.
    const named = (stage: string) => new Set(s.overheads!.filter((o) => o.stage === stage).map((o) => o.name));
    for (const name of ['dedup signing', 'commit', 'worker start', 'task files']) expect(named('s0')).toContain(name);
    for (const name of ['dedup bucket', 'dedup merge', 'stage input']) expect(named('s1')).toContain(name);
    for (const name of ['finalize', 'runtime threads (GC, JIT, I/O)', 'driver']) expect(named('run')).toContain(name);
    expect(s.overheads!.every((o) => o.cpuMs >= 0)).toBe(true);
    const overheadMs = s.overheads!.reduce((n, o) => n + o.cpuMs, 0);
    expect(s.totals.stepsCpuMs).toBe(s.steps.reduce((n, x) => n + x.cpuMs, 0));
    expect(s.totals.cpuMs).toBeCloseTo(s.totals.stepsCpuMs! + overheadMs, 6);
    expect(s.totals.processCpuMs).toBeGreaterThan(0);
  });

  it('collect() keeps the same documents, with the same cluster ids, as sluice run', async () => {
    const out = join(tmp, 'mh-cluster');
    const r = run(out, ['--workers', '2', '--option', 'cluster=1']);
    expect(r.status, r.stderr).toBe(0);
    const fromRun = (await rows(out)).map((x) => [x.id, x.cluster_id, x.cluster_size]);
    const table = await readJsonl(join(input, '*.jsonl')).dedup(minhash({ preset: 'fineweb', clusterColumns: true })).collect();
    const ids = table.getChild('id')!.toArray() as string[];
    const cid = table.getChild('cluster_id')!.toArray() as Uint32Array;
    const size = table.getChild('cluster_size')!.toArray() as Uint32Array;
    expect(ids.map((id, i) => [id, cid[i], size[i]])).toEqual(fromRun);
    // Cluster ids are input ordinals of the kept documents; sizes count every member.
    expect(fromRun.every(([id, c]) => docs[c as number]!.id === id)).toBe(true);
    expect(fromRun.reduce((n, x) => n + (x[2] as number), 0)).toBe(docs.length);
  });

  it('exact dedup keeps the first of equal normalized texts', async () => {
    const out = join(tmp, 'exact');
    const r = run(out, ['--workers', '2', '--option', 'strategy=exact']);
    expect(r.status, r.stderr).toBe(0);
    const kept = (await rows(out)).map((x) => x.id);
    expect(kept).toEqual(keptIds(exactDedupLocal(docs.map((d) => d.text))));
    const copies = docs.filter((d) => d.id.endsWith('-exact')).map((d) => d.id);
    expect(kept.filter((id) => copies.includes(id as string))).toEqual([]);
    expect(kept).toHaveLength(docs.length - copies.length);
    const s = await stats(out);
    expect(s.steps.find((x) => x.name === 'dedup')!.dropped).toEqual({ 'dedup:exact_duplicate': copies.length });
    const collected = await readJsonl(join(input, '*.jsonl')).dedup(exact()).collect();
    expect(collected.getChild('id')!.toArray()).toEqual(kept);
  });

  it('URL dedup keeps the first document of each normalized URL', async () => {
    const out = join(tmp, 'url');
    const r = run(out, ['--workers', '2', '--option', 'strategy=url']);
    expect(r.status, r.stderr).toBe(0);
    const kept = (await rows(out)).map((x) => x.id);
    expect(kept).toEqual(keptIds(urlDedupLocal(docs.map((d) => d.url))));
    const mirrors = docs.filter((d) => d.id.endsWith('-mirror')).map((d) => d.id);
    expect(mirrors.length).toBeGreaterThan(2);
    expect(kept).toHaveLength(docs.length - mirrors.length);
    expect((await stats(out)).steps.find((x) => x.name === 'dedup')!.dropped).toEqual({ 'dedup:url_duplicate': mirrors.length });
    const collected = await readJsonl(join(input, '*.jsonl')).dedup(byUrl()).collect();
    expect(collected.getChild('id')!.toArray()).toEqual(kept);
  });

  it('SIGKILL during the map, bucket and merge phases, then resume, equals the uninterrupted run', async () => {
    const store = new LocalBlobStore(join(tmp, 'mh-w1', '_store'));
    let parentCommits = 0;
    for (let p = 0; p < FILES; p++) parentCommits += (await readCheckpoint(store, keys.committed('s0', p)))!.pieces.length;
    // Kill points: in the map phase (parent pieces with their band records), after the 2nd bucket
    // commit, and after the 2nd verdict blob of the merge.
    const points = [['map', 3, 'map'], ['bucket', parentCommits + 2, 'bucket'], ['merge', parentCommits + FILES + 2, 'merge']] as const;
    for (const [name, k, phase] of points) {
      const out = join(tmp, `kill-${name}`);
      const killed = run(out, ['--workers', '2'], { SLUICE_TEST_KILL_AFTER: String(k) });
      expect(killed.signal).toBe('SIGKILL');
      await expect(stat(join(out, 'stats.json'))).rejects.toThrow();
      const s = new LocalBlobStore(join(out, '_store'));
      expect(await s.has(dedupKeys.merged('s1'))).toBe(false);
      expect((await s.list('stages/s1/dedup/assign/')).length > 0).toBe(phase === 'merge');
      expect((await s.list('stages/s1/dedup/stars/')).filter((k) => k.endsWith('.edges')).length).toBe(phase === 'map' ? 0 : phase === 'bucket' ? 2 : FILES);
      const resumed = run(out, ['--workers', '1', '--resume']);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(await digest(out)).toEqual(baseline);
    }
  });

  it('a corrupted band-record file makes the run redo the task that wrote it, with the same output', async () => {
    const out = join(tmp, 'corrupt');
    expect(run(out, ['--plan-only']).status).toBe(0);
    for (let t = 0; t < FILES; t++) {
      const r = sluice(['task', out, `s0.${t}`]);
      expect(r.status, r.stderr).toBe(0);
    }
    const store = new LocalBlobStore(join(out, '_store'));
    const rec = (await store.list('stages/s0/tasks/')).filter((k) => k.endsWith('.rec'));
    expect(rec.length).toBeGreaterThan(FILES);
    const chunk = store.chunkPath((await store.stat(rec[3]!))!.chunks[0]!);
    const bytes = await readFile(chunk);
    bytes[bytes.length >> 1] ^= 0xff;
    await writeFile(chunk, bytes);
    const owner = `s0.${Number(/tasks\/(\d+)\//.exec(rec[3]!)![1])}`;
    const r = run(out, ['--workers', '2', '--resume']);
    expect(r.status, r.stderr).toBe(0);
    // The bucket task reading it failed on the checksum; the map task that wrote it was redone.
    expect(r.stderr).toMatch(new RegExp(`redoing task ${owner.replace('.', '\\.')}: .*xxhash64`));
    expect(await digest(out)).toEqual(baseline);
  });
});
